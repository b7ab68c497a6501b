//! The parts a space makes for the store's customers: its jobs, moving one along, giving one
//! printer time, and the feed of their changes.

use std::collections::HashMap;

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;
use wasm_bindgen::{JsCast, JsValue};

use super::{LocalHours, clock_instant, local_hours, local_time};
use crate::time::{Date, LocalTime, utc_text};
use crate::types::{
    FabricationJob, FabricationJobStatus, FabricationJobs, JobPrinter, JobSlot, NewSlot,
    PrintProcess, ReservationStatus,
};

/// The API's RFC 3339 timestamps, as text.
type DateTime = String;

operation!(
    FabricationJobsPage,
    "graphql/fabrication_jobs.graphql",
    ["FabricationJobStatus", "PrintProcess", "ReservationStatus"]
);
operation!(
    SetFabricationJobStatus,
    "graphql/fabrication_jobs.graphql",
    ["FabricationJobStatus"]
);
operation!(
    /// A space's fabrication jobs as they change.
    feed SpaceFabricationJobsChanged,
    "graphql/fabrication_jobs_changed.graphql",
    ["FabricationJobStatus"]
);

operation!(ScheduleFabricationJob, "graphql/fabrication_jobs.graphql");

makrx_web::resumable!(SpaceFabricationJobsChanged, space_fabrication_jobs_changed);

/// The jobs dispatched to the space at `slug`, soonest ready-by first, their times on its
/// clock; for its staff and above (`FORBIDDEN` otherwise).
pub async fn fabrication_jobs(slug: String) -> Result<FabricationJobs, RequestError> {
    let variables = fabrication_jobs_page::Variables { slug: slug.clone() };
    let space = request::<FabricationJobsPage>(variables).await?.makerspace;
    let zone = space.time_zone;
    let mut printers: Vec<JobPrinter> = space
        .fabrication_service
        .map(|service| service.printers)
        .unwrap_or_default()
        .into_iter()
        .map(|printer| JobPrinter {
            id: printer.machine.id,
            name: printer.machine.name,
            process: printer.process,
        })
        .collect();
    printers.sort_by(|a, b| a.name.cmp(&b.name));
    let mut slots = HashMap::new();
    let jobs = space
        .fabrication_jobs
        .into_iter()
        .map(|job| {
            let booked = job
                .bookings
                .into_iter()
                .map(|booking| {
                    Ok(JobSlot {
                        starts_at: local_time(&booking.starts_at)?,
                        ends_at: local_time(&booking.ends_at)?,
                        id: booking.id,
                        printer: booking.equipment.name,
                        status: booking.status,
                    })
                })
                .collect::<Result<Vec<_>, RequestError>>()?;
            slots.insert(job.id.clone(), booked);
            Ok(FabricationJob {
                ready_by: job
                    .ready_by
                    .as_deref()
                    .map(|at| on_the_clock_of(at, &zone))
                    .transpose()?,
                id: job.id,
                order_number: job.order_number,
                status: job.status,
                reason: job.reason,
                file_name: job.file_name,
                material: job.material,
                colour: job.colour,
                infill_percent: job.infill_percent,
                quantity: job.quantity,
                process: job.process,
                print_seconds: job.print_seconds,
                material_grams: job.material_grams,
                bbox_mm: job.bbox_mm,
                next_statuses: job.next_statuses,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(FabricationJobs {
        makerspace_id: space.id,
        slug,
        name: space.name,
        time_zone: zone,
        jobs,
        printers,
        slots,
        now: crate::time::now(),
    })
}

/// Moves the job `job_id` to `status`; `reason` says why when declining it (the customer reads
/// it), and goes only then.
pub async fn set_fabrication_job_status(
    job_id: String,
    status: FabricationJobStatus,
    reason: Option<String>,
) -> Result<(), RequestError> {
    let input = set_fabrication_job_status::SetFabricationJobStatusInput {
        job_id,
        status,
        reason: reason.filter(|_| status == FabricationJobStatus::Declined),
    };
    request::<SetFabricationJobStatus>(set_fabrication_job_status::Variables { input }).await?;
    Ok(())
}

/// Gives the job `job_id` of the space at `slug` the printer time `slot`, its times read on
/// the space's clocks (a time the clocks skip is refused by its field, as the API refuses one).
pub async fn schedule_fabrication_job(
    slug: String,
    job_id: String,
    slot: NewSlot,
) -> Result<(), RequestError> {
    let variables = local_hours::Variables {
        slug,
        first: slot.starts.date().to_string(),
        last: slot.ends.date().to_string(),
    };
    let days = request::<LocalHours>(variables).await?.makerspace;
    let (starts, ends) = (slot.starts, slot.ends);
    let starts_at = clock_instant(&days.first, starts.date(), &starts.clock(), "startsAt")?;
    let ends_at = clock_instant(&days.last, ends.date(), &ends.clock(), "endsAt")?;
    let input = schedule_fabrication_job::ScheduleFabricationJobInput {
        job_id,
        equipment_id: slot.printer_id,
        starts_at: utc_text(starts_at),
        ends_at: Some(utc_text(ends_at)),
    };
    request::<ScheduleFabricationJob>(schedule_fabrication_job::Variables { input }).await?;
    Ok(())
}

/// The instant `at` (RFC 3339, as the API gives a job's times: in UTC) on the wall clock of
/// the IANA zone `zone`, as the API gives a space's bookings: the browser knows the zones.
fn on_the_clock_of(at: &str, zone: &str) -> Result<LocalTime, RequestError> {
    let instant = local_time(at)?;
    let unknown = |_: JsValue| RequestError::Decode(format!("the time zone {zone:?} is unknown"));
    let wall = wall_clock(instant.unix_seconds(), zone).map_err(unknown)?;
    let [year, month, day, hour, minute, second] = wall;
    let date = Date::new(year, month, day)
        .ok_or_else(|| RequestError::Decode(format!("no date in {zone:?} for {at:?}")))?;
    let offset_minutes = (date.unix_seconds_at_midnight() + hour * 3_600 + minute * 60 + second
        - instant.unix_seconds())
    .div_euclid(60);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.abs();
    local_time(&format!(
        "{date}T{hour:02}:{minute:02}:{second:02}{sign}{:02}:{:02}",
        offset / 60,
        offset % 60
    ))
}

/// Year, month, day, hour, minute and second of `unix_seconds` on the clock of `zone`, read
/// from `Intl.DateTimeFormat` (built through `Reflect`, so that a zone the browser does not
/// know is an error rather than a thrown exception).
fn wall_clock(unix_seconds: i64, zone: &str) -> Result<[i64; 6], JsValue> {
    use js_sys::Intl::{
        DateTimeFormat, DateTimeFormatOptions, DayFormat, HourCycle, MonthFormat, NumericFormat,
        YearFormat,
    };
    let options = DateTimeFormatOptions::new();
    options.set_time_zone(zone);
    options.set_hour_cycle(HourCycle::H23);
    options.set_year(YearFormat::Numeric);
    options.set_month(MonthFormat::Numeric);
    options.set_day(DayFormat::Numeric);
    options.set_hour(NumericFormat::Numeric);
    options.set_minute(NumericFormat::Numeric);
    options.set_second(NumericFormat::Numeric);
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())?;
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&intl, &"DateTimeFormat".into())?.dyn_into()?;
    let format: DateTimeFormat =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&"en-GB".into(), &options))?
            .unchecked_into();
    let date = js_sys::Date::new(&JsValue::from_f64(unix_seconds as f64 * 1_000.0));
    let mut wall = [None; 6];
    for part in format.format_to_parts(&date).iter() {
        let kind = js_sys::Reflect::get(&part, &"type".into())?.as_string();
        let at = match kind.as_deref() {
            Some("year") => 0,
            Some("month") => 1,
            Some("day") => 2,
            Some("hour") => 3,
            Some("minute") => 4,
            Some("second") => 5,
            _ => continue,
        };
        let value = js_sys::Reflect::get(&part, &"value".into())?.as_string();
        wall[at] = value.and_then(|value| value.parse::<i64>().ok());
    }
    match wall {
        [
            Some(year),
            Some(month),
            Some(day),
            Some(hour),
            Some(minute),
            Some(second),
        ] => Ok([year, month, day, hour, minute, second]),
        _ => Err(JsValue::from_str("a part of the date is missing")),
    }
}
