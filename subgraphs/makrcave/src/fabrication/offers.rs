//! A customer's fabrication quote as MakrCave answers it: which makerspaces can make the part
//! and when each would have it ready. The store keeps the quote; the router hands MakrCave its
//! material, quantity, size and print time (`@requires`), and MakrCave never copies them.
//!
//! The lead time is read off the real queue of each printer that can make the part (it prints
//! the process, fits the part, and its space makes the material and takes jobs): the printer's
//! time from now is laid out as its calendar lays it out (the space's opening hours, the
//! bookings that hold it, blackouts, the machine being down), and the copies are printed one
//! after another in its free stretches only, as staff are there to start and take off prints.
//! The space's jobs still to print go first: those its staff gave printer time hold it as
//! bookings; the others, in their order, each take the front of the printer that fits it and
//! finishes it first. A space's offer is its earliest printer's; a part none can finish within
//! four weeks gets no offer from that space.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use futures::future::try_join_all;
use makrx_service::graphql::caller;
use makrx_service::outbox::{FabricationJobStatus, PrintProcess};
use makrx_service::{ApiError, Clock};
use sqlx::PgPool;
use uuid::Uuid;

use super::FabricationPrinter;
use crate::loaders::Loaders;
use crate::reservations::{MachineTime, Stretch};
use crate::space::Makerspace;
use crate::timetable::Span;

/// How far ahead a printer's time is looked at.
const HORIZON: Duration = Duration::days(28);

/// A quote's measures, as the router hands them over.
#[derive(Clone, InputObject)]
pub struct PartMeasuresFields {
    pub bbox_mm: Vec<f64>,
}

/// A quote's print, as the router hands it over.
#[derive(Clone, InputObject)]
pub struct PrintPlanFields {
    pub process: PrintProcess,
    pub print_seconds: i64,
}

/// A store customer's quote of a part (the store owns it; MakrCave says who can make it).
pub struct FabricationQuote {
    id: ID,
    material: String,
    quantity: i32,
    measures: Option<PartMeasuresFields>,
    print: Option<PrintPlanFields>,
}

/// A quote's measures, as far as MakrCave reads them.
pub struct PartMeasures(PartMeasuresFields);

#[Object]
impl PartMeasures {
    #[graphql(external)]
    async fn bbox_mm(&self) -> &[f64] {
        &self.0.bbox_mm
    }
}

/// A quote's print, as far as MakrCave reads it.
pub struct PrintPlan(PrintPlanFields);

#[Object]
impl PrintPlan {
    #[graphql(external)]
    async fn process(&self) -> PrintProcess {
        self.0.process
    }

    #[graphql(external)]
    async fn print_seconds(&self) -> i64 {
        self.0.print_seconds
    }
}

/// A makerspace that can make a quoted part, and when.
#[derive(SimpleObject)]
pub struct FabricationOffer {
    pub makerspace: Makerspace,
    /// When the part would be ready there, as its printers' queue stands now.
    pub ready_by: DateTime<Utc>,
    /// Hours from now until then, rounded up.
    pub lead_time_hours: i64,
    /// Whether it takes a job at once (otherwise its staff accept each).
    pub accepts_automatically: bool,
}

#[Object]
impl FabricationQuote {
    async fn id(&self) -> &ID {
        &self.id
    }

    #[graphql(external)]
    async fn material(&self) -> &str {
        &self.material
    }

    #[graphql(external)]
    async fn quantity(&self) -> i32 {
        self.quantity
    }

    #[graphql(external)]
    async fn measures(&self) -> Option<PartMeasures> {
        self.measures.clone().map(PartMeasures)
    }

    #[graphql(external)]
    async fn print(&self) -> Option<PrintPlan> {
        self.print.clone().map(PrintPlan)
    }

    /// The makerspaces (that the caller may see) that can make the part, earliest ready
    /// first: none until the quote is priced, or when no space's printer can make it.
    #[graphql(requires = "material quantity measures { bboxMm } print { process printSeconds }")]
    async fn offers(&self, ctx: &Context<'_>) -> Result<Vec<FabricationOffer>, ApiError> {
        let (Some(measures), Some(print)) = (&self.measures, &self.print) else {
            return Ok(Vec::new());
        };
        let Ok(size) = <[f64; 3]>::try_from(measures.bbox_mm.as_slice()) else {
            return Err(ApiError::invalid(
                "measures",
                "bboxMm must give three sides",
            ));
        };
        let part = PartToMake {
            material: &self.material,
            process: print.process,
            size,
            needed: print_time(print.print_seconds, self.quantity),
        };
        let caller = caller(ctx);
        let now = ctx.data_unchecked::<Clock>().now();
        let earliest = ready_times(
            ctx.data_unchecked::<Loaders>(),
            ctx.data_unchecked::<PgPool>(),
            &part,
            (caller.user_id(), caller.is_admin()),
            now,
        )
        .await?;
        let mut offers = try_join_all(earliest.into_iter().map(|(space, ready)| async move {
            let service = super::of_space(ctx, space).await?;
            Ok::<_, ApiError>(FabricationOffer {
                makerspace: Makerspace::referenced(ctx, space).await?,
                ready_by: ready,
                lead_time_hours: ((ready - now).num_minutes() + 59) / 60,
                accepts_automatically: service.is_some_and(|service| service.accepts_automatically),
            })
        }))
        .await?;
        offers.sort_by_key(|offer| (offer.ready_by, offer.makerspace.name.clone()));
        Ok(offers)
    }
}

/// Printing `quantity` copies of `print_seconds` each, one after another.
pub fn print_time(print_seconds: i64, quantity: i32) -> Duration {
    Duration::seconds(print_seconds.max(0) * i64::from(quantity.max(1)))
}

/// What making a part takes, as far as its lead time goes.
pub struct PartToMake<'a> {
    /// The material's code: `PLA`.
    pub material: &'a str,
    pub process: PrintProcess,
    /// Its width, depth and height, mm.
    pub size: [f64; 3],
    /// Printing every copy.
    pub needed: Duration,
}

/// The statuses of a job still to be printed: waiting in its space's queue for printer time
/// unless its staff gave it some.
const STILL_TO_PRINT: [FabricationJobStatus; 3] = [
    FabricationJobStatus::Dispatched,
    FabricationJobStatus::Accepted,
    FabricationJobStatus::Printing,
];

/// The makerspaces `viewer` (a user, and whether a platform admin) may see that can make
/// `part`, each with when its earliest printer would have it ready: earliest first. A space's
/// jobs still to print that its staff have not given printer time go first, in their order,
/// each on the printer that fits it and finishes it first.
pub async fn ready_times(
    loaders: &Loaders,
    db: &PgPool,
    part: &PartToMake<'_>,
    viewer: (Option<Uuid>, bool),
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, DateTime<Utc>)>, ApiError> {
    let printers = sqlx::query_as!(
        FabricationPrinter,
        r#"select p.equipment_id, p.makerspace_id, p.process as "process: PrintProcess",
                  p.build_x_mm, p.build_y_mm, p.build_z_mm
           from makrcave.fabrication_printers p
           join makrcave.fabrication_services s on s.makerspace_id = p.makerspace_id
           where s.accepting and $1 = any(s.materials) and p.process = $2
             and makrcave.may_see_space(p.makerspace_id, $3, $4)"#,
        part.material,
        part.process as PrintProcess,
        viewer.0,
        viewer.1,
    )
    .fetch_all(db)
    .await?;
    let spaces: Vec<Uuid> = printers
        .iter()
        .map(|printer| printer.makerspace_id)
        .collect();
    let still_to_print: Vec<&str> = STILL_TO_PRINT.map(FabricationJobStatus::name).to_vec();
    let queued = sqlx::query!(
        r#"select j.makerspace_id as "makerspace_id!", j.print_seconds, j.quantity, j.bbox_mm
           from makrcave.fabrication_jobs j
           where j.makerspace_id = any($1) and j.process = $2 and j.status = any($3)
             and not exists (select from makrcave.reservations r
                             where r.fabrication_job_id = j.id and makrcave.holds_slot(r.status))
           order by j.ready_by nulls last, j.created_at, j.id"#,
        &spaces,
        part.process as PrintProcess,
        &still_to_print as &[&str],
    )
    .fetch_all(db)
    .await?;
    let range = Span {
        start: now,
        end: now + HORIZON,
    };
    let free_times = try_join_all(printers.iter().map(|printer| async move {
        let machine = loaders
            .equipment_by_id
            .load_one(printer.equipment_id)
            .await?
            .ok_or_else(|| {
                ApiError::internal(format_args!(
                    "the printer {} is missing",
                    printer.equipment_id
                ))
            })?;
        let time = MachineTime::load(loaders, &machine, range).await?;
        Ok::<_, ApiError>(FreeTime::of(printer, &time.lay_out(range, now)))
    }))
    .await?;
    let mut by_space: HashMap<Uuid, Vec<FreeTime>> = HashMap::new();
    for free in free_times {
        by_space
            .entry(free.printer.makerspace_id)
            .or_default()
            .push(free);
    }
    for job in &queued {
        let (Some(printers), Ok(size)) = (
            by_space.get_mut(&job.makerspace_id),
            <[f64; 3]>::try_from(job.bbox_mm.as_slice()),
        ) else {
            continue;
        };
        let needed = print_time(job.print_seconds, job.quantity);
        if let Some(first) = earliest(printers, size, needed) {
            printers[first].take(needed);
        }
    }
    let mut earliest_ready: Vec<(Uuid, DateTime<Utc>)> = by_space
        .into_iter()
        .filter_map(|(space, mut printers)| {
            let first = earliest(&mut printers, part.size, part.needed)?;
            Some((space, printers[first].finish(part.needed)?))
        })
        .collect();
    earliest_ready.sort_by_key(|(space, ready)| (*ready, *space));
    Ok(earliest_ready)
}

/// Which of `printers` fitting a part of `size` would finish `needed` of printing first.
fn earliest(printers: &mut [FreeTime], size: [f64; 3], needed: Duration) -> Option<usize> {
    printers
        .iter()
        .enumerate()
        .filter(|(_, free)| free.printer.fits(size))
        .filter_map(|(index, free)| Some((free.finish(needed)?, index)))
        .min()
        .map(|(_, index)| index)
}

/// A printer's free time ahead, earliest first: its calendar's free stretches only, as staff
/// are there to start and take off prints.
struct FreeTime<'a> {
    printer: &'a FabricationPrinter,
    free: Vec<Span>,
}

impl<'a> FreeTime<'a> {
    fn of(printer: &'a FabricationPrinter, laid_out: &[(Span, Stretch<'_>)]) -> Self {
        let free = laid_out
            .iter()
            .filter(|(_, stretch)| matches!(stretch, Stretch::Free))
            .map(|(span, _)| *span)
            .collect();
        Self { printer, free }
    }

    /// When `needed` of printing would be done, printing only in its free time; none when it
    /// holds too little.
    fn finish(&self, needed: Duration) -> Option<DateTime<Utc>> {
        let mut left = needed;
        for span in &self.free {
            if span.duration() >= left {
                return Some(span.start + left);
            }
            left -= span.duration();
        }
        None
    }

    /// Gives the front of its free time to `needed` of printing queued before.
    fn take(&mut self, needed: Duration) {
        let Some(done) = self.finish(needed) else {
            self.free.clear();
            return;
        };
        self.free.retain_mut(|span| {
            span.start = span.start.max(done);
            span.start < span.end
        });
    }
}

#[derive(Default)]
pub struct QuoteOffersQuery;

#[Object]
impl QuoteOffersQuery {
    /// A store quote as the router hands it over with what the offers need.
    #[graphql(entity)]
    async fn find_fabrication_quote_by_id(
        &self,
        #[graphql(key)] id: ID,
        material: String,
        quantity: i32,
        measures: Option<PartMeasuresFields>,
        print: Option<PrintPlanFields>,
    ) -> FabricationQuote {
        FabricationQuote {
            id,
            material,
            quantity,
            measures,
            print,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, hour, 0, 0)
            .single()
            .expect("a time")
    }

    fn span(from: u32, to: u32) -> Span {
        Span::new(at(from), at(to)).expect("a span")
    }

    fn printer(size: f32) -> FabricationPrinter {
        FabricationPrinter {
            equipment_id: Uuid::nil(),
            makerspace_id: Uuid::nil(),
            process: PrintProcess::Fdm,
            build_x_mm: size,
            build_y_mm: size,
            build_z_mm: size,
        }
    }

    #[test]
    fn a_print_runs_on_through_the_free_stretches_only() {
        let mk4 = printer(250.0);
        let laid_out = [
            (span(8, 10), Stretch::Free),
            (span(10, 12), Stretch::Blocked("closed".into())),
            (span(12, 14), Stretch::Free),
        ];
        let free = FreeTime::of(&mk4, &laid_out);
        assert_eq!(free.finish(Duration::hours(1)), Some(at(9)));
        assert_eq!(free.finish(Duration::hours(3)), Some(at(13)));
        assert_eq!(free.finish(Duration::hours(4)), Some(at(14)));
        assert_eq!(free.finish(Duration::hours(5)), None);
    }

    #[test]
    fn jobs_queued_before_take_the_front_of_the_printer_that_finishes_them_first() {
        let (big, small) = (printer(250.0), printer(100.0));
        let mut printers = [
            FreeTime {
                printer: &big,
                free: vec![span(8, 12)],
            },
            FreeTime {
                printer: &small,
                free: vec![span(9, 12)],
            },
        ];
        let cube = [50.0; 3];
        let tall = [50.0, 50.0, 200.0];
        // A tall part fits the big printer only; a cube goes where it is done first.
        let first = earliest(&mut printers, tall, Duration::hours(2));
        assert_eq!(first, Some(0));
        printers[0].take(Duration::hours(2));
        assert_eq!(printers[0].free, vec![span(10, 12)]);
        assert_eq!(earliest(&mut printers, cube, Duration::hours(1)), Some(1));
        printers[1].take(Duration::hours(1));
        assert_eq!(printers[1].finish(Duration::hours(1)), Some(at(11)));
        printers[0].take(Duration::hours(5));
        assert_eq!(printers[0].finish(Duration::minutes(1)), None, "all taken");
    }
}
