//! Form fields that show the API's verdict beside them: a `VALIDATION_ERROR` names the input
//! fields it refuses (`extensions.details`), and each message goes next to its field.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::graphql::FieldError;

/// What sort of text a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Control {
    /// One line.
    #[default]
    Line,
    /// A web address: one line, with the keyboard a phone shows for addresses.
    Url,
    /// A few sentences.
    Paragraph,
}

/// Properties of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The field's name as the API's input spells it (`displayName`): its errors are matched
    /// by it, and it names the control in the page.
    pub name: AttrValue,
    /// What the field is, for people.
    pub label: AttrValue,
    /// The text as typed.
    pub value: AttrValue,
    /// Each keystroke's new text.
    pub on_input: Callback<String>,
    /// What to type, in a line under the field.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// What is wrong with it, shown beside it.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// One line, an address or a paragraph.
    #[prop_or_default]
    pub control: Control,
    /// The browser's autofill hint (`name`, `url`, ...).
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
}

/// A labelled text field with its hint and, when the API refused it, its error.
#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let id = format!("field-{}", props.name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // The error first: a screen reader reads what is wrong before how it should be.
    let described_by: Vec<&str> = [
        props.error.as_ref().map(|_| error_id.as_str()),
        props.hint.as_ref().map(|_| hint_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    let invalid = props.error.as_ref().map(|_| "true");
    let control = match props.control {
        Control::Paragraph => {
            let on_input = props.on_input.clone();
            html! {
                <textarea class="field__control field__control--paragraph" id={id.clone()}
                    name={props.name.clone()} rows="4" value={props.value.clone()}
                    aria-invalid={invalid} aria-describedby={described_by}
                    oninput={move |event: InputEvent| {
                        on_input.emit(event.target_unchecked_into::<HtmlTextAreaElement>().value())
                    }} />
            }
        }
        Control::Line | Control::Url => {
            let on_input = props.on_input.clone();
            let (kind, mode) = match props.control {
                Control::Url => ("url", Some("url")),
                _ => ("text", None),
            };
            html! {
                <input class="field__control" id={id.clone()} type={kind} inputmode={mode}
                    name={props.name.clone()} value={props.value.clone()}
                    autocomplete={props.autocomplete.clone()} spellcheck={mode.map(|_| "false")}
                    aria-invalid={invalid} aria-describedby={described_by}
                    oninput={move |event: InputEvent| {
                        on_input.emit(event.target_unchecked_into::<HtmlInputElement>().value())
                    }} />
            }
        }
    };
    let class = classes!("field", props.error.as_ref().map(|_| "field--invalid"));
    html! {
        <div {class}>
            <label class="field__label" for={id}>{ props.label.clone() }</label>
            { control }
            if let Some(error) = &props.error {
                <p class="field__error" id={error_id}>{ error.clone() }</p>
            }
            if let Some(hint) = &props.hint {
                <p class="field__hint" id={hint_id}>{ hint.clone() }</p>
            }
        </div>
    }
}

/// What the API said is wrong with `field` or a part of it (`attributes.1.name` is part of
/// `attributes`), all of it in one line.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<AttrValue> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|error| {
            error
                .field
                .strip_prefix(field)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .map(|error| error.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join("; ").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    #[test]
    fn each_field_gets_only_its_own_errors() {
        let errors = [
            error("displayName", "must not be empty"),
            error("avatarUrl", "must be a web address"),
        ];

        assert_eq!(
            error_for(&errors, "avatarUrl").as_deref(),
            Some("must be a web address")
        );
        assert_eq!(error_for(&errors, "bio"), None);
        assert_eq!(error_for(&errors, "avatar"), None);
    }

    #[test]
    fn a_part_of_a_field_is_shown_with_it() {
        let errors = [error("attributes.1.name", "is given twice")];

        assert_eq!(
            error_for(&errors, "attributes").as_deref(),
            Some("is given twice")
        );
        assert_eq!(error_for(&errors, "attributes.0"), None);
    }

    #[test]
    fn several_errors_of_one_field_are_shown_together() {
        let errors = [error("bio", "is too long"), error("bio", "has a link")];

        assert_eq!(
            error_for(&errors, "bio").as_deref(),
            Some("is too long; has a link")
        );
    }
}
