//! Importing a space's inventory from a spreadsheet (CSV): a dry run reports every bad row with
//! its line and field and writes nothing; the real run writes all of it or, at the first
//! problem, nothing. Each row is an item; its opening stock, if any, is received at its place
//! as a movement like any other.
//!
//! The columns, named in a header row in any order and case: `name` and `unit` (`pieces`,
//! `grams`, `millilitres`, `metres`) always; `sku`, `category` (`consumable`, `part`,
//! `material`, `tool`), `reorder_point`, `unit_cost_minor` (what the space pays for one unit,
//! in minor units: 250 for 2.50), and `location` with `quantity` when the item is in stock.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use makrx_service::graphql::SignedIn;
use makrx_service::{ApiError, parse_id};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ItemCategory, StockUnit, space_access};
use crate::changes::{self, Action, Change};
use crate::policy::MembershipRole;

/// The most rows one import takes.
const MAX_ROWS: usize = 20_000;
/// The most text one import takes, in bytes.
const MAX_BYTES: usize = 4 * 1024 * 1024;

#[derive(InputObject)]
pub struct ImportInventoryInput {
    pub makerspace_id: ID,
    /// The spreadsheet as CSV text (UTF-8), its first row naming the columns.
    pub csv: String,
    /// Only check it (the default): report the problems, write nothing.
    #[graphql(default = true)]
    pub dry_run: bool,
}

/// What is wrong with a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
pub struct ImportProblem {
    /// The line of the file, the header being line 1.
    pub line: i32,
    /// The column, as the header names it (`quantity`), or `row` for the row as a whole.
    pub field: String,
    pub message: String,
}

/// What an import found, and did.
#[derive(Clone, Debug, Serialize, SimpleObject)]
pub struct InventoryImport {
    pub dry_run: bool,
    /// The rows read, the header not counted.
    pub rows: i32,
    /// Every problem found; none when it was (or would be) imported.
    pub problems: Vec<ImportProblem>,
    /// The items added: none on a dry run or when there were problems.
    pub items_added: i32,
}

/// A row, read and checked.
struct Row {
    name: String,
    sku: Option<String>,
    category: ItemCategory,
    unit: StockUnit,
    reorder_point: Decimal,
    unit_cost_minor: Option<i64>,
    /// Its opening stock and where it is.
    stock: Option<(Uuid, Decimal)>,
}

#[derive(Default)]
pub struct ImportMutation;

#[Object(guard = "SignedIn")]
impl ImportMutation {
    /// Imports items into a space's inventory from CSV, or only checks them (`dryRun`, the
    /// default); staff and above. Every bad row is reported with its line and field; the real
    /// run writes everything or, when any row is bad, nothing.
    async fn import_inventory(
        &self,
        ctx: &Context<'_>,
        input: ImportInventoryInput,
    ) -> Result<InventoryImport, ApiError> {
        let space = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor = space_access(ctx, space, MembershipRole::Staff).await?;
        if input.csv.len() > MAX_BYTES {
            return Err(ApiError::invalid(
                "csv",
                format!("is larger than {} MB", MAX_BYTES / 1024 / 1024),
            ));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let places: HashMap<String, Uuid> = sqlx::query!(
            "select id, name from makrcave.inventory_locations where makerspace_id = $1",
            space
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|place| (place.name.to_lowercase(), place.id))
        .collect();
        let taken: HashSet<String> = sqlx::query_scalar!(
            r#"select sku as "sku!" from makrcave.inventory_items
               where makerspace_id = $1 and sku is not null"#,
            space
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|sku| sku.to_lowercase())
        .collect();
        let (rows, problems) = read(&input.csv, &places, &taken)?;
        let mut report = InventoryImport {
            dry_run: input.dry_run,
            rows: rows.len() as i32 + problems_rows(&problems),
            problems,
            items_added: 0,
        };
        if input.dry_run || !report.problems.is_empty() {
            return Ok(report);
        }
        let mut tx = db.begin().await?;
        report.items_added = write(&mut tx, space, actor, &rows).await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::INVENTORY_IMPORTED,
                entity_id: Uuid::now_v7(),
                makerspace_id: space,
                before: None::<&InventoryImport>,
                after: Some(&report),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}

/// How many rows had problems, each counted once.
fn problems_rows(problems: &[ImportProblem]) -> i32 {
    let mut lines: Vec<i32> = problems.iter().map(|problem| problem.line).collect();
    lines.dedup();
    lines.len() as i32
}

/// Reads and checks every row: the good ones, and every problem of the others. A file that is
/// no CSV at all, or lacks a column that must be there, is refused as a whole.
fn read(
    text: &str,
    places: &HashMap<String, Uuid>,
    taken: &HashSet<String>,
) -> Result<(Vec<Row>, Vec<ImportProblem>), ApiError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|err| ApiError::invalid("csv", format!("the header row cannot be read: {err}")))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let column = |name: &str| header.iter().position(|column| column == name);
    let (Some(name_at), Some(unit_at)) = (column("name"), column("unit")) else {
        return Err(ApiError::invalid(
            "csv",
            "the header row must name the columns `name` and `unit` (and may name `sku`, \
             `category`, `reorder_point`, `unit_cost_minor`, `location`, `quantity`)",
        ));
    };
    let [
        sku_at,
        category_at,
        reorder_at,
        cost_at,
        location_at,
        quantity_at,
    ] = [
        "sku",
        "category",
        "reorder_point",
        "unit_cost_minor",
        "location",
        "quantity",
    ]
    .map(column);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut skus: HashMap<String, i32> = HashMap::new();
    for (at, record) in reader.records().enumerate() {
        let line = at as i32 + 2;
        if rows.len() + problems_rows(&problems) as usize >= MAX_ROWS {
            return Err(ApiError::invalid(
                "csv",
                format!("has more than {MAX_ROWS} rows: import it in parts"),
            ));
        }
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                problems.push(problem(line, "row", format!("cannot be read: {err}")));
                continue;
            }
        };
        let cell = |at: Option<usize>| at.and_then(|at| record.get(at)).unwrap_or_default();
        let mut wrong = |field: &str, message: String| problems.push(problem(line, field, message));
        if let Some(field) = header
            .iter()
            .zip(record.iter())
            .find(|(_, value)| value.contains('\u{fffd}'))
            .map(|(field, _)| field.clone())
        {
            wrong(
                &field,
                "has characters that are not UTF-8: save the file as UTF-8 CSV".into(),
            );
            continue;
        }
        let name = cell(Some(name_at));
        if name.is_empty() || name.chars().count() > 120 {
            wrong("name", "must be 1 to 120 characters".into());
        }
        let unit = match cell(Some(unit_at)).to_lowercase().as_str() {
            "pieces" => Some(StockUnit::Pieces),
            "grams" => Some(StockUnit::Grams),
            "millilitres" => Some(StockUnit::Millilitres),
            "metres" => Some(StockUnit::Metres),
            other => {
                wrong(
                    "unit",
                    format!("“{other}” is none of pieces, grams, millilitres, metres"),
                );
                None
            }
        };
        let category = match cell(category_at).to_lowercase().as_str() {
            "" | "consumable" => Some(ItemCategory::Consumable),
            "part" => Some(ItemCategory::Part),
            "material" => Some(ItemCategory::Material),
            "tool" => Some(ItemCategory::Tool),
            other => {
                wrong(
                    "category",
                    format!("“{other}” is none of consumable, part, material, tool"),
                );
                None
            }
        };
        let sku = Some(cell(sku_at)).filter(|sku| !sku.is_empty());
        if let Some(sku) = sku {
            let key = sku.to_lowercase();
            if sku.chars().count() > 64 {
                wrong("sku", "must be at most 64 characters".into());
            } else if taken.contains(&key) {
                wrong("sku", format!("{sku} is another item's in this space"));
            } else if let Some(first) = skus.get(&key) {
                wrong("sku", format!("{sku} is given on line {first} too"));
            } else {
                skus.insert(key, line);
            }
        }
        let unit_cost_minor = match cell(cost_at) {
            "" => Some(None),
            text => match text.parse::<i64>() {
                Ok(cost) if cost >= 0 => Some(Some(cost)),
                _ => {
                    wrong(
                        "unit_cost_minor",
                        format!(
                            "“{text}” is not a whole number of minor units, 0 or more (write 250 for 2.50)"
                        ),
                    );
                    None
                }
            },
        };
        let mut amount = |field: &str, text: &str| -> Option<Decimal> {
            if text.is_empty() {
                return Some(Decimal::ZERO);
            }
            let Ok(number) = text.parse::<Decimal>() else {
                wrong(field, format!("“{text}” is not a number (write 1250.5)"));
                return None;
            };
            match unit.map(|unit| unit.checked(number)) {
                Some(Ok(number)) => Some(number),
                Some(Err(message)) => {
                    wrong(field, message);
                    None
                }
                None => None,
            }
        };
        let reorder_point = amount("reorder_point", cell(reorder_at));
        let quantity = amount("quantity", cell(quantity_at));
        let place = cell(location_at);
        let stock = match quantity {
            Some(quantity) if quantity.is_zero() => Some(None),
            Some(quantity) => match places.get(&place.to_lowercase()) {
                Some(place) => Some(Some((*place, quantity))),
                None if place.is_empty() => {
                    wrong("location", "is needed where there is a quantity".into());
                    None
                }
                None => {
                    wrong(
                        "location",
                        format!("“{place}” is not a place of this space"),
                    );
                    None
                }
            },
            None => None,
        };
        if let (Some(unit), Some(category), Some(reorder_point), Some(unit_cost_minor), Some(stock)) =
            (unit, category, reorder_point, unit_cost_minor, stock)
            && !name.is_empty()
            && name.chars().count() <= 120
            && problems.last().is_none_or(|problem| problem.line != line)
        {
            rows.push(Row {
                name: name.to_owned(),
                sku: sku.map(str::to_owned),
                category,
                unit,
                reorder_point,
                unit_cost_minor,
                stock,
            });
        }
    }
    Ok((rows, problems))
}

fn problem(line: i32, field: &str, message: String) -> ImportProblem {
    ImportProblem {
        line,
        field: field.to_owned(),
        message,
    }
}

/// Writes the rows' items, their opening stock as received movements, their levels: a few
/// statements for any number of rows. The count of items added.
async fn write(
    tx: &mut sqlx::PgConnection,
    space: Uuid,
    actor: Uuid,
    rows: &[Row],
) -> Result<i32, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let column = |pick: fn(&Row) -> Option<String>| rows.iter().map(pick).collect::<Vec<_>>();
    let on_hand: Vec<Decimal> = rows
        .iter()
        .map(|row| row.stock.map_or(Decimal::ZERO, |(_, quantity)| quantity))
        .collect();
    sqlx::query!(
        "insert into makrcave.inventory_items
             (id, makerspace_id, name, sku, category, unit, reorder_point, unit_cost_minor,
              on_hand, low)
         select item.id, $2, item.name, item.sku, item.category, item.unit, item.reorder_point,
                item.unit_cost_minor, item.on_hand, item.on_hand <= item.reorder_point
         from unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                     $8::bigint[], $9::numeric[])
              as item(id, name, sku, category, unit, reorder_point, unit_cost_minor, on_hand)",
        &ids,
        space,
        &column(|row| Some(row.name.clone())) as &[Option<String>],
        &column(|row| row.sku.clone()) as &[Option<String>],
        &rows.iter().map(|row| row.category).collect::<Vec<_>>() as &[ItemCategory],
        &rows.iter().map(|row| row.unit).collect::<Vec<_>>() as &[StockUnit],
        &rows.iter().map(|row| row.reorder_point).collect::<Vec<_>>(),
        &rows
            .iter()
            .map(|row| row.unit_cost_minor)
            .collect::<Vec<_>>() as &[Option<i64>],
        &on_hand,
    )
    .execute(&mut *tx)
    .await?;
    let stocked: Vec<(Uuid, Uuid, Decimal)> = rows
        .iter()
        .zip(&ids)
        .filter_map(|(row, id)| row.stock.map(|(place, quantity)| (*id, place, quantity)))
        .collect();
    let items: Vec<Uuid> = stocked.iter().map(|(item, _, _)| *item).collect();
    let places: Vec<Uuid> = stocked.iter().map(|(_, place, _)| *place).collect();
    let quantities: Vec<Decimal> = stocked.iter().map(|(_, _, quantity)| *quantity).collect();
    sqlx::query!(
        "with levels as (
             insert into makrcave.inventory_levels (item_id, location_id, on_hand)
             select * from unnest($1::uuid[], $2::uuid[], $3::numeric[])
             returning item_id, location_id, on_hand)
         insert into makrcave.stock_movements
             (id, item_id, kind, quantity, change, location_id, reason, recorded_by)
         select gen_random_uuid(), item_id, 'receive', on_hand, on_hand, location_id,
                'imported from CSV', $4
         from levels",
        &items,
        &places,
        &quantities,
        actor,
    )
    .execute(&mut *tx)
    .await?;
    Ok(rows.len() as i32)
}
