//! Serving a subgraph's schema: queries and mutations over HTTP, subscriptions over WebSocket,
//! each request carrying the `Caller` its token names.

use std::collections::HashMap;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql::{
    Data, ErrorExtensions, ObjectType, Response, Schema, SchemaBuilder, ServerError,
    SubscriptionType,
};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::Router;
use axum::extract::{FromRequestParts, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

use crate::{ApiError, Auth, Caller};

/// The deepest query a subgraph answers.
pub const MAX_DEPTH: usize = 12;
/// The most complex query a subgraph answers (one point per field, lists count their `first`).
pub const MAX_COMPLEXITY: usize = 2_000;

/// A DataLoader for a subgraph's schema. It waits before loading, so that every resolver of
/// a list enqueues its key first; without a wait a batch may start on another worker while
/// keys are still arriving and split (measured: 40 makerspaces' equipment took 21 statements
/// instead of 1). The wait is 2 ms, not async-graphql's 1 ms: tokio's timer ticks by the
/// millisecond, so a 1 ms sleep may end at the next tick, microseconds after the first key
/// (seen: a listing of 40 spaces split in three runs of three on a busy CI machine).
pub fn loader<T: Send + Sync + 'static>(inner: T) -> async_graphql::dataloader::DataLoader<T> {
    async_graphql::dataloader::DataLoader::new(inner, tokio::spawn)
        .delay(std::time::Duration::from_millis(2))
}

/// Rows grouped by `key`, as a loader of lists answers them.
pub fn group_by<T>(rows: Vec<T>, key: impl Fn(&T) -> uuid::Uuid) -> HashMap<uuid::Uuid, Vec<T>> {
    let mut groups: HashMap<uuid::Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// The subgraph SDL of a schema, as composition reads it (federation v2, subscriptions kept).
pub fn federation_sdl<Q, M, S>(schema: &Schema<Q, M, S>) -> String
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    schema.sdl_with_options(async_graphql::SDLExportOptions::new().federation())
}

/// Applies the limits every subgraph enforces itself (routers without a key cannot).
pub fn with_limits<Q, M, S>(builder: SchemaBuilder<Q, M, S>) -> SchemaBuilder<Q, M, S> {
    builder
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .enable_federation()
        .enable_subscription_in_federation()
}

struct Api<Q, M, S> {
    schema: Schema<Q, M, S>,
    auth: Auth,
}

impl<Q, M, S> Clone for Api<Q, M, S> {
    fn clone(&self) -> Self {
        Self {
            schema: self.schema.clone(),
            auth: self.auth.clone(),
        }
    }
}

/// `/graphql`: POST for queries and mutations, a WebSocket upgrade for subscriptions, and
/// GraphiQL for a person who opens it in a browser.
pub fn routes<Q, M, S>(schema: Schema<Q, M, S>, auth: Auth) -> Router
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    Router::new()
        .route(
            "/graphql",
            get(subscribe_or_explore::<Q, M, S>).post(execute::<Q, M, S>),
        )
        .with_state(Api { schema, auth })
}

async fn execute<Q, M, S>(
    State(api): State<Api<Q, M, S>>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let authorization = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let response = match api.auth.caller(authorization).await {
        // The headers go along for a subgraph that reads one of its own (the store's cart token).
        Ok(caller) => {
            let request = request.into_inner().data(caller).data(headers);
            api.schema.execute(request).await
        }
        Err(err) => refused(err),
    };
    with_codes(response).into()
}

async fn subscribe_or_explore<Q, M, S>(
    State(api): State<Api<Q, M, S>>,
    request: axum::extract::Request,
) -> axum::response::Response
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let (mut parts, _body) = request.into_parts();
    let upgrade = WebSocketUpgrade::from_request_parts(&mut parts, &()).await;
    let protocol = GraphQLProtocol::from_request_parts(&mut parts, &()).await;
    let (Ok(upgrade), Ok(protocol)) = (upgrade, protocol) else {
        return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let auth = api.auth.clone();
            GraphQLWebSocket::new(socket, api.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let caller = auth
                        .caller(authorization_in(&payload).as_deref())
                        .await
                        .map_err(async_graphql::Error::from)?;
                    let mut data = Data::default();
                    data.insert(caller);
                    Ok(data)
                })
                .serve()
        })
        .into_response()
}

/// The `Authorization` a WebSocket client (or a router on its behalf) sent in `connection_init`:
/// at the top level of the payload or under `headers`, in any letter case.
fn authorization_in(payload: &serde_json::Value) -> Option<String> {
    let find = |object: &serde_json::Map<String, serde_json::Value>| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, value)| value.as_str().map(str::to_owned))
    };
    let object = payload.as_object()?;
    find(object).or_else(|| object.get("headers")?.as_object().and_then(find))
}

fn refused(err: ApiError) -> Response {
    let err: async_graphql::Error = err.into();
    Response::from_errors(vec![err.into_server_error(Default::default())])
}

/// Gives every error a code. Errors raised inside a resolver without one are unexpected: their
/// text may be internal, so it is logged and replaced. Errors about the request itself (it does
/// not parse, names an unknown field, is too deep) describe only the request: they keep their
/// text and become `VALIDATION_ERROR`.
fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if has_code {
            continue;
        }
        let coded = if error.path.is_empty() || is_malformed_argument(error) {
            async_graphql::Error::new(error.message.clone())
                .extend_with(|_, ext| ext.set("code", "VALIDATION_ERROR"))
        } else {
            tracing::error!(message = %error.message, path = ?error.path, "resolver error without a code");
            ApiError::Internal.into()
        };
        let ServerError {
            locations, path, ..
        } = std::mem::replace(error, ServerError::new("", None));
        *error = ServerError {
            locations,
            path,
            ..coded.into_server_error(Default::default())
        };
    }
    response
}

/// The guard of every mutation that acts as someone (`#[Object(guard = "SignedIn")]`): a caller
/// who is not signed in is asked to, before any argument is looked up, so that nobody learns
/// from a refusal whether an id exists.
pub struct SignedIn;

impl async_graphql::Guard for SignedIn {
    async fn check(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<()> {
        caller(ctx).user()?;
        Ok(())
    }
}

/// Whether the error is async-graphql refusing an argument's value as it parses it (a
/// date-time that is no date-time, a date that is no date): the caller's mistake, worded about
/// the request only (`Failed to parse "DateTime": ...`). Such an error carries the field's path,
/// as a resolver's own would, so only its wording tells it apart.
fn is_malformed_argument(error: &ServerError) -> bool {
    [
        "Failed to parse \"",
        "Expected input type \"",
        "Invalid value for argument",
    ]
    .iter()
    .any(|start| error.message.starts_with(start))
}

/// The caller of the request being resolved.
pub fn caller<'a>(ctx: &'a async_graphql::Context<'_>) -> &'a Caller {
    ctx.data_opt::<Caller>().unwrap_or(&Caller::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn authorization_is_found_in_either_place_of_a_connection_init_payload() {
        assert_eq!(
            authorization_in(&json!({"Authorization": "Bearer a"})).as_deref(),
            Some("Bearer a")
        );
        assert_eq!(
            authorization_in(&json!({"headers": {"authorization": "Bearer b"}})).as_deref(),
            Some("Bearer b")
        );
        assert_eq!(authorization_in(&json!({})), None);
        assert_eq!(authorization_in(&json!(null)), None);
    }
}
