//! The session for components: a context provided once at the top of an app, and a hook.

use yew::prelude::*;

use super::{SessionState, store};

/// Properties of [`SessionProvider`].
#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Finds out whether the browser is signed in when the app starts, and gives every component
/// below it the session as it changes.
#[function_component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let state = use_state(store::state);
    {
        let state = state.setter();
        use_effect_with((), move |()| {
            let watch = store::watch(Callback::from(move |now| state.set(now)));
            store::start();
            move || drop(watch)
        });
    }
    html! {
        <ContextProvider<SessionState> context={(*state).clone()}>
            { props.children.clone() }
        </ContextProvider<SessionState>>
    }
}

/// The session; not known yet outside a [`SessionProvider`] (as in server-rendered tests that
/// provide none).
#[hook]
pub fn use_session() -> SessionState {
    use_context::<SessionState>().unwrap_or_default()
}
