//! A query across the supergraph costs a constant number of SQL statements, however many
//! makerspaces it lists or machines' calendars it lays out: every list that crosses a table
//! goes through a DataLoader.
//! Statements are counted from sqlx's own log of each one it sends (target `sqlx::query`),
//! so this test has its binary to itself: the counter is global.

use std::sync::atomic::{AtomicUsize, Ordering};

use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, token, unique_email};
use serde_json::json;
use sqlx::PgPool;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Every statement sent but those of background work (consumers polling, the events relay,
/// sweepers), which runs on its own clock whatever the requests do.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
/// The statements a request handler sends itself, not its DataLoaders' batches (spawned tasks).
static IN_HANDLERS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl<S> tracing_subscriber::Layer<S> for CountStatements
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let within = |name: &str| {
            ctx.event_scope(event)
                .is_some_and(|mut scope| scope.any(|span| span.name() == name))
        };
        if within("background") {
            return;
        }
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        if within("request") {
            IN_HANDLERS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

const NETWORK: &str = "query($first: Int) { makerspaces(first: $first) { edges { node {
    name owner { displayName } equipment { name status } } } } }";

/// Adds `count` makerspaces, each with its own owner and three machines.
async fn add_spaces(db: &PgPool, count: usize) {
    for _ in 0..count {
        let owner = uuid::Uuid::now_v7();
        let space = uuid::Uuid::now_v7();
        sqlx::query(
            "insert into shared.users (id, subject, display_name) values ($1, $2, 'Owner')",
        )
        .bind(owner)
        .bind(owner.to_string())
        .execute(db)
        .await
        .expect("an owner");
        sqlx::query("insert into makrcave.makerspaces (id, name, slug, owner_id) values ($1, 'Space', $2, $3)")
            .bind(space)
            .bind(format!("space-{}", space.simple()))
            .bind(owner)
            .execute(db)
            .await
            .expect("a space");
        for machine in ["laser", "printer", "router"] {
            sqlx::query("insert into makrcave.equipment (id, makerspace_id, name, kind) values ($1, $2, $3, $3)")
                .bind(uuid::Uuid::now_v7())
                .bind(space)
                .bind(machine)
                .execute(db)
                .await
                .expect("a machine");
        }
    }
}

const CALENDARS: &str = "query($slug: String!, $from: DateTime!, $to: DateTime!) {
    makerspace(slug: $slug) { equipment { name calendar(from: $from, to: $to) { kind startsAt endsAt } } } }";

/// A space with `machines` machines open 09:00 to 18:00 on weekdays, where `member` belongs,
/// each machine booked twice in the week of 7 December 2026 and one closed for a day.
async fn add_busy_space(db: &PgPool, slug: &str, machines: usize, member: uuid::Uuid) {
    let space = uuid::Uuid::now_v7();
    sqlx::query("insert into makrcave.makerspaces (id, name, slug, owner_id, time_zone) values ($1, 'Busy', $2, $3, 'Europe/Berlin')")
        .bind(space)
        .bind(slug)
        .bind(member)
        .execute(db)
        .await
        .expect("a space");
    sqlx::query(
        "insert into makrcave.memberships (makerspace_id, user_id, role) values ($1, $2, 'member')",
    )
    .bind(space)
    .bind(member)
    .execute(db)
    .await
    .expect("a membership");
    sqlx::query("insert into makrcave.opening_hours (makerspace_id, weekday, opens_minute, closes_minute) select $1, d, 540, 1080 from generate_series(1, 5) d")
        .bind(space)
        .execute(db)
        .await
        .expect("opening hours");
    for n in 0..machines {
        let machine = uuid::Uuid::now_v7();
        sqlx::query("insert into makrcave.equipment (id, makerspace_id, name, kind, class) values ($1, $2, $3, 'Prusa MK4', 'printer_3d')")
            .bind(machine)
            .bind(space)
            .bind(format!("Printer {n:02}"))
            .execute(db)
            .await
            .expect("a machine");
        for day in ["2026-12-08", "2026-12-10"] {
            sqlx::query("insert into makrcave.reservations (id, makerspace_id, equipment_id, user_id, during, status, cost_minor, currency) values ($1, $2, $3, $4, tstzrange(($5 || ' 10:00+01')::timestamptz, ($5 || ' 12:00+01')::timestamptz), 'approved', 0, 'EUR')")
                .bind(uuid::Uuid::now_v7())
                .bind(space)
                .bind(machine)
                .bind(member)
                .bind(day)
                .execute(db)
                .await
                .expect("a booking");
        }
        if n % 10 == 0 {
            sqlx::query("insert into makrcave.blackouts (id, makerspace_id, equipment_id, during, reason, created_by) values ($1, $2, $3, '[2026-12-09 00:00+01, 2026-12-10 00:00+01)', 'service', $4)")
                .bind(uuid::Uuid::now_v7())
                .bind(space)
                .bind(machine)
                .bind(member)
                .execute(db)
                .await
                .expect("a blackout");
        }
    }
}

/// What the store's catalog page asks (web/store/graphql/catalog.graphql), and its variants.
const CATALOG_PAGE: &str = "query($first: Int) { products(first: $first, sort: NAME) {
    totalCount attributeValues { name values }
    nodes { name category { name } priceRange { minMinor } inStock images { alt }
        rating { average count } variants { sku priceMinor stockAvailable } } } }";

/// A catalog of `count` products in three categories, each with three variants in stock.
async fn add_products(db: &PgPool, count: i32) {
    sqlx::query(
        "with category as (
             insert into store.categories (id, slug, name)
             select gen_random_uuid(), 'category-' || n, 'Category ' || n from generate_series(1, 3) n
             returning id),
         product as (
             insert into store.products (id, slug, name, category_id)
             select gen_random_uuid(), 'product-' || n, 'Product ' || lpad(n::text, 3, '0'),
                    (select id from category order by id offset n % 3 limit 1)
             from generate_series(1, $1) n
             returning id),
         variant as (
             insert into store.product_variants (id, product_id, sku, name, price_minor, currency)
             select gen_random_uuid(), product.id, upper('SKU-' || gen_random_uuid()), 'Size ' || n, 100 * n, 'INR'
             from product, generate_series(1, 3) n
             returning id)
         insert into store.stock (variant_id, location_id, on_hand)
         select id, '0193a5c0-0000-7000-8000-000000000001', 5 from variant",
    )
    .bind(count)
    .execute(db)
    .await
    .expect("a catalog");
}

async fn catalog_statements(api: &Endpoint, first: usize) -> usize {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let data = api.data(CATALOG_PAGE, json!({"first": first}), None).await;
    let after = STATEMENTS.load(Ordering::SeqCst);
    let products = data["products"]["nodes"].as_array().expect("products");
    assert_eq!(products.len(), first);
    assert!(products.iter().all(|product| {
        product["inStock"] == true
            && product["category"]["name"].is_string()
            && product["variants"]
                .as_array()
                .is_some_and(|variants| variants.len() == 3 && variants[0]["stockAvailable"] == 5)
    }));
    after - before
}

async fn calendar_statements(api: &Endpoint, slug: &str, machines: usize, token: &str) -> usize {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let data = api
        .data(
            CALENDARS,
            json!({"slug": slug, "from": "2026-12-07T00:00:00+01:00", "to": "2026-12-14T00:00:00+01:00"}),
            Some(token),
        )
        .await;
    let after = STATEMENTS.load(Ordering::SeqCst);
    let equipment = data["makerspace"]["equipment"]
        .as_array()
        .expect("machines");
    assert_eq!(equipment.len(), machines);
    for machine in equipment {
        let slots = machine["calendar"].as_array().expect("a calendar");
        let mine = slots.iter().filter(|slot| slot["kind"] == "MINE").count();
        assert_eq!(mine, 2, "both bookings of {machine}");
    }
    after - before
}

/// The fewest statements of five runs of the same query. A DataLoader waits 1 ms for keys:
/// on a busy machine a batch now and then fires before the last key is in and splits in two.
/// That is scheduling, not the query's cost; a list that loads row by row grows every time.
async fn fewest<F: Future<Output = usize>>(run: impl Fn() -> F) -> usize {
    let mut fewest = usize::MAX;
    for _ in 0..5 {
        fewest = fewest.min(run().await);
    }
    fewest
}

async fn statements_for(api: &Endpoint, first: usize, token: &str) -> usize {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let data = api
        .data(NETWORK, json!({"first": first}), Some(token))
        .await;
    let after = STATEMENTS.load(Ordering::SeqCst);
    let spaces = data["makerspaces"]["edges"].as_array().expect("edges");
    assert_eq!(spaces.len(), first);
    assert!(spaces.iter().all(|space| {
        space["node"]["equipment"]
            .as_array()
            .is_some_and(|m| m.len() == 3)
    }));
    assert!(
        spaces
            .iter()
            .all(|space| space["node"]["owner"]["displayName"] == "Owner")
    );
    after - before
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_list_costs_a_constant_number_of_statements_however_long(db: PgPool) {
    tracing_subscriber::registry()
        .with(CountStatements.with_filter(tracing_subscriber::filter::LevelFilter::TRACE))
        .init();
    add_spaces(&db, 40).await;
    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), None)
        .await
        .expect("subgraphs");
    let router = Router::start(
        RouterKind::Hive,
        &makrx::project_dir(),
        &subgraphs.urls(),
        0,
    )
    .await
    .expect("router");
    let api = Endpoint::at(&router.url, ([127, 0, 0, 1], router.port).into());
    let viewer = token(&unique_email("viewer"));
    statements_for(&api, 1, &viewer).await; // the viewer's first request provisions them

    let for_20 = fewest(|| statements_for(&api, 20, &viewer)).await;
    let for_40 = fewest(|| statements_for(&api, 40, &viewer)).await;
    println!(
        "SQL statements for makerspaces {{ owner equipment }}: 20 spaces {for_20}, 40 spaces {for_40}"
    );
    assert_eq!(
        for_20, for_40,
        "the count does not grow with the number of spaces"
    );
    assert_eq!(
        for_20, 3,
        "one page of the spaces the viewer may see, one batch of equipment, one batch of owners"
    );

    let member: uuid::Uuid =
        sqlx::query_scalar("select id from shared.users where email like 'viewer-%'")
            .fetch_one(&db)
            .await
            .expect("the viewer");
    add_busy_space(&db, "small-space", 10, member).await;
    add_busy_space(&db, "big-space", 50, member).await;
    let for_10 = fewest(|| calendar_statements(&api, "small-space", 10, &viewer)).await;
    let for_50 = fewest(|| calendar_statements(&api, "big-space", 50, &viewer)).await;
    println!(
        "SQL statements for a week's calendar of every machine: 10 machines {for_10}, 50 machines {for_50}"
    );
    // 40 more machines loaded row by row would cost 40 more statements; a batch split by a
    // busy scheduler in every run costs one.
    assert!(
        for_50 <= for_10 + 1,
        "the count does not grow with the number of machines: {for_10} for 10, {for_50} for 50"
    );
    assert_eq!(
        for_10, 7,
        "the space (if the viewer may see it), the viewer's role, its machines, its time zone, \
         its opening hours, the bookings, the blackouts"
    );

    add_products(&db, 48).await;
    let for_12 = fewest(|| catalog_statements(&api, 12)).await;
    let for_24 = fewest(|| catalog_statements(&api, 24)).await;
    println!(
        "SQL statements for a catalog page with categories, variants, stock, images, ratings and \
         the attributes to filter by: 12 products {for_12}, 24 products {for_24}"
    );
    assert_eq!(for_12, for_24, "the count does not grow with the page");
    assert_eq!(
        for_24, 8,
        "the page, its total, its attributes, the variants, their stock available, the \
         categories, the images, the ratings"
    );

    let for_bom_10 = fewest(|| bom_statements(&api, &db, member, 10, &viewer)).await;
    let for_bom_50 = fewest(|| bom_statements(&api, &db, member, 50, &viewer)).await;
    let for_bom_100 = fewest(|| bom_statements(&api, &db, member, 100, &viewer)).await;
    println!(
        "SQL statements for a BOM with can-build, cost, the store's live total and each line's \
         store price or item: 10 lines {for_bom_10}, 50 lines {for_bom_50}, 100 lines {for_bom_100}"
    );
    // Its lines' loads run side by side: on a busy machine one batch of them now and then
    // fires before the last key is in and splits in two; 90 more lines loaded one by one
    // would cost 90 more statements.
    assert!(
        for_bom_100 <= for_bom_10 + 2 && for_bom_50 <= for_bom_10 + 2,
        "the count does not grow with the lines: {for_bom_10}, {for_bom_50}, {for_bom_100}"
    );
    assert!(
        (10..=12).contains(&for_bom_10),
        "{for_bom_10}: the project if the viewer may see it, its team, its BOMs, their lines, \
         the viewer's role in the space, its items, what it holds of the store's products, its \
         currency, the items for the cost (in the same batch when the scheduler allows), and \
         the store's variants with their prices"
    );

    // A new customer's first request provisions them: the count of the fifth `addToCart` is the
    // one that every later one pays.
    let (_, place_1) = checkout_statements(&api, &db, 1).await;
    let (add, place_5) = checkout_statements(&api, &db, 5).await;
    println!(
        "SQL statements of a checkout: addToCart {add}, placeOrder of 1 line {place_1}, of 5 lines {place_5}"
    );
    assert_eq!(place_1, place_5, "the count does not grow with the lines");
    // sqlx logs the COMMIT it sends but not the BEGIN, which it queues with the first statement.
    assert_eq!(
        add, 10,
        "the variant and the hold time, the cart (made or marked), the stock rows locked, the \
         holds renewed, the line's quantity and what can be had, the line, the cart's lines, its \
         parts, its coupon, commit"
    );
    assert_eq!(
        place_1, 14,
        "the cart, the stock rows locked with their free units, the lines, the parts (none \
         here), the coupon, shipping, tax, the order, its lines, the allocations, the cart \
         emptied, the audit row, the event, commit"
    );
    router.stop().await;
    subgraphs.stop().await;
}

const BOM: &str = "query($id: ID!) { project(id: $id) { boms {
    canBuild cost { itemsMinor storeLines } storeCost { minor lines }
    lines { quantity storeVariant { sku priceMinor } inventoryItem { name onHand } } } } }";

/// A project of `member` in the busy space with a BOM of `lines` lines, alternately a store
/// product's variant (from the catalog) and an item of the space; the statements its page
/// costs through the router, checked for every line's price or item.
async fn bom_statements(
    api: &Endpoint,
    db: &PgPool,
    member: uuid::Uuid,
    lines: i64,
    token: &str,
) -> usize {
    let project = uuid::Uuid::now_v7();
    sqlx::query(
        "with space as (select id from makrcave.makerspaces where slug = 'big-space'),
              project as (
                  insert into makrcave.projects (id, owner_id, makerspace_id, title, visibility)
                  select $1, $2, id, 'Lamp', 'space' from space returning id),
              team as (
                  insert into makrcave.project_collaborators (project_id, user_id, role)
                  select id, $2, 'owner' from project),
              bom as (
                  insert into makrcave.boms (id, project_id, name)
                  select gen_random_uuid(), id, 'One lamp' from project returning id),
              items as (
                  insert into makrcave.inventory_items
                      (id, makerspace_id, name, category, unit, on_hand, unit_cost_minor)
                  select gen_random_uuid(), space.id, 'Part ' || n, 'part', 'pieces', 10, 25
                  from space, generate_series(1, $3 / 2) n returning id),
              numbered_items as (select id, row_number() over () as n from items),
              variants as (
                  select id, product_id, row_number() over (order by sku) as n
                  from store.product_variants limit $3 / 2)
         insert into makrcave.bom_lines
             (id, bom_id, position, store_product_id, store_variant_id, inventory_item_id, quantity)
         select gen_random_uuid(), bom.id, v.n, v.product_id, v.id, null, 1 from bom, variants v
         union all
         select gen_random_uuid(), bom.id, 1000 + i.n, null, null, i.id, 2
         from bom, numbered_items i",
    )
    .bind(project)
    .bind(member)
    .bind(lines)
    .execute(db)
    .await
    .expect("a BOM");
    let before = STATEMENTS.load(Ordering::SeqCst);
    let data = api.data(BOM, json!({"id": project}), Some(token)).await;
    let after = STATEMENTS.load(Ordering::SeqCst);
    let bom = &data["project"]["boms"][0];
    let read = bom["lines"].as_array().expect("lines");
    assert_eq!(read.len() as i64, lines, "{data}");
    assert!(read.iter().all(|line| {
        line["storeVariant"]["priceMinor"].is_i64() || line["inventoryItem"]["onHand"] == "10"
    }));
    assert_eq!(
        bom["canBuild"], 0,
        "no stock of the store's products: {bom}"
    );
    assert_eq!(bom["cost"]["itemsMinor"], 50 * (lines / 2), "{bom}");
    assert_eq!(
        bom["storeCost"][0]["lines"],
        lines / 2,
        "the store prices every store line: {bom}"
    );
    after - before
}

const ADD_TO_CART: &str =
    "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const PLACE_ORDER: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    id status totalMinor } }";

/// The statements the handlers of a new customer's last `addToCart` and of their `placeOrder`
/// send, with `lines` products in the cart, shipped. The placing writes an event, which wakes
/// the relay: its statements are not the checkout's.
async fn checkout_statements(api: &Endpoint, db: &PgPool, lines: usize) -> (usize, usize) {
    sqlx::query(
        "insert into store.shipping_rates (currency, price_minor) values ('INR', 9900)
         on conflict do nothing",
    )
    .execute(db)
    .await
    .expect("a shipping rate");
    let customer = token(&unique_email("shopper"));
    let variants = api
        .data(
            "query($first: Int) { products(first: $first, sort: NAME) { nodes { variants { id } } } }",
            json!({"first": lines}),
            None,
        )
        .await;
    let variants: Vec<_> = variants["products"]["nodes"]
        .as_array()
        .expect("products")
        .iter()
        .map(|product| product["variants"][0]["id"].clone())
        .collect();
    let mut add = 0;
    for variant in &variants {
        let before = IN_HANDLERS.load(Ordering::SeqCst);
        api.data(
            ADD_TO_CART,
            json!({"input": {"variantId": variant, "quantity": 1}}),
            Some(&customer),
        )
        .await;
        add = IN_HANDLERS.load(Ordering::SeqCst) - before;
    }
    let before = IN_HANDLERS.load(Ordering::SeqCst);
    let order = api
        .data(
            PLACE_ORDER,
            json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel", "line1": "1 FC Road",
                   "city": "Pune", "postalCode": "411004", "country": "IN"}}}),
            Some(&customer),
        )
        .await;
    let place = IN_HANDLERS.load(Ordering::SeqCst) - before;
    let placed: i64 =
        sqlx::query_scalar("select count(*) from store.order_lines where order_id = $1::uuid")
            .bind(order["placeOrder"]["id"].as_str())
            .fetch_one(db)
            .await
            .expect("the order's lines");
    assert_eq!(placed, lines as i64);
    (add, place)
}
