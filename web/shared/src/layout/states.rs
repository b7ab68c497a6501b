//! How a page shows what it waits for: a placeholder while it loads, a failure with a way to
//! try again, a refusal for a role that may not see it, and an invitation to sign in.

use yew::prelude::*;

use super::{Notice, Tone};
use crate::graphql::RequestError;
use crate::hooks::RemoteHandle;
use crate::remote::Remote;
use crate::session::{self, SessionStatus, use_session};

/// Properties of [`SignedInOnly`].
#[derive(Properties, PartialEq)]
pub struct SignedInOnlyProps {
    /// What signing in shows, as the prompt's title (`Sign in to see your orders`).
    pub prompt: AttrValue,
    /// What the app is for, in a sentence under the prompt.
    pub about: AttrValue,
    /// The page, for someone signed in.
    pub children: Html,
}

/// The page for someone signed in; an invitation to sign in for anyone else.
#[function_component]
pub fn SignedInOnly(props: &SignedInOnlyProps) -> Html {
    let session = use_session();
    match &session.status {
        SessionStatus::Unknown => loading("Checking who you are…"),
        SessionStatus::SignedOut => html! {
            <Notice title={props.prompt.clone()}>
                <p>{ props.about.clone() }</p>
                <button class="button" type="button" onclick={|_| session::sign_in()}>{ "Sign in" }</button>
            </Notice>
        },
        SessionStatus::SignedIn(_) => props.children.clone(),
    }
}

/// What a page for a role shows of its answer: a placeholder while `what` loads, `refused` as
/// the title over the API's words when the person's role may not see it, the failure with a
/// way to try again (`failure` as its title), or what `ready` makes of the answer.
pub fn for_role<T>(
    remote: &RemoteHandle<T>,
    (what, refused, failure): (&str, &str, &str),
    ready: impl FnOnce(&T) -> Html,
) -> Html {
    match &*remote.state {
        Remote::Loading => loading(what),
        Remote::Failed(error) if error.has_code("FORBIDDEN") => html! {
            <Notice title={refused.to_owned()}>
                <p>{ error.to_string() }</p>
            </Notice>
        },
        Remote::Failed(error) => failed(failure, error, remote.retry.clone()),
        Remote::Ready(answer) => ready(answer),
    }
}

/// A placeholder that says, to screen readers, what is loading.
pub fn loading(what: &str) -> Html {
    html! {
        <div class="placeholder" aria-busy="true">
            <p class="visually-hidden" role="status">{ what.to_owned() }</p>
        </div>
    }
}

/// A failed load: what went wrong, and a way to try again.
pub fn failed(title: &str, error: &RequestError, retry: Callback<()>) -> Html {
    html! {
        <Notice title={title.to_owned()} tone={Tone::Problem}>
            <p>{ error.to_string() }</p>
            <button class="button" type="button" onclick={retry.reform(|_| ())}>{ "Try again" }</button>
        </Notice>
    }
}
