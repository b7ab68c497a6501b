//! A space's inventory as spreadsheets (CSV): its items with what each place holds, and its
//! stock movements over a span of time. The items' columns are the import's (`import`), so a
//! sheet exported from one space can be tidied and imported into another.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::SignedIn;
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;

use super::space_access;
use crate::policy::MembershipRole;

/// The longest span of movements one sheet holds.
const MAX_DAYS: i64 = 366;

#[derive(Default)]
pub struct ExportQuery;

#[Object(guard = "SignedIn")]
impl ExportQuery {
    /// A space's items as CSV, in name order, one row per item and place that holds any (an
    /// item in stock nowhere has one row without a place), for its members. The columns are
    /// `importInventory`'s, with `low` after them.
    async fn inventory_csv(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<String, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        space_access(ctx, space, MembershipRole::Member).await?;
        let rows = sqlx::query!(
            r#"select i.name, i.sku, i.category, i.unit, i.reorder_point::text as "reorder_point!",
                      i.unit_cost_minor, l.name as "location?", s.on_hand::text as "quantity?", i.low
               from makrcave.inventory_items i
               left join makrcave.inventory_levels s on s.item_id = i.id and s.on_hand > 0
               left join makrcave.inventory_locations l on l.id = s.location_id
               where i.makerspace_id = $1
               order by i.name, i.id, l.name"#,
            space
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        sheet(
            &[
                "name",
                "sku",
                "category",
                "unit",
                "reorder_point",
                "unit_cost_minor",
                "location",
                "quantity",
                "low",
            ],
            rows.into_iter().map(|row| {
                vec![
                    row.name,
                    row.sku.unwrap_or_default(),
                    row.category,
                    row.unit,
                    row.reorder_point,
                    row.unit_cost_minor
                        .map_or(String::new(), |cost| cost.to_string()),
                    row.location.unwrap_or_default(),
                    row.quantity.unwrap_or_default(),
                    row.low.to_string(),
                ]
            }),
        )
    }

    /// A space's stock movements recorded from `from` up to `to` (at most a year apart) as CSV,
    /// oldest first, for its members: when, item, SKU, kind, quantity, change, place, to
    /// place, reason, who recorded it (their id) and the member issued to.
    async fn stock_movements_csv(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        if to <= from || (to - from).num_days() > MAX_DAYS {
            return Err(ApiError::invalid(
                "to",
                format!("must be after `from`, at most {MAX_DAYS} days"),
            ));
        }
        space_access(ctx, space, MembershipRole::Member).await?;
        let rows = sqlx::query!(
            r#"select m.recorded_at, i.name, i.sku, m.kind, m.quantity::text as "quantity!",
                      m.change::text as "change!", l.name as place, t.name as "to_place?",
                      m.reason, m.recorded_by, m.member_id
               from makrcave.stock_movements m
               join makrcave.inventory_items i on i.id = m.item_id
               join makrcave.inventory_locations l on l.id = m.location_id
               left join makrcave.inventory_locations t on t.id = m.to_location_id
               where i.makerspace_id = $1 and m.recorded_at >= $2 and m.recorded_at < $3
               order by m.recorded_at, m.id"#,
            space,
            from,
            to,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        sheet(
            &[
                "recorded_at",
                "name",
                "sku",
                "kind",
                "quantity",
                "change",
                "location",
                "to_location",
                "reason",
                "recorded_by",
                "member",
            ],
            rows.into_iter().map(|row| {
                vec![
                    row.recorded_at.to_rfc3339(),
                    row.name,
                    row.sku.unwrap_or_default(),
                    row.kind,
                    row.quantity,
                    row.change,
                    row.place,
                    row.to_place.unwrap_or_default(),
                    row.reason,
                    row.recorded_by.to_string(),
                    row.member_id.map(|id| id.to_string()).unwrap_or_default(),
                ]
            }),
        )
    }
}

/// A header and rows as CSV text.
fn sheet(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed =
        |err: csv::Error| ApiError::internal(format_args!("a sheet cannot be written: {err}"));
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| ApiError::internal(format_args!("a sheet cannot be written: {err}")))?;
    String::from_utf8(bytes)
        .map_err(|err| ApiError::internal(format_args!("a sheet is not UTF-8: {err}")))
}
