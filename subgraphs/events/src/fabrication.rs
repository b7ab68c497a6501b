//! Fabrication as it happens: a quote as the engine makes it (`fabricationQuoteChanged`:
//! queued, quoting, then ready, too big or failed), for the customer whose upload it quotes,
//! nobody else; a job as its makerspace moves it along (`fabricationJobChanged`), for its
//! customer and the space's staff, and every job of a space (`spaceFabricationJobsChanged`),
//! for its staff.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{
    Changed, FabricationJobState, FabricationJobStatus, FabricationQuoteState, QuoteStatus,
    StoreChanged, topics,
};
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

/// A fabrication job was dispatched or moved along.
#[derive(Clone, Debug, SimpleObject)]
pub struct FabricationJobChange {
    /// Orders this change among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// What happened: `fabrication_job.dispatched`, `fabrication_job.moved`,
    /// `fabrication_job.declined` or `fabrication_job.cancelled`.
    pub action: String,
    pub job_id: ID,
    pub order_id: ID,
    pub order_part_id: ID,
    /// None when no makerspace could make the part.
    pub makerspace_id: Option<ID>,
    pub status: FabricationJobStatus,
    /// Why it was declined.
    pub reason: Option<String>,
    pub ready_by: Option<DateTime<Utc>>,
    pub changed_at: DateTime<Utc>,
}

impl FabricationJobChange {
    fn from_event(event: &Event) -> Option<Self> {
        let change: Changed = event.payload()?;
        let job: FabricationJobState = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "a job's change cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            action: change.action,
            job_id: ID(job.id.to_string()),
            order_id: ID(job.order_id.to_string()),
            order_part_id: ID(job.order_part_id.to_string()),
            makerspace_id: job.makerspace_id.map(|id| ID(id.to_string())),
            status: job.status,
            reason: job.reason,
            ready_by: job.ready_by,
            changed_at: job.updated_at,
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

    /// A fabrication job's changes as they happen; with `after`, first the changes since that
    /// cursor. Its customer, the staff of the space it was dispatched to and platform admins
    /// may follow it. A declined part goes on as a new job, whose id the order part's
    /// `fabricationJobs` gives.
    async fn fabrication_job_changed(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = FabricationJobChange> + use<>, ApiError> {
        let job_id = parse_id(&job_id, "jobId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_fabrication_job(db, caller(ctx), job_id).await?;
        Ok(job_changes(
            ctx,
            serde_json::json!({ "entity_id": job_id }),
            after,
        ))
    }

    /// Every change of the fabrication jobs dispatched to a space as it happens (a provider's
    /// incoming jobs); with `after`, first the changes since that cursor. The space's staff
    /// and platform admins only.
    async fn space_fabrication_jobs_changed(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = FabricationJobChange> + use<>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_staff(db, caller(ctx), makerspace_id).await?;
        let matching = serde_json::json!({ "after": { "makerspace_id": makerspace_id } });
        Ok(job_changes(ctx, matching, after))
    }
}

/// The job changes whose payload contains `matching`, from after `after`.
fn job_changes(
    ctx: &Context<'_>,
    matching: serde_json::Value,
    after: Option<i64>,
) -> impl Stream<Item = FabricationJobChange> + use<> {
    let feed = Feed {
        topic: topics::FABRICATION_JOB_CHANGED,
        matching,
    };
    feed.stream(
        ctx.data_unchecked::<PgPool>().clone(),
        ctx.data_unchecked::<EventBus>(),
        after,
        FabricationJobChange::from_event,
    )
}
