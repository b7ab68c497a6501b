//! Invitations waiting for the person's answer: which space, what role, who asked, until when.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::approval_queue::Decision;
use crate::marks::Asking;
use crate::time::Date;
use crate::types::Invitation;

/// Properties of [`InvitationList`].
#[derive(Properties, PartialEq)]
pub struct InvitationListProps {
    /// The invitations, newest first.
    pub invitations: Vec<Invitation>,
    /// Answers under way or refused, by invitation id.
    #[prop_or_default]
    pub answering: Rc<HashMap<String, Asking>>,
    /// Accepts (`true`) or declines an invitation.
    pub on_answer: Callback<Decision>,
}

/// The invitations, nothing at all when there are none.
#[function_component]
pub fn InvitationList(props: &InvitationListProps) -> Html {
    if props.invitations.is_empty() {
        return Html::default();
    }
    html! {
        <section class="panel bookings" aria-labelledby="invitations-heading">
            <h2 class="panel__title bookings__title" id="invitations-heading">{ "Invitations" }</h2>
            <ul class="bookings__list">
                { for props.invitations.iter().map(|invitation| item(invitation, props)) }
            </ul>
        </section>
    }
}

fn item(invitation: &Invitation, props: &InvitationListProps) -> Html {
    let until =
        Date::parse(invitation.expires_at.date()).map_or_else(String::new, Date::long_label);
    let state = props.answering.get(&invitation.id);
    let sending = state == Some(&Asking::Sent);
    let answer = |accept: bool| {
        let (on_answer, id) = (props.on_answer.clone(), invitation.id.clone());
        Callback::from(move |_: MouseEvent| on_answer.emit((id.clone(), accept)))
    };
    html! {
        <li class="booking-item">
            <div class="booking-item__text">
                <span class="booking-item__when">
                    { format!("{} as {}", invitation.space_name, invitation.role.label().to_lowercase()) }
                </span>
                <span class="booking-item__status">
                    { format!("From {}, open until {until}", invitation.invited_by) }
                </span>
            </div>
            <div class="booking-item__action">
                <button class="button" type="button" disabled={sending} onclick={answer(true)}
                    aria-label={format!("Join {}", invitation.space_name)}>{ "Join" }</button>
                <button class="button button--quiet" type="button" disabled={sending} onclick={answer(false)}
                    aria-label={format!("Decline the invitation to {}", invitation.space_name)}>{ "Decline" }</button>
            </div>
            if let Some(Asking::Refused(reason)) = state {
                <p class="booking__refusal" role="alert">{ reason }</p>
            }
        </li>
    }
}
