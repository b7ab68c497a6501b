//! Checking members off: the requests waiting for staff, giving or taking a member's level in
//! a skill, and defining a skill with its levels.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::fields::typed;
use crate::marks::{Asking, Sent};
use crate::types::{CheckoffAsk, SkillLevels};

/// Properties of [`CheckoffQueue`].
#[derive(Properties, PartialEq)]
pub struct CheckoffQueueProps {
    /// The requests, oldest first.
    pub requests: Vec<CheckoffAsk>,
    /// Answers under way or refused, by request id.
    #[prop_or_default]
    pub settling: Rc<HashMap<String, Asking>>,
    /// Grants (`true`) or declines the request with this id.
    pub on_settle: Callback<(String, bool)>,
}

/// The check-off requests waiting, each granted or declined in one click.
#[function_component]
pub fn CheckoffQueue(props: &CheckoffQueueProps) -> Html {
    html! {
        <section class="panel bookings" aria-labelledby="checkoffs-heading">
            <h2 class="panel__title bookings__title" id="checkoffs-heading">{ "Check-off requests" }</h2>
            if props.requests.is_empty() {
                <p class="bookings__empty">{ "No one is waiting to be checked off." }</p>
            } else {
                <ul class="bookings__list">
                    { for props.requests.iter().map(|asked| {
                        let settling = props.settling.get(&asked.id);
                        let sending = settling == Some(&Asking::Sent);
                        let settle = |grant: bool| {
                            let id = asked.id.clone();
                            props.on_settle.reform(move |_| (id.clone(), grant))
                        };
                        let what = format!("{} at {} for {}", asked.skill, asked.level, asked.member);
                        html! {
                            <li class="booking-item" key={asked.id.clone()}>
                                <div class="booking-item__text">
                                    <span class="booking-item__when">{ &asked.member }</span>
                                    <span>{ format!("{} · {}", asked.skill, asked.level) }</span>
                                    <span class="booking-item__status">
                                        { format!("asked {}", asked.asked_at.date_label()) }
                                        if !asked.note.trim().is_empty() {
                                            { format!(" · “{}”", asked.note) }
                                        }
                                    </span>
                                </div>
                                <div class="booking-item__action">
                                    <button class="button" type="button" disabled={sending}
                                        aria-label={format!("Grant {what}")} onclick={settle(true)}>
                                        { "Grant" }
                                    </button>
                                    <button class="button button--quiet" type="button" disabled={sending}
                                        aria-label={format!("Decline {what}")} onclick={settle(false)}>
                                        { "Decline" }
                                    </button>
                                </div>
                                if let Some(Asking::Refused(reason)) = settling {
                                    <p class="booking__refusal" role="alert">{ reason.clone() }</p>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

/// A member's level to set: the member's and the skill's API ids, and the level (`None` to
/// take it away).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelChange {
    /// The member's API id.
    pub user_id: String,
    /// The skill's API id.
    pub skill_id: String,
    /// The level to give, or none to take theirs away.
    pub level: Option<String>,
}

/// Properties of [`LevelForm`].
#[derive(Properties, PartialEq)]
pub struct LevelFormProps {
    /// The members to choose from: (API id, name), by name.
    pub members: Vec<(String, String)>,
    /// The skills to choose from.
    pub skills: Vec<SkillLevels>,
    /// Where the last change stands.
    pub state: Sent,
    /// Sets a member's level.
    pub on_change: Callback<LevelChange>,
}

/// Giving a member a level in a skill, or taking theirs away.
#[function_component]
pub fn LevelForm(props: &LevelFormProps) -> Html {
    let member = use_state(|| props.members.first().map(|(id, _)| id.clone()));
    let skill = use_state(|| props.skills.first().map(|skill| skill.id.clone()));
    let level = use_state(|| None::<String>);
    let chosen_skill = props
        .skills
        .iter()
        .find(|candidate| Some(&candidate.id) == skill.as_ref());
    let levels = chosen_skill.map_or(&[][..], |skill| &skill.levels[..]);
    let chosen_level = level
        .as_ref()
        .filter(|chosen| levels.contains(chosen))
        .or(levels.first())
        .cloned();
    if props.members.is_empty() || props.skills.is_empty() {
        return html! {
            <section class="booking panel" aria-labelledby="level-heading">
                <h2 class="panel__title" id="level-heading">{ "Give or take a level" }</h2>
                <p class="booking__summary">{ "The space needs members and skills first." }</p>
            </section>
        };
    }
    let pick = |state: &UseStateHandle<Option<String>>| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            state.set(Some(select.value()));
        })
    };
    let change = |give: bool| {
        let (on_change, member, skill, level) = (
            props.on_change.clone(),
            (*member).clone(),
            (*skill).clone(),
            chosen_level.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let (Some(user_id), Some(skill_id)) = (member.clone(), skill.clone()) {
                on_change.emit(LevelChange {
                    user_id,
                    skill_id,
                    level: level.clone().filter(|_| give),
                });
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <section class="booking panel" aria-labelledby="level-heading">
            <h2 class="panel__title" id="level-heading">{ "Give or take a level" }</h2>
            <div class="booking__form">
                <div class="field">
                    <label class="field__label" for="level-member">{ "Member" }</label>
                    <select class="field__control" id="level-member" onchange={pick(&member)} disabled={sending}>
                        { for props.members.iter().map(|(id, name)| html! {
                            <option value={id.clone()} selected={Some(id) == member.as_ref()}>{ name }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="level-skill">{ "Skill" }</label>
                    <select class="field__control" id="level-skill" onchange={pick(&skill)} disabled={sending}>
                        { for props.skills.iter().map(|option| html! {
                            <option value={option.id.clone()} selected={Some(&option.id) == skill.as_ref()}>{ &option.name }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="level-level">{ "Level" }</label>
                    <select class="field__control" id="level-level" onchange={pick(&level)} disabled={sending}>
                        { for levels.iter().map(|option| html! {
                            <option value={option.clone()} selected={Some(option) == chosen_level.as_ref()}>{ option }</option>
                        }) }
                    </select>
                </div>
                { props.state.outcome("Not changed.") }
                <div class="booking__actions">
                    <button class="button" type="button" disabled={sending} onclick={change(true)}>{ "Give this level" }</button>
                    <button class="button button--quiet" type="button" disabled={sending} onclick={change(false)}>
                        { "Take their level away" }
                    </button>
                </div>
            </div>
        </section>
    }
}

/// Properties of [`SkillForm`].
#[derive(Properties, PartialEq)]
pub struct SkillFormProps {
    /// Where the last definition stands.
    pub state: Sent,
    /// Defines a skill: its name and levels, lowest first.
    pub on_define: Callback<(String, Vec<String>)>,
}

/// Defining a skill with its levels, one per line, lowest first.
#[function_component]
pub fn SkillForm(props: &SkillFormProps) -> Html {
    let name = use_state(String::new);
    let levels = use_state(String::new);
    let type_levels = {
        let levels = levels.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlTextAreaElement = event.target_unchecked_into();
            levels.set(input.value());
        })
    };
    let define = {
        let (on_define, name, levels) = (props.on_define.clone(), name.clone(), levels.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let levels = levels
                .lines()
                .map(str::trim)
                .filter(|level| !level.is_empty())
                .map(str::to_owned)
                .collect();
            on_define.emit((name.trim().to_owned(), levels));
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <section class="booking panel" aria-labelledby="skill-heading">
            <h2 class="panel__title" id="skill-heading">{ "Define a skill" }</h2>
            <form class="booking__form" onsubmit={define}>
                <div class="field">
                    <label class="field__label" for="skill-name">{ "Name" }</label>
                    <input class="field__control" id="skill-name" type="text" maxlength="80" required=true
                        value={(*name).clone()} oninput={typed(&name)} disabled={sending} />
                </div>
                <div class="field">
                    <label class="field__label" for="skill-levels">{ "Levels, lowest first, one per line" }</label>
                    <textarea class="field__control" id="skill-levels" rows="4" required=true
                        value={(*levels).clone()} oninput={type_levels} disabled={sending} />
                </div>
                { props.state.outcome("Not defined.") }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending}>{ "Define the skill" }</button>
                </div>
            </form>
        </section>
    }
}
