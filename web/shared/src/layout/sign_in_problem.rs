//! The band under the header that says when signing in or out did not work.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::session::{self, SignInError, use_session};

/// Properties of [`SignInProblem`].
#[derive(Properties, PartialEq)]
pub struct SignInProblemProps<R: Routable + 'static> {
    /// Where dismissing goes when the current address is not one of the app's routes.
    pub home: R,
}

/// Shows `?sign_in_error=` (the server sends the browser back with it when sign-in failed)
/// and a failed sign-out; nothing otherwise.
#[function_component]
pub fn SignInProblem<R: Routable + 'static>(props: &SignInProblemProps<R>) -> Html {
    let session = use_session();
    let location = use_location();
    let route = use_route::<R>();
    let navigator = use_navigator();
    let sign_in_error = location
        .as_ref()
        .and_then(|location| SignInError::in_query(location.query_str()));
    if let Some(error) = sign_in_error {
        // The same page without the query: a reload should not show the message again.
        let page = route.unwrap_or_else(|| props.home.clone());
        let dismiss = Callback::from(move |_| {
            if let Some(navigator) = &navigator {
                navigator.replace(&page);
            }
        });
        let sign_in = Callback::from(|_| session::sign_in());
        return band(error.message(), "Sign in again", sign_in, dismiss);
    }
    match session.problem {
        Some(problem) => band(
            &problem,
            "Try again",
            Callback::from(|_| session::sign_out()),
            Callback::from(|_| session::dismiss_problem()),
        ),
        None => Html::default(),
    }
}

fn band(
    text: &str,
    again: &'static str,
    on_again: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    html! {
        <div class="sign-in-problem" role="alert">
            <div class="sign-in-problem__inner">
                <p class="sign-in-problem__text">{ text }</p>
                <div class="sign-in-problem__actions">
                    <button class="button" type="button" onclick={on_again}>{ again }</button>
                    <button class="button button--quiet" type="button" onclick={on_dismiss}>
                        { "Dismiss" }
                    </button>
                </div>
            </div>
        </div>
    }
}
