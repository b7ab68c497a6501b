//! A space's skills: the level the person holds in each and until when, and asking staff for a
//! check-off at a higher level.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::marks::Asking;
use crate::time::Date;
use crate::types::SkillStanding;

/// A check-off the person asks for: the skill's id and the level.
pub type CheckoffAsked = (String, String);

/// Properties of [`SkillList`].
#[derive(Properties, PartialEq)]
pub struct SkillListProps {
    /// The space's skills.
    pub skills: Vec<SkillStanding>,
    /// Check-off requests under way or refused, by skill id.
    #[prop_or_default]
    pub asking: Rc<HashMap<String, Asking>>,
    /// Skills whose check-off request was sent this visit.
    #[prop_or_default]
    pub asked: Rc<HashMap<String, String>>,
    /// Asks for a check-off.
    pub on_ask: Callback<CheckoffAsked>,
}

/// The skills, or a sentence when the space has defined none.
#[function_component]
pub fn SkillList(props: &SkillListProps) -> Html {
    if props.skills.is_empty() {
        return html! { <p class="bookings__empty">{ "This makerspace has defined no skills yet." }</p> };
    }
    html! {
        <ul class="bookings__list">
            { for props.skills.iter().map(|skill| html! { <SkillItem skill={skill.clone()}
                asking={props.asking.get(&skill.id).cloned()} asked={props.asked.get(&skill.id).cloned()}
                on_ask={props.on_ask.clone()} /> }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct SkillItemProps {
    skill: SkillStanding,
    asking: Option<Asking>,
    asked: Option<String>,
    on_ask: Callback<CheckoffAsked>,
}

#[function_component]
fn SkillItem(props: &SkillItemProps) -> Html {
    let skill = &props.skill;
    let levels = skill.levels_to_request();
    let chosen = use_state(|| levels.first().cloned());
    let standing = match &skill.held {
        None => "Not checked off yet".to_owned(),
        Some(held) if held.expired => format!("{} — lapsed, ask for a new check-off", held.level),
        Some(held) => match &held.expires_at {
            Some(until) => {
                let date = Date::parse(until.date()).map_or_else(String::new, Date::long_label);
                format!("{} until {date}", held.level)
            }
            None => held.level.clone(),
        },
    };
    let choose = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            chosen.set(Some(select.value()));
        })
    };
    let ask = {
        let (on_ask, id, level) = (props.on_ask.clone(), skill.id.clone(), (*chosen).clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(level) = level.clone() {
                on_ask.emit((id.clone(), level));
            }
        })
    };
    let select_id = format!("checkoff-{}", skill.id);
    let request = match (&props.asked, levels.is_empty()) {
        (Some(level), _) => html! {
            <p class="finder__booked" role="status">{ format!("Check-off at {level} requested: the space's staff will see you.") }</p>
        },
        (None, true) => Html::default(),
        (None, false) => html! {
            <form class="booking-item__action" onsubmit={ask}>
                <label class="visually-hidden" for={select_id.clone()}>{ format!("Level of {} to be checked off at", skill.name) }</label>
                <select class="field__control" id={select_id} onchange={choose}>
                    { for levels.iter().map(|level| html! {
                        <option value={level.clone()} selected={Some(level) == chosen.as_ref()}>{ level }</option>
                    }) }
                </select>
                <button class="button button--quiet" type="submit" disabled={props.asking == Some(Asking::Sent)}>
                    { "Request a check-off" }
                </button>
            </form>
        },
    };
    html! {
        <li class="booking-item">
            <div class="booking-item__text">
                <span class="booking-item__when">{ &skill.name }</span>
                <span class="booking-item__status">{ standing }</span>
                if !skill.description.trim().is_empty() {
                    <span class="booking-item__zone">{ &skill.description }</span>
                }
            </div>
            { request }
            if let Some(Asking::Refused(reason)) = &props.asking {
                <p class="booking__refusal" role="alert">{ reason }</p>
            }
        </li>
    }
}
