//! Form fields that keep what is typed or chosen in a component's state.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Keeps a text field's value in `state`.
pub fn typed(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        let input: HtmlInputElement = event.target_unchecked_into();
        state.set(input.value());
    })
}

/// Keeps a select's value in `state`.
pub fn chosen(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        state.set(select.value());
    })
}
