//! A boxed message for the states a list or page can be in besides "here it is": nothing yet,
//! something went wrong, not found.

use yew::prelude::*;

/// How a notice should read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Nothing is wrong; there is just nothing to show.
    #[default]
    Calm,
    /// Something failed; the reader may be able to try again.
    Problem,
}

/// Properties of [`Notice`].
#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    /// One line saying what is the case.
    pub title: AttrValue,
    /// How it reads.
    #[prop_or_default]
    pub tone: Tone,
    /// The explanation, and what to do about it.
    #[prop_or_default]
    pub children: Html,
}

/// A message in place of content.
#[function_component]
pub fn Notice(props: &NoticeProps) -> Html {
    let (class, role) = match props.tone {
        Tone::Calm => ("notice", "status"),
        Tone::Problem => ("notice notice--problem", "alert"),
    };
    html! {
        <section class={class} role={role}>
            <h2 class="notice__title">{ props.title.clone() }</h2>
            <div class="notice__body">{ props.children.clone() }</div>
        </section>
    }
}
