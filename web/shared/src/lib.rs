//! What the MakrX web apps share: the one GraphQL client function, the subscription client,
//! the session (sign-in and the access token), run-time configuration and the layout every
//! app is framed by.
//!
//! Operations are checked against `schema/supergraph.graphql` at compile time (graphql_client
//! reads the composed supergraph; its `join__` directives do not bother it).

pub mod components;
pub mod config;
mod console;
pub mod equipment;
pub mod form;
pub mod graphql;
pub mod hooks;
pub mod layout;
pub mod remote;
pub mod session;
pub mod subscription;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod upload;
pub mod words;

/// Draws `App` in place of the page's static "loading" placeholder (the `#app` element), or in
/// the body of a page without one: what each app's `main` does.
pub fn start<App: yew::BaseComponent<Properties = ()>>() {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
