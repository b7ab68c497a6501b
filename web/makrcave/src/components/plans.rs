//! A space's membership plans: what each costs, allows and covers; defining one; putting a
//! member on one.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{chosen, typed};
use crate::marks::Sent;
use crate::time::{Date, parse_money};
use crate::types::{EquipmentClass, NewPlan, PlanAssignment, PlanSummary};

/// Properties of [`PlanList`].
#[derive(Properties, PartialEq)]
pub struct PlanListProps {
    /// The plans, by name.
    pub plans: Vec<PlanSummary>,
}

/// The space's plans.
#[function_component]
pub fn PlanList(props: &PlanListProps) -> Html {
    if props.plans.is_empty() {
        return html! {
            <p class="bookings__empty">{ "No plans yet: members can book nothing until they are on one." }</p>
        };
    }
    html! {
        <ul class="bookings__list">
            { for props.plans.iter().map(|plan| html! {
                <li class="booking-item" key={plan.id.clone()}>
                    <div class="booking-item__text">
                        <span class="booking-item__when">{ &plan.name }</span>
                        <span>{ format!("{} · {}", plan.price, plan.quotas) }</span>
                        <span class="booking-item__status">{ &plan.classes }</span>
                    </div>
                </li>
            }) }
        </ul>
    }
}

/// Hours typed into a quota field: none when empty (no limit), `Err` when no number.
fn quota(text: &str) -> Result<Option<f64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|hours| hours.is_finite() && *hours > 0.0)
        .map(Some)
        .ok_or(())
}

/// Properties of [`PlanForm`].
#[derive(Properties, PartialEq)]
pub struct PlanFormProps {
    /// The space's currency, beside the price.
    pub currency: AttrValue,
    /// Where the last plan defined stands.
    pub state: Sent,
    /// Defines the plan.
    pub on_define: Callback<NewPlan>,
}

/// Defining a plan: its name, price and period, quotas and classes of machine.
#[function_component]
pub fn PlanForm(props: &PlanFormProps) -> Html {
    let name = use_state(String::new);
    let price = use_state(|| "0".to_owned());
    let period = use_state(|| "month".to_owned());
    let daily = use_state(String::new);
    let weekly = use_state(String::new);
    let classes = use_state(Vec::<EquipmentClass>::new);
    let plan = match (parse_money(&price), quota(&daily), quota(&weekly)) {
        (Some(price_minor), Ok(daily_hours), Ok(weekly_hours)) if !classes.is_empty() => {
            Some(NewPlan {
                name: name.trim().to_owned(),
                price_minor,
                yearly: *period == "year",
                daily_hours,
                weekly_hours,
                classes: (*classes).clone(),
            })
        }
        _ => None,
    };
    let toggle = |class: EquipmentClass| {
        let classes = classes.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut chosen: Vec<EquipmentClass> = (*classes).clone();
            chosen.retain(|other| *other != class);
            if input.checked() {
                chosen.push(class);
            }
            classes.set(chosen);
        })
    };
    let define = {
        let (on_define, plan) = (props.on_define.clone(), plan.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(plan) = plan.clone() {
                on_define.emit(plan);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={define}>
            <div class="field">
                <label class="field__label" for="plan-name">{ "Name" }</label>
                <input class="field__control" id="plan-name" type="text" maxlength="80" required=true
                    value={(*name).clone()} oninput={typed(&name)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="plan-price">{ format!("Price ({})", props.currency) }</label>
                <input class="field__control" id="plan-price" type="text" inputmode="decimal"
                    aria-invalid={parse_money(&price).is_none().to_string()}
                    value={(*price).clone()} oninput={typed(&price)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="plan-period">{ "Paid" }</label>
                <select class="field__control" id="plan-period" onchange={chosen(&period)} disabled={sending}>
                    <option value="month" selected={*period == "month"}>{ "Monthly" }</option>
                    <option value="year" selected={*period == "year"}>{ "Yearly" }</option>
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="plan-daily">{ "Hours a day (empty: no limit)" }</label>
                <input class="field__control" id="plan-daily" type="text" inputmode="decimal"
                    aria-invalid={quota(&daily).is_err().to_string()}
                    value={(*daily).clone()} oninput={typed(&daily)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="plan-weekly">{ "Hours a week (empty: no limit)" }</label>
                <input class="field__control" id="plan-weekly" type="text" inputmode="decimal"
                    aria-invalid={quota(&weekly).is_err().to_string()}
                    value={(*weekly).clone()} oninput={typed(&weekly)} disabled={sending} />
            </div>
            <fieldset class="field field--wide plan__classes">
                <legend class="field__label">{ "Machines it covers" }</legend>
                { for EquipmentClass::ALL.iter().map(|class| html! {
                    <label class="field--check">
                        <input type="checkbox" checked={classes.contains(class)} onchange={toggle(*class)} disabled={sending} />
                        { class.label() }
                    </label>
                }) }
            </fieldset>
            { props.state.outcome("Not defined.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || plan.is_none()}>{ "Define the plan" }</button>
            </div>
        </form>
    }
}

/// Properties of [`AssignForm`].
#[derive(Properties, PartialEq)]
pub struct AssignFormProps {
    /// The members to choose from: (API id, name).
    pub members: Vec<(String, String)>,
    /// The plans to choose from.
    pub plans: Vec<PlanSummary>,
    /// Today, where a plan starts unless another day is chosen.
    pub today: Date,
    /// Where the last assignment stands.
    pub state: Sent,
    /// Puts the member on the plan.
    pub on_assign: Callback<PlanAssignment>,
}

/// Putting a member on a plan from a date, until another if it ends.
#[function_component]
pub fn AssignForm(props: &AssignFormProps) -> Html {
    let member = use_state(|| {
        props
            .members
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    });
    let plan = use_state(|| {
        props
            .plans
            .first()
            .map(|plan| plan.id.clone())
            .unwrap_or_default()
    });
    let starts = use_state(|| props.today.to_string());
    let ends = use_state(String::new);
    if props.members.is_empty() || props.plans.is_empty() {
        return html! { <p class="booking__summary">{ "Define a plan first: then put members on it here." }</p> };
    }
    let ends_on = Date::parse(&ends);
    let assignment = Date::parse(&starts)
        .filter(|_| ends.is_empty() || ends_on.is_some())
        .map(|starts_on| PlanAssignment {
            user_id: (*member).clone(),
            plan_id: (*plan).clone(),
            starts_on,
            ends_on,
        });
    let assign = {
        let (on_assign, assignment) = (props.on_assign.clone(), assignment.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(assignment) = assignment.clone() {
                on_assign.emit(assignment);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={assign}>
            <div class="field">
                <label class="field__label" for="assign-member">{ "Member" }</label>
                <select class="field__control" id="assign-member" onchange={chosen(&member)} disabled={sending}>
                    { for props.members.iter().map(|(id, name)| html! {
                        <option value={id.clone()} selected={*id == *member}>{ name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="assign-plan">{ "Plan" }</label>
                <select class="field__control" id="assign-plan" onchange={chosen(&plan)} disabled={sending}>
                    { for props.plans.iter().map(|option| html! {
                        <option value={option.id.clone()} selected={option.id == *plan}>{ &option.name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="assign-starts">{ "From" }</label>
                <input class="field__control" id="assign-starts" type="date" required=true
                    value={(*starts).clone()} oninput={typed(&starts)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="assign-ends">{ "Until (optional)" }</label>
                <input class="field__control" id="assign-ends" type="date"
                    value={(*ends).clone()} oninput={typed(&ends)} disabled={sending} />
            </div>
            { props.state.outcome("Not assigned.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || assignment.is_none()}>{ "Put them on the plan" }</button>
            </div>
        </form>
    }
}
