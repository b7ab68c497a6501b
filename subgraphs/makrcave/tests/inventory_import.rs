//! A space's inventory in and out of CSV: a dry run names every bad row's line and field and
//! writes nothing; the real run writes all or nothing; 10,000 rows go in at once (the time it
//! took is printed, not asserted: machines here vary); an exported sheet imports elsewhere.

mod common;

use std::time::Instant;

use common::lab::Lab;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const IMPORT: &str = "mutation($input: ImportInventoryInput!) {
    importInventory(input: $input) { dryRun rows itemsAdded problems { line field message } } }";
const ADD_LOCATION: &str = "mutation($input: AddInventoryLocationInput!) {
    addInventoryLocation(input: $input) { id } }";
const ADD_ITEM: &str = "mutation($input: AddInventoryItemInput!) {
    addInventoryItem(input: $input) { id } }";

async fn lab_with_a_shelf(db: &PgPool) -> Lab {
    let lab = Lab::open(db).await;
    lab.as_owner(
        ADD_LOCATION,
        json!({"makerspaceId": lab.space, "name": "Shelf A"}),
    )
    .await;
    lab.as_owner(
        ADD_ITEM,
        json!({"makerspaceId": lab.space, "name": "Old glue", "unit": "PIECES", "sku": "GLUE-1"}),
    )
    .await;
    lab
}

async fn import(lab: &Lab, csv: &str, dry_run: bool) -> Value {
    lab.ask(
        Some(&lab.owner),
        IMPORT,
        json!({"input": {"makerspaceId": lab.space, "csv": csv, "dryRun": dry_run}}),
    )
    .await
}

async fn items(db: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from makrcave.inventory_items")
        .fetch_one(db)
        .await
        .expect("the items")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_bad_row_is_named_by_its_line_and_field_and_nothing_is_written(db: PgPool) {
    let lab = lab_with_a_shelf(&db).await;
    let csv = "Name,SKU,Unit,Category,Reorder_point,Location,Quantity,Unit_cost_minor
PLA black,PLA-BLK,grams,material,500,Shelf A,1000.5,3
M3 bolts,M3,pieces,part,,Shelf A,lots,
Resin,RES,millilitres,material,,Cupboard Z,200,
Wood glue,GLUE-1,pieces,consumable,,,,
Copper tape,PLA-BLK,metres,,,,,
Velcro,VEL,yards,,,,,
Solder,SOL,grams,,,Shelf A,10.5,
Caf\u{fffd} filter,CF,pieces,,,,,
Nozzle,NOZ,pieces,part,,,,2.50
";
    let problems = json!([
        {"line": 3, "field": "quantity", "message": "“lots” is not a number (write 1250.5)"},
        {"line": 4, "field": "location", "message": "“Cupboard Z” is not a place of this space"},
        {"line": 5, "field": "sku", "message": "GLUE-1 is another item's in this space"},
        {"line": 6, "field": "sku", "message": "PLA-BLK is given on line 2 too"},
        {"line": 7, "field": "unit", "message": "“yards” is none of pieces, grams, millilitres, metres"},
        {"line": 9, "field": "name", "message": "has characters that are not UTF-8: save the file as UTF-8 CSV"},
        {"line": 10, "field": "unit_cost_minor",
         "message": "“2.50” is not a whole number of minor units, 0 or more (write 250 for 2.50)"},
    ]);
    let before = items(&db).await;
    for dry_run in [true, false] {
        let report = import(&lab, csv, dry_run).await;
        assert_eq!(
            report["data"]["importInventory"],
            json!({"dryRun": dry_run, "rows": 9, "itemsAdded": 0, "problems": problems}),
            "{report}"
        );
        assert_eq!(
            items(&db).await,
            before,
            "nothing is written (dry run: {dry_run})"
        );
    }
    let unreadable = import(&lab, "title;amount\nglue;3\n", false).await;
    assert_eq!(invalid_fields(&unreadable), ["csv"], "{unreadable}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_clean_sheet_goes_in_whole_with_its_opening_stock_received(db: PgPool) {
    let lab = lab_with_a_shelf(&db).await;
    let csv = "\u{feff}name,unit,location,quantity,reorder_point
PLA black,grams,shelf a,1000.5,2000
M3 bolts,pieces,,,
";
    let checked = import(&lab, csv, true).await;
    assert_eq!(checked["data"]["importInventory"]["problems"], json!([]));
    assert_eq!(checked["data"]["importInventory"]["itemsAdded"], 0);
    let report = import(&lab, csv, false).await;
    assert_eq!(
        report["data"]["importInventory"],
        json!({"dryRun": false, "rows": 2, "itemsAdded": 2, "problems": []})
    );
    let pla: (String, bool, String, String) = sqlx::query_as(
        "select i.on_hand::text, i.low, m.kind, m.reason
         from makrcave.inventory_items i join makrcave.stock_movements m on m.item_id = i.id
         where i.name = 'PLA black'",
    )
    .fetch_one(&db)
    .await
    .expect("the imported PLA and its receipt");
    assert_eq!(
        pla,
        (
            "1000.5".into(),
            true,
            "receive".into(),
            "imported from CSV".into()
        ),
        "received at the shelf (named in any case), and below its reorder point"
    );
    let member = lab.person("mo", "member").await;
    let refused = lab
        .ask(
            Some(&member),
            IMPORT,
            json!({"input": {"makerspaceId": lab.space, "csv": csv, "dryRun": true}}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn ten_thousand_rows_go_in_at_once(db: PgPool) {
    let lab = lab_with_a_shelf(&db).await;
    let mut csv = String::from("name,sku,unit,category,reorder_point,location,quantity\n");
    for n in 0..10_000 {
        csv += &format!("Part {n},P-{n:05},pieces,part,5,Shelf A,{}\n", n % 50);
    }
    let started = Instant::now();
    let checked = import(&lab, &csv, true).await;
    let dry = started.elapsed();
    assert_eq!(checked["data"]["importInventory"]["problems"], json!([]));
    let started = Instant::now();
    let report = import(&lab, &csv, false).await;
    let real = started.elapsed();
    assert_eq!(
        report["data"]["importInventory"]["itemsAdded"], 10_000,
        "{report}"
    );
    println!(
        "CSV import of 10,000 rows ({} KB): dry run {:.2} s, import {:.2} s",
        csv.len() / 1024,
        dry.as_secs_f64(),
        real.as_secs_f64()
    );
    let stocked: i64 = sqlx::query_scalar(
        "select count(*) from makrcave.stock_movements where reason = 'imported from CSV'",
    )
    .fetch_one(&db)
    .await
    .expect("the receipts");
    assert_eq!(stocked, 9_800, "a receipt for every row with a quantity");
}

const INVENTORY_CSV: &str = "query($space: ID!) { inventoryCsv(makerspaceId: $space) }";
const MOVEMENTS_CSV: &str = "query($space: ID!, $from: DateTime!, $to: DateTime!) {
    stockMovementsCsv(makerspaceId: $space, from: $from, to: $to) }";

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_sheet_exported_from_one_space_imports_into_another(db: PgPool) {
    let lab = lab_with_a_shelf(&db).await;
    let csv = "name,sku,unit,category,reorder_point,location,quantity,unit_cost_minor
\"Plywood, 4 mm\",PLY-4,pieces,material,10,Shelf A,25,180
Flux,,millilitres,consumable,,,,
";
    let imported = import(&lab, csv, false).await;
    assert_eq!(
        imported["data"]["importInventory"]["itemsAdded"], 2,
        "{imported}"
    );
    let member = lab.person("mo", "member").await;
    let exported = lab
        .ask(Some(&member), INVENTORY_CSV, json!({"space": lab.space}))
        .await;
    let sheet = exported["data"]["inventoryCsv"].as_str().expect("a sheet");
    assert_eq!(
        sheet,
        "name,sku,category,unit,reorder_point,unit_cost_minor,location,quantity,low
Flux,,consumable,millilitres,0,,,,true
Old glue,GLUE-1,consumable,pieces,0,,,,true
\"Plywood, 4 mm\",PLY-4,material,pieces,10,180,Shelf A,25,false
"
    );
    let elsewhere = lab_with_a_shelf(&db).await;
    let again = import(&elsewhere, &sheet.replace("GLUE-1", "GLUE-2"), false).await;
    assert_eq!(
        again["data"]["importInventory"],
        json!({"dryRun": false, "rows": 3, "itemsAdded": 3, "problems": []}),
        "{again}"
    );

    let now = chrono::Utc::now();
    let movements = lab
        .ask(
            Some(&member),
            MOVEMENTS_CSV,
            json!({"space": lab.space, "from": now - chrono::Duration::hours(1),
                   "to": now + chrono::Duration::hours(1)}),
        )
        .await;
    let lines: Vec<&str> = movements["data"]["stockMovementsCsv"]
        .as_str()
        .expect("a sheet")
        .lines()
        .collect();
    assert_eq!(
        lines[0],
        "recorded_at,name,sku,kind,quantity,change,location,to_location,reason,recorded_by,member"
    );
    assert_eq!(lines.len(), 2, "one receipt: {lines:?}");
    assert!(
        lines[1].contains(",\"Plywood, 4 mm\",PLY-4,receive,25,25,Shelf A,,imported from CSV,"),
        "{}",
        lines[1]
    );
    let too_long = lab
        .ask(
            Some(&member),
            MOVEMENTS_CSV,
            json!({"space": lab.space, "from": "2025-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(invalid_fields(&too_long), ["to"]);
}
