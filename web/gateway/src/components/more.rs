//! The button under a list that loads its next page.

use yew::prelude::*;

use crate::hooks::MoreState;

/// The button that loads the next page, saying `label`, in each state loading it can be in;
/// nothing when `has_more` is false (the last page is shown). A plain function rather than a
/// component: it holds no state.
pub fn more_button(label: &str, has_more: bool, state: &MoreState, on_more: &Callback<()>) -> Html {
    if !has_more {
        return Html::default();
    }
    let onclick = on_more.reform(|_| ());
    match state {
        MoreState::Idle => html! {
            <button class="button button--quiet list-more" type="button" {onclick}>
                { label.to_owned() }
            </button>
        },
        MoreState::Loading => html! {
            <button class="button button--quiet list-more" type="button" disabled=true>
                { "Loading…" }
            </button>
        },
        MoreState::Failed(error) => html! {
            <p class="list-more__error" role="alert">
                { format!("More could not be loaded: {error} ") }
                <button class="button button--quiet" type="button" {onclick}>{ "Try again" }</button>
            </p>
        },
    }
}
