//! The network's makerspaces, a page at a time.

use std::rc::Rc;

use makrx_web::graphql::RequestError;
use makrx_web::remote::Remote;
use yew::prelude::*;

use crate::services;
use crate::types::Directory;

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

/// What [`use_directory`] gives the landing page.
pub struct DirectoryHandle {
    /// The list as loaded so far.
    pub list: Remote<Directory>,
    /// Where loading more stands.
    pub more: MoreState,
    /// Loads the first page again (after an error).
    pub retry: Callback<()>,
    /// Loads the next page.
    pub load_more: Callback<()>,
}

#[derive(Debug, PartialEq)]
struct State {
    list: Remote<Directory>,
    more: MoreState,
}

enum Action {
    Reloading,
    FirstPage(Result<Directory, RequestError>),
    LoadingMore,
    NextPage(Result<Directory, RequestError>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
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
                let mut spaces = shown.spaces.clone();
                spaces.extend(page.spaces);
                State {
                    list: Remote::Ready(Directory { spaces, ..page }),
                    more: MoreState::Idle,
                }
            }
        };
        Rc::new(state)
    }
}

/// Loads the first page of makerspaces, and the next on request.
#[hook]
pub fn use_directory() -> DirectoryHandle {
    let state = use_reducer(|| State {
        list: Remote::Loading,
        more: MoreState::Idle,
    });
    let attempt = use_state(|| 0_u32);
    {
        let dispatcher = state.dispatcher();
        use_effect_with(*attempt, move |_| {
            yew::platform::spawn_local(async move {
                dispatcher.dispatch(Action::FirstPage(services::directory_page(None).await));
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        let state = state.clone();
        Callback::from(move |()| {
            // Show the loading state again rather than a stale error while it retries.
            state.dispatch(Action::Reloading);
            attempt.set(attempt.wrapping_add(1));
        })
    };
    let load_more = {
        let state = state.clone();
        Callback::from(move |()| {
            let Some(after) = state.list.ready().and_then(|list| list.next_page.clone()) else {
                return;
            };
            if state.more == MoreState::Loading {
                return;
            }
            state.dispatch(Action::LoadingMore);
            let dispatcher = state.dispatcher();
            yew::platform::spawn_local(async move {
                dispatcher.dispatch(Action::NextPage(
                    services::directory_page(Some(after)).await,
                ));
            });
        })
    };
    DirectoryHandle {
        list: state.list.clone(),
        more: state.more.clone(),
        retry,
        load_more,
    }
}
