//! Where each of several things on a page stands, by key: bookings being cancelled, requests
//! being approved, found slots being booked. A reducer, so that answers arriving out of order
//! each change only their own entry. And where a form's one request stands.

use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use makrx_web::graphql::RequestError;
use yew::prelude::*;

use crate::components::refusal;

/// Where a request about one thing on the page stands while it has no place to show otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Asking {
    /// Sent; no answer yet.
    Sent,
    /// The API refused, saying why (in words for people).
    Refused(String),
}

/// Where a form stands: one request at a time, its answer shown beside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Being filled in.
    Writing,
    /// Sent; no answer yet.
    Sending,
    /// The API refused, saying why.
    Refused(String),
    /// Done, as these words say.
    Done(String),
}

impl Sent {
    /// The answer in words: a refusal after `refused` (`Not invited.`), or what was done.
    pub fn outcome(&self, refused: &str) -> Html {
        match self {
            Self::Refused(reason) => html! {
                <p class="booking__refusal" role="alert"><strong>{ format!("{refused} ") }</strong>{ reason.clone() }</p>
            },
            Self::Done(said) => {
                html! { <p class="booking__done" role="status">{ said.clone() }</p> }
            }
            Self::Writing | Self::Sending => Html::default(),
        }
    }
}

/// The entries, shared with the components that show them.
#[derive(Debug, PartialEq)]
pub struct Marks<T>(pub Rc<HashMap<String, T>>);

impl<T> Default for Marks<T> {
    fn default() -> Self {
        Self(Rc::new(HashMap::new()))
    }
}

impl<T: Clone> Reducible for Marks<T> {
    /// An entry and where it stands now; `None` takes it out.
    type Action = (String, Option<T>);

    fn reduce(self: Rc<Self>, (key, state): Self::Action) -> Rc<Self> {
        let mut marks = (*self.0).clone();
        match state {
            Some(state) => marks.insert(key, state),
            None => marks.remove(&key),
        };
        Rc::new(Self(Rc::new(marks)))
    }
}

/// Sends `request` about the thing `key` names: marked [`Asking::Sent`] meanwhile; once it is
/// done the mark goes and `done` runs (to reload what the page shows), or the mark says why
/// it was refused.
pub fn ask(
    marks: UseReducerDispatcher<Marks<Asking>>,
    key: String,
    done: Callback<()>,
    request: impl Future<Output = Result<(), RequestError>> + 'static,
) {
    marks.dispatch((key.clone(), Some(Asking::Sent)));
    yew::platform::spawn_local(async move {
        match request.await {
            Ok(()) => {
                marks.dispatch((key, None));
                done.emit(());
            }
            Err(error) => marks.dispatch((key, Some(Asking::Refused(refusal(&error))))),
        }
    });
}

/// Sends a form's `request`: [`Sent::Sending`] meanwhile, then what it did in words (and `done`
/// runs, to reload what the page shows) or why it was refused.
pub fn send(
    state: UseStateHandle<Sent>,
    done: Callback<()>,
    request: impl Future<Output = Result<String, RequestError>> + 'static,
) {
    state.set(Sent::Sending);
    yew::platform::spawn_local(async move {
        match request.await {
            Ok(said) => {
                state.set(Sent::Done(said));
                done.emit(());
            }
            Err(error) => state.set(Sent::Refused(refusal(&error))),
        }
    });
}

/// Where a form whose fields the API may name stands: its refusal is kept whole, so that each
/// field's error is shown by the field.
#[derive(Debug, Clone, PartialEq)]
pub enum Saving {
    /// Sent; no answer yet.
    Sending,
    /// The API refused.
    Refused(RequestError),
    /// Done, as these words say.
    Done(String),
}

impl Saving {
    /// What the API said is wrong with `field`, for people (`Must be 1 to 5000 mm`).
    pub fn error_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Refused(error) => makrx_web::form::error_for(&error.field_errors(), field)
                .map(|message| crate::words::capitalised(&message)),
            _ => None,
        }
    }

    /// The answer in words: a refusal after `refused` (`Not saved.`), pointing at the fields
    /// among `shown` (those the form marks) or saying what else is wrong; or what was done.
    pub fn outcome(&self, refused: &str, shown: &[&str]) -> Html {
        match self {
            Self::Refused(error) => {
                let fields = error.field_errors();
                let unshown: Vec<String> = fields
                    .iter()
                    .filter(|field| !shown.contains(&field.field.as_str()))
                    .map(|field| crate::words::capitalised(&field.message))
                    .collect();
                let reason = if fields.is_empty() {
                    refusal(error)
                } else if unshown.is_empty() {
                    "See what is marked.".to_owned()
                } else {
                    unshown.join(". ")
                };
                html! {
                    <p class="booking__refusal" role="alert"><strong>{ format!("{refused} ") }</strong>{ reason }</p>
                }
            }
            Self::Done(said) => {
                html! { <p class="booking__done" role="status">{ said.clone() }</p> }
            }
            Self::Sending => Html::default(),
        }
    }
}

/// Sends the `request` of the form `key` names: [`Saving::Sending`] meanwhile, then what it
/// did in words (and `done` runs, to reload what the page shows) or the API's refusal.
pub fn save(
    marks: UseReducerDispatcher<Marks<Saving>>,
    key: String,
    done: Callback<()>,
    request: impl Future<Output = Result<String, RequestError>> + 'static,
) {
    marks.dispatch((key.clone(), Some(Saving::Sending)));
    yew::platform::spawn_local(async move {
        match request.await {
            Ok(said) => {
                marks.dispatch((key, Some(Saving::Done(said))));
                done.emit(());
            }
            Err(error) => marks.dispatch((key, Some(Saving::Refused(error)))),
        }
    });
}
