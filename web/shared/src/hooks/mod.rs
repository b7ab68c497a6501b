//! Hooks every app uses to get data onto a page and keep it current.

mod live;
mod live_equipment;
mod sites;
mod title;

pub use live::{now, use_feed, use_now, use_reload_on_change};
pub use live_equipment::{LiveEquipment, use_live_equipment};
pub use sites::use_sites;
pub use title::use_title;

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::graphql::RequestError;
use crate::remote::Remote;

/// What [`use_remote`] gives a page.
pub struct RemoteHandle<T> {
    /// Where the request stands.
    pub state: UseStateHandle<Remote<T>>,
    /// Asks again, showing the loading state meanwhile (after an error, say).
    pub retry: Callback<()>,
    /// Asks again quietly: what is shown stays until the new answer replaces it, and stays
    /// if the new request fails. For bringing a page up to date behind the reader's back.
    pub refresh: Callback<()>,
}

/// Which request this is, and whether the page shows that it is loading.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Run {
    count: u32,
    quiet: bool,
}

impl Reducible for Run {
    type Action = bool;

    fn reduce(self: Rc<Self>, quiet: bool) -> Rc<Self> {
        Rc::new(Run {
            count: self.count.wrapping_add(1),
            quiet,
        })
    }
}

/// Runs `fetch` when the component appears and again whenever `deps` change; an answer that
/// arrives after `deps` have moved on (or the page has gone) is dropped, so a slow answer for
/// the previous makerspace never overwrites the current one.
#[hook]
pub fn use_remote<D, T, F, Fut>(deps: D, fetch: F) -> RemoteHandle<T>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, RequestError>> + 'static,
{
    let state = use_state(|| Remote::Loading);
    let run = use_reducer(Run::default);
    {
        let state = state.clone();
        use_effect_with((deps, *run), move |(deps, run)| {
            let quiet = run.quiet;
            if !quiet {
                state.set(Remote::Loading);
            }
            let current = Rc::new(Cell::new(true));
            let answer = fetch(deps.clone());
            let still_current = current.clone();
            yew::platform::spawn_local(async move {
                let result = answer.await;
                match result {
                    Err(error) if quiet => {
                        crate::console::warn(&format!("refreshing failed: {error}"));
                    }
                    _ if still_current.get() => state.set(result.into()),
                    _ => {}
                }
            });
            move || current.set(false)
        });
    }
    // Dispatchers stay the same across renders, so these callbacks may be kept by effects
    // that outlive the render they were made in.
    let dispatch = run.dispatcher().to_callback();
    let retry = dispatch.reform(|()| false);
    let refresh = dispatch.reform(|()| true);
    RemoteHandle {
        state,
        retry,
        refresh,
    }
}
