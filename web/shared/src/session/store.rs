//! The session as this tab holds it: the state components see, and the access token, kept in
//! memory only (never in storage, never in a URL), renewed before it expires.
//!
//! One store per tab, like the configuration: the GraphQL and subscription clients are plain
//! functions that any page calls, so the token cannot live in a component.

use std::cell::RefCell;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use gloo_timers::callback::Timeout;
use yew::Callback;

use super::endpoint::{self, IssuedToken, TokenAnswer};
use super::{SessionState, SessionStatus, timing};
use crate::subscription::Backoff;

/// An access token and until when (the browser's clock, milliseconds) it may be sent.
struct HeldToken {
    value: String,
    usable_until: f64,
}

#[derive(Default)]
struct Store {
    state: SessionState,
    token: Option<HeldToken>,
    /// The question to `/auth/token` in flight, which every caller that needs an answer
    /// awaits: however many requests find the token stale at once, it is asked for once.
    asking: Option<Shared<LocalBoxFuture<'static, ()>>>,
    /// Fires when the token is due for renewal; dropping it cancels.
    renewal: Option<Timeout>,
    /// Renewals that failed in a row (the network, not the session).
    failures: Backoff,
    watchers: Vec<(u32, Callback<SessionState>)>,
    next_watcher: u32,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::default();
}

/// The session as it stands.
pub(crate) fn state() -> SessionState {
    STORE.with(|store| store.borrow().state.clone())
}

/// Keeps calling a watcher with the session's state while it is held.
#[must_use = "the watcher is removed when this is dropped"]
pub struct Watch {
    id: u32,
}

impl Drop for Watch {
    fn drop(&mut self) {
        STORE.with(|store| store.borrow_mut().watchers.retain(|(id, _)| *id != self.id));
    }
}

/// Calls `watcher` with the state now and after every change.
pub(crate) fn watch(watcher: Callback<SessionState>) -> Watch {
    let (id, now) = STORE.with(|store| {
        let mut store = store.borrow_mut();
        let id = store.next_watcher;
        store.next_watcher = id.wrapping_add(1);
        store.watchers.push((id, watcher.clone()));
        (id, store.state.clone())
    });
    watcher.emit(now);
    Watch { id }
}

/// Tells every watcher the state as it now is; called after each change, outside the borrow
/// (a watcher may render, and rendering may read the store).
fn announce() {
    let (state, watchers) = STORE.with(|store| {
        let store = store.borrow();
        let watchers: Vec<_> = store.watchers.iter().map(|(_, w)| w.clone()).collect();
        (store.state.clone(), watchers)
    });
    for watcher in watchers {
        watcher.emit(state.clone());
    }
}

fn change(edit: impl FnOnce(&mut Store)) {
    STORE.with(|store| edit(&mut store.borrow_mut()));
    announce();
}

/// Finds out whether this browser is signed in, unless that is known or being asked.
pub(crate) fn start() {
    if state().status == SessionStatus::Unknown {
        yew::platform::spawn_local(ask());
    }
}

/// A token to send with a request: the one held while it is good, a fresh one when it has
/// gone stale (a laptop that slept through its renewal), none when signed out. The first call
/// waits for the first answer from `/auth/token`, so that a page's first request is already
/// made as the person it is for.
pub(crate) async fn access_token() -> Option<String> {
    if let Some(token) = usable_token() {
        return Some(token);
    }
    let ask_again = STORE.with(|store| {
        let store = store.borrow();
        matches!(
            store.state.status,
            SessionStatus::Unknown | SessionStatus::SignedIn(_)
        ) || store.asking.is_some()
    });
    if ask_again {
        ask().await;
    }
    usable_token()
}

/// The API refused `rejected`: asks for a new token unless another request already did, and
/// returns it (none when the session has ended meanwhile).
pub(crate) async fn renew_rejected(rejected: &str) -> Option<String> {
    let still_held = STORE.with(|store| {
        let mut store = store.borrow_mut();
        let held = store
            .token
            .as_ref()
            .is_some_and(|token| token.value == rejected);
        if held {
            store.token = None;
        }
        held
    });
    if still_held {
        ask().await;
    }
    usable_token()
}

/// The signed-in person changed their display name: the header shows the new one at once.
pub(crate) fn renamed(display_name: String) {
    change(|store| {
        if let SessionStatus::SignedIn(user) = &mut store.state.status {
            user.display_name = display_name;
        }
    });
}

/// Signing out failed: says why, until dismissed or tried again.
pub(crate) fn set_problem(problem: Option<String>) {
    change(|store| store.state.problem = problem);
}

/// Signed out for good in this tab: forgets the token and stops renewing it.
pub(crate) fn forget() {
    change(|store| store.sign_out_here());
}

fn usable_token() -> Option<String> {
    STORE.with(|store| {
        let store = store.borrow();
        let token = store.token.as_ref()?;
        (js_sys::Date::now() < token.usable_until).then(|| token.value.clone())
    })
}

fn ask() -> Shared<LocalBoxFuture<'static, ()>> {
    STORE.with(|store| {
        store
            .borrow_mut()
            .asking
            .get_or_insert_with(|| ask_now().boxed_local().shared())
            .clone()
    })
}

async fn ask_now() {
    let answer = endpoint::ask_for_token().await;
    change(|store| {
        store.asking = None;
        match answer {
            TokenAnswer::Issued { token, server_date } => store.hold(token, server_date),
            TokenAnswer::SignedOut => store.sign_out_here(),
            TokenAnswer::Failed(reason) => {
                crate::console::warn(&format!("session: {reason}"));
                store.try_again_later();
            }
        }
    });
}

impl Store {
    fn hold(&mut self, token: IssuedToken, server_date: Option<String>) {
        let now = js_sys::Date::now();
        // Measured by the server's clock when it says what time it is: a browser whose clock
        // is off would otherwise renew too late, or all the time.
        let issued_at = server_date
            .map(|date| js_sys::Date::parse(&date))
            .filter(|date| date.is_finite())
            .unwrap_or(now);
        let lifetime = timing::lifetime(js_sys::Date::parse(&token.expires_at), issued_at);
        self.token = Some(HeldToken {
            value: token.access_token,
            usable_until: now + lifetime.saturating_sub(timing::TOO_CLOSE).as_millis() as f64,
        });
        self.state.status = SessionStatus::SignedIn(token.user);
        self.failures.reset();
        self.renew_in(timing::renewal_delay(lifetime));
    }

    fn sign_out_here(&mut self) {
        self.token = None;
        self.renewal = None;
        self.state.status = SessionStatus::SignedOut;
    }

    /// `/auth/token` could not be asked. Before the first answer nobody can tell: the page is
    /// shown signed out (with its "Sign in"). Signed in, the token held stays until it
    /// expires and the question is asked again, later after each failure.
    fn try_again_later(&mut self) {
        match self.state.status {
            SessionStatus::Unknown => self.state.status = SessionStatus::SignedOut,
            SessionStatus::SignedIn(_) => {
                let wait = self.failures.next_delay(js_sys::Math::random());
                self.renew_in(wait);
            }
            SessionStatus::SignedOut => {}
        }
    }

    fn renew_in(&mut self, wait: std::time::Duration) {
        let millis = u32::try_from(wait.as_millis()).unwrap_or(u32::MAX);
        self.renewal = Some(Timeout::new(millis, || {
            yew::platform::spawn_local(ask());
        }));
    }
}
