//! One connection's conversation, kept apart from the socket so that it can be tested
//! natively: what to send, what to hand on, and when to give the connection up.

use serde_json::{Value, json};

use super::protocol::{ClientMessage, ServerMessage};

/// The id of the one operation each connection carries.
const OPERATION: &str = "1";

/// What the connection should do next.
#[derive(Debug, PartialEq)]
pub(crate) enum Step {
    /// Send this text frame.
    Send(String),
    /// The subscription is running: tell the page it is live.
    Live,
    /// A result to hand on: `{data, errors}`.
    Deliver(Value),
    /// Close and reconnect, for this reason.
    GiveUp(String),
    /// The server refused the access token: close and reconnect with a fresh one.
    Refused(String),
}

/// Where one connection stands.
#[derive(Debug, Default)]
pub(crate) struct Session {
    acknowledged: bool,
    pinged: bool,
}

impl Session {
    /// The first frame on a fresh connection, with the access token when signed in: the
    /// router reads credentials from this payload, not from the upgrade request's headers,
    /// and hands them to the subgraphs (which find `Authorization` in any letter case).
    pub(crate) fn opening(token: Option<&str>) -> String {
        let payload = match token {
            Some(token) => json!({ "Authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        ClientMessage::ConnectionInit { payload }.to_text()
    }

    /// Reacts to a text frame from the server; `operation` is the subscription to start
    /// once the server accepts the connection.
    pub(crate) fn on_text(&mut self, text: &str, operation: &Value) -> Vec<Step> {
        // Any frame shows the connection is alive.
        self.pinged = false;
        match ServerMessage::parse(text) {
            Some(ServerMessage::ConnectionAck {}) if !self.acknowledged => {
                self.acknowledged = true;
                let subscribe = ClientMessage::Subscribe {
                    id: OPERATION,
                    payload: operation.clone(),
                };
                vec![Step::Send(subscribe.to_text()), Step::Live]
            }
            Some(ServerMessage::Next { id, payload }) if id == OPERATION => {
                vec![Step::Deliver(payload)]
            }
            Some(ServerMessage::Error { id, payload }) if id == OPERATION => {
                let reason = format!("the subscription failed: {payload}");
                if refuses_token(&payload) {
                    vec![Step::Refused(reason)]
                } else {
                    vec![Step::GiveUp(reason)]
                }
            }
            // A subscription of ours never ends by itself; the router ends it when it loses
            // the subgraph, so resume it.
            Some(ServerMessage::Complete { id }) if id == OPERATION => {
                vec![Step::GiveUp("the server ended the subscription".into())]
            }
            Some(ServerMessage::Ping {}) => vec![Step::Send(ClientMessage::Pong {}.to_text())],
            _ => Vec::new(),
        }
    }

    /// Reacts to a stretch of silence: a ping first, then, if that went unanswered (or the
    /// server never accepted the connection), giving up. A phone that lost its network
    /// often gets no close event at all: this is how it notices.
    pub(crate) fn on_silence(&mut self) -> Step {
        if !self.acknowledged {
            Step::GiveUp("the server did not accept the connection".into())
        } else if self.pinged {
            Step::GiveUp("the server stopped answering".into())
        } else {
            self.pinged = true;
            Step::Send(ClientMessage::Ping {}.to_text())
        }
    }
}

/// Whether an `error` message's GraphQL errors say the token was not accepted.
fn refuses_token(payload: &Value) -> bool {
    payload.as_array().is_some_and(|errors| {
        errors
            .iter()
            .any(|error| error["extensions"]["code"] == "UNAUTHENTICATED")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation() -> Value {
        json!({"query": "subscription { tick }"})
    }

    fn acknowledged() -> Session {
        let mut session = Session::default();
        session.on_text(r#"{"type":"connection_ack"}"#, &operation());
        session
    }

    #[test]
    fn the_subscription_starts_once_the_server_accepts_the_connection() {
        let mut session = Session::default();

        let steps = session.on_text(r#"{"type":"connection_ack"}"#, &operation());

        let [Step::Send(subscribe), Step::Live] = steps.as_slice() else {
            panic!("expected a subscribe and then live, got {steps:?}");
        };
        let subscribe: Value = serde_json::from_str(subscribe).expect("JSON");
        assert_eq!(
            subscribe,
            json!({"type": "subscribe", "id": "1", "payload": operation()})
        );
    }

    #[test]
    fn a_signed_in_connection_opens_with_the_access_token() {
        let opening: Value =
            serde_json::from_str(&Session::opening(Some("eyJ.a.b"))).expect("JSON");

        assert_eq!(
            opening,
            json!({"type": "connection_init", "payload": {"Authorization": "Bearer eyJ.a.b"}})
        );
    }

    #[test]
    fn an_anonymous_connection_opens_with_an_empty_payload() {
        let opening: Value = serde_json::from_str(&Session::opening(None)).expect("JSON");

        assert_eq!(opening, json!({"type": "connection_init", "payload": {}}));
    }

    #[test]
    fn a_refused_token_is_told_apart_from_other_failures() {
        let mut session = acknowledged();

        let refused = session.on_text(
            r#"{"type":"error","id":"1","payload":[{"message":"expired",
                "extensions":{"code":"UNAUTHENTICATED"}}]}"#,
            &operation(),
        );
        let failed = session.on_text(
            r#"{"type":"error","id":"1","payload":[{"message":"no such field"}]}"#,
            &operation(),
        );

        assert!(matches!(refused.as_slice(), [Step::Refused(_)]));
        assert!(matches!(failed.as_slice(), [Step::GiveUp(_)]));
    }

    #[test]
    fn results_of_the_subscription_are_delivered() {
        let mut session = acknowledged();

        let steps = session.on_text(
            r#"{"type":"next","id":"1","payload":{"data":{"tick":1}}}"#,
            &operation(),
        );

        assert_eq!(steps, vec![Step::Deliver(json!({"data": {"tick": 1}}))]);
    }

    #[test]
    fn the_servers_pings_are_answered() {
        let mut session = acknowledged();

        let steps = session.on_text(r#"{"type":"ping"}"#, &operation());

        assert_eq!(steps, vec![Step::Send(r#"{"type":"pong"}"#.into())]);
    }

    #[test]
    fn an_ended_subscription_is_resumed_rather_than_left_dead() {
        let mut session = acknowledged();

        let steps = session.on_text(r#"{"type":"complete","id":"1"}"#, &operation());

        assert!(matches!(steps.as_slice(), [Step::GiveUp(_)]));
    }

    #[test]
    fn silence_is_met_with_a_ping_and_then_a_reconnect() {
        let mut session = acknowledged();

        let first = session.on_silence();
        let second = session.on_silence();

        assert_eq!(first, Step::Send(r#"{"type":"ping"}"#.into()));
        assert!(matches!(second, Step::GiveUp(_)));
    }

    #[test]
    fn an_answer_to_the_ping_keeps_the_connection() {
        let mut session = acknowledged();
        session.on_silence();

        session.on_text(r#"{"type":"pong"}"#, &operation());

        assert_eq!(
            session.on_silence(),
            Step::Send(r#"{"type":"ping"}"#.into())
        );
    }

    #[test]
    fn a_connection_never_accepted_is_given_up() {
        let mut session = Session::default();

        assert!(matches!(session.on_silence(), Step::GiveUp(_)));
    }
}
