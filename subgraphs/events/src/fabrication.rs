//! A fabrication quote as the engine makes it (`fabricationQuoteChanged`): queued, quoting,
//! then ready, too big or failed, for the customer whose upload it quotes, nobody else.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{FabricationQuoteState, QuoteStatus, StoreChanged, topics};
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};
use crate::policy;

/// A fabrication quote was asked for or made.
#[derive(Clone, Debug, SimpleObject)]
pub struct FabricationQuoteChange {
    /// Orders this change among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// What happened: `fabrication_quote.requested` or `fabrication_quote.made`.
    pub action: String,
    pub quote_id: ID,
    pub upload_id: ID,
    pub status: QuoteStatus,
    /// The price, once it is `READY`.
    pub total_minor: Option<i64>,
    pub currency: Option<String>,
    pub changed_at: DateTime<Utc>,
}

impl FabricationQuoteChange {
    fn from_event(event: &Event) -> Option<Self> {
        let change: StoreChanged = event.payload()?;
        let quote: FabricationQuoteState = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "a quote's change cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            action: change.action,
            quote_id: ID(quote.id.to_string()),
            upload_id: ID(quote.upload_id.to_string()),
            status: quote.status,
            total_minor: quote.total_minor,
            currency: quote.currency,
            changed_at: quote.updated_at,
        })
    }
}

#[derive(Default)]
pub struct FabricationSubscription;

#[Subscription]
impl FabricationSubscription {
    /// A fabrication quote's changes as they happen; with `after`, first the changes since
    /// that cursor. Only the customer whose upload it quotes may follow it.
    async fn fabrication_quote_changed(
        &self,
        ctx: &Context<'_>,
        quote_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = FabricationQuoteChange> + use<>, ApiError> {
        let quote_id = parse_id(&quote_id, "quoteId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_fabrication_quote(db, caller(ctx), quote_id).await?;
        let feed = Feed {
            topic: topics::FABRICATION_QUOTE_CHANGED,
            matching: serde_json::json!({ "after": { "id": quote_id } }),
        };
        Ok(feed.stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            FabricationQuoteChange::from_event,
        ))
    }
}
