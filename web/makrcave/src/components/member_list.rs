//! A space's people: its members with their roles (changed, suspended and reinstated by its
//! managers), inviting someone by email, and the invitations still waiting for an answer.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::fields::typed;
use crate::marks::{Asking, Sent};
use crate::types::{Member, MemberAct, MembershipRole, SentInvitation};

/// Properties of [`MemberList`].
#[derive(Properties, PartialEq)]
pub struct MemberListProps {
    /// The members, longest-standing first.
    pub members: Vec<Member>,
    /// How many members the space has (the list may hold fewer).
    pub total: i64,
    /// The signed-in person's API id: their own row has no controls.
    pub my_id: AttrValue,
    /// Whether the person manages the space's membership (controls are shown).
    pub managing: bool,
    /// Acts under way or refused, by member's user id.
    #[prop_or_default]
    pub acting: Rc<HashMap<String, Asking>>,
    /// Acts on the member with this user id.
    pub on_act: Callback<(String, MemberAct)>,
}

/// The members, each with their role and, for managers, what can be done.
#[function_component]
pub fn MemberList(props: &MemberListProps) -> Html {
    let shown = props.members.len();
    html! {
        <section class="panel bookings" aria-labelledby="members-heading">
            <h2 class="panel__title bookings__title" id="members-heading">
                { format!("Members ({})", props.total) }
            </h2>
            <ul class="bookings__list">
                { for props.members.iter().map(|member| member_row(member, props)) }
            </ul>
            if i64::try_from(shown).is_ok_and(|shown| shown < props.total) {
                <p class="bookings__empty">{ format!("The {shown} longest-standing are shown.") }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MemberRowProps {
    member: Member,
    controls: bool,
    acting: Option<Asking>,
    on_act: Callback<(String, MemberAct)>,
}

/// A member; for a manager, their role to choose and apply, and suspending or reinstating.
#[function_component]
fn MemberRow(props: &MemberRowProps) -> Html {
    let member = &props.member;
    let chosen = use_state(|| member.role);
    let sending = props.acting == Some(Asking::Sent);
    let act = |act: MemberAct| {
        let id = member.user_id.clone();
        props.on_act.reform(move |_| (id.clone(), act))
    };
    let choose_role = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(role) = MembershipRole::ALL
                .into_iter()
                .find(|role| role.label() == select.value())
            {
                chosen.set(role);
            }
        })
    };
    let role_field = format!("role-{}", member.user_id);
    html! {
        <li class="booking-item member">
            <div class="booking-item__text">
                <span class="booking-item__when">{ &member.name }</span>
                <span class="booking-item__status">
                    { format!("{} · since {}", member.role.label(), member.since.date_label()) }
                    if member.suspended {
                        <strong class="member__suspended">{ " · suspended" }</strong>
                    }
                </span>
                if let Some(plan) = &member.plan {
                    <span class="booking-item__status">{ format!("Plan: {plan}") }</span>
                }
            </div>
            if props.controls {
                <div class="booking-item__action">
                    <label class="visually-hidden" for={role_field.clone()}>{ format!("Role of {}", member.name) }</label>
                    <select class="field__control member__role" id={role_field} onchange={choose_role} disabled={sending}>
                        { for MembershipRole::ALL.iter().map(|role| html! {
                            <option value={role.label()} selected={*role == *chosen}>{ role.label() }</option>
                        }) }
                    </select>
                    if *chosen != member.role {
                        <button class="button" type="button" disabled={sending}
                            aria-label={format!("Make {}: {}", chosen.label().to_lowercase(), member.name)}
                            onclick={act(MemberAct::Role(*chosen))}>
                            { format!("Make {}", chosen.label().to_lowercase()) }
                        </button>
                    }
                    if member.suspended {
                        <button class="button button--quiet" type="button" disabled={sending}
                            aria-label={format!("Reinstate {}", member.name)} onclick={act(MemberAct::Reinstate)}>
                            { "Reinstate" }
                        </button>
                    } else {
                        <button class="button button--quiet" type="button" disabled={sending}
                            aria-label={format!("Suspend {}", member.name)} onclick={act(MemberAct::Suspend)}>
                            { "Suspend" }
                        </button>
                    }
                </div>
            }
            if let Some(Asking::Refused(reason)) = &props.acting {
                <p class="booking__refusal" role="alert"><strong>{ "Not changed. " }</strong>{ reason.clone() }</p>
            }
        </li>
    }
}

fn member_row(member: &Member, props: &MemberListProps) -> Html {
    html! {
        <MemberRow key={member.user_id.clone()} member={member.clone()}
            controls={props.managing && member.user_id != props.my_id.as_str()}
            acting={props.acting.get(&member.user_id).cloned()} on_act={props.on_act.clone()} />
    }
}

/// Properties of [`InviteForm`].
#[derive(Properties, PartialEq)]
pub struct InviteFormProps {
    /// Where the invitation stands.
    pub state: Sent,
    /// Invites this address in this role.
    pub on_invite: Callback<(String, MembershipRole)>,
}

/// Inviting someone by email, in a role.
#[function_component]
pub fn InviteForm(props: &InviteFormProps) -> Html {
    let email = use_state(String::new);
    let role = use_state(|| MembershipRole::Member);
    let choose_role = {
        let role = role.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(chosen) = MembershipRole::ALL
                .into_iter()
                .find(|role| role.label() == select.value())
            {
                role.set(chosen);
            }
        })
    };
    let submit = {
        let (on_invite, email, role) = (props.on_invite.clone(), email.clone(), role.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_invite.emit((email.trim().to_owned(), *role));
        })
    };
    {
        // A sent invitation clears the address for the next one.
        let email = email.clone();
        use_effect_with(props.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                email.set(String::new());
            }
        });
    }
    let sending = props.state == Sent::Sending;
    html! {
        <section class="booking panel" aria-labelledby="invite-heading">
            <h2 class="panel__title" id="invite-heading">{ "Invite someone" }</h2>
            <form class="booking__form" onsubmit={submit}>
                <div class="field">
                    <label class="field__label" for="invite-email">{ "Email" }</label>
                    <input class="field__control" id="invite-email" type="email" required=true autocomplete="off"
                        value={(*email).clone()} oninput={typed(&email)} disabled={sending} />
                </div>
                <div class="field">
                    <label class="field__label" for="invite-role">{ "Role" }</label>
                    <select class="field__control" id="invite-role" onchange={choose_role} disabled={sending}>
                        { for MembershipRole::ALL.iter().map(|option| html! {
                            <option value={option.label()} selected={*option == *role}>{ option.label() }</option>
                        }) }
                    </select>
                </div>
                { props.state.outcome("Not invited.") }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending || email.trim().is_empty()}>
                        { if sending { "Inviting…" } else { "Send the invitation" } }
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Properties of [`SentInvitationList`].
#[derive(Properties, PartialEq)]
pub struct SentInvitationListProps {
    /// The invitations waiting for an answer, newest first.
    pub invitations: Vec<SentInvitation>,
    /// Withdrawals under way or refused, by invitation id.
    #[prop_or_default]
    pub revoking: Rc<HashMap<String, Asking>>,
    /// Withdraws the invitation with this id.
    pub on_revoke: Callback<String>,
}

/// Invitations not answered yet, each to withdraw.
#[function_component]
pub fn SentInvitationList(props: &SentInvitationListProps) -> Html {
    html! {
        <section class="panel bookings" aria-labelledby="sent-heading">
            <h2 class="panel__title bookings__title" id="sent-heading">{ "Invitations waiting for an answer" }</h2>
            if props.invitations.is_empty() {
                <p class="bookings__empty">{ "None." }</p>
            } else {
                <ul class="bookings__list">
                    { for props.invitations.iter().map(|invitation| {
                        let revoking = props.revoking.get(&invitation.id);
                        let sending = revoking == Some(&Asking::Sent);
                        let id = invitation.id.clone();
                        html! {
                            <li class="booking-item" key={invitation.id.clone()}>
                                <div class="booking-item__text">
                                    <span class="booking-item__when">{ &invitation.email }</span>
                                    <span class="booking-item__status">
                                        { format!("as {} · until {}", invitation.role.label().to_lowercase(), invitation.expires_at.date_label()) }
                                    </span>
                                </div>
                                <div class="booking-item__action">
                                    <button class="button button--quiet" type="button" disabled={sending}
                                        aria-label={format!("Withdraw the invitation to {}", invitation.email)}
                                        onclick={props.on_revoke.reform(move |_| id.clone())}>
                                        { "Withdraw" }
                                    </button>
                                </div>
                                if let Some(Asking::Refused(reason)) = revoking {
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
