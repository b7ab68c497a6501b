//! The browser side of a subscription: the socket, the timers and the reconnect loop around
//! a [`Session`].

use std::pin::pin;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Either, select};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};
use gloo_timers::future::sleep;
use graphql_client::{GraphQLQuery, Response};
use serde_json::Value;
use yew::Callback;

use super::protocol::SUBPROTOCOL;
use super::session::{Session, Step};
use super::{Backoff, LinkState, Listeners, Resumable};
use crate::session;

/// How long a connection may stay quiet before it is pinged (and, twice that, dropped).
const SILENCE: Duration = Duration::from_secs(20);
/// How long a connection must have lasted for its drop to count as a fresh failure.
const HELD: Duration = Duration::from_secs(30);

/// Close codes with which a server refuses a connection's credentials (graphql-ws's
/// `Unauthorized` and `Forbidden`).
const REFUSED: [u16; 2] = [4401, 4403];

/// A connection broke; `delivered` says whether it was worth anything before it did, `refused`
/// whether the server would not take its access token.
#[derive(Default)]
struct Dropped {
    delivered: bool,
    refused: bool,
}

/// Keeps the subscription alive until `stop` fires or its sender is dropped.
pub(crate) async fn run<Q: Resumable>(
    url: &str,
    variables: Q::Variables,
    listeners: Listeners<Q::ResponseData>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut cursor: Option<String> = None;
    let mut backoff = Backoff::default();
    listeners.on_state.emit(LinkState::Connecting);
    loop {
        let started = js_sys::Date::now();
        let operation =
            serde_json::to_value(Q::build_query(Q::resume_after(&variables, cursor.clone())))
                .unwrap_or(Value::Null);
        // Asked for on every attempt: a reconnect goes with the token as it is now, renewed
        // since the last one if need be, not the one the page started with.
        let token = session::access_token().await;
        let opening = Session::opening(token.as_deref());
        let connection = pin!(connect::<Q>(
            url,
            &opening,
            &operation,
            &listeners,
            &mut cursor
        ));
        let Dropped { delivered, refused } = match select(connection, &mut stop).await {
            Either::Left((dropped, _)) => dropped,
            Either::Right(_) => return,
        };
        if let Some(token) = token.filter(|_| refused) {
            session::renew_rejected(&token).await;
        }
        let held = js_sys::Date::now() - started >= HELD.as_millis() as f64;
        if delivered || held {
            backoff.reset();
        }
        let wait = backoff.next_delay(js_sys::Math::random());
        listeners.on_state.emit(LinkState::Reconnecting {
            attempt: backoff.failures(),
        });
        if let Either::Right(_) = select(pin!(sleep(wait)), &mut stop).await {
            return;
        }
    }
}

/// One connection, from opening to its end.
async fn connect<Q: Resumable>(
    url: &str,
    opening: &str,
    operation: &Value,
    listeners: &Listeners<Q::ResponseData>,
    cursor: &mut Option<String>,
) -> Dropped {
    let mut delivered = false;
    let Ok(socket) = WebSocket::open_with_protocol(url, SUBPROTOCOL) else {
        return Dropped::default();
    };
    let (mut outgoing, mut incoming) = socket.split();
    if outgoing
        .send(Message::Text(opening.to_owned()))
        .await
        .is_err()
    {
        return Dropped::default();
    }
    let mut session = Session::default();
    loop {
        let steps = match select(incoming.next(), pin!(sleep(SILENCE))).await {
            Either::Left((Some(Ok(Message::Text(text))), _)) => session.on_text(&text, operation),
            Either::Left((Some(Ok(Message::Bytes(_))), _)) => Vec::new(),
            Either::Left((Some(Err(WebSocketError::ConnectionClose(close))), _)) => {
                let refused = REFUSED.contains(&close.code);
                return Dropped { delivered, refused };
            }
            Either::Left((Some(Err(_)) | None, _)) => {
                return Dropped {
                    delivered,
                    refused: false,
                };
            }
            Either::Right(_) => vec![session.on_silence()],
        };
        for step in steps {
            match step {
                Step::Send(text) => {
                    if outgoing.send(Message::Text(text)).await.is_err() {
                        return Dropped {
                            delivered,
                            refused: false,
                        };
                    }
                }
                Step::Live => {
                    listeners.on_state.emit(LinkState::Live);
                    if cursor.is_none() {
                        listeners.on_gap.emit(());
                    }
                }
                Step::Deliver(payload) => match deliver::<Q>(payload, &listeners.on_data) {
                    Ok(Some(next)) => {
                        delivered = true;
                        *cursor = Some(next);
                    }
                    Ok(None) => delivered = true,
                    Err(reason) => {
                        crate::console::warn(&reason);
                        return Dropped {
                            delivered,
                            refused: false,
                        };
                    }
                },
                Step::GiveUp(reason) => {
                    crate::console::warn(&format!("subscription: {reason}; reconnecting"));
                    return Dropped {
                        delivered,
                        refused: false,
                    };
                }
                Step::Refused(reason) => {
                    crate::console::warn(&format!(
                        "subscription: {reason}; reconnecting with a fresh token"
                    ));
                    return Dropped {
                        delivered,
                        refused: true,
                    };
                }
            }
        }
    }
}

/// Hands an event to the page; returns its cursor.
fn deliver<Q: Resumable>(
    payload: Value,
    on_data: &Callback<Q::ResponseData>,
) -> Result<Option<String>, String> {
    let response: Response<<Q as GraphQLQuery>::ResponseData> = serde_json::from_value(payload)
        .map_err(|err| format!("subscription: an event this page cannot read: {err}"))?;
    match response.data {
        Some(data) => {
            let cursor = Q::cursor(&data).map(str::to_owned);
            on_data.emit(data);
            Ok(cursor)
        }
        None => {
            let errors = response.errors.unwrap_or_default();
            let message = errors.first().map_or("no data", |error| &error.message);
            Err(format!("subscription: the server sent an error: {message}"))
        }
    }
}
