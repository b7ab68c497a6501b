//! Stripe, the card payments provider: its settings, the two calls the store makes to its API
//! (create a PaymentIntent, refund one) and the webhook at `POST /webhooks/stripe`, where
//! Stripe tells the store what became of a payment. A delivery is read only after its
//! `Stripe-Signature` checks out, as Stripe specifies: HMAC-SHA256 of `"{t}.{raw body}"` with
//! the endpoint secret, any of the `v1` signatures compared in constant time (Stripe sends
//! several while a secret is rolled), `v0` ignored, `t` within 300 s of now.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use makrx_service::config::SettingsError;
use makrx_service::{ApiError, Clock};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use sqlx::PgPool;
use uuid::Uuid;

use crate::payments;

/// Where Stripe delivers its events, on the store service and on the web origin.
pub const WEBHOOK_PATH: &str = "/webhooks/stripe";
/// The endpoint secret of `makrx up` and the tests when `STRIPE_WEBHOOK_SECRET` is unset.
pub const DEVELOPMENT_WEBHOOK_SECRET: &str = "whsec_makrx_development";
/// How far a delivery's `t` may be from now, either way, in seconds.
pub const TOLERANCE_SECONDS: i64 = 300;

/// How the store reaches Stripe. Without a secret key it takes no card payments; the webhook
/// still answers, with the endpoint secret.
#[derive(Clone, Debug)]
pub struct StripeSettings {
    /// `STRIPE_SECRET_KEY`.
    pub secret_key: Option<String>,
    /// `STRIPE_PUBLISHABLE_KEY`, which the customer's page needs for Stripe.js.
    pub publishable_key: Option<String>,
    /// `STRIPE_API_BASE`: Stripe's API, or a stand-in for it.
    pub api_base: String,
    /// `STRIPE_WEBHOOK_SECRET`: the endpoint secret deliveries are signed with.
    pub webhook_secret: String,
}

impl StripeSettings {
    /// No card payments; webhooks checked with the development secret.
    pub fn development() -> Self {
        Self {
            secret_key: None,
            publishable_key: None,
            api_base: "https://api.stripe.com".into(),
            webhook_secret: DEVELOPMENT_WEBHOOK_SECRET.into(),
        }
    }

    /// Where pages load Stripe.js from: Stripe's own for Stripe's API; for a stand-in of it,
    /// the stand-in's copy at the same path (as localstripe serves it).
    pub fn stripe_js_url(&self) -> String {
        match self.api_base.trim_end_matches('/') {
            "https://api.stripe.com" => "https://js.stripe.com/v3/".to_owned(),
            stand_in => format!("{stand_in}/js.stripe.com/v3/"),
        }
    }

    /// From the environment, the development secret standing in for an unset
    /// `STRIPE_WEBHOOK_SECRET` only while no secret key is set either.
    pub fn from_env() -> Result<Self, SettingsError> {
        let get = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        let secret_key = get("STRIPE_SECRET_KEY");
        let webhook_secret = match (get("STRIPE_WEBHOOK_SECRET"), &secret_key) {
            (Some(secret), _) => secret,
            (None, None) => DEVELOPMENT_WEBHOOK_SECRET.into(),
            (None, Some(_)) => return Err(SettingsError::Missing("STRIPE_WEBHOOK_SECRET")),
        };
        Ok(Self {
            secret_key,
            publishable_key: get("STRIPE_PUBLISHABLE_KEY"),
            api_base: get("STRIPE_API_BASE").unwrap_or_else(|| Self::development().api_base),
            webhook_secret,
        })
    }
}

/// Stripe's API, when the store takes card payments.
#[derive(Clone)]
pub struct Stripe {
    http: reqwest::Client,
    api_base: String,
    secret_key: String,
}

/// A PaymentIntent as the store keeps it.
#[derive(Debug, Deserialize)]
pub struct Intent {
    pub id: String,
    pub client_secret: Option<String>,
}

impl Stripe {
    /// The API client, if the settings have a secret key.
    pub fn new(settings: &StripeSettings) -> Option<Self> {
        Some(Self {
            http: reqwest::Client::new(),
            api_base: settings.api_base.trim_end_matches('/').to_owned(),
            secret_key: settings.secret_key.clone()?,
        })
    }

    /// Creates the PaymentIntent of `payment`, attempt `attempt` of `order`: Stripe answers a
    /// repeated call with the same key with the same intent.
    pub async fn create_intent(
        &self,
        order: Uuid,
        payment: Uuid,
        attempt: i32,
        amount_minor: i64,
        currency: &str,
    ) -> Result<Intent, ApiError> {
        self.call(
            "payment_intents",
            &format!("order-{order}-attempt-{attempt}"),
            &[
                ("amount", amount_minor.to_string()),
                ("currency", currency.to_ascii_lowercase()),
                ("payment_method_types[]", "card".into()),
                ("metadata[order_id]", order.to_string()),
                ("metadata[payment_id]", payment.to_string()),
            ],
        )
        .await
    }

    /// Refunds `amount_minor` of the intent `intent_id` (all that remains of it when None),
    /// once however often it is asked with the same `idempotency_key`.
    pub async fn refund(
        &self,
        idempotency_key: &str,
        intent_id: &str,
        amount_minor: Option<i64>,
    ) -> Result<(), ApiError> {
        #[derive(Deserialize)]
        struct Refund {}
        let mut form = vec![("payment_intent", intent_id.to_owned())];
        form.extend(amount_minor.map(|amount| ("amount", amount.to_string())));
        self.call::<Refund>("refunds", idempotency_key, &form)
            .await?;
        Ok(())
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        resource: &str,
        idempotency_key: &str,
        form: &[(&str, String)],
    ) -> Result<T, ApiError> {
        let unreachable = |err: reqwest::Error| {
            tracing::error!(error = %err, resource, "Stripe cannot be reached");
            ApiError::Conflict("card payments cannot be reached just now: try again shortly".into())
        };
        let response = self
            .http
            .post(format!("{}/v1/{resource}", self.api_base))
            .bearer_auth(&self.secret_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .timeout(std::time::Duration::from_secs(20))
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(ApiError::internal(format_args!(
                "Stripe answered {status} to {resource}: {body}"
            )));
        }
        response.json().await.map_err(unreachable)
    }
}

/// Why a webhook delivery was not read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unsigned {
    #[error("the Stripe-Signature header is missing or has no t= and v1=")]
    Malformed,
    #[error("no v1 signature matches the body with this endpoint's secret")]
    Mismatch,
    #[error("the signature's time is more than 300 seconds from now")]
    OutOfTolerance,
}

/// Checks a delivery's `Stripe-Signature` `header` over its raw `body` at unix time `now`.
pub fn verify(header: &str, body: &[u8], secret: &str, now: i64) -> Result<(), Unsigned> {
    let mut signed_at = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", at)) if signed_at.is_none() => signed_at = at.parse::<i64>().ok(),
            Some(("v1", signature)) => signatures.extend(hex::decode(signature).ok()),
            _ => {}
        }
    }
    let signed_at = signed_at.ok_or(Unsigned::Malformed)?;
    if signatures.is_empty() {
        return Err(Unsigned::Malformed);
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{signed_at}.").as_bytes());
    mac.update(body);
    if !signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok())
    {
        return Err(Unsigned::Mismatch);
    }
    if (now - signed_at).abs() > TOLERANCE_SECONDS {
        return Err(Unsigned::OutOfTolerance);
    }
    Ok(())
}

/// A Stripe event, as much of it as the store reads.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

/// A PaymentIntent as an event carries it.
#[derive(Debug, Deserialize)]
pub struct IntentEvent {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

impl IntentEvent {
    /// The store's payment this intent was created for, if it says.
    pub fn payment_id(&self) -> Option<Uuid> {
        self.metadata.get("payment_id")?.parse().ok()
    }
}

#[derive(Clone)]
struct Webhook {
    db: PgPool,
    clock: Clock,
    secret: String,
    stripe: Option<Stripe>,
}

/// `POST /webhooks/stripe`.
pub fn webhook_routes(db: PgPool, clock: Clock, settings: &StripeSettings) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(deliver))
        .with_state(Webhook {
            db,
            clock,
            secret: settings.webhook_secret.clone(),
            stripe: Stripe::new(settings),
        })
}

/// Answers 400 to a delivery that is not Stripe's, 2xx once its event is applied (or was
/// already, or is not one the store acts on), and 500 when it could not be applied now, so
/// Stripe delivers it again later.
async fn deliver(State(hook): State<Webhook>, headers: HeaderMap, body: Bytes) -> Response {
    let refuse = |why: String| (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": why })));
    let header = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if let Err(why) = verify(header, &body, &hook.secret, hook.clock.now().timestamp()) {
        tracing::warn!(%why, "a Stripe webhook delivery is refused");
        return refuse(why.to_string()).into_response();
    }
    let event: Event = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(err) => return refuse(format!("not a Stripe event: {err}")).into_response(),
    };
    match payments::apply_stripe_event(&hook.db, hook.stripe.as_ref(), &event).await {
        Ok(outcome) => (StatusCode::OK, axum::Json(json!({ "received": outcome }))).into_response(),
        Err(err) => {
            tracing::error!(event = %event.id, kind = %event.kind, error = ?err, "a Stripe event is not applied; Stripe will deliver it again");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
