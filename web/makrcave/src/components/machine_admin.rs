//! Running a machine: its details, status, skill gate and maintenance log.

use makrx_web::equipment::EquipmentStatus;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::fields::{chosen, typed};
use crate::marks::Sent;
use crate::time::{money, parse_money};
use crate::types::{EquipmentClass, MachineDetails, MaintenanceNote, SkillLevels};

/// `12.00` for 1200 minor units: the amount as a form shows it, without the currency.
fn amount(minor: i64) -> String {
    money(minor, "").trim_end().to_owned()
}

/// Properties of [`MachineForm`].
#[derive(Properties, PartialEq)]
pub struct MachineFormProps {
    /// What the form starts with.
    pub details: MachineDetails,
    /// The space's currency, beside the hourly cost.
    pub currency: AttrValue,
    /// What the button says (`Add the machine`, `Save`).
    pub action: AttrValue,
    /// Where the last save stands.
    pub state: Sent,
    /// Saves the details.
    pub on_save: Callback<MachineDetails>,
}

/// A machine's name, kind, class, location, hourly cost and approval rule.
#[function_component]
pub fn MachineForm(props: &MachineFormProps) -> Html {
    let start = &props.details;
    let name = use_state(|| start.name.clone());
    let kind = use_state(|| start.kind.clone());
    let class = use_state(|| start.class.label().to_owned());
    let location = use_state(|| start.location.clone());
    let cost = use_state(|| amount(start.hourly_cost_minor));
    let approval = use_state(|| start.requires_approval);
    let cost_minor = parse_money(&cost);
    let toggle = {
        let approval = approval.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            approval.set(input.checked());
        })
    };
    let save = {
        let on_save = props.on_save.clone();
        let details = cost_minor.map(|hourly_cost_minor| MachineDetails {
            name: name.trim().to_owned(),
            kind: kind.trim().to_owned(),
            class: EquipmentClass::ALL
                .into_iter()
                .find(|option| option.label() == *class)
                .unwrap_or(EquipmentClass::Other),
            location: location.trim().to_owned(),
            hourly_cost_minor,
            requires_approval: *approval,
        });
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(details) = details.clone() {
                on_save.emit(details);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={save}>
            <div class="field">
                <label class="field__label" for="machine-name">{ "Name" }</label>
                <input class="field__control" id="machine-name" type="text" maxlength="100" required=true
                    value={(*name).clone()} oninput={typed(&name)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="machine-kind">{ "What it is" }</label>
                <input class="field__control" id="machine-kind" type="text" maxlength="60" required=true
                    placeholder="Trotec Speedy 360, 80 W"
                    value={(*kind).clone()} oninput={typed(&kind)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="machine-class">{ "Class" }</label>
                <select class="field__control" id="machine-class" onchange={chosen(&class)} disabled={sending}>
                    { for EquipmentClass::ALL.iter().map(|option| html! {
                        <option value={option.label()} selected={option.label() == *class}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="machine-location">{ "Where it stands" }</label>
                <input class="field__control" id="machine-location" type="text" maxlength="100"
                    value={(*location).clone()} oninput={typed(&location)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="machine-cost">{ format!("An hour costs ({})", props.currency) }</label>
                <input class="field__control" id="machine-cost" type="text" inputmode="decimal"
                    aria-invalid={cost_minor.is_none().to_string()} aria-describedby="machine-cost-help"
                    value={(*cost).clone()} oninput={typed(&cost)} disabled={sending} />
                <span class="field__help" id="machine-cost-help">
                    { if cost_minor.is_some() { "0 for free" } else { "An amount like 12.50, 0 for free" } }
                </span>
            </div>
            <label class="field field--check">
                <input type="checkbox" checked={*approval} onchange={toggle} disabled={sending} />
                { "Bookings wait for staff approval" }
            </label>
            { props.state.outcome("Not saved.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || cost_minor.is_none()}>{ props.action.clone() }</button>
            </div>
        </form>
    }
}

/// The statuses staff set, in the order a select offers them.
const STATUSES: [EquipmentStatus; 4] = [
    EquipmentStatus::Available,
    EquipmentStatus::InUse,
    EquipmentStatus::Maintenance,
    EquipmentStatus::OutOfOrder,
];

/// Properties of [`StatusForm`].
#[derive(Properties, PartialEq)]
pub struct StatusFormProps {
    /// Its status now.
    pub status: EquipmentStatus,
    /// Where the last change stands.
    pub state: Sent,
    /// Sets the status.
    pub on_set: Callback<EquipmentStatus>,
}

/// Setting a machine's status, which everyone following the space sees at once.
#[function_component]
pub fn StatusForm(props: &StatusFormProps) -> Html {
    let status = use_state(|| props.status.label().to_owned());
    let set = {
        let (on_set, status) = (props.on_set.clone(), status.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(chosen) = STATUSES
                .into_iter()
                .find(|option| option.label() == *status)
            {
                on_set.emit(chosen);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={set}>
            <div class="field">
                <label class="field__label" for="machine-status">{ "Status" }</label>
                <select class="field__control" id="machine-status" onchange={chosen(&status)} disabled={sending}>
                    { for STATUSES.iter().map(|option| html! {
                        <option value={option.label()} selected={option.label() == *status}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            { props.state.outcome("Not changed.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Set the status" }</button>
            </div>
        </form>
    }
}

/// What "no skill needed" is called among the skills of the gate's select.
const ANYONE: &str = "";

/// Properties of [`GateForm`].
#[derive(Properties, PartialEq)]
pub struct GateFormProps {
    /// The space's skills.
    pub skills: Vec<SkillLevels>,
    /// The skill (API id) and level booking takes now, if any.
    pub gate: Option<(String, String)>,
    /// Where the last change stands.
    pub state: Sent,
    /// Sets the gate: a skill (API id) and level, or none.
    pub on_set: Callback<Option<(String, String)>>,
    /// What choosing no skill means.
    #[prop_or(AttrValue::Static("None: anyone on a plan may book it"))]
    pub anyone: AttrValue,
}

/// Which skill, at which level at least, booking a machine (or borrowing a tool) takes.
#[function_component]
pub fn GateForm(props: &GateFormProps) -> Html {
    let (skill, level) = props.gate.clone().unzip();
    let skill = use_state(|| skill.unwrap_or_default());
    let level = use_state(|| level.unwrap_or_default());
    let levels = props
        .skills
        .iter()
        .find(|option| option.id == *skill)
        .map_or(&[][..], |option| &option.levels[..]);
    let chosen_level = levels
        .iter()
        .find(|option| **option == *level)
        .or(levels.first())
        .cloned();
    let set = {
        let (on_set, skill) = (props.on_set.clone(), (*skill).clone());
        let gate = chosen_level
            .clone()
            .filter(|_| skill != ANYONE)
            .map(|level| (skill, level));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_set.emit(gate.clone());
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={set}>
            <div class="field">
                <label class="field__label" for="gate-skill">{ "Skill needed" }</label>
                <select class="field__control" id="gate-skill" onchange={chosen(&skill)} disabled={sending}>
                    <option value={ANYONE} selected={*skill == ANYONE}>{ props.anyone.clone() }</option>
                    { for props.skills.iter().map(|option| html! {
                        <option value={option.id.clone()} selected={option.id == *skill}>{ &option.name }</option>
                    }) }
                </select>
            </div>
            if !levels.is_empty() {
                <div class="field">
                    <label class="field__label" for="gate-level">{ "At least at level" }</label>
                    <select class="field__control" id="gate-level" onchange={chosen(&level)} disabled={sending}>
                        { for levels.iter().map(|option| html! {
                            <option value={option.clone()} selected={Some(option) == chosen_level.as_ref()}>{ option }</option>
                        }) }
                    </select>
                </div>
            }
            { props.state.outcome("Not changed.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Set the skill needed" }</button>
            </div>
        </form>
    }
}

/// Properties of [`MaintenanceLog`].
#[derive(Properties, PartialEq)]
pub struct MaintenanceLogProps {
    /// The entries, newest first.
    pub log: Vec<MaintenanceNote>,
    /// The space's currency, beside the cost.
    pub currency: AttrValue,
    /// Where the last entry stands.
    pub state: Sent,
    /// Logs work done now: what, and its cost in minor units.
    pub on_log: Callback<(String, i64)>,
}

/// What was done to keep the machine, and logging more.
#[function_component]
pub fn MaintenanceLog(props: &MaintenanceLogProps) -> Html {
    let description = use_state(String::new);
    let cost = use_state(|| "0".to_owned());
    let cost_minor = parse_money(&cost);
    let type_description = {
        let description = description.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlTextAreaElement = event.target_unchecked_into();
            description.set(input.value());
        })
    };
    {
        // A logged entry clears the form for the next.
        let (description, cost) = (description.clone(), cost.clone());
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                description.set(String::new());
                cost.set("0".to_owned());
            }
        });
    }
    let log = {
        let (on_log, description) = (props.on_log.clone(), description.trim().to_owned());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(cost) = cost_minor {
                on_log.emit((description.clone(), cost));
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <>
            <form class="booking__form" onsubmit={log}>
                <div class="field field--wide">
                    <label class="field__label" for="maintenance-description">{ "Work done" }</label>
                    <textarea class="field__control" id="maintenance-description" rows="3" maxlength="2000" required=true
                        value={(*description).clone()} oninput={type_description} disabled={sending} />
                </div>
                <div class="field">
                    <label class="field__label" for="maintenance-cost">{ format!("Cost ({})", props.currency) }</label>
                    <input class="field__control" id="maintenance-cost" type="text" inputmode="decimal"
                        aria-invalid={cost_minor.is_none().to_string()}
                        value={(*cost).clone()} oninput={typed(&cost)} disabled={sending} />
                </div>
                { props.state.outcome("Not logged.") }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending || cost_minor.is_none()}>{ "Log the work" }</button>
                </div>
            </form>
            if props.log.is_empty() {
                <p class="bookings__empty">{ "Nothing logged yet." }</p>
            } else {
                <ul class="bookings__list">
                    { for props.log.iter().map(|entry| html! {
                        <li class="booking-item" key={entry.id.clone()}>
                            <div class="booking-item__text">
                                <span class="booking-item__when">{ entry.at.date_label() }</span>
                                <span>{ &entry.description }</span>
                                <span class="booking-item__status">{ format!("{} · {}", entry.by, entry.cost) }</span>
                            </div>
                        </li>
                    }) }
                </ul>
            }
        </>
    }
}
