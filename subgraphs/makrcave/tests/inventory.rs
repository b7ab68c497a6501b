//! A makerspace's inventory: stock moves only by recorded movements, its levels in step with
//! them; it never goes negative, also when fifty people take the last units at once; running
//! low is announced once until restocked; and only the space's people see it, only its staff
//! keep it.

mod common;

use common::found_space;
use common::lab::{Lab, outcome, stranger};
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::topics;
use makrx_testkit::{error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const ADD_LOCATION: &str = "mutation($input: AddInventoryLocationInput!) {
    addInventoryLocation(input: $input) { id name } }";
const ADD_ITEM: &str = "mutation($input: AddInventoryItemInput!) {
    addInventoryItem(input: $input) { id name unit onHand low } }";
const MOVE: &str = "mutation($input: RecordStockMovementInput!) {
    recordStockMovement(input: $input) {
        movement { kind quantity change location toLocation reason member { id } recordedBy { id } }
        item { onHand low } } }";
const UPDATE_ITEM: &str = "mutation($input: UpdateInventoryItemInput!) {
    updateInventoryItem(input: $input) { name sku category unit reorderPoint low } }";
const ITEM: &str = "query($id: ID!) { inventoryItem(id: $id) {
    name onHand low levels { location { name } onHand }
    movements { kind quantity change location toLocation } } }";
const ITEMS: &str = "query($space: ID!, $search: String, $lowOnly: Boolean! = false,
    $locationId: ID, $after: String) {
    inventoryItems(makerspaceId: $space, search: $search, lowOnly: $lowOnly,
                   locationId: $locationId, first: 2, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { name } } }";
const LOCATIONS: &str = "query($space: ID!) { inventoryLocations(makerspaceId: $space) { name } }";

/// The lab with a place or two and an item, kept by its owner.
struct Stock {
    lab: Lab,
    shelf: String,
    bin: String,
}

impl Stock {
    async fn open(db: &PgPool) -> Self {
        let lab = Lab::open(db).await;
        let place = |name: &'static str| {
            let lab = &lab;
            async move {
                lab.as_owner(
                    ADD_LOCATION,
                    json!({"makerspaceId": lab.space, "name": name}),
                )
                .await["addInventoryLocation"]["id"]
                    .as_str()
                    .expect("a place")
                    .to_owned()
            }
        };
        let shelf = place("Shelf A").await;
        let bin = place("Bin 3").await;
        Self { lab, shelf, bin }
    }

    async fn item(&self, name: &str, unit: &str, reorder_point: &str) -> String {
        self.lab
            .as_owner(
                ADD_ITEM,
                json!({"makerspaceId": self.lab.space, "name": name, "unit": unit,
                       "category": "MATERIAL", "reorderPoint": reorder_point}),
            )
            .await["addInventoryItem"]["id"]
            .as_str()
            .expect("an item")
            .to_owned()
    }

    /// Records a movement as the owner: the whole answer.
    async fn moved(&self, movement: Value) -> Value {
        self.lab
            .ask(Some(&self.lab.owner), MOVE, json!({ "input": movement }))
            .await
    }

    async fn low_events(&self, item: &str) -> i64 {
        sqlx::query_scalar(
            "select count(*) from events.outbox
             where topic = $1 and payload->>'action' = 'inventory_item.low'
               and payload->>'entity_id' = $2",
        )
        .bind(topics::INVENTORY_ITEM_CHANGED)
        .bind(item)
        .fetch_one(&self.lab.db)
        .await
        .expect("the outbox")
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn stock_moves_only_by_movements_and_its_levels_keep_in_step(db: PgPool) {
    let stock = Stock::open(&db).await;
    let member = stock.lab.person("mira", "member").await;
    let pla = stock.item("PLA, black", "GRAMS", "500").await;
    let (shelf, bin) = (&stock.shelf, &stock.bin);
    for (movement, total) in [
        (
            json!({"kind": "RECEIVE", "quantity": "1000.5", "locationId": shelf,
                "reason": "a delivery"}),
            "1000.5",
        ),
        (
            json!({"kind": "ISSUE", "quantity": "200", "locationId": shelf,
                "memberId": member.id}),
            "800.5",
        ),
        (
            json!({"kind": "TRANSFER", "quantity": "300", "locationId": shelf,
                "toLocationId": bin}),
            "800.5",
        ),
        (
            json!({"kind": "ADJUST", "quantity": "250", "locationId": bin,
                "reason": "counted"}),
            "750.5",
        ),
        (
            json!({"kind": "CONSUME", "quantity": "100", "locationId": shelf}),
            "650.5",
        ),
    ] {
        let mut input = movement.clone();
        input["itemId"] = json!(pla);
        let moved = stock.moved(input).await;
        assert_eq!(
            moved["data"]["recordStockMovement"]["item"]["onHand"], total,
            "{movement}: {moved}"
        );
    }
    let item = stock.lab.ask(Some(&member), ITEM, json!({"id": pla})).await;
    let item = &item["data"]["inventoryItem"];
    assert_eq!(item["onHand"], "650.5");
    assert_eq!(item["low"], false);
    assert_eq!(
        item["levels"],
        json!([{"location": {"name": "Bin 3"}, "onHand": "250"},
               {"location": {"name": "Shelf A"}, "onHand": "400.5"}]),
        "each place's level is the sum of its movements, the count replacing what was there"
    );
    assert_eq!(
        item["movements"],
        json!([
            {"kind": "CONSUME", "quantity": "100", "change": "-100", "location": "Shelf A", "toLocation": null},
            {"kind": "ADJUST", "quantity": "250", "change": "-50", "location": "Bin 3", "toLocation": null},
            {"kind": "TRANSFER", "quantity": "300", "change": "0", "location": "Shelf A", "toLocation": "Bin 3"},
            {"kind": "ISSUE", "quantity": "200", "change": "-200", "location": "Shelf A", "toLocation": null},
            {"kind": "RECEIVE", "quantity": "1000.5", "change": "1000.5", "location": "Shelf A", "toLocation": null},
        ])
    );
    let summed: (rust_decimal::Decimal, rust_decimal::Decimal) = sqlx::query_as(
        "select (select sum(change) from makrcave.stock_movements where item_id = $1::uuid),
                (select sum(on_hand) from makrcave.inventory_levels where item_id = $1::uuid)",
    )
    .bind(&pla)
    .fetch_one(&db)
    .await
    .expect("the sums");
    assert_eq!(
        summed.0.to_string(),
        "650.5",
        "the movements sum to the total"
    );
    assert_eq!(summed.1.to_string(), "650.5", "and so do the levels");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn what_a_place_does_not_hold_cannot_be_taken_and_nothing_changes(db: PgPool) {
    let stock = Stock::open(&db).await;
    let bolts = stock.item("M3 bolts", "PIECES", "0").await;
    let received = stock
        .moved(
            json!({"itemId": bolts, "kind": "RECEIVE", "quantity": "1", "locationId": stock.shelf}),
        )
        .await;
    assert_eq!(
        received["data"]["recordStockMovement"]["item"]["onHand"],
        "1"
    );

    let too_many = stock
        .moved(
            json!({"itemId": bolts, "kind": "ISSUE", "quantity": "5", "locationId": stock.shelf}),
        )
        .await;
    assert_eq!(error_code(&too_many), Some("CONFLICT"), "{too_many}");
    assert_eq!(
        error_message(&too_many),
        "only 1 piece of M3 bolts is at Shelf A: issuing 5 pieces is refused"
    );
    let elsewhere = stock
        .moved(
            json!({"itemId": bolts, "kind": "TRANSFER", "quantity": "1", "locationId": stock.bin,
                      "toLocationId": stock.shelf}),
        )
        .await;
    assert_eq!(
        error_message(&elsewhere),
        "only 0 pieces of M3 bolts are at Bin 3: moving 1 piece is refused"
    );
    for (input, field) in [
        (
            json!({"kind": "RECEIVE", "quantity": "1.5", "locationId": stock.shelf}),
            "quantity",
        ),
        (
            json!({"kind": "RECEIVE", "quantity": "0", "locationId": stock.shelf}),
            "quantity",
        ),
        (
            json!({"kind": "ISSUE", "quantity": "-1", "locationId": stock.shelf}),
            "quantity",
        ),
        (
            json!({"kind": "TRANSFER", "quantity": "1", "locationId": stock.shelf}),
            "toLocationId",
        ),
        (
            json!({"kind": "TRANSFER", "quantity": "1", "locationId": stock.shelf,
                "toLocationId": stock.shelf}),
            "toLocationId",
        ),
        (
            json!({"kind": "RECEIVE", "quantity": "1", "locationId": stock.shelf,
                "toLocationId": stock.bin}),
            "toLocationId",
        ),
        (
            json!({"kind": "RECEIVE", "quantity": "1", "locationId": uuid::Uuid::now_v7()}),
            "locationId",
        ),
    ] {
        let mut movement = input.clone();
        movement["itemId"] = json!(bolts);
        let refused = stock.moved(movement).await;
        assert_eq!(invalid_fields(&refused), [field], "{input}: {refused}");
    }
    let grams = stock.item("Resin", "MILLILITRES", "0").await;
    let fine = stock
        .moved(json!({"itemId": grams, "kind": "RECEIVE", "quantity": "0.0001", "locationId": stock.shelf}))
        .await;
    assert_eq!(
        invalid_fields(&fine),
        ["quantity"],
        "three decimals at most"
    );
    let counted: i64 = sqlx::query_scalar(
        "select count(*) from makrcave.stock_movements where item_id = $1::uuid",
    )
    .bind(&bolts)
    .fetch_one(&db)
    .await
    .expect("the movements");
    assert_eq!(counted, 1, "only the delivery was recorded");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn fifty_people_taking_the_last_ten_units_at_once_never_make_it_negative(db: PgPool) {
    let stock = Stock::open(&db).await;
    let boards = stock.item("Arduino Nano", "PIECES", "2").await;
    stock
        .moved(json!({"itemId": boards, "kind": "RECEIVE", "quantity": "10", "locationId": stock.shelf}))
        .await;
    let staff = stock.lab.person("sam", "staff").await;
    let takers = (0..50).map(|_| {
        let (lab, staff, boards, shelf) = (&stock.lab, &staff, &boards, &stock.shelf);
        async move {
            lab.ask(
                Some(staff),
                MOVE,
                json!({"input": {"itemId": boards, "kind": "ISSUE", "quantity": "1", "locationId": shelf}}),
            )
            .await
        }
    });
    let answers = futures::future::join_all(takers).await;
    let issued = answers
        .iter()
        .filter(|answer| error_code(answer).is_none())
        .count();
    let refused = answers
        .iter()
        .filter(|answer| error_code(answer) == Some("CONFLICT"))
        .count();
    assert_eq!((issued, refused), (10, 40), "{answers:?}");
    let (on_hand, level, movements): (
        rust_decimal::Decimal,
        rust_decimal::Decimal,
        rust_decimal::Decimal,
    ) = sqlx::query_as(
        "select i.on_hand,
                    (select sum(on_hand) from makrcave.inventory_levels where item_id = i.id),
                    (select sum(change) from makrcave.stock_movements where item_id = i.id)
             from makrcave.inventory_items i where i.id = $1::uuid",
    )
    .bind(&boards)
    .fetch_one(&db)
    .await
    .expect("the item");
    assert_eq!(
        [on_hand, level, movements].map(|d| d.is_zero()),
        [true; 3],
        "all taken, nothing below zero"
    );
    assert_eq!(
        stock.low_events(&boards).await,
        1,
        "running low is told once"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn running_low_is_told_once_until_restocked_above_the_reorder_point(db: PgPool) {
    let stock = Stock::open(&db).await;
    let pla = stock.item("PLA, white", "GRAMS", "500").await;
    let step = |kind: &'static str, quantity: &'static str| {
        let (stock, pla) = (&stock, &pla);
        async move {
            stock
                .moved(json!({"itemId": pla, "kind": kind, "quantity": quantity, "locationId": stock.shelf}))
                .await["data"]["recordStockMovement"]["item"]["low"]
                .clone()
        }
    };
    assert_eq!(step("RECEIVE", "1000").await, false);
    assert_eq!(
        step("CONSUME", "500").await,
        true,
        "at the reorder point is low"
    );
    assert_eq!(step("CONSUME", "100").await, true);
    assert_eq!(
        stock.low_events(&pla).await,
        1,
        "told once while it stays low"
    );
    assert_eq!(
        step("RECEIVE", "100").await,
        true,
        "back at the point is still low"
    );
    assert_eq!(step("RECEIVE", "0.5").await, false, "restocked above it");
    assert_eq!(step("CONSUME", "0.5").await, true);
    assert_eq!(
        stock.low_events(&pla).await,
        2,
        "and told again when it falls again"
    );

    let low = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            ITEMS,
            json!({"space": stock.lab.space, "lowOnly": true}),
        )
        .await;
    assert_eq!(
        low["data"]["inventoryItems"]["nodes"],
        json!([{"name": "PLA, white"}])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_inventory_is_listed_by_name_a_page_at_a_time_and_found_by_name_or_sku_or_place(
    db: PgPool,
) {
    let stock = Stock::open(&db).await;
    let mut items = Vec::new();
    for name in [
        "Wood glue",
        "Acrylic 3 mm",
        "Solder wire",
        "Heat-set inserts",
    ] {
        items.push(stock.item(name, "PIECES", "0").await);
    }
    let page = |after: Value, search: Value| {
        let stock = &stock;
        async move {
            stock
                .lab
                .ask(
                    Some(&stock.lab.owner),
                    ITEMS,
                    json!({"space": stock.lab.space, "after": after, "search": search}),
                )
                .await["data"]["inventoryItems"]
                .clone()
        }
    };
    let first = page(Value::Null, Value::Null).await;
    assert_eq!(
        first["nodes"],
        json!([{"name": "Acrylic 3 mm"}, {"name": "Heat-set inserts"}])
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = page(first["pageInfo"]["endCursor"].clone(), Value::Null).await;
    assert_eq!(
        second["nodes"],
        json!([{"name": "Solder wire"}, {"name": "Wood glue"}])
    );
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        page(Value::Null, json!("GLUE")).await["nodes"],
        json!([{"name": "Wood glue"}])
    );

    // A place lists what it holds: the glue and the solder came to the shelf, the glue has
    // all gone from the bin it also came to.
    let (glue, solder) = (&items[0], &items[2]);
    for (item, place) in [
        (glue, &stock.shelf),
        (solder, &stock.shelf),
        (glue, &stock.bin),
    ] {
        stock
            .moved(json!({"itemId": item, "kind": "RECEIVE", "quantity": "2", "locationId": place}))
            .await;
    }
    stock
        .moved(json!({"itemId": glue, "kind": "ISSUE", "quantity": "2", "locationId": stock.bin}))
        .await;
    let held_at = |place: &str| {
        let (stock, place) = (&stock, place.to_owned());
        async move {
            stock
                .lab
                .ask(
                    Some(&stock.lab.owner),
                    ITEMS,
                    json!({"space": stock.lab.space, "locationId": place}),
                )
                .await["data"]["inventoryItems"]["nodes"]
                .clone()
        }
    };
    assert_eq!(
        held_at(&stock.shelf).await,
        json!([{"name": "Solder wire"}, {"name": "Wood glue"}])
    );
    assert_eq!(held_at(&stock.bin).await, json!([]));

    let places = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            LOCATIONS,
            json!({"space": stock.lab.space}),
        )
        .await;
    assert_eq!(
        places["data"]["inventoryLocations"],
        json!([{"name": "Bin 3"}, {"name": "Shelf A"}])
    );
    let taken = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            ADD_LOCATION,
            json!({"input": {"makerspaceId": stock.lab.space, "name": "Shelf A"}}),
        )
        .await;
    assert_eq!(invalid_fields(&taken), ["name"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_the_spaces_people_see_its_inventory_and_only_its_staff_keep_it(db: PgPool) {
    let stock = Stock::open(&db).await;
    let lab = &stock.lab;
    let item = stock.item("Plywood 4 mm", "PIECES", "0").await;
    stock
        .moved(json!({"itemId": item, "kind": "RECEIVE", "quantity": "100", "locationId": stock.shelf}))
        .await;
    let other = stranger(&lab.api, &db, "other-space").await;
    let elsewhere = format!("elsewhere-{}", uuid::Uuid::now_v7().simple());
    found_space(&lab.api, &other.token, &elsewhere).await;
    let people = [
        ("anonymous", None),
        ("another space's owner", Some(other)),
        ("member", Some(lab.person("mo", "member").await)),
        ("staff", Some(lab.person("sue", "staff").await)),
        ("manager", Some(lab.person("max", "manager").await)),
        ("owner", Some(lab.owner.clone())),
        ("admin", Some(lab.platform_admin(None).await)),
    ];
    let space = json!(lab.space);
    let reads = [
        (ITEM, json!({"id": item})),
        (ITEMS, json!({"space": space})),
        (LOCATIONS, json!({"space": space})),
    ];
    let writes = [
        (
            ADD_LOCATION,
            json!({"input": {"makerspaceId": space, "name": "Drawer"}}),
        ),
        (
            ADD_ITEM,
            json!({"input": {"makerspaceId": space, "name": "Tape", "unit": "METRES"}}),
        ),
        (
            MOVE,
            json!({"input": {"itemId": item, "kind": "ISSUE", "quantity": "1", "locationId": stock.shelf}}),
        ),
    ];
    for (who, person) in &people {
        let expected_read = match *who {
            "anonymous" => "UNAUTHENTICATED",
            "another space's owner" => "NOT_FOUND",
            _ => "ok",
        };
        let expected_write = match *who {
            "anonymous" => "UNAUTHENTICATED",
            "another space's owner" => "NOT_FOUND",
            "member" => "FORBIDDEN",
            _ => "ok",
        };
        for (query, variables) in &reads {
            assert_eq!(
                outcome(lab, person.as_ref(), query, variables.clone()).await,
                expected_read,
                "{who}: {query}"
            );
        }
        for (query, variables) in &writes {
            let mut variables = variables.clone();
            // Each may add its own place once: a second of the same name would be refused.
            if *query == ADD_LOCATION {
                variables["input"]["name"] = json!(format!("Drawer of {who}"));
            }
            assert_eq!(
                outcome(lab, person.as_ref(), query, variables).await,
                expected_write,
                "{who}: {query}"
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_items_details_change_but_not_its_unit_and_raising_its_reorder_point_can_make_it_low(
    db: PgPool,
) {
    let stock = Stock::open(&db).await;
    let pla = stock.item("PLA", "GRAMS", "0").await;
    stock
        .moved(
            json!({"itemId": pla, "kind": "RECEIVE", "quantity": "800", "locationId": stock.shelf}),
        )
        .await;
    let update = |input: Value| {
        let (stock, pla) = (&stock, &pla);
        async move {
            let mut input = input;
            input["id"] = json!(pla);
            stock
                .lab
                .ask(
                    Some(&stock.lab.owner),
                    UPDATE_ITEM,
                    json!({ "input": input }),
                )
                .await
        }
    };
    let renamed =
        update(json!({"name": "PLA, black", "sku": "PLA-BLK", "category": "CONSUMABLE"})).await;
    assert_eq!(
        renamed["data"]["updateInventoryItem"],
        json!({"name": "PLA, black", "sku": "PLA-BLK", "category": "CONSUMABLE", "unit": "GRAMS",
               "reorderPoint": "0", "low": false})
    );
    let raised = update(json!({"reorderPoint": "1000"})).await;
    assert_eq!(
        raised["data"]["updateInventoryItem"]["low"], true,
        "{raised}"
    );
    assert_eq!(
        raised["data"]["updateInventoryItem"]["sku"], "PLA-BLK",
        "left out, the code stays"
    );
    assert_eq!(
        stock.low_events(&pla).await,
        1,
        "raised above what is on hand: told at once"
    );
    let cleared = update(json!({"sku": null, "reorderPoint": "100"})).await;
    assert_eq!(
        (
            &cleared["data"]["updateInventoryItem"]["sku"],
            &cleared["data"]["updateInventoryItem"]["low"]
        ),
        (&Value::Null, &json!(false))
    );
    let other = stock.item("PETG", "GRAMS", "0").await;
    let taken = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            UPDATE_ITEM,
            json!({"input": {"id": other, "sku": "PLA-BLK"}}),
        )
        .await;
    assert!(
        taken["errors"].is_null(),
        "a code given up may be another's: {taken}"
    );
    let clash = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            UPDATE_ITEM,
            json!({"input": {"id": pla, "sku": "PLA-BLK"}}),
        )
        .await;
    assert_eq!(invalid_fields(&clash), ["sku"], "{clash}");
    for pack in ["0", "-1000", "0.0001"] {
        let refused = update(json!({"storePack": pack})).await;
        assert_eq!(invalid_fields(&refused), ["storePack"], "{pack}: {refused}");
    }
    let pieces = stock.item("Nozzle", "PIECES", "0").await;
    let half = stock
        .lab
        .ask(
            Some(&stock.lab.owner),
            UPDATE_ITEM,
            json!({"input": {"id": pieces, "storePack": "0.5"}}),
        )
        .await;
    assert_eq!(invalid_fields(&half), ["storePack"], "half a piece: {half}");
    let spool = update(json!({"storePack": "1000"})).await;
    assert!(spool["errors"].is_null(), "{spool}");
    let member = stock.lab.person("mo", "member").await;
    let refused = stock
        .lab
        .ask(
            Some(&member),
            UPDATE_ITEM,
            json!({"input": {"id": pla, "name": "Mine"}}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
}
