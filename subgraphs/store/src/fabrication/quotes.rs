//! Quotes of uploaded parts. A quote is also the job that makes it: `quoteUpload` checks the
//! upload arrived whole and is an STL, then quotes a small part at once; a large one, or any
//! part when the slicer is installed (slicing takes seconds), is queued in PostgreSQL and made
//! by `quote_parts`, and its customer follows it by subscription (`fabricationQuoteChanged`).
//! Either way the engine runs on the uploaded bytes themselves.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_files::{Files, START_BYTES, looks_like};
use makrx_quoting::estimate::EstimateSource;
use makrx_quoting::{
    Measurements, PrintSettings, Quantity, Quote, QuoteError, QuoteRequest, materials,
};
use makrx_service::graphql::{caller, group_by};
use makrx_service::outbox::{FabricationQuoteState, PrintProcess, QuoteStatus};
use makrx_service::{ApiError, Clock, parse_id};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::uploads::{self, PartUpload, STL};
use super::{Fabrication, Quoting, print_process};
use crate::changes::{self, Action};
use crate::loaders::Loaders;

/// The largest part quoted while its customer waits, when the slicer is not installed: the
/// engine reads some 100 MB a second, so the answer comes in a fraction of a second.
const QUICK_BYTES: i64 = 20 * 1024 * 1024;
/// How often the worker looks for queued quotes when no notification wakes it.
const POLL: Duration = Duration::from_secs(1);
/// The channel a queued quote is announced on.
const QUEUED: &str = "store_fabrication_quote_queued";
/// How many times a quote is tried before it is given up.
const MAX_ATTEMPTS: i32 = 3;

/// A statement reading quotes: `$head`, the quote's columns as `FabricationQuote` takes them,
/// then `$tail`.
macro_rules! quote_query {
    ($head:literal, $tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            FabricationQuote,
            $head
                + r#" id, upload_id, material, colour, infill_percent, quantity,
                      status as "status: QuoteStatus",
                      measures as "measures: Json<PartMeasures>",
                      misfits as "misfits: Json<Vec<Misfit>>",
                      print as "print: Json<PrintPlan>", price as "price: Json<QuotePrice>",
                      warnings, failure, expires_at, created_at, updated_at "#
                + $tail
            $(, $arg)*
        )
    };
}

/// A part's measures, as the engine found them in the file.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject)]
pub struct PartMeasures {
    pub triangles: i64,
    pub volume_mm3: f64,
    pub area_mm2: f64,
    /// The bounding box's width, depth and height, mm.
    pub bbox_mm: Vec<f64>,
    /// Every edge is shared by exactly two triangles: the volume is exact.
    pub watertight: bool,
    /// Separate pieces in the file.
    pub shells: i64,
}

impl From<&Measurements> for PartMeasures {
    fn from(part: &Measurements) -> Self {
        Self {
            triangles: part.triangles as i64,
            volume_mm3: part.volume_mm3,
            area_mm2: part.area_mm2,
            bbox_mm: part.bbox_mm.to_vec(),
            watertight: part.watertight,
            shells: part.shells as i64,
        }
    }
}

/// A machine a part does not fit, and why.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject)]
pub struct Misfit {
    pub machine: String,
    /// Which of the part's dimensions exceeds which of the machine's.
    pub reason: String,
}

/// How one copy of the part will be printed.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject)]
pub struct PrintPlan {
    pub machine: String,
    pub process: PrintProcess,
    pub print_seconds: i64,
    pub material_grams: f64,
    /// Where those figures come from: `slicer` (PrusaSlicer sliced it) or `estimate`.
    pub source: String,
    /// Why the estimate stands in for the slicer, when it does.
    pub fallback_reason: Option<String>,
}

/// What the part costs, line by line, in the currency's minor unit.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject)]
pub struct QuotePrice {
    pub currency: String,
    pub material_per_part_minor: i64,
    pub machine_per_part_minor: i64,
    pub quantity: i32,
    /// Material and machine for every copy.
    pub production_minor: i64,
    pub quantity_discount_minor: i64,
    pub markup_minor: i64,
    /// Charged once per quote: file checks, bed preparation, post-processing.
    pub setup_fee_minor: i64,
    /// What the customer pays, taxes not included.
    pub total_minor: i64,
    pub unit_price_minor: i64,
}

/// A quote of an uploaded part, and the job that makes it.
#[derive(Clone, Debug, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct FabricationQuote {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub upload_id: Uuid,
    /// The material's code: `PLA`.
    pub material: String,
    /// As the customer asked; the provider's choice when none.
    pub colour: Option<String>,
    pub infill_percent: i32,
    pub quantity: i32,
    pub status: QuoteStatus,
    #[graphql(skip)]
    pub measures: Option<Json<PartMeasures>>,
    #[graphql(skip)]
    pub misfits: Option<Json<Vec<Misfit>>>,
    #[graphql(skip)]
    pub print: Option<Json<PrintPlan>>,
    #[graphql(skip)]
    pub price: Option<Json<QuotePrice>>,
    /// What the customer should know: an open mesh, an inside-out file.
    pub warnings: Vec<String>,
    /// Why the file could not be quoted (`FAILED`).
    pub failure: Option<String>,
    /// When the price stops being honoured (`READY`).
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[ComplexObject]
impl FabricationQuote {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn upload(&self, ctx: &Context<'_>) -> Result<PartUpload, ApiError> {
        let viewer = caller(ctx).user()?.id;
        uploads::visible(ctx.data_unchecked::<PgPool>(), self.upload_id, viewer).await
    }

    /// The part's measures (`READY` and `TOO_BIG`).
    async fn measures(&self) -> Option<&PartMeasures> {
        self.measures.as_deref()
    }

    /// The machines the part fits none of, and why (`TOO_BIG`).
    async fn misfits(&self) -> &[Misfit] {
        self.misfits.as_deref().map_or(&[], Vec::as_slice)
    }

    /// How one copy will be printed (`READY`).
    async fn print(&self) -> Option<&PrintPlan> {
        self.print.as_deref()
    }

    /// The price, line by line (`READY`).
    async fn price(&self) -> Option<&QuotePrice> {
        self.price.as_deref()
    }

    /// Whether its price has stopped being honoured.
    async fn expired(&self, ctx: &Context<'_>) -> bool {
        self.expires_at
            .is_some_and(|at| at <= ctx.data_unchecked::<Clock>().now())
    }
}

impl FabricationQuote {
    fn state(&self) -> FabricationQuoteState {
        FabricationQuoteState {
            id: self.id,
            upload_id: self.upload_id,
            status: self.status,
            total_minor: self.price.as_ref().map(|price| price.total_minor),
            currency: self.price.as_ref().map(|price| price.currency.clone()),
            updated_at: self.updated_at,
        }
    }
}

/// Loads uploads' quotes, newest first.
pub struct QuotesByUpload(pub PgPool);

impl Loader<Uuid> for QuotesByUpload {
    type Value = Vec<FabricationQuote>;
    type Error = ApiError;

    async fn load(
        &self,
        uploads: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<FabricationQuote>>, ApiError> {
        let rows = quote_query!(
            "select",
            "from store.fabrication_quotes where upload_id = any($1)
             order by created_at desc, id desc",
            uploads
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.upload_id))
    }
}

/// The quotes of `upload`, whose visibility the caller has checked.
pub async fn of_upload(ctx: &Context<'_>, upload: Uuid) -> Result<Vec<FabricationQuote>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .quotes
        .load_one(upload)
        .await?
        .unwrap_or_default())
}

#[derive(Default)]
pub struct QuoteQuery;

#[Object]
impl QuoteQuery {
    /// A quote of one of the signed-in customer's uploads.
    async fn fabrication_quote(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<FabricationQuote, ApiError> {
        visible(ctx, parse_id(&id, "id")?).await
    }

    /// A quote by its key, for the router: its customer's alone, as `fabricationQuote`.
    #[graphql(entity)]
    async fn find_fabrication_quote_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<FabricationQuote, ApiError> {
        visible(ctx, parse_id(&id, "id")?).await
    }
}

/// The quote `id` when the caller may see it (`store.may_see_fabrication_quote`); `NOT_FOUND`
/// otherwise, as for one that does not exist.
pub async fn visible(ctx: &Context<'_>, id: Uuid) -> Result<FabricationQuote, ApiError> {
    let viewer = caller(ctx).user()?.id;
    quote_query!(
        "select",
        "from store.fabrication_quotes
         where id = $1 and store.may_see_fabrication_quote(id, $2)",
        id,
        viewer
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("quote".into()))
}

#[derive(InputObject)]
pub struct QuoteUploadInput {
    pub upload_id: ID,
    /// A material's code from `fabricationMaterials`: `PLA`.
    pub material: String,
    /// The colour wanted, up to 40 characters; none leaves it to the provider.
    pub colour: Option<String>,
    /// Sparse infill, 0 to 100 percent (resin parts are solid whatever it says).
    #[graphql(default = 20)]
    pub infill_percent: i32,
    /// Copies, 1 to 10,000.
    #[graphql(default = 1)]
    pub quantity: i32,
}

/// The longest colour.
const MAX_COLOUR: usize = 40;

#[derive(Default)]
pub struct QuoteMutation;

#[Object]
impl QuoteMutation {
    /// Quotes one of the signed-in customer's uploads once its file is sent: the part's
    /// measures, how it prints and its price, until the quote expires. A small part is quoted
    /// before this answers (`READY`, or `TOO_BIG` with the machines it exceeds); a large one
    /// answers `QUEUED` and arrives by `fabricationQuoteChanged`. A file that is not the size
    /// declared, or not a readable STL, is refused with the reason, and nothing is kept of it
    /// but the upload.
    async fn quote_upload(
        &self,
        ctx: &Context<'_>,
        input: QuoteUploadInput,
    ) -> Result<FabricationQuote, ApiError> {
        let customer = caller(ctx).user()?.id;
        let fabrication = ctx.data_unchecked::<Fabrication>();
        let files = fabrication.files()?;
        let upload_id = parse_id(&input.upload_id, "uploadId")?;
        let request = request(
            &fabrication.quoting,
            &input.material,
            input.infill_percent,
            input.quantity,
        )?;
        let material = request.material.clone();
        let colour = input
            .colour
            .map(|colour| colour.trim().to_owned())
            .filter(|colour| !colour.is_empty());
        if colour
            .as_ref()
            .is_some_and(|colour| colour.chars().count() > MAX_COLOUR)
        {
            return Err(ApiError::invalid("colour", "must be at most 40 characters"));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let upload = uploads::owned(db, upload_id, customer).await?;
        arrived(files, &upload).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let made = if fabrication.quoting.is_quick(upload.size_bytes) {
            let made = make(
                files,
                &fabrication.quoting,
                &upload.object_key,
                request,
                now,
            )
            .await?;
            if let Some(reason) = &made.failure {
                return Err(ApiError::invalid("uploadId", reason.clone()));
            }
            Some(made)
        } else {
            None
        };
        let mut tx = db.begin().await?;
        let queued = quote_query!(
            "insert into store.fabrication_quotes
                 (id, upload_id, material, colour, infill_percent, quantity)
             values ($1, $2, $3, $4, $5, $6)
             returning",
            "",
            Uuid::now_v7(),
            upload.id,
            material,
            colour,
            input.infill_percent,
            input.quantity
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            customer,
            Action::FABRICATION_QUOTE_REQUESTED,
            queued.id,
            None,
            Some(&queued.state()),
        )
        .await?;
        let quote = match made {
            Some(made) => finish(&mut tx, queued.id, made).await?,
            None => {
                // Delivered when the transaction commits.
                sqlx::query!("select pg_notify($1, '')", QUEUED)
                    .execute(&mut *tx)
                    .await?;
                queued
            }
        };
        tx.commit().await?;
        Ok(quote)
    }
}

/// What the customer asks for, checked against the price list.
fn request(
    quoting: &Quoting,
    material: &str,
    infill_percent: i32,
    quantity: i32,
) -> Result<QuoteRequest, ApiError> {
    let known = materials::find(&quoting.prices.materials, material)
        .map_err(|error| ApiError::invalid("material", error.to_string()))?;
    let settings = u8::try_from(infill_percent)
        .ok()
        .and_then(|infill| PrintSettings::standard(known.process, infill).ok())
        .ok_or_else(|| ApiError::invalid("infillPercent", "must be 0 to 100"))?;
    let quantity = u32::try_from(quantity)
        .ok()
        .and_then(|count| Quantity::new(count).ok())
        .ok_or_else(|| ApiError::invalid("quantity", "must be 1 to 10,000"))?;
    Ok(QuoteRequest {
        material: known.code.clone(),
        settings,
        quantity,
        slicer: quoting.slicer.clone(),
    })
}

impl Quoting {
    /// Whether a part of `size_bytes` is quoted while its customer waits.
    fn is_quick(&self, size_bytes: i64) -> bool {
        !self.slicer_installed && size_bytes <= QUICK_BYTES
    }
}

/// Refuses an upload whose file has not arrived, is not the size declared or is no STL.
async fn arrived(files: &Files, upload: &PartUpload) -> Result<(), ApiError> {
    let start = files
        .peek(&upload.object_key, START_BYTES)
        .await
        .map_err(|error| ApiError::internal(format_args!("reading an upload: {error}")))?;
    let Some((size, start)) = start else {
        return Err(ApiError::Conflict(
            "nothing has been uploaded for this part yet: send the file to its upload URL first"
                .into(),
        ));
    };
    if i64::try_from(size) != Ok(upload.size_bytes) {
        return Err(ApiError::invalid(
            "uploadId",
            format!(
                "the file is {size} bytes, not the {} declared: upload it again",
                upload.size_bytes
            ),
        ));
    }
    if !looks_like(STL, &start, size) {
        return Err(ApiError::invalid(
            "uploadId",
            "the file is not an STL file (nor a binary STL whose triangle count matches its size)",
        ));
    }
    Ok(())
}

/// What the engine made of a part, as a quote's columns keep it.
struct Made {
    status: QuoteStatus,
    measures: Option<PartMeasures>,
    misfits: Option<Vec<Misfit>>,
    print: Option<PrintPlan>,
    price: Option<QuotePrice>,
    warnings: Vec<String>,
    failure: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

impl Made {
    fn of(status: QuoteStatus) -> Self {
        Self {
            status,
            measures: None,
            misfits: None,
            print: None,
            price: None,
            warnings: Vec::new(),
            failure: None,
            expires_at: None,
        }
    }

    /// The engine's answer: a quote, a part too big for every machine, or why it failed.
    fn from_engine(answer: Result<Quote, QuoteError>) -> Self {
        match answer {
            Ok(quote) => Self {
                measures: Some(PartMeasures::from(&quote.part)),
                print: Some(PrintPlan {
                    machine: quote.machine,
                    process: print_process(quote.process),
                    print_seconds: quote.estimate.print_time_s.round() as i64,
                    material_grams: quote.estimate.material_g,
                    source: match quote.provenance.source {
                        EstimateSource::Slicer => "slicer",
                        EstimateSource::Estimate => "estimate",
                    }
                    .to_owned(),
                    fallback_reason: quote.provenance.fallback_reason,
                }),
                price: Some(QuotePrice::from(&quote.price)),
                warnings: quote.warnings,
                expires_at: Some(quote.expires_at),
                ..Self::of(QuoteStatus::Ready)
            },
            Err(QuoteError::DoesNotFit(misfit)) => Self {
                measures: Some(PartMeasures::from(&misfit.part)),
                misfits: Some(
                    misfit
                        .machines
                        .iter()
                        .map(|machine| Misfit {
                            machine: machine.machine.clone(),
                            reason: machine.to_string(),
                        })
                        .collect(),
                ),
                ..Self::of(QuoteStatus::TooBig)
            },
            Err(error) => Self::failed(error.to_string()),
        }
    }

    fn failed(reason: String) -> Self {
        Self {
            failure: Some(reason),
            ..Self::of(QuoteStatus::Failed)
        }
    }
}

/// Quotes the file at `key` as `request` asks, off the async threads.
async fn make(
    files: &Files,
    quoting: &Arc<Quoting>,
    key: &str,
    request: QuoteRequest,
    now: DateTime<Utc>,
) -> Result<Made, ApiError> {
    let Some(bytes) = files
        .read(key)
        .await
        .map_err(|error| ApiError::internal(format_args!("reading a part: {error}")))?
    else {
        return Ok(Made::failed("the part's file is gone".into()));
    };
    let quoting = Arc::clone(quoting);
    tokio::task::spawn_blocking(move || {
        Made::from_engine(makrx_quoting::quote(
            &bytes,
            &request,
            &quoting.prices,
            &quoting.limits,
            now,
        ))
    })
    .await
    .map_err(|error| ApiError::internal(format_args!("the quote engine stopped: {error}")))
}

/// Records what the engine made of quote `id`, and announces it.
async fn finish(tx: &mut PgConnection, id: Uuid, made: Made) -> Result<FabricationQuote, ApiError> {
    let quote = quote_query!(
        "update store.fabrication_quotes
         set status = $2, measures = $3, misfits = $4, print = $5, price = $6, warnings = $7,
             failure = $8, total_minor = $9, currency = $10, expires_at = $11,
             claimed_at = null, updated_at = now()
         where id = $1
         returning",
        "",
        id,
        made.status as QuoteStatus,
        made.measures.map(Json) as Option<Json<PartMeasures>>,
        made.misfits.map(Json) as Option<Json<Vec<Misfit>>>,
        made.print.map(Json) as Option<Json<PrintPlan>>,
        made.price.clone().map(Json) as Option<Json<QuotePrice>>,
        &made.warnings,
        made.failure,
        made.price.as_ref().map(|price| price.total_minor),
        made.price.map(|price| price.currency),
        made.expires_at
    )
    .fetch_one(&mut *tx)
    .await?;
    changes::record(
        tx,
        None,
        Action::FABRICATION_QUOTE_MADE,
        id,
        None,
        Some(&quote.state()),
    )
    .await?;
    Ok(quote)
}

impl From<&makrx_quoting::PriceBreakdown> for QuotePrice {
    fn from(price: &makrx_quoting::PriceBreakdown) -> Self {
        Self {
            currency: price.currency.clone(),
            material_per_part_minor: price.material_per_part_minor,
            machine_per_part_minor: price.machine_per_part_minor,
            quantity: price.quantity as i32,
            production_minor: price.production_minor,
            quantity_discount_minor: price.quantity_discount_minor,
            markup_minor: price.markup_minor,
            setup_fee_minor: price.setup_fee_minor,
            total_minor: price.total_minor,
            unit_price_minor: price.unit_price_minor,
        }
    }
}

/// A queued quote a worker has claimed.
struct Job {
    id: Uuid,
    material: String,
    infill_percent: i32,
    quantity: i32,
    attempts: i32,
    object_key: String,
}

/// Makes the queued quotes, one at a time, until the pool is closed; with no object
/// storage there are none. It wakes when a quote is queued (`NOTIFY`), and looks every second
/// besides, for a notification missed.
pub async fn quote_parts(db: PgPool, files: Option<Files>, clock: Clock, quoting: Arc<Quoting>) {
    let Some(files) = files else {
        return;
    };
    let mut listener = None;
    while !db.is_closed() {
        match make_next(&db, &files, &clock, &quoting).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(_) if db.is_closed() => break,
            Err(error) => {
                tracing::warn!(error = %error.message(), "a queued quote could not be made; it will be tried again");
            }
        }
        if listener.is_none() {
            listener = listen(&db).await;
        }
        match listener.as_mut() {
            Some(open) => {
                if let Ok(Err(_)) = tokio::time::timeout(POLL, open.recv()).await {
                    listener = None;
                }
            }
            None => tokio::time::sleep(POLL).await,
        }
    }
}

async fn listen(db: &PgPool) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(db).await.ok()?;
    match listener.listen(QUEUED).await {
        Ok(()) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "cannot listen for queued quotes; polling");
            None
        }
    }
}

/// Claims the oldest queued quote (or one whose claim lapsed with its worker) and makes it;
/// false when there is none.
async fn make_next(
    db: &PgPool,
    files: &Files,
    clock: &Clock,
    quoting: &Arc<Quoting>,
) -> Result<bool, ApiError> {
    let job = sqlx::query_as!(
        Job,
        r#"update store.fabrication_quotes q
           set status = 'quoting', claimed_at = now(), attempts = q.attempts + 1,
               updated_at = now()
           from store.part_uploads u
           where u.id = q.upload_id and q.id = (
               select id from store.fabrication_quotes
               where status = 'queued'
                  or (status = 'quoting' and claimed_at < now() - interval '5 minutes')
               order by created_at limit 1 for update skip locked)
           returning q.id, q.material, q.infill_percent, q.quantity, q.attempts, u.object_key"#
    )
    .fetch_optional(db)
    .await?;
    let Some(job) = job else {
        return Ok(false);
    };
    let made = if job.attempts > MAX_ATTEMPTS {
        Made::failed("the part could not be quoted: ask for a new quote".into())
    } else {
        match request(quoting, &job.material, job.infill_percent, job.quantity) {
            Ok(request) => make(files, quoting, &job.object_key, request, clock.now()).await?,
            Err(error) => Made::failed(error.message()),
        }
    };
    let mut tx = db.begin().await?;
    finish(&mut tx, job.id, made).await?;
    tx.commit().await?;
    Ok(true)
}
