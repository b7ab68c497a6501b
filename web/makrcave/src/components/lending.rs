//! Lending tools: whether an item is lent and the skill it takes, lending it to a member, and
//! the loans out, each taken back with its condition.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use super::GateForm;
use super::fields::{chosen, typed};
use crate::app::Route;
use crate::marks::{Asking, Sent};
use crate::types::{Loan, NewLoan, Place, SkillLevels, StockUnit, ToolCondition};

/// Properties of [`LendingTerms`].
#[derive(Properties, PartialEq)]
pub struct LendingTermsProps {
    /// Whether members may borrow it now.
    pub lendable: bool,
    /// The skill (API id) and level borrowing it takes now, if any.
    pub gate: Option<(String, String)>,
    /// The space's skills.
    pub skills: Vec<SkillLevels>,
    /// Where the last change stands.
    pub state: Sent,
    /// Sets whether it is lent, and the skill and level it takes.
    pub on_set: Callback<(bool, Option<(String, String)>)>,
}

/// Whether members may borrow an item, and which skill at which level it takes.
#[function_component]
pub fn LendingTerms(props: &LendingTermsProps) -> Html {
    let sending = props.state == Sent::Sending;
    if !props.lendable {
        let lend = props.on_set.reform(|_: MouseEvent| (true, None));
        return html! {
            <div class="booking__form">
                <p class="booking__summary">{ "Members cannot borrow it." }</p>
                { props.state.outcome("Not changed.") }
                <div class="booking__actions">
                    <button class="button" type="button" onclick={lend} disabled={sending}>{ "Lend it to members" }</button>
                </div>
            </div>
        };
    }
    let on_gate = props.on_set.reform(|gate| (true, gate));
    let stop = props.on_set.reform(|_: MouseEvent| (false, None));
    html! {
        <>
            <GateForm skills={props.skills.clone()} gate={props.gate.clone()} state={props.state.clone()}
                on_set={on_gate} anyone="None: any member may borrow it" />
            <div class="booking__form">
                <div class="booking__actions">
                    <button class="button button--quiet" type="button" onclick={stop} disabled={sending}>{ "Stop lending it" }</button>
                </div>
            </div>
        </>
    }
}

/// Properties of [`LendForm`].
#[derive(Properties, PartialEq)]
pub struct LendFormProps {
    /// The space's members in good standing (API id, name), by name.
    pub members: Vec<(String, String)>,
    /// The space's places.
    pub places: Vec<Place>,
    /// What the item is counted in.
    pub unit: StockUnit,
    /// When it is due back unless changed, in the browser's local time (`2026-12-07T18:00`).
    pub due: AttrValue,
    /// Where the last loan stands.
    pub state: Sent,
    /// Lends it: from which place (API id), and the loan.
    pub on_lend: Callback<(String, NewLoan)>,
}

/// Lending an item: to whom, from where, until when, how many, which one.
#[function_component]
pub fn LendForm(props: &LendFormProps) -> Html {
    let member = use_state(String::new);
    let place = use_state(String::new);
    let due = use_state(|| props.due.to_string());
    let quantity = use_state(|| "1".to_owned());
    let serial = use_state(String::new);
    {
        let (member, serial) = (member.clone(), serial.clone());
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                member.set(String::new());
                serial.set(String::new());
            }
        });
    }
    if props.members.is_empty() || props.places.is_empty() {
        return html! {
            <p class="bookings__empty">{ "Lending needs members to lend to and a place the tool is kept." }</p>
        };
    }
    // What is chosen, or the first until something is.
    let pick = |chosen: &str, options: Vec<&String>| {
        options
            .iter()
            .find(|option| **option == chosen)
            .or(options.first())
            .map(|option| (*option).clone())
            .unwrap_or_default()
    };
    let member_now = pick(&member, props.members.iter().map(|(id, _)| id).collect());
    let place_now = pick(&place, props.places.iter().map(|place| &place.id).collect());
    let lend = {
        let loan = NewLoan {
            member: member_now.clone(),
            due: (*due).clone(),
            quantity: (*quantity).clone(),
            serial: (*serial).clone(),
        };
        let (on_lend, place) = (props.on_lend.clone(), place_now.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_lend.emit((place.clone(), loan.clone()));
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={lend}>
            <div class="field">
                <label class="field__label" for="loan-member">{ "To" }</label>
                <select class="field__control" id="loan-member" onchange={chosen(&member)} disabled={sending}>
                    { for props.members.iter().map(|(id, name)| html! {
                        <option value={id.clone()} selected={*id == member_now}>{ name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="loan-place">{ "Taken from" }</label>
                <select class="field__control" id="loan-place" onchange={chosen(&place)} disabled={sending}>
                    { for props.places.iter().map(|option| html! {
                        <option value={option.id.clone()} selected={option.id == place_now}>{ &option.name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="loan-due">{ "Due back" }</label>
                <input class="field__control" id="loan-due" type="datetime-local" required=true
                    value={(*due).clone()} oninput={typed(&due)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="loan-quantity">{ format!("How many ({})", props.unit.label().to_lowercase()) }</label>
                <input class="field__control" id="loan-quantity" type="text" inputmode="decimal" required=true
                    value={(*quantity).clone()} oninput={typed(&quantity)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="loan-serial">{ "Serial number (optional)" }</label>
                <input class="field__control" id="loan-serial" type="text" maxlength="64"
                    value={(*serial).clone()} oninput={typed(&serial)} disabled={sending} />
            </div>
            { props.state.outcome("Not lent.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Lend it" }</button>
            </div>
        </form>
    }
}

/// Properties of [`LoanList`].
#[derive(Properties, PartialEq)]
pub struct LoanListProps {
    /// The loans, soonest due first.
    pub loans: Vec<Loan>,
    /// Whether each names its tool (a list of several tools') or not (an item's own).
    #[prop_or_default]
    pub named: bool,
    /// What is being taken back, by loan id.
    #[prop_or_default]
    pub taking_back: Rc<HashMap<String, Asking>>,
    /// Takes a loan back, for staff: its id, the condition and a note.
    #[prop_or_default]
    pub on_take_back: Option<Callback<(String, ToolCondition, String)>>,
}

/// Tools out: with whom (or from where), how many, until when, the overdue ones marked.
#[function_component]
pub fn LoanList(props: &LoanListProps) -> Html {
    if props.loans.is_empty() {
        return html! { <p class="bookings__empty">{ "Nothing is out." }</p> };
    }
    html! {
        <ul class="bookings__list">
            { for props.loans.iter().map(|loan| html! {
                <li class="booking-item" key={loan.id.clone()}>
                    <div class="booking-item__text">
                        <span class="booking-item__when">
                            { format!("Due {}", loan.due_at.day_and_clock()) }
                            if loan.overdue {
                                <span class="stock-low">{ "Overdue" }</span>
                            }
                        </span>
                        <span>
                            if props.named {
                                <Link<Route> to={Route::Item { id: loan.item_id.clone() }}>{ &loan.item }</Link<Route>>
                                { " · " }
                            }
                            { loan_words(loan) }
                        </span>
                        if let Some(Asking::Refused(reason)) = props.taking_back.get(&loan.id) {
                            <p class="booking__refusal" role="alert"><strong>{ "Not taken back. " }</strong>{ reason.clone() }</p>
                        }
                    </div>
                    if let Some(on_take_back) = &props.on_take_back {
                        <TakeBack id={loan.id.clone()} on_take_back={on_take_back.clone()}
                            sending={props.taking_back.get(&loan.id) == Some(&Asking::Sent)} />
                    }
                </li>
            }) }
        </ul>
    }
}

/// A loan in words: with whom (or from where), how many, which one.
pub fn loan_words(loan: &Loan) -> String {
    let mut words = format!("{}: {}", loan.with, loan.unit.amount(&loan.quantity));
    if let Some(serial) = &loan.serial {
        words.push_str(&format!(", no. {serial}"));
    }
    words
}

#[derive(Properties, PartialEq)]
struct TakeBackProps {
    id: String,
    sending: bool,
    on_take_back: Callback<(String, ToolCondition, String)>,
}

/// Taking one loan back: its condition and a note.
#[function_component]
fn TakeBack(props: &TakeBackProps) -> Html {
    let condition = use_state(|| ToolCondition::Good.label().to_owned());
    let note = use_state(String::new);
    let take_back = {
        let chosen = ToolCondition::ALL
            .into_iter()
            .find(|option| option.label() == *condition)
            .unwrap_or(ToolCondition::Good);
        let (on_take_back, id, note) = (
            props.on_take_back.clone(),
            props.id.clone(),
            (*note).clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_take_back.emit((id.clone(), chosen, note.clone()));
        })
    };
    let (condition_id, note_id) = (
        format!("condition-{}", props.id),
        format!("note-{}", props.id),
    );
    html! {
        <form class="booking-item__action" onsubmit={take_back}>
            <label class="visually-hidden" for={condition_id.clone()}>{ "Condition" }</label>
            <select class="field__control" id={condition_id} onchange={chosen(&condition)} disabled={props.sending}>
                { for ToolCondition::ALL.iter().map(|option| html! {
                    <option value={option.label()} selected={option.label() == *condition}>{ option.label() }</option>
                }) }
            </select>
            <label class="visually-hidden" for={note_id.clone()}>{ "Note" }</label>
            <input class="field__control" id={note_id} type="text" maxlength="500" placeholder="Note (optional)"
                value={(*note).clone()} oninput={typed(&note)} disabled={props.sending} />
            <button class="button button--quiet" type="submit" disabled={props.sending}>{ "Take it back" }</button>
        </form>
    }
}
