//! The parts a space makes for the store's customers: its jobs, moving one along, giving one
//! printer time, recording the material one used, and the feed of their changes.

use std::collections::HashMap;

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;
use wasm_bindgen::{JsCast, JsValue};

use super::{LocalHours, clock_instant, local_hours, local_time};
use crate::time::{Date, LocalTime, utc_text};
use crate::types::{
    FabricationJob, FabricationJobStatus, FabricationJobs, JobPrinter, JobSlot, JobStock,
    MaterialItem, MaterialLevel, MaterialUse, NewMaterialUse, NewSlot, Place, PrintProcess,
    ReservationStatus, StockUnit, recorded_words,
};

/// The API's RFC 3339 timestamps and decimals, as text.
type DateTime = String;
type Decimal = String;

operation!(
    FabricationJobsPage,
    "graphql/fabrication_jobs.graphql",
    [
        "FabricationJobStatus",
        "PrintProcess",
        "ReservationStatus",
        "StockUnit"
    ]
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

operation!(
    JobMaterialStock,
    "graphql/fabrication_jobs.graphql",
    ["StockUnit"]
);

operation!(
    RecordFabricationMaterial,
    "graphql/fabrication_jobs.graphql",
    ["StockUnit"]
);

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
    let mut material_used = HashMap::new();
    let jobs: Vec<FabricationJob> = space
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
            let used = job
                .material_used
                .into_iter()
                .map(|used| {
                    Ok(MaterialUse {
                        at: on_the_clock_of(&used.recorded_at, &zone)?,
                        item: used.item.name,
                        unit: used.item.unit,
                        quantity: used.quantity,
                        place: used.location,
                        by: used.recorded_by.display_name,
                    })
                })
                .collect::<Result<Vec<_>, RequestError>>()?;
            material_used.insert(job.id.clone(), used);
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
    // The stock is asked for only when a job may record material.
    let stock = if jobs.iter().any(|job| job.status.records_material()) {
        job_material_stock(space.id.clone()).await?
    } else {
        JobStock::default()
    };
    Ok(FabricationJobs {
        makerspace_id: space.id,
        slug,
        name: space.name,
        time_zone: zone,
        jobs,
        printers,
        slots,
        material_used,
        stock,
        now: crate::time::now(),
    })
}

/// The items of the space `makerspace_id` (the first 100 by name) with how much each place
/// holds, and its places.
async fn job_material_stock(makerspace_id: String) -> Result<JobStock, RequestError> {
    let answer =
        request::<JobMaterialStock>(job_material_stock::Variables { makerspace_id }).await?;
    let items = answer
        .inventory_items
        .nodes
        .into_iter()
        .map(|item| MaterialItem {
            id: item.id,
            name: item.name,
            unit: item.unit,
            levels: item
                .levels
                .into_iter()
                .map(|level| MaterialLevel {
                    place_id: level.location.id,
                    place: level.location.name,
                    on_hand: level.on_hand,
                })
                .collect(),
        })
        .collect();
    let places = answer
        .inventory_locations
        .into_iter()
        .map(|place| Place {
            id: place.id,
            name: place.name,
        })
        .collect();
    Ok(JobStock { items, places })
}

/// Records that the job `job_id` used `material`; answers what the place it was taken from has
/// left, in words.
pub async fn record_fabrication_material(
    job_id: String,
    material: NewMaterialUse,
) -> Result<String, RequestError> {
    let input = record_fabrication_material::RecordFabricationMaterialInput {
        job_id,
        item_id: material.item_id,
        location_id: material.place_id,
        quantity: material.quantity.trim().to_owned(),
    };
    let recorded =
        request::<RecordFabricationMaterial>(record_fabrication_material::Variables { input })
            .await?
            .record_fabrication_material;
    let (item, place) = (recorded.item, recorded.movement.location);
    // A place emptied holds none, so it is no longer among the item's levels.
    let left = item
        .levels
        .into_iter()
        .find(|level| level.location.name == place)
        .map_or_else(|| "0".to_owned(), |level| level.on_hand);
    Ok(recorded_words(&item.name, item.unit, &left, &place))
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
