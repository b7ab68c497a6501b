//! A list loaded a page at a time: the network's makerspaces, the community hub's projects.

use std::future::Future;
use std::rc::Rc;

use makrx_web::graphql::RequestError;
use makrx_web::remote::Remote;
use yew::prelude::*;

use crate::types::Paged;

/// Where loading the next page stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MoreState {
    /// Nothing asked for.
    #[default]
    Idle,
    /// The next page is on its way.
    Loading,
    /// The next page failed; what is shown stays.
    Failed(RequestError),
}

/// What [`use_pages`] gives a page.
pub struct PagesHandle<T> {
    /// The list as loaded so far.
    pub list: Remote<T>,
    /// Where loading more stands.
    pub more: MoreState,
    /// Loads the first page again (after an error).
    pub retry: Callback<()>,
    /// Loads the next page.
    pub load_more: Callback<()>,
}

#[derive(Debug, PartialEq)]
struct State<T> {
    list: Remote<T>,
    more: MoreState,
}

enum Action<T> {
    Reloading,
    FirstPage(Result<T, RequestError>),
    LoadingMore,
    NextPage(Result<T, RequestError>),
}

impl<T: Paged> Reducible for State<T> {
    type Action = Action<T>;

    fn reduce(self: Rc<Self>, action: Action<T>) -> Rc<Self> {
        let state = match action {
            Action::Reloading => State {
                list: Remote::Loading,
                more: MoreState::Idle,
            },
            Action::FirstPage(result) => State {
                list: result.into(),
                more: MoreState::Idle,
            },
            Action::LoadingMore => State {
                list: self.list.clone(),
                more: MoreState::Loading,
            },
            Action::NextPage(Err(error)) => State {
                list: self.list.clone(),
                more: MoreState::Failed(error),
            },
            Action::NextPage(Ok(page)) => {
                let Some(shown) = self.list.ready() else {
                    return self;
                };
                State {
                    list: Remote::Ready(shown.followed_by(page)),
                    more: MoreState::Idle,
                }
            }
        };
        Rc::new(state)
    }
}

/// Loads the first page `fetch` gives for `key`, again whenever `key` changes, and the next
/// page on request. An answer for a key since replaced (a search typed over) is dropped, so a
/// slow answer never shows under a newer search.
#[hook]
pub fn use_pages<K, T, F, Fut>(key: K, fetch: F) -> PagesHandle<T>
where
    K: PartialEq + Clone + 'static,
    T: Paged,
    F: Fn(K, Option<String>) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, RequestError>> + 'static,
{
    let state = use_reducer_eq(|| State {
        list: Remote::Loading,
        more: MoreState::Idle,
    });
    let attempt = use_state(|| 0_u32);
    // Counts the first pages asked for: an answer is shown only while its list is the latest.
    let generation = use_mut_ref(|| 0_u32);
    {
        let (dispatcher, generation) = (state.dispatcher(), generation.clone());
        use_effect_with((key.clone(), *attempt), move |(key, _)| {
            let asked = {
                let mut latest = generation.borrow_mut();
                *latest = latest.wrapping_add(1);
                *latest
            };
            // Shows the loading state rather than a stale list or error while it asks.
            dispatcher.dispatch(Action::Reloading);
            let answer = fetch(key.clone(), None);
            yew::platform::spawn_local(async move {
                let result = answer.await;
                if *generation.borrow() == asked {
                    dispatcher.dispatch(Action::FirstPage(result));
                }
            });
        });
    }
    let retry = Callback::from(move |()| attempt.set(attempt.wrapping_add(1)));
    let load_more = {
        let state = state.clone();
        Callback::from(move |()| {
            let Some(after) = state.list.ready().and_then(Paged::next_cursor) else {
                return;
            };
            if state.more == MoreState::Loading {
                return;
            }
            state.dispatch(Action::LoadingMore);
            let (dispatcher, generation) = (state.dispatcher(), generation.clone());
            let asked = *generation.borrow();
            let answer = fetch(key.clone(), Some(after));
            yew::platform::spawn_local(async move {
                let result = answer.await;
                if *generation.borrow() == asked {
                    dispatcher.dispatch(Action::NextPage(result));
                }
            });
        })
    };
    PagesHandle {
        list: state.list.clone(),
        more: state.more.clone(),
        retry,
        load_more,
    }
}
