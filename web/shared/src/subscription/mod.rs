//! Subscriptions over the router's WebSocket (`graphql-transport-ws`) that survive a lost
//! connection: the client reconnects by itself, waiting longer after each failure, and
//! resumes with the cursor of the last event it received, so nothing that happened while it
//! was away is missed.

mod backoff;
mod connection;
pub mod protocol;
mod session;

pub use backoff::Backoff;

use futures::channel::oneshot;
use graphql_client::GraphQLQuery;
use yew::Callback;

use crate::config;

/// A subscription whose events carry a cursor it can be resumed from.
pub trait Resumable: GraphQLQuery {
    /// The cursor of an event: passed back as `after` when reconnecting.
    fn cursor(data: &Self::ResponseData) -> Option<&str>;

    /// The variables to subscribe with again, resuming after `cursor` when there is one.
    fn resume_after(variables: &Self::Variables, cursor: Option<String>) -> Self::Variables;
}

/// Implements [`Resumable`] for a subscription whose one field (`$field`, also the name of the
/// module graphql_client generates for it) answers a `cursor`, and whose variables take it back
/// as `after`: `resumable!(EquipmentStatusChanged, equipment_status_changed)`.
#[macro_export]
macro_rules! resumable {
    ($subscription:ident, $field:ident) => {
        impl $crate::subscription::Resumable for $subscription {
            fn cursor(data: &Self::ResponseData) -> Option<&str> {
                Some(&data.$field.cursor)
            }

            fn resume_after(
                variables: &Self::Variables,
                cursor: Option<String>,
            ) -> Self::Variables {
                $field::Variables {
                    after: cursor.or_else(|| variables.after.clone()),
                    ..variables.clone()
                }
            }
        }
    };
}

/// How the live connection is doing, for an indicator on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// The first connection is being made.
    Connecting,
    /// Events arrive as they happen.
    Live,
    /// The connection dropped; trying again (`attempt` counts from 1).
    Reconnecting {
        /// How many times in a row it has failed.
        attempt: u32,
    },
}

/// A running subscription; dropping it closes the connection and stops reconnecting.
#[must_use = "the subscription stops when this is dropped"]
pub struct Subscription {
    _stop: oneshot::Sender<()>,
}

/// Where a subscription's news goes.
pub struct Listeners<T> {
    /// Each event, in order.
    pub on_data: Callback<T>,
    /// Each change of connection.
    pub on_state: Callback<LinkState>,
    /// The subscription went live with no cursor to resume from: on the first connection
    /// (between the page's query and now) and after losing a connection before any event
    /// arrived. Whatever changed in between was not delivered, so the page should reload what
    /// the subscription keeps current.
    pub on_gap: Callback<()>,
}

/// Starts a subscription.
pub fn subscribe<Q>(variables: Q::Variables, listeners: Listeners<Q::ResponseData>) -> Subscription
where
    Q: Resumable + 'static,
{
    let (stop, stopped) = oneshot::channel();
    yew::platform::spawn_local(async move {
        let config = config::current().await;
        connection::run::<Q>(&config.graphql_ws_url, variables, listeners, stopped).await;
    });
    Subscription { _stop: stop }
}
