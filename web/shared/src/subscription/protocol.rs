//! The messages of `graphql-transport-ws`, the WebSocket protocol the routers speak
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The subprotocol asked for in the WebSocket handshake.
pub const SUBPROTOCOL: &str = "graphql-transport-ws";

/// What the client sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage<'a> {
    /// Opens the conversation; the payload is where credentials go.
    ConnectionInit {
        /// Read by the router (and passed to the subgraphs) as connection parameters.
        payload: Value,
    },
    /// Starts an operation.
    Subscribe {
        /// Names this operation in the server's answers.
        id: &'a str,
        /// `{query, variables, operationName}`.
        payload: Value,
    },
    /// Stops an operation.
    Complete {
        /// The operation to stop.
        id: &'a str,
    },
    /// Are you still there?
    Ping {},
    /// Yes, still here.
    Pong {},
}

impl ClientMessage<'_> {
    /// The message as the text frame that carries it.
    pub fn to_text(&self) -> String {
        // A map of strings and JSON values always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the server sends. Struct variants, so that a payload nobody reads (an ack's, a
/// ping's) is ignored instead of failing to parse.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The connection is accepted; operations may start.
    ConnectionAck {},
    /// A result of operation `id`: `{data, errors}`.
    Next {
        /// The operation it belongs to.
        id: String,
        /// The execution result.
        payload: Value,
    },
    /// Operation `id` failed before producing results (validation, for example).
    Error {
        /// The operation it belongs to.
        id: String,
        /// GraphQL errors.
        payload: Value,
    },
    /// Operation `id` has ended: no more results.
    Complete {
        /// The operation it belongs to.
        id: String,
    },
    /// Must be answered with a pong.
    Ping {},
    /// The answer to our ping.
    Pong {},
}

impl ServerMessage {
    /// Reads a text frame; `None` for what is not a message of this protocol.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_subscription_is_started_with_its_id_and_operation() {
        let message = ClientMessage::Subscribe {
            id: "1",
            payload: json!({"query": "subscription { tick }"}),
        };

        let sent: Value = serde_json::from_str(&message.to_text()).expect("JSON");

        assert_eq!(
            sent,
            json!({"type": "subscribe", "id": "1", "payload": {"query": "subscription { tick }"}})
        );
    }

    #[test]
    fn pings_are_bare() {
        assert_eq!(ClientMessage::Ping {}.to_text(), r#"{"type":"ping"}"#);
        assert_eq!(ClientMessage::Pong {}.to_text(), r#"{"type":"pong"}"#);
    }

    #[test]
    fn an_ack_with_a_payload_is_still_an_ack() {
        let message = ServerMessage::parse(r#"{"type":"connection_ack","payload":{"x":1}}"#);

        assert_eq!(message, Some(ServerMessage::ConnectionAck {}));
    }

    #[test]
    fn results_keep_their_operation_id_and_payload() {
        let message = ServerMessage::parse(r#"{"type":"next","id":"1","payload":{"data":{}}}"#);

        assert_eq!(
            message,
            Some(ServerMessage::Next {
                id: "1".into(),
                payload: json!({"data": {}})
            })
        );
    }

    #[test]
    fn a_server_ping_without_payload_is_understood() {
        assert_eq!(
            ServerMessage::parse(r#"{"type":"ping"}"#),
            Some(ServerMessage::Ping {})
        );
    }

    #[test]
    fn frames_of_other_protocols_are_not_messages() {
        assert_eq!(ServerMessage::parse(r#"{"type":"ka"}"#), None);
        assert_eq!(ServerMessage::parse("not json"), None);
    }
}
