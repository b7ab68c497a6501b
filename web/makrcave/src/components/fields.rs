//! Form fields that keep what is typed or chosen in a component's state, and the form that
//! adds something by its name alone.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::marks::Sent;

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

/// Properties of [`NameForm`].
#[derive(Properties, PartialEq)]
pub struct NameFormProps {
    /// The name field's id.
    pub id: AttrValue,
    /// The name field's label.
    pub label: AttrValue,
    /// An example name.
    pub placeholder: AttrValue,
    /// The most characters a name may have.
    pub max_length: u32,
    /// What the button says (`Add the place`).
    pub button: AttrValue,
    /// Where the last addition stands.
    pub state: Sent,
    /// Adds it by its name.
    pub on_add: Callback<String>,
}

/// Adding something by its name: a place to keep stock, a bill of materials. The name clears
/// once it is added.
#[function_component]
pub fn NameForm(props: &NameFormProps) -> Html {
    let name = use_state(String::new);
    {
        let name = name.clone();
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                name.set(String::new());
            }
        });
    }
    let add = {
        let (on_add, name) = (props.on_add.clone(), (*name).clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_add.emit(name.clone());
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={add}>
            <div class="field">
                <label class="field__label" for={props.id.clone()}>{ props.label.clone() }</label>
                <input class="field__control" id={props.id.clone()} type="text" required=true
                    maxlength={props.max_length.to_string()} placeholder={props.placeholder.clone()}
                    value={(*name).clone()} oninput={typed(&name)} disabled={sending} />
            </div>
            { props.state.outcome("Not added.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ props.button.clone() }</button>
            </div>
        </form>
    }
}
