//! Fabrication jobs: a part of a paid store order, made by a makerspace. When the store
//! announces an order's parts paid (`store.order.parts_paid`), each becomes a job at the space
//! the customer chose or, when that space can no longer make it, at the one that would have it
//! ready first, read off the printers' queues exactly as the quote's offers are
//! (`ready_times`). A space that accepts automatically takes it at once; otherwise its staff
//! accept or decline it. A declined part goes on to the next space that can make it, as a new
//! job, never back to one that declined it; a part no space will make is announced
//! (`makrcave.fabrication_part.unmade`) for the store to give its price back. The job's life is
//! the database's `makrcave.fabrication_job_may_become`; its customer and the space's staff
//! follow it by `fabricationJobChanged` and `spaceFabricationJobsChanged`. An order the store
//! cancels or refunds cancels its jobs not yet delivered.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use makrx_service::consumer::{self, Delivery, Handler};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::{
    self, FabricationJobState, FabricationJobStatus, OrderPartsPaid, OrderState, OrderStatus,
    PaidPart, PartUnmade, PrintProcess, StoreChanged, topics,
};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::offers::{PartToMake, print_time, ready_times};
use super::schedule::release_bookings;
use crate::changes::{self, Action, Change};
use crate::inventory::StockMovement;
use crate::loaders::Loaders;
use crate::members::User;
use crate::policy::{self, MembershipRole};
use crate::reservations::Reservation;
use crate::space::Makerspace;

/// The consumer of paid parts, as the migration declares it in `events.consumers`.
const CONSUMER: &str = "makrcave.fabrication_dispatch";
/// The longest reason for declining a job.
const MAX_REASON: usize = 500;

/// A statement reading jobs (as `j`): `$head`, the job's columns as `FabricationJob` takes
/// them, then `$tail`; it needs `FabricationJobStatus` in scope. `next_statuses` is what
/// `makrcave.fabrication_job_may_become` allows the space's staff (a job is cancelled with its
/// order, never by them).
macro_rules! job_query {
    ($head:literal, $tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::fabrication::FabricationJob,
            $head
                + r#" j.id, j.order_part_id, j.order_id, j.order_number, j.customer_id,
                      j.makerspace_id, j.replaces, j.status as "status: makrx_service::outbox::FabricationJobStatus",
                      j.reason, j.ready_by, j.quote_id, j.upload_id, j.file_name, j.material,
                      j.colour, j.infill_percent, j.quantity, j.process as "process: makrx_service::outbox::PrintProcess",
                      j.print_seconds, j.material_grams, j.bbox_mm, j.created_at, j.updated_at,
                      array(select n from unnest(array['accepted', 'printing', 'post_processing',
                                                       'ready', 'shipped', 'delivered',
                                                       'declined']) n
                            where makrcave.fabrication_job_may_become(j.status, n))
                          as "next_statuses!: Vec<FabricationJobStatus>" "#
                + $tail
            $(, $arg)*
        )
    };
}
pub(super) use job_query;

/// A part a makerspace makes for a store customer.
#[derive(Clone, Debug, Serialize, SimpleObject)]
#[graphql(complex)]
pub struct FabricationJob {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub order_part_id: Uuid,
    #[graphql(skip)]
    pub order_id: Uuid,
    /// The store order's number, as its customer knows it.
    pub order_number: i64,
    #[graphql(skip)]
    pub customer_id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Option<Uuid>,
    #[graphql(skip)]
    pub replaces: Option<Uuid>,
    pub status: FabricationJobStatus,
    /// Why it was declined.
    pub reason: Option<String>,
    /// When the space would have it ready: as its printers' queue stood when it was
    /// dispatched, then, once its staff schedule it, the end of its last slot.
    pub ready_by: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub quote_id: Uuid,
    #[graphql(skip)]
    pub upload_id: Uuid,
    /// The uploaded file's name.
    pub file_name: String,
    /// The material's code: `PLA`.
    pub material: String,
    /// As the customer asked; the space's choice when none.
    pub colour: Option<String>,
    pub infill_percent: i32,
    pub quantity: i32,
    pub process: PrintProcess,
    /// One copy's print time, as quoted.
    pub print_seconds: i64,
    /// One copy's material, as quoted.
    pub material_grams: f64,
    /// The part's width, depth and height, mm.
    pub bbox_mm: Vec<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The statuses the space's staff may move it to now.
    pub next_statuses: Vec<FabricationJobStatus>,
}

#[ComplexObject]
impl FabricationJob {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The makerspace making it; none when no space could make it.
    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Option<Makerspace>, ApiError> {
        match self.makerspace_id {
            Some(space) => Ok(Some(Makerspace::referenced(ctx, space).await?)),
            None => Ok(None),
        }
    }

    /// The customer who ordered it.
    async fn customer(&self) -> User {
        User {
            id: self.customer_id,
        }
    }

    /// The part's file, kept by the store: its `downloadUrl` fetches it for a few minutes, for
    /// the customer and the staff of the space making it.
    async fn upload(&self) -> PartUpload {
        PartUpload {
            id: ID(self.upload_id.to_string()),
        }
    }

    /// The declined job this one dispatches again.
    async fn replaces(&self) -> Option<ID> {
        self.replaces.map(|id| ID(id.to_string()))
    }

    /// The material it used, as the space's staff recorded it, in that order; for the space's
    /// staff (none for anyone else).
    async fn material_used(&self, ctx: &Context<'_>) -> Result<Vec<StockMovement>, ApiError> {
        if !self.seen_by_staff(ctx).await? {
            return Ok(Vec::new());
        }
        Ok(ctx
            .data_unchecked::<Loaders>()
            .job_material
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// Its slots on the space's printers (bookings in the staff's names), earliest first,
    /// leaving out those let go of; for the space's staff (none for anyone else).
    async fn bookings(&self, ctx: &Context<'_>) -> Result<Vec<Reservation>, ApiError> {
        if !self.seen_by_staff(ctx).await? {
            return Ok(Vec::new());
        }
        Ok(ctx
            .data_unchecked::<Loaders>()
            .job_bookings
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }
}

impl FabricationJob {
    /// Whether the caller is staff (or above) of the space making it: what the space keeps of
    /// a job (its slots, the material it used) is for them only.
    async fn seen_by_staff(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        match self.makerspace_id {
            Some(space) => policy::has_role(ctx, caller(ctx), space, MembershipRole::Staff).await,
            None => Ok(false),
        }
    }

    fn state(&self) -> FabricationJobState {
        FabricationJobState {
            id: self.id,
            order_id: self.order_id,
            order_part_id: self.order_part_id,
            makerspace_id: self.makerspace_id,
            status: self.status,
            reason: self.reason.clone(),
            ready_by: self.ready_by,
            updated_at: self.updated_at,
        }
    }

    /// Records `action` on the job, done by `actor`, from `before`.
    pub(super) async fn record(
        &self,
        tx: &mut PgConnection,
        actor: Uuid,
        action: Action,
        before: Option<&Self>,
    ) -> Result<(), ApiError> {
        changes::record(
            tx,
            Change {
                actor,
                action,
                entity_id: self.id,
                // A part no space could make belongs to none; its event says so with nil.
                makerspace_id: self.makerspace_id.unwrap_or(Uuid::nil()),
                before: before.map(Self::state).as_ref(),
                after: Some(&self.state()),
            },
        )
        .await
    }
}

/// A customer's uploaded part, as MakrCave refers to it (the store owns it).
#[derive(SimpleObject)]
#[graphql(unresolvable)]
pub struct PartUpload {
    pub id: ID,
}

/// Loads order parts' jobs as their viewer may see them (`makrcave.may_see_fabrication_job`),
/// oldest first (the last is the one that stands). Keyed by (part, viewer, whether a platform
/// admin): a request has one viewer, so one statement.
pub struct JobsByPart(pub PgPool);

impl Loader<(Uuid, Uuid, bool)> for JobsByPart {
    type Value = Vec<FabricationJob>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid, bool)],
    ) -> Result<HashMap<(Uuid, Uuid, bool), Vec<FabricationJob>>, ApiError> {
        let mut viewers: Vec<(Uuid, bool)> = keys
            .iter()
            .map(|(_, viewer, admin)| (*viewer, *admin))
            .collect();
        viewers.sort();
        viewers.dedup();
        let mut seen = HashMap::new();
        for (viewer, admin) in viewers {
            let parts: Vec<Uuid> = keys
                .iter()
                .filter(|key| (key.1, key.2) == (viewer, admin))
                .map(|key| key.0)
                .collect();
            let jobs = job_query!(
                "select",
                "from makrcave.fabrication_jobs j
                 where j.order_part_id = any($1) and makrcave.may_see_fabrication_job(j.id, $2, $3)
                 order by j.created_at, j.id",
                &parts,
                viewer,
                admin
            )
            .fetch_all(&self.0)
            .await?;
            for (part, jobs) in group_by(jobs, |job| job.order_part_id) {
                seen.insert((part, viewer, admin), jobs);
            }
        }
        Ok(seen)
    }
}

/// A part of a store order (the store owns it; MakrCave says who makes it).
pub struct OrderPart {
    id: Uuid,
}

#[Object]
impl OrderPart {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The jobs making it, oldest first: a declined one is followed by the next space's. Its
    /// customer sees them all; a space's staff the ones dispatched to their space.
    async fn fabrication_jobs(&self, ctx: &Context<'_>) -> Result<Vec<FabricationJob>, ApiError> {
        let caller = caller(ctx);
        Ok(ctx
            .data_unchecked::<Loaders>()
            .fabrication_jobs
            .load_one((self.id, caller.user()?.id, caller.is_admin()))
            .await?
            .unwrap_or_default())
    }
}

/// The job `id` when `caller` may see it (`makrcave.may_see_fabrication_job`); `NOT_FOUND`
/// otherwise, as for one that does not exist.
pub(super) async fn visible(ctx: &Context<'_>, id: Uuid) -> Result<FabricationJob, ApiError> {
    let caller = caller(ctx);
    job_query!(
        "select",
        "from makrcave.fabrication_jobs j
         where j.id = $1 and makrcave.may_see_fabrication_job(j.id, $2, $3)",
        id,
        caller.user()?.id,
        caller.is_admin()
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("fabrication job".into()))
}

/// How long a job over stays on its space's list, unless asked otherwise.
const OVER_LISTED_FOR: Duration = Duration::days(30);

/// `Makerspace.fabricationJobs`: the jobs dispatched to the space, in `statuses` (all when
/// none), soonest due first, those over only if last changed from `over_since` on; its staff
/// and above.
pub async fn dispatched_to(
    ctx: &Context<'_>,
    makerspace_id: Uuid,
    statuses: Option<Vec<FabricationJobStatus>>,
    over_since: Option<DateTime<Utc>>,
) -> Result<Vec<FabricationJob>, ApiError> {
    policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
    let statuses: Option<Vec<&str>> = statuses.map(|statuses| {
        statuses
            .into_iter()
            .map(FabricationJobStatus::name)
            .collect()
    });
    Ok(job_query!(
        "select",
        "from makrcave.fabrication_jobs j
         where j.makerspace_id = $1 and ($2::text[] is null or j.status = any($2))
           and (not makrcave.fabrication_job_is_over(j.status) or j.updated_at >= $3)
         order by j.ready_by nulls last, j.created_at, j.id",
        makerspace_id,
        statuses as Option<Vec<&str>>,
        over_since.unwrap_or_else(|| ctx.data_unchecked::<Clock>().now() - OVER_LISTED_FOR)
    )
    .fetch_all(ctx.data_unchecked::<PgPool>())
    .await?)
}

#[derive(Default)]
pub struct JobQuery;

#[Object]
impl JobQuery {
    /// A fabrication job: for its customer, the staff of the space it was dispatched to and
    /// platform admins.
    #[graphql(guard = "SignedIn")]
    async fn fabrication_job(&self, ctx: &Context<'_>, id: ID) -> Result<FabricationJob, ApiError> {
        visible(ctx, parse_id(&id, "id")?).await
    }

    /// A store order part as the router hands it over.
    #[graphql(entity)]
    async fn find_order_part_by_id(&self, #[graphql(key)] id: ID) -> Result<OrderPart, ApiError> {
        Ok(OrderPart {
            id: parse_id(&id, "id")?,
        })
    }
}

#[derive(InputObject)]
pub struct SetFabricationJobStatusInput {
    pub job_id: ID,
    /// One of the job's `nextStatuses`.
    pub status: FabricationJobStatus,
    /// Why, when declining it (required then, up to 500 characters): the customer reads it.
    pub reason: Option<String>,
}

#[derive(Default)]
pub struct JobMutation;

#[Object(guard = "SignedIn")]
impl JobMutation {
    /// Moves a job along its life (accepted, printing, post-processing, ready, shipped or
    /// delivered) or declines it with a reason; the staff (and above) of its space and platform
    /// admins. A declined part is dispatched at once to the next space that can make it, as a
    /// new job; the answer is the declined job. A move its life does not allow is `CONFLICT`.
    async fn set_fabrication_job_status(
        &self,
        ctx: &Context<'_>,
        input: SetFabricationJobStatusInput,
    ) -> Result<FabricationJob, ApiError> {
        let id = parse_id(&input.job_id, "jobId")?;
        let reason = match input.status {
            FabricationJobStatus::Declined => Some(decline_reason(input.reason.as_deref())?),
            FabricationJobStatus::Cancelled => {
                return Err(ApiError::invalid(
                    "status",
                    "a job is cancelled with its order, by the store",
                ));
            }
            _ => None,
        };
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        // Locked as it stands: another of the staff may be moving it at the same moment.
        let caller = caller(ctx);
        let job = job_query!(
            "select",
            "from makrcave.fabrication_jobs j
             where j.id = $1 and makrcave.may_see_fabrication_job(j.id, $2, $3)
             for update",
            id,
            caller.user()?.id,
            caller.is_admin()
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("fabrication job".into()))?;
        let space = job.makerspace_id.ok_or_else(|| {
            ApiError::Conflict("no makerspace has this job: it cannot be moved".into())
        })?;
        let actor = policy::require_role(ctx, caller, space, MembershipRole::Staff).await?;
        let moved = job_query!(
            "update makrcave.fabrication_jobs j
             set status = $2, reason = coalesce($3, j.reason), updated_at = now()
             where j.id = $1 and makrcave.fabrication_job_may_become(j.status, $2)
             returning",
            "",
            job.id,
            input.status.name(),
            reason
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(format!(
                "a job that is {} cannot become {}",
                job.status.words(),
                input.status.words()
            ))
        })?;
        let action = match input.status {
            FabricationJobStatus::Declined => Action::FABRICATION_JOB_DECLINED,
            _ => Action::FABRICATION_JOB_MOVED,
        };
        moved.record(&mut tx, actor, action, Some(&job)).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        release_bookings(&mut tx, &moved, actor, now).await?;
        if moved.status == FabricationJobStatus::Declined {
            let dispatch = Dispatch {
                loaders: ctx.data_unchecked::<Loaders>(),
                db,
                now,
            };
            dispatch.again(&mut tx, &moved, actor).await?;
        }
        tx.commit().await?;
        Ok(moved)
    }
}

/// The reason given for declining, trimmed: 1 to 500 characters.
fn decline_reason(reason: Option<&str>) -> Result<String, ApiError> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "say why the job is declined: the customer reads it",
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ApiError::invalid(
            "reason",
            "must be at most 500 characters",
        ));
    }
    Ok(reason.to_owned())
}

/// Dispatches paid parts as the store announces them, and cancels the jobs of an order called
/// off, as they come: one consumer, so that an order's payment and its cancellation are
/// handled in the order they happened.
pub async fn dispatch_paid_parts(db: PgPool, clock: Clock) {
    let loaders = Loaders::new(&db);
    consumer::run(db.clone(), CONSUMER, PaidParts { loaders, db, clock }).await
}

struct PaidParts {
    loaders: Loaders,
    db: PgPool,
    clock: Clock,
}

impl Handler for PaidParts {
    async fn handle(&self, tx: &mut PgConnection, delivery: &Delivery) -> Result<(), ApiError> {
        if delivery.topic == topics::ORDER_CHANGED {
            return called_off(tx, delivery.payload()?, self.clock.now()).await;
        }
        let order: OrderPartsPaid = delivery.payload()?;
        let dispatch = Dispatch {
            loaders: &self.loaders,
            db: &self.db,
            now: self.clock.now(),
        };
        for part in &order.parts {
            dispatch.first(tx, &order, part).await?;
        }
        Ok(())
    }
}

/// Cancels the jobs not yet delivered of an order the store cancelled or refunded, letting go
/// of their printer time.
async fn called_off(
    tx: &mut PgConnection,
    change: StoreChanged,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Ok(order) = serde_json::from_value::<OrderState>(change.after) else {
        return Ok(());
    };
    if !matches!(order.status, OrderStatus::Cancelled | OrderStatus::Refunded) {
        return Ok(());
    }
    let open = job_query!(
        "select",
        "from makrcave.fabrication_jobs j
         where j.order_id = $1 and makrcave.fabrication_job_may_become(j.status, 'cancelled')
         for update",
        order.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let reason = format!("order #{} was {}", order.number, order.status.words());
    for job in open {
        let cancelled = job_query!(
            "update makrcave.fabrication_jobs j
             set status = 'cancelled', reason = $2, updated_at = now()
             where j.id = $1
             returning",
            "",
            job.id,
            reason
        )
        .fetch_one(&mut *tx)
        .await?;
        let actor = change.actor_id.unwrap_or(changes::SYSTEM);
        cancelled
            .record(tx, actor, Action::FABRICATION_JOB_CANCELLED, Some(&job))
            .await?;
        release_bookings(tx, &cancelled, actor, now).await?;
    }
    Ok(())
}

/// Where parts go, decided from the printers' queues as they stand `now`.
struct Dispatch<'a> {
    loaders: &'a Loaders,
    db: &'a PgPool,
    now: DateTime<Utc>,
}

/// A part to dispatch: what making it takes and who ordered it.
struct Part<'a> {
    order_part_id: Uuid,
    customer_id: Uuid,
    material: &'a str,
    process: PrintProcess,
    bbox_mm: &'a [f64],
    print_seconds: i64,
    quantity: i32,
}

impl Dispatch<'_> {
    /// Dispatches a part of a paid order, unless a job was made of it before (the payment
    /// announced again).
    async fn first(
        &self,
        tx: &mut PgConnection,
        order: &OrderPartsPaid,
        paid: &PaidPart,
    ) -> Result<(), ApiError> {
        let known = sqlx::query_scalar!(
            "select exists(select 1 from makrcave.fabrication_jobs where order_part_id = $1)",
            paid.id
        )
        .fetch_one(&mut *tx)
        .await?;
        if known == Some(true) {
            return Ok(());
        }
        let part = Part {
            order_part_id: paid.id,
            customer_id: order.customer_id,
            material: &paid.material,
            process: paid.process,
            bbox_mm: &paid.bbox_mm,
            print_seconds: paid.print_seconds,
            quantity: paid.quantity,
        };
        let (space, ready_by) = self.choose(&part, paid.makerspace_id, &[]).await?;
        let job = job_query!(
            "insert into makrcave.fabrication_jobs as j
                 (id, order_part_id, order_id, order_number, customer_id, makerspace_id, status,
                  reason, ready_by, quote_id, upload_id, file_name, material, colour,
                  infill_percent, quantity, process, print_seconds, material_grams, bbox_mm)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                     $18, $19, $20)
             returning",
            "",
            Uuid::now_v7(),
            paid.id,
            order.order_id,
            order.number,
            order.customer_id,
            space,
            self.status_at(space).await?.name(),
            space.is_none().then_some(NO_SPACE),
            ready_by,
            paid.quote_id,
            paid.upload_id,
            paid.file_name,
            paid.material,
            paid.colour,
            paid.infill_percent,
            paid.quantity,
            paid.process as PrintProcess,
            paid.print_seconds,
            paid.material_grams,
            &paid.bbox_mm
        )
        .fetch_one(&mut *tx)
        .await?;
        job.record(
            tx,
            changes::SYSTEM,
            Action::FABRICATION_JOB_DISPATCHED,
            None,
        )
        .await?;
        if job.makerspace_id.is_none() {
            unmade(tx, &job, NO_SPACE).await?;
        }
        Ok(())
    }

    /// Dispatches the part of `declined` (by `actor`) to the next space that can make it, one
    /// that has not declined it; when none can, the declined job stands.
    async fn again(
        &self,
        tx: &mut PgConnection,
        declined: &FabricationJob,
        actor: Uuid,
    ) -> Result<(), ApiError> {
        let refused: Vec<Uuid> = sqlx::query_scalar!(
            r#"select makerspace_id as "makerspace_id!" from makrcave.fabrication_jobs
               where order_part_id = $1 and status = 'declined' and makerspace_id is not null"#,
            declined.order_part_id
        )
        .fetch_all(&mut *tx)
        .await?;
        let part = Part {
            order_part_id: declined.order_part_id,
            customer_id: declined.customer_id,
            material: &declined.material,
            process: declined.process,
            bbox_mm: &declined.bbox_mm,
            print_seconds: declined.print_seconds,
            quantity: declined.quantity,
        };
        let (Some(space), ready_by) = self.choose(&part, None, &refused).await? else {
            let reason = declined.reason.as_deref().unwrap_or(NO_SPACE);
            return unmade(tx, declined, reason).await;
        };
        let job = job_query!(
            "insert into makrcave.fabrication_jobs as j
                 (id, order_part_id, order_id, order_number, customer_id, makerspace_id,
                  replaces, status, ready_by, quote_id, upload_id, file_name, material, colour,
                  infill_percent, quantity, process, print_seconds, material_grams, bbox_mm)
             select $1, order_part_id, order_id, order_number, customer_id, $3, id, $4, $5,
                    quote_id, upload_id, file_name, material, colour, infill_percent, quantity,
                    process, print_seconds, material_grams, bbox_mm
             from makrcave.fabrication_jobs where id = $2
             returning",
            "",
            Uuid::now_v7(),
            declined.id,
            space,
            self.status_at(Some(space)).await?.name(),
            ready_by
        )
        .fetch_one(&mut *tx)
        .await?;
        job.record(tx, actor, Action::FABRICATION_JOB_DISPATCHED, None)
            .await
    }

    /// The space to make `part` and when it would be ready there: `chosen` when it still can,
    /// otherwise the one that would have it ready first, among those its customer may see and
    /// that have not `refused` it; none when no space can.
    async fn choose(
        &self,
        part: &Part<'_>,
        chosen: Option<Uuid>,
        refused: &[Uuid],
    ) -> Result<(Option<Uuid>, Option<DateTime<Utc>>), ApiError> {
        let Ok(size) = <[f64; 3]>::try_from(part.bbox_mm) else {
            return Err(ApiError::internal(format_args!(
                "the order part {} has no three sides",
                part.order_part_id
            )));
        };
        let making = PartToMake {
            material: part.material,
            process: part.process,
            size,
            needed: print_time(part.print_seconds, part.quantity),
        };
        let ready = ready_times(
            self.loaders,
            self.db,
            &making,
            (Some(part.customer_id), false),
            self.now,
        )
        .await?;
        let open: Vec<&(Uuid, DateTime<Utc>)> = ready
            .iter()
            .filter(|(space, _)| !refused.contains(space))
            .collect();
        let pick = open
            .iter()
            .find(|(space, _)| Some(*space) == chosen)
            .or(open.first());
        Ok(match pick {
            Some((space, at)) => (Some(*space), Some(*at)),
            None => (None, None),
        })
    }

    /// A new job's status at `space`: accepted when the space accepts automatically, waiting
    /// for its staff otherwise; declined when there is no space.
    async fn status_at(&self, space: Option<Uuid>) -> Result<FabricationJobStatus, ApiError> {
        let Some(space) = space else {
            return Ok(FabricationJobStatus::Declined);
        };
        let service = self.loaders.fabrication_services.load_one(space).await?;
        Ok(
            if service.is_some_and(|service| service.accepts_automatically) {
                FabricationJobStatus::Accepted
            } else {
                FabricationJobStatus::Dispatched
            },
        )
    }
}

/// Announces that no space will make the part of `job`, for the store to give its price back.
async fn unmade(tx: &mut PgConnection, job: &FabricationJob, reason: &str) -> Result<(), ApiError> {
    let unmade = PartUnmade {
        order_id: job.order_id,
        order_part_id: job.order_part_id,
        reason: reason.to_owned(),
    };
    outbox::publish(tx, topics::FABRICATION_PART_UNMADE, &unmade).await?;
    Ok(())
}

/// Why a part paid for went to no space.
const NO_SPACE: &str =
    "no makerspace that makes its material on a printer it fits is taking jobs now";
