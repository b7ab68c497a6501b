//! The supergraph end to end: the four subgraphs on free ports, a real router in front of
//! them, real tokens from the development OIDC server, and a real PostgreSQL and Redis.

use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx_files::{Files, LocalS3};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{
    Endpoint, Subscription, TokenLife, auth, error_code, error_message, invalid_fields, put_signed,
    token, token_for, unique_email,
};
use serde_json::{Value, json};
use sqlx::PgPool;

const CREATE_SPACE: &str =
    "mutation($input: CreateMakerspaceInput!) { createMakerspace(input: $input) { id slug } }";
const ADD_EQUIPMENT: &str =
    "mutation($input: AddEquipmentInput!) { addEquipment(input: $input) { id status } }";
const SET_STATUS: &str = "mutation($input: SetEquipmentStatusInput!) { setEquipmentStatus(input: $input) { id status } }";
const NETWORK: &str = "query {
    makerspaces(first: 10) { totalCount edges { node {
        slug
        owner { displayName memberships { role makerspace { slug } } }
        equipment { name status } } } }
    products(first: 5) { nodes { slug variants { sku priceMinor stockAvailable } } } }";
const STATUS_CHANGED: &str = "subscription($space: ID!, $after: String) {
    equipmentStatusChanged(makerspaceId: $space, after: $after) { equipmentId status } }";

const BOOK: &str = "mutation($input: CreateReservationInput!) {
    createReservation(input: $input) { id status } }";
const RESERVATION_CHANGED: &str = "subscription($machine: ID!, $after: String) {
    reservationChanged(equipmentId: $machine, after: $after) {
        action status equipmentId startsAt endsAt } }";

/// The platform behind a router, over this test's database.
struct Stack {
    subgraphs: Subgraphs,
    router: Router,
    api: Endpoint,
    /// The embedded S3 server and its folder, when the stack keeps files.
    _files: Option<(LocalS3, tempfile::TempDir)>,
}

impl Stack {
    async fn start(db: &PgPool, kind: RouterKind, redis_url: Option<&str>) -> Self {
        let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), redis_url)
            .await
            .expect("the subgraphs start");
        Self::behind(subgraphs, kind, None).await
    }

    /// The platform keeping files in an embedded S3 server, behind Hive Router.
    async fn with_files(db: &PgPool) -> Self {
        let any = ([127, 0, 0, 1], 0).into();
        let folder = tempfile::tempdir().expect("a folder for files");
        let s3 = LocalS3::start(folder.path(), any)
            .await
            .expect("the embedded S3 server starts");
        let files = Files::connect(s3.settings()).expect("an S3 client");
        let auth = auth(db.clone());
        let sign_in = identity::WebSignIn::development(auth.issuer());
        let subgraphs = Subgraphs::start(
            db.clone(),
            auth,
            sign_in,
            store::StripeSettings::development(),
            Some(files),
            None,
            [any; 4],
        )
        .await
        .expect("the subgraphs start");
        Self::behind(subgraphs, RouterKind::Hive, Some((s3, folder))).await
    }

    async fn behind(
        subgraphs: Subgraphs,
        kind: RouterKind,
        files: Option<(LocalS3, tempfile::TempDir)>,
    ) -> Self {
        let router = Router::start(kind, &makrx::project_dir(), &subgraphs.urls(), 0)
            .await
            .expect("the router starts");
        let api = Endpoint::at(&router.url, ([127, 0, 0, 1], router.port).into());
        Self {
            subgraphs,
            router,
            api,
            _files: files,
        }
    }

    /// A subgraph called directly, not through the router: what it wrote, to compare with
    /// what the router passes on.
    fn subgraph(&self, name: &str) -> Endpoint {
        let addr = self.subgraphs.addr(name).expect("a subgraph of that name");
        Endpoint::at(&format!("http://{addr}/graphql"), addr)
    }

    fn ws_url(&self) -> String {
        self.router.url.replacen("http://", "ws://", 1)
    }

    async fn stop(self) {
        self.router.stop().await;
        self.subgraphs.stop().await;
    }
}

async fn stock_a_product(db: &PgPool) {
    let product = uuid::Uuid::now_v7();
    sqlx::query("insert into store.products (id, slug, name) values ($1, 'pla-1kg', 'PLA 1 kg')")
        .bind(product)
        .execute(db)
        .await
        .expect("a product");
    sqlx::query("insert into store.product_variants (id, product_id, sku, name, price_minor, currency) values ($1, $2, 'PLA-1KG', 'Black', 2290, 'EUR')")
        .bind(uuid::Uuid::now_v7())
        .bind(product)
        .execute(db)
        .await
        .expect("a variant");
    sqlx::query("insert into store.stock (variant_id, location_id, on_hand) select id, '0193a5c0-0000-7000-8000-000000000001', 5 from store.product_variants where sku = 'PLA-1KG'")
        .execute(db)
        .await
        .expect("stock");
}

/// The PLA spool `stock_a_product` puts on sale: its variant's id and its product's.
async fn pla_spool(api: &Endpoint) -> Value {
    api.data(
        "query { productVariant(sku: \"PLA-1KG\") { id product { id } } }",
        json!({}),
        None,
    )
    .await["productVariant"]
        .clone()
}

/// Founds a space with one machine through the router; returns (space id, machine id).
async fn found_space_with_a_machine(api: &Endpoint, owner: &str, slug: &str) -> (Value, Value) {
    let space = api
        .data(
            CREATE_SPACE,
            json!({"input": {"name": "Fab Lab", "slug": slug}}),
            Some(owner),
        )
        .await;
    let space_id = space["createMakerspace"]["id"].clone();
    let machine = api
        .data(ADD_EQUIPMENT, json!({"input": {"makerspaceId": space_id, "name": "Epilog Fusion", "kind": "laser cutter"}}), Some(owner))
        .await;
    (space_id, machine["addEquipment"]["id"].clone())
}

async fn a_query_crosses_every_subgraph(db: PgPool, kind: RouterKind) {
    stock_a_product(&db).await;
    let stack = Stack::start(&db, kind, None).await;
    let owner = token(&unique_email("owner"));
    found_space_with_a_machine(&stack.api, &owner, "fab-lab").await;

    let network = stack.api.data(NETWORK, json!({}), Some(&owner)).await;
    let space = &network["makerspaces"]["edges"][0]["node"];
    assert_eq!(network["makerspaces"]["totalCount"], 1);
    assert!(
        space["owner"]["displayName"]
            .as_str()
            .is_some_and(|name| name.starts_with("owner-")),
        "{space}"
    );
    assert_eq!(
        space["owner"]["memberships"],
        json!([{"role": "OWNER", "makerspace": {"slug": "fab-lab"}}])
    );
    assert_eq!(
        space["equipment"],
        json!([{"name": "Epilog Fusion", "status": "AVAILABLE"}])
    );
    assert_eq!(
        network["products"]["nodes"],
        json!([{"slug": "pla-1kg", "variants": [{"sku": "PLA-1KG", "priceMinor": 2290, "stockAvailable": 5}]}])
    );
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_query_crosses_every_subgraph_through_hive_router(db: PgPool) {
    a_query_crosses_every_subgraph(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_query_crosses_every_subgraph_through_apollo_router(db: PgPool) {
    a_query_crosses_every_subgraph(db, RouterKind::Apollo).await;
}

const ADD_TO_CART: &str =
    "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const CART: &str = "query { cart { itemCount lines { quantity variant { sku } } } }";

/// A guest's cart token passes the router to the store, and a guest's cart is theirs alone.
async fn a_guest_cart_token_reaches_the_store(db: PgPool, kind: RouterKind) {
    stock_a_product(&db).await;
    let stack = Stack::start(&db, kind, None).await;
    let variant = stack
        .api
        .data(
            "query { productVariant(sku: \"PLA-1KG\") { id } }",
            json!({}),
            None,
        )
        .await["productVariant"]["id"]
        .clone();
    let (guest, other) = (
        "guest-token-for-the-router-test",
        "another-guests-token-here",
    );
    let header = |token| [("x-makrx-cart", token)];
    let added = stack
        .api
        .send_with(
            ADD_TO_CART,
            json!({"input": {"variantId": variant, "quantity": 2}}),
            None,
            &header(guest),
        )
        .await;
    assert_eq!(added["data"]["addToCart"]["itemCount"], 2, "{added}");
    let cart = stack
        .api
        .send_with(CART, json!({}), None, &header(guest))
        .await;
    assert_eq!(
        cart["data"]["cart"]["lines"],
        json!([{"quantity": 2, "variant": {"sku": "PLA-1KG"}}])
    );
    let elsewhere = stack
        .api
        .send_with(CART, json!({}), None, &header(other))
        .await;
    assert_eq!(elsewhere["data"]["cart"]["itemCount"], 0);
    let too_many = stack
        .api
        .send_with(
            ADD_TO_CART,
            json!({"input": {"variantId": variant, "quantity": 4}}),
            None,
            &header(other),
        )
        .await;
    assert_eq!(too_many["errors"][0]["extensions"]["code"], "CONFLICT");
    assert_eq!(
        too_many["errors"][0]["message"],
        "only 3 of PLA 1 kg (PLA-1KG) can be had now"
    );
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_cart_token_reaches_the_store_through_hive_router(db: PgPool) {
    a_guest_cart_token_reaches_the_store(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_cart_token_reaches_the_store_through_apollo_router(db: PgPool) {
    a_guest_cart_token_reaches_the_store(db, RouterKind::Apollo).await;
}

async fn a_mutation_is_refused_with_its_code(db: PgPool, kind: RouterKind) {
    let stack = Stack::start(&db, kind, None).await;
    let (_, machine) =
        found_space_with_a_machine(&stack.api, &token(&unique_email("owner")), "guarded").await;
    let stranger = token(&unique_email("stranger"));
    let refused = stack
        .api
        .send(
            SET_STATUS,
            json!({"input": {"equipmentId": machine, "status": "OUT_OF_ORDER"}}),
            Some(&stranger),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_forbidden_mutation_keeps_its_code_through_hive_router(db: PgPool) {
    a_mutation_is_refused_with_its_code(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_forbidden_mutation_keeps_its_code_through_apollo_router(db: PgPool) {
    a_mutation_is_refused_with_its_code(db, RouterKind::Apollo).await;
}

/// What a client reads of a response's first error: its message and its extensions.
fn refusal(body: &Value) -> Value {
    let error = &body["errors"][0];
    json!({"message": error["message"], "extensions": error["extensions"]})
}

/// The router's answer says nothing of what lies behind it: each error carries only what a
/// GraphQL error has, and no subgraph's address appears anywhere.
fn assert_no_internals(body: &Value, stack: &Stack) {
    for error in body["errors"].as_array().expect("errors") {
        let keys = error.as_object().expect("an error object").keys();
        for key in keys {
            assert!(
                ["message", "locations", "path", "extensions"].contains(&key.as_str()),
                "unexpected {key:?} in {body}"
            );
        }
    }
    let text = body.to_string();
    for (name, addr) in &stack.subgraphs.addrs {
        assert!(
            !text.contains(&addr.to_string()),
            "the answer names {name}'s address {addr}: {body}"
        );
    }
}

async fn an_anonymous_caller_reads_that_the_mutation_needs_sign_in(db: PgPool, kind: RouterKind) {
    let stack = Stack::start(&db, kind, None).await;
    let input = json!({"input": {"name": "Fab Lab", "slug": "anonymous-lab"}});

    let refused = stack.api.send(CREATE_SPACE, input.clone(), None).await;

    assert_eq!(
        refusal(&refused),
        json!({"message": "sign in to do this", "extensions": {"code": "UNAUTHENTICATED"}}),
        "{refused}"
    );
    let written = stack
        .subgraph("makrcave")
        .send(CREATE_SPACE, input, None)
        .await;
    assert_eq!(refusal(&refused), refusal(&written));
    assert_no_internals(&refused, &stack);
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_anonymous_caller_reads_that_the_mutation_needs_sign_in_through_hive_router(db: PgPool) {
    an_anonymous_caller_reads_that_the_mutation_needs_sign_in(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_anonymous_caller_reads_that_the_mutation_needs_sign_in_through_apollo_router(
    db: PgPool,
) {
    an_anonymous_caller_reads_that_the_mutation_needs_sign_in(db, RouterKind::Apollo).await;
}

async fn a_second_booking_of_a_slot_reads_which_slot_is_taken(db: PgPool, kind: RouterKind) {
    let stack = Stack::start(&db, kind, None).await;
    let owner = token(&unique_email("owner"));
    let (_, machine) = found_space_with_a_machine(&stack.api, &owner, "taken-lab").await;
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let slot = json!({"input": {"equipmentId": machine,
        "startsAt": format!("{tomorrow}T10:00:00Z"), "endsAt": format!("{tomorrow}T11:30:00Z")}});
    stack.api.data(BOOK, slot.clone(), Some(&owner)).await;

    let refused = stack.api.send(BOOK, slot.clone(), Some(&owner)).await;

    assert_eq!(
        refusal(&refused),
        json!({"message": format!("Epilog Fusion is already booked from {tomorrow} 10:00 to 11:30 (UTC)"),
               "extensions": {"code": "CONFLICT"}}),
        "{refused}"
    );
    let written = stack
        .subgraph("makrcave")
        .send(BOOK, slot, Some(&owner))
        .await;
    assert_eq!(refusal(&refused), refusal(&written));
    assert_no_internals(&refused, &stack);
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_second_booking_of_a_slot_reads_which_slot_is_taken_through_hive_router(db: PgPool) {
    a_second_booking_of_a_slot_reads_which_slot_is_taken(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_second_booking_of_a_slot_reads_which_slot_is_taken_through_apollo_router(db: PgPool) {
    a_second_booking_of_a_slot_reads_which_slot_is_taken(db, RouterKind::Apollo).await;
}

async fn invalid_input_reads_which_field_is_wrong(db: PgPool, kind: RouterKind) {
    let stack = Stack::start(&db, kind, None).await;
    let owner = token(&unique_email("owner"));
    let input = json!({"input": {"name": "Fab Lab", "slug": "Not A Slug"}});

    let refused = stack
        .api
        .send(CREATE_SPACE, input.clone(), Some(&owner))
        .await;

    assert_eq!(error_code(&refused), Some("VALIDATION_ERROR"), "{refused}");
    assert_eq!(invalid_fields(&refused), ["slug"], "{refused}");
    let written = stack
        .subgraph("makrcave")
        .send(CREATE_SPACE, input, Some(&owner))
        .await;
    assert_eq!(refusal(&refused), refusal(&written));
    assert_no_internals(&refused, &stack);
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn invalid_input_reads_which_field_is_wrong_through_hive_router(db: PgPool) {
    invalid_input_reads_which_field_is_wrong(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn invalid_input_reads_which_field_is_wrong_through_apollo_router(db: PgPool) {
    invalid_input_reads_which_field_is_wrong(db, RouterKind::Apollo).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn invalid_and_expired_tokens_are_unauthenticated_through_the_router(db: PgPool) {
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let forged = format!(
        "{}.AAAA",
        token(&unique_email("forger"))
            .rsplit_once('.')
            .expect("a JWT")
            .0
    );
    for bad in [forged.as_str(), "garbage"] {
        let body = stack
            .api
            .send("query { me { id } }", json!({}), Some(bad))
            .await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{bad}: {body}");
    }
    // The development issuer's short-lived tokens last two seconds: accepted while fresh,
    // refused once expired.
    let me = "query { me { id } }";
    let short_lived = token_for(&unique_email("brief"), TokenLife::Short);
    let fresh = stack.api.send(me, json!({}), Some(&short_lived)).await;
    assert!(
        fresh["errors"].is_null(),
        "a fresh token is accepted: {fresh}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut refused = false;
    while !refused && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let body = stack.api.send(me, json!({}), Some(&short_lived)).await;
        refused = error_code(&body) == Some("UNAUTHENTICATED");
    }
    assert!(refused, "the token is refused once it has expired");
    stack.stop().await;
}

async fn a_status_change_reaches_a_subscriber_through_hive_router(
    db: PgPool,
    redis_url: Option<&str>,
) {
    let stack = Stack::start(&db, RouterKind::Hive, redis_url).await;
    let owner = token(&unique_email("owner"));
    let (space, machine) = found_space_with_a_machine(&stack.api, &owner, "live-lab").await;
    // Another client, another user, from the start of the stream: nothing can slip past.
    let watcher = token(&unique_email("watcher"));
    let mut subscription = Subscription::start(
        &stack.ws_url(),
        STATUS_CHANGED,
        json!({"space": space, "after": "0"}),
        Some(&watcher),
    )
    .await;
    stack
        .api
        .data(
            SET_STATUS,
            json!({"input": {"equipmentId": machine, "status": "IN_USE"}}),
            Some(&owner),
        )
        .await;
    let event = subscription.next().await;
    assert_eq!(
        event["data"]["equipmentStatusChanged"],
        json!({"equipmentId": machine, "status": "IN_USE"}),
        "{event}"
    );
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_status_change_reaches_a_subscriber_through_redis(db: PgPool) {
    let redis_url = std::env::var("REDIS_URL").expect("REDIS_URL names the Redis the tests use");
    a_status_change_reaches_a_subscriber_through_hive_router(db, Some(&redis_url)).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_status_change_reaches_a_subscriber_without_redis(db: PgPool) {
    a_status_change_reaches_a_subscriber_through_hive_router(db, None).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_booking_reaches_another_clients_reservation_subscription_through_hive_router(
    db: PgPool,
) {
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let owner = token(&unique_email("owner"));
    let (_, machine) = found_space_with_a_machine(&stack.api, &owner, "booked-lab").await;
    let watcher = token(&unique_email("watcher"));
    let mut subscription = Subscription::start(
        &stack.ws_url(),
        RESERVATION_CHANGED,
        json!({"machine": machine, "after": "0"}),
        Some(&watcher),
    )
    .await;
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let (starts, ends) = (
        format!("{tomorrow}T10:00:00Z"),
        format!("{tomorrow}T11:30:00Z"),
    );
    let booking = stack
        .api
        .data(
            BOOK,
            json!({"input": {"equipmentId": machine, "startsAt": starts, "endsAt": ends}}),
            Some(&owner),
        )
        .await;
    assert_eq!(booking["createReservation"]["status"], "APPROVED");

    let event = subscription.next().await;
    assert_eq!(
        event["data"]["reservationChanged"],
        json!({"action": "reservation.created", "status": "APPROVED", "equipmentId": machine,
               "startsAt": format!("{tomorrow}T10:00:00+00:00"),
               "endsAt": format!("{tomorrow}T11:30:00+00:00")}),
        "{event}"
    );
    stack.stop().await;
}

const ORDER_CHANGED: &str = "subscription($order: ID!, $after: String) {
    orderChanged(orderId: $order, after: $after) { action status number currency } }";

/// A customer follows their order through the router while store staff move it; nobody else
/// may follow it.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_customer_follows_their_order_live_through_hive_router(db: PgPool) {
    stock_a_product(&db).await;
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('EUR', 499)")
        .execute(&db)
        .await
        .expect("a shipping rate");
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let customer = token(&unique_email("customer"));
    let variant = stack
        .api
        .data(
            "query { productVariant(sku: \"PLA-1KG\") { id } }",
            json!({}),
            None,
        )
        .await["productVariant"]["id"]
        .clone();
    stack
        .api
        .data(
            ADD_TO_CART,
            json!({"input": {"variantId": variant, "quantity": 1}}),
            Some(&customer),
        )
        .await;
    let order = stack
        .api
        .data(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number } }",
            json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel Member",
                   "line1": "1 FC Road", "city": "Pune", "postalCode": "411004", "country": "IN"}}}),
            Some(&customer),
        )
        .await["placeOrder"]
        .clone();

    let outsider = token(&unique_email("outsider"));
    let mut refused = Subscription::start(
        &stack.ws_url(),
        ORDER_CHANGED,
        json!({"order": order["id"]}),
        Some(&outsider),
    )
    .await;
    let refusal = refused.next().await;
    assert_eq!(
        refusal["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refusal}"
    );

    let mut following = Subscription::start(
        &stack.ws_url(),
        ORDER_CHANGED,
        json!({"order": order["id"], "after": "0"}),
        Some(&customer),
    )
    .await;
    let placed = following.next().await;
    assert_eq!(
        placed["data"]["orderChanged"],
        json!({"action": "order.placed", "status": "PENDING_PAYMENT", "number": order["number"], "currency": "EUR"}),
        "{placed}"
    );
    // Paying: the customer chooses the desk; only store staff confirm the money.
    let pay = json!({"input": {"orderId": order["id"], "provider": "MANUAL"}});
    let start = "mutation($input: StartPaymentInput!) { startPayment(input: $input) { status } }";
    let stranger = stack.api.send(start, pay.clone(), Some(&outsider)).await;
    assert_eq!(error_code(&stranger), Some("NOT_FOUND"), "{stranger}");
    assert_eq!(error_message(&stranger), "order not found");
    let started = stack.api.data(start, pay, Some(&customer)).await;
    assert_eq!(started["startPayment"]["status"], "STARTED");
    let confirm = "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) {
        status payments { provider status note } } }";
    let desk = json!({"input": {"orderId": order["id"], "reference": "DESK-7"}});
    let anonymous = stack.api.send(confirm, desk.clone(), None).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    let own = stack.api.send(confirm, desk.clone(), Some(&customer)).await;
    assert_eq!(
        error_message(&own),
        "only store staff may confirm a payment",
        "{own}"
    );
    let confirmed = stack
        .api
        .data(confirm, desk, Some(&token("store@makrx.dev")))
        .await;
    assert_eq!(
        confirmed["confirmPayment"],
        json!({"status": "PAID", "payments": [{"provider": "MANUAL", "status": "SUCCEEDED", "note": "DESK-7"}]})
    );
    let paid = following.next().await;
    assert_eq!(paid["data"]["orderChanged"]["status"], "PAID", "{paid}");
    assert_eq!(
        paid["data"]["orderChanged"]["action"],
        "order.status_changed"
    );
    stack.stop().await;
}

const STATUS_HISTORY: &str = "query($space: ID!) {
    equipmentStatusChanges(makerspaceId: $space) { nodes { status } } }";

/// Founds a private space with one machine whose status changed once; (space id, machine id).
async fn found_a_private_space(api: &Endpoint, owner: &str) -> (Value, Value) {
    let (space, machine) = found_space_with_a_machine(api, owner, "private-lab").await;
    api.data(
        "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
        json!({"input": {"makerspaceId": space, "isPublic": false}}),
        Some(owner),
    )
    .await;
    api.data(
        SET_STATUS,
        json!({"input": {"equipmentId": machine, "status": "MAINTENANCE"}}),
        Some(owner),
    )
    .await;
    (space, machine)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn outsiders_cannot_follow_a_private_space_through_hive_router(db: PgPool) {
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let owner = token(&unique_email("owner"));
    let (space, machine) = found_a_private_space(&stack.api, &owner).await;
    let elsewhere = token(&unique_email("elsewhere"));
    found_space_with_a_machine(&stack.api, &elsewhere, "other-lab").await;

    for (who, token) in [
        ("anonymous", None),
        ("a member of another space", Some(&elsewhere)),
    ] {
        let token = token.map(String::as_str);
        let history = stack
            .api
            .send(STATUS_HISTORY, json!({"space": space}), token)
            .await;
        assert_eq!(error_code(&history), Some("NOT_FOUND"), "{who}: {history}");
        assert_eq!(history["errors"][0]["message"], "makerspace not found");
        let subscriptions = [
            (STATUS_CHANGED, json!({"space": space, "after": "0"})),
            (
                RESERVATION_CHANGED,
                json!({"machine": machine, "after": "0"}),
            ),
        ];
        for (query, variables) in subscriptions {
            let refused = Subscription::start(&stack.ws_url(), query, variables, token)
                .await
                .next()
                .await;
            assert_eq!(
                refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
                "{who}: {refused}"
            );
            assert!(
                refused["data"].is_null(),
                "{who} receives nothing: {refused}"
            );
        }
    }
    let owners_history = stack
        .api
        .data(STATUS_HISTORY, json!({"space": space}), Some(&owner))
        .await;
    assert_eq!(
        owners_history["equipmentStatusChanges"]["nodes"],
        json!([{"status": "MAINTENANCE"}])
    );
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn outsiders_cannot_read_a_private_spaces_history_through_apollo_router(db: PgPool) {
    let stack = Stack::start(&db, RouterKind::Apollo, None).await;
    let owner = token(&unique_email("owner"));
    let (space, _) = found_a_private_space(&stack.api, &owner).await;

    let history = stack
        .api
        .send(STATUS_HISTORY, json!({"space": space}), None)
        .await;

    assert_eq!(error_code(&history), Some("NOT_FOUND"), "{history}");
    assert_eq!(history["errors"][0]["message"], "makerspace not found");
    stack.stop().await;
}

const ADD_LOCATION: &str = "mutation($input: AddInventoryLocationInput!) {
    addInventoryLocation(input: $input) { id } }";
const ADD_ITEM: &str = "mutation($input: AddInventoryItemInput!) {
    addInventoryItem(input: $input) { id } }";
const MOVE: &str = "mutation($input: RecordStockMovementInput!) {
    recordStockMovement(input: $input) { item { onHand low } } }";
const INVENTORY_ITEM: &str = "query($id: ID!) { inventoryItem(id: $id) { name onHand } }";
const STOCK_LOW: &str = "subscription($space: ID!) {
    stockLow(makerspaceId: $space, after: \"0\") { name onHand reorderPoint } }";

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_spaces_stock_is_its_own_and_its_running_low_reaches_its_members_through_hive_router(
    db: PgPool,
) {
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let api = &stack.api;
    let owner = token(&unique_email("owner"));
    // A public space: its machines are anyone's to see, its stock is not.
    let (space, _) = found_space_with_a_machine(api, &owner, "stocked-lab").await;
    let shelf = api
        .data(
            ADD_LOCATION,
            json!({"input": {"makerspaceId": space, "name": "Shelf A"}}),
            Some(&owner),
        )
        .await["addInventoryLocation"]["id"]
        .clone();
    let item = api
        .data(
            ADD_ITEM,
            json!({"input": {"makerspaceId": space, "name": "Arduino Nano", "unit": "PIECES",
                             "reorderPoint": "2"}}),
            Some(&owner),
        )
        .await["addInventoryItem"]["id"]
        .clone();
    let moved = |quantity: &'static str, kind: &'static str| json!({"input": {"itemId": item, "kind": kind, "quantity": quantity, "locationId": shelf}});
    api.data(MOVE, moved("3", "RECEIVE"), Some(&owner)).await;

    let outsider = token(&unique_email("outsider"));
    let read = api
        .send(INVENTORY_ITEM, json!({"id": item}), Some(&outsider))
        .await;
    assert_eq!(error_code(&read), Some("NOT_FOUND"), "{read}");
    assert_eq!(read["errors"][0]["message"], "inventory item not found");
    let anonymous = api.send(INVENTORY_ITEM, json!({"id": item}), None).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    let lots = api.send(MOVE, moved("lots", "ISSUE"), Some(&owner)).await;
    assert_eq!(error_code(&lots), Some("VALIDATION_ERROR"), "{lots}");
    let too_many = api.send(MOVE, moved("4", "ISSUE"), Some(&owner)).await;
    assert_eq!(
        error_message(&too_many),
        "only 3 pieces of Arduino Nano are at Shelf A: issuing 4 pieces is refused"
    );
    let refused = Subscription::start(
        &stack.ws_url(),
        STOCK_LOW,
        json!({"space": space}),
        Some(&outsider),
    )
    .await
    .next()
    .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refused}"
    );

    let mut told = Subscription::start(
        &stack.ws_url(),
        STOCK_LOW,
        json!({"space": space}),
        Some(&owner),
    )
    .await;
    let issued = api.data(MOVE, moved("1", "ISSUE"), Some(&owner)).await;
    assert_eq!(
        issued["recordStockMovement"]["item"],
        json!({"onHand": "2", "low": true})
    );
    let event = told.next().await;
    assert_eq!(
        event["data"]["stockLow"],
        json!({"name": "Arduino Nano", "onHand": "2", "reorderPoint": "2"}),
        "{event}"
    );
    stack.stop().await;
}

const CREATE_PROJECT: &str =
    "mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }";
const PROJECT: &str = "query($id: ID!) { project(id: $id) {
    title descriptionHtml owner { displayName } collaborators { role user { displayName } } } }";
const HUB: &str = "query { publicProjects(first: 10) { nodes { title owner { displayName } } } }";

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_public_project_is_anyones_to_read_and_a_private_one_nobody_elses_through_hive_router(
    db: PgPool,
) {
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let api = &stack.api;
    let maker = token(&unique_email("maker"));
    let start = |title: &str, visibility: &str| {
        let input = json!({"input": {"title": title, "visibility": visibility,
            "description": "A **lamp**. <script>alert(1)</script>"}});
        let maker = maker.clone();
        async move { api.data(CREATE_PROJECT, input, Some(&maker)).await["createProject"]["id"].clone() }
    };
    let public = start("Desk lamp", "PUBLIC").await;
    let private = start("Secret gift", "PRIVATE").await;

    // Anyone, signed in or not, reads the public one, its owner's name from identity beside
    // it, and its description as HTML that runs nothing.
    let read = api.data(PROJECT, json!({"id": public}), None).await;
    assert_eq!(read["project"]["title"], "Desk lamp");
    assert_eq!(
        read["project"]["descriptionHtml"],
        "<p>A <strong>lamp</strong>. &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    );
    let owner_name = read["project"]["owner"]["displayName"].clone();
    assert!(
        owner_name.as_str().is_some_and(|name| !name.is_empty()),
        "{read}"
    );
    assert_eq!(
        read["project"]["collaborators"],
        json!([{"role": "OWNER", "user": {"displayName": owner_name}}])
    );
    let hub = api.data(HUB, json!({}), None).await;
    assert_eq!(
        hub["publicProjects"]["nodes"],
        json!([{"title": "Desk lamp", "owner": {"displayName": owner_name}}])
    );

    // The private one is nobody else's: the same words as for a project that does not exist.
    let stranger = token(&unique_email("stranger"));
    for who in [None, Some(stranger.as_str())] {
        let hidden = api.send(PROJECT, json!({"id": private}), who).await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"), "{hidden}");
        assert_eq!(error_message(&hidden), "project not found");
    }
    let changed = api
        .send(
            "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { id } }",
            json!({"input": {"id": public, "title": "Mine"}}),
            Some(&stranger),
        )
        .await;
    assert_eq!(error_code(&changed), Some("FORBIDDEN"), "{changed}");
    assert_eq!(
        error_message(&changed),
        "only the project's owner and editors may change it"
    );
    let malformed = api.send(PROJECT, json!({"id": "lamp"}), None).await;
    assert_eq!(
        error_code(&malformed),
        Some("VALIDATION_ERROR"),
        "{malformed}"
    );
    stack.stop().await;
}

const PLACE_ORDER: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number forMakerspace { id } } }";
const SET_ORDER_STATUS: &str =
    "mutation($input: SetOrderStatusInput!) { setOrderStatus(input: $input) { status } }";
const RECEIVED: &str = "query($id: ID!) { inventoryItem(id: $id) {
    onHand movements(last: 5) { kind quantity location reason } } }";

/// Places a cart of `quantity` PLA spools for `space` as `customer`, has the desk confirm the
/// payment and the store send and deliver it; answers the order's number.
async fn deliver_pla_for(api: &Endpoint, customer: &str, space: &Value, quantity: i32) -> i64 {
    let variant = pla_spool(api).await["id"].clone();
    api.data(
        ADD_TO_CART,
        json!({"input": {"variantId": variant, "quantity": quantity}}),
        Some(customer),
    )
    .await;
    let order = api
        .data(
            PLACE_ORDER,
            json!({"input": {"delivery": "SHIPPING", "forMakerspaceId": space,
                   "shipTo": {"name": "Fab Lab", "line1": "1 FC Road", "city": "Pune",
                              "postalCode": "411004", "country": "IN"}}}),
            Some(customer),
        )
        .await["placeOrder"]
        .clone();
    assert_eq!(order["forMakerspace"]["id"], *space);
    pay_at_the_desk(api, customer, &order["id"], "INVOICE-12").await;
    let desk = token("store@makrx.dev");
    for status in ["FULFILLING", "SHIPPED", "DELIVERED"] {
        let moved = api
            .data(
                SET_ORDER_STATUS,
                json!({"input": {"orderId": order["id"], "status": status}}),
                Some(&desk),
            )
            .await;
        assert_eq!(moved["setOrderStatus"]["status"], status);
    }
    order["number"].as_i64().expect("an order number")
}

/// Pays `order` at the desk: its customer chooses a manual payment, store staff confirm the
/// money with `reference`.
async fn pay_at_the_desk(api: &Endpoint, customer: &str, order: &Value, reference: &str) {
    api.data(
        "mutation($input: StartPaymentInput!) { startPayment(input: $input) { status } }",
        json!({"input": {"orderId": order, "provider": "MANUAL"}}),
        Some(customer),
    )
    .await;
    let confirmed = api
        .data(
            "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status } }",
            json!({"input": {"orderId": order, "reference": reference}}),
            Some(&token("store@makrx.dev")),
        )
        .await;
    assert_eq!(confirmed["confirmPayment"]["status"], "PAID");
}

/// Waits until `consumer` has handled every event announced to it so far (a handler that
/// fails keeps its delivery, with the error, until it is tried again).
async fn handled_by(db: &PgPool, consumer: &str) {
    let mut failing: Vec<String> = Vec::new();
    for _ in 0..100 {
        failing = sqlx::query_scalar(
            "select coalesce(last_error, 'not yet tried') from events.deliveries
             where consumer = $1",
        )
        .bind(consumer)
        .fetch_all(db)
        .await
        .expect("the deliveries");
        if failing.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{consumer} did not handle its events within 10 s: {failing:?}");
}

/// A space's staff buy filament for it from the store: once the order is delivered the space
/// has received it, in its own unit (1 kg spools kept in grams), once however often the
/// delivery is announced; an order someone outside its staff bought for it brings nothing.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_store_order_bought_for_a_space_restocks_it_once_through_hive_router(db: PgPool) {
    stock_a_product(&db).await;
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('EUR', 499)")
        .execute(&db)
        .await
        .expect("a shipping rate");
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let api = &stack.api;
    let owner = token(&unique_email("owner"));
    let (space, _) = found_space_with_a_machine(api, &owner, "filament-lab").await;
    for shelf in ["Filament cabinet", "Bench"] {
        api.data(
            ADD_LOCATION,
            json!({"input": {"makerspaceId": space, "name": shelf}}),
            Some(&owner),
        )
        .await;
    }
    let product = pla_spool(api).await["product"]["id"].clone();
    let item = api
        .data(
            ADD_ITEM,
            json!({"input": {"makerspaceId": space, "name": "PLA black", "unit": "GRAMS",
                             "storeProductId": product, "storePack": "1000"}}),
            Some(&owner),
        )
        .await["addInventoryItem"]["id"]
        .clone();

    let bought_as = api
        .data(
            "query($id: ID!) { inventoryItem(id: $id) { storeProduct { name } } }",
            json!({"id": item}),
            Some(&owner),
        )
        .await;
    assert_eq!(
        bought_as["inventoryItem"]["storeProduct"]["name"], "PLA 1 kg",
        "the store names the product an item is bought as: {bought_as}"
    );

    let number = deliver_pla_for(api, &owner, &space, 2).await;
    handled_by(&db, "makrcave.store_receipts").await;
    let received = api.data(RECEIVED, json!({"id": item}), Some(&owner)).await;
    assert_eq!(
        received["inventoryItem"],
        json!({"onHand": "2000", "movements": [{"kind": "RECEIVE", "quantity": "2000",
               "location": "Bench", "reason": format!("store order #{number} delivered")}]}),
        "the space's first place receives an item it holds nowhere yet"
    );

    // The same delivery announced again (as an at-least-once relay may) changes nothing.
    sqlx::query(
        "insert into events.outbox (id, topic, payload)
         select gen_random_uuid(), topic, payload from events.outbox
         where topic = 'store.order.delivered'",
    )
    .execute(&db)
    .await
    .expect("the delivery announced again");
    handled_by(&db, "makrcave.store_receipts").await;
    let again = api.data(RECEIVED, json!({"id": item}), Some(&owner)).await;
    assert_eq!(again["inventoryItem"]["onHand"], "2000", "{again}");
    assert_eq!(
        again["inventoryItem"]["movements"].as_array().map(Vec::len),
        Some(1)
    );

    // Someone outside the space's staff cannot put stock on its shelves by buying for it.
    let stranger = token(&unique_email("stranger"));
    deliver_pla_for(api, &stranger, &space, 1).await;
    handled_by(&db, "makrcave.store_receipts").await;
    let unchanged = api.data(RECEIVED, json!({"id": item}), Some(&owner)).await;
    assert_eq!(unchanged["inventoryItem"]["onHand"], "2000", "{unchanged}");
    let refused: Vec<String> =
        sqlx::query_scalar("select refused from makrcave.store_receipts where refused is not null")
            .fetch_all(&db)
            .await
            .expect("the receipts");
    assert_eq!(refused, ["the customer is not one of the space's staff"]);
    stack.stop().await;
}

const ADD_LINES: &str = "mutation($input: AddLinesToCartInput!) {
    addLinesToCart(input: $input) { itemCount lines { quantity variant { sku } } } }";
const BOM_SHORTFALL: &str = "query($project: ID!) { project(id: $project) { boms {
    canBuild
    shortfall(builds: 4) { needed onHand missing toBuy
                           line { storeVariant { id sku priceMinor } } } } } }";

/// A BOM's shortfall goes to the store's cart: the space keeps filament in grams and the BOM
/// counts it in the store's 1 kg spools, so what is missing is bought as whole spools, all
/// lines at once or none.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_boms_shortfall_goes_to_the_store_cart_whole_spools_at_once_through_hive_router(
    db: PgPool,
) {
    stock_a_product(&db).await;
    let stack = Stack::start(&db, RouterKind::Hive, None).await;
    let api = &stack.api;
    let owner = token(&unique_email("owner"));
    let (space, _) = found_space_with_a_machine(api, &owner, "lamp-lab").await;
    let variant = pla_spool(api).await;
    let shelf = api
        .data(
            ADD_LOCATION,
            json!({"input": {"makerspaceId": space, "name": "Filament cabinet"}}),
            Some(&owner),
        )
        .await["addInventoryLocation"]["id"]
        .clone();
    let item = api
        .data(
            ADD_ITEM,
            json!({"input": {"makerspaceId": space, "name": "PLA black", "unit": "GRAMS",
                             "storeProductId": variant["product"]["id"], "storePack": "1000"}}),
            Some(&owner),
        )
        .await["addInventoryItem"]["id"]
        .clone();
    api.data(
        MOVE,
        json!({"input": {"itemId": item, "kind": "RECEIVE", "quantity": "300", "locationId": shelf}}),
        Some(&owner),
    )
    .await;
    let project = api
        .data(
            CREATE_PROJECT,
            json!({"input": {"title": "Desk lamp", "makerspaceId": space}}),
            Some(&owner),
        )
        .await["createProject"]["id"]
        .clone();
    let bom = api
        .data(
            "mutation($input: AddBomInput!) { addBom(input: $input) { id } }",
            json!({"input": {"projectId": project, "name": "One lamp"}}),
            Some(&owner),
        )
        .await["addBom"]["id"]
        .clone();
    api.data(
        "mutation($input: AddBomLineInput!) { addBomLine(input: $input) { id } }",
        json!({"input": {"bomId": bom, "quantity": "0.25", "storeProductId": variant["product"]["id"],
                         "storeVariantId": variant["id"]}}),
        Some(&owner),
    )
    .await;

    // 300 g is 0.3 of a spool: one lamp of a quarter spool; four need 0.7 more, one spool.
    let read = api
        .data(BOM_SHORTFALL, json!({"project": project}), Some(&owner))
        .await;
    let bom = &read["project"]["boms"][0];
    assert_eq!(bom["canBuild"], 1, "{read}");
    assert_eq!(
        bom["shortfall"],
        json!([{"needed": "1", "onHand": "0.3", "missing": "0.7", "toBuy": 1,
                "line": {"storeVariant": {"id": variant["id"], "sku": "PLA-1KG", "priceMinor": 2290}}}])
    );
    let lines: Vec<Value> = bom["shortfall"]
        .as_array()
        .expect("the shortfall")
        .iter()
        .map(|short| json!({"variantId": short["line"]["storeVariant"]["id"], "quantity": short["toBuy"]}))
        .collect();

    // All or nothing: a line the store cannot fill refuses the others too.
    let greedy = api
        .send(
            ADD_LINES,
            json!({"input": {"lines": [lines[0].clone(), {"variantId": variant["id"], "quantity": 9}]}}),
            Some(&owner),
        )
        .await;
    assert_eq!(error_code(&greedy), Some("CONFLICT"), "{greedy}");
    assert_eq!(
        error_message(&greedy),
        "only 5 of PLA 1 kg (PLA-1KG) can be had now"
    );
    let nothing = api
        .send(
            ADD_LINES,
            json!({"input": {"lines": [lines[0].clone(), {"variantId": variant["id"], "quantity": 0}]}}),
            Some(&owner),
        )
        .await;
    assert_eq!(invalid_fields(&nothing), ["lines.1.quantity"], "{nothing}");
    assert_eq!(
        nothing["errors"][0]["extensions"]["details"][0]["message"],
        "must be between 1 and 999"
    );
    let cart = api.data(CART, json!({}), Some(&owner)).await;
    assert_eq!(cart["cart"]["itemCount"], 0, "{cart}");

    let added = api
        .data(ADD_LINES, json!({"input": {"lines": lines}}), Some(&owner))
        .await;
    assert_eq!(
        added["addLinesToCart"],
        json!({"itemCount": 1, "lines": [{"quantity": 1, "variant": {"sku": "PLA-1KG"}}]})
    );
    stack.stop().await;
}

/// A BOM's store lines are priced by the store at its prices now, through the router: MakrCave
/// hands over the lines, the store adds them up per currency.
async fn a_boms_store_lines_are_priced_live_by_the_store(db: PgPool, kind: RouterKind) {
    stock_a_product(&db).await;
    let stack = Stack::start(&db, kind, None).await;
    let api = &stack.api;
    let maker = token(&unique_email("maker"));
    let variant = pla_spool(api).await;
    let project = api
        .data(
            CREATE_PROJECT,
            json!({"input": {"title": "Lamp", "visibility": "PUBLIC"}}),
            Some(&maker),
        )
        .await["createProject"]["id"]
        .clone();
    let bom = api
        .data(
            "mutation($input: AddBomInput!) { addBom(input: $input) { id } }",
            json!({"input": {"projectId": project, "name": "One lamp"}}),
            Some(&maker),
        )
        .await["addBom"]["id"]
        .clone();
    for line in [
        json!({"bomId": bom, "quantity": "0.25", "storeProductId": variant["product"]["id"],
               "storeVariantId": variant["id"]}),
        json!({"bomId": bom, "quantity": "1.5", "storeProductId": variant["product"]["id"],
               "storeVariantId": variant["id"]}),
        json!({"bomId": bom, "quantity": "2", "description": "wood glue"}),
    ] {
        api.data(
            "mutation($input: AddBomLineInput!) { addBomLine(input: $input) { id } }",
            json!({ "input": line }),
            Some(&maker),
        )
        .await;
    }
    let priced = "query($project: ID!) { project(id: $project) { boms { storeCost { minor currency lines } } } }";
    // 0.25 × 22.90 = 5.725 → 5.73; 1.5 × 22.90 = 34.35: 40.08 EUR.
    let anyone = api.data(priced, json!({"project": project}), None).await;
    assert_eq!(
        anyone["project"]["boms"][0]["storeCost"],
        json!([{"minor": 4008, "currency": "EUR", "lines": 2}]),
        "{anyone}"
    );
    sqlx::query("update store.product_variants set price_minor = 2000 where sku = 'PLA-1KG'")
        .execute(&db)
        .await
        .expect("a new price");
    let repriced = api.data(priced, json!({"project": project}), None).await;
    assert_eq!(
        repriced["project"]["boms"][0]["storeCost"],
        json!([{"minor": 3500, "currency": "EUR", "lines": 2}]),
        "the store's price now, never a copy: {repriced}"
    );
    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_boms_store_lines_are_priced_live_by_the_store_through_hive_router(db: PgPool) {
    a_boms_store_lines_are_priced_live_by_the_store(db, RouterKind::Hive).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_boms_store_lines_are_priced_live_by_the_store_through_apollo_router(db: PgPool) {
    a_boms_store_lines_are_priced_live_by_the_store(db, RouterKind::Apollo).await;
}

const CREATE_UPLOAD: &str = "mutation($input: CreateUploadInput!) {
    createUpload(input: $input) { id uploadUrl } }";
const QUOTE_UPLOAD: &str = "mutation($input: QuoteUploadInput!) {
    quoteUpload(input: $input) { id status measures { bboxMm } price { totalMinor currency } } }";
const QUOTE_CHANGED: &str = "subscription($quote: ID!, $after: String) {
    fabricationQuoteChanged(quoteId: $quote, after: $after) { action status totalMinor currency } }";

/// Uploads `bytes` as `customer` through the router and straight to S3; the upload's id.
async fn upload_part(api: &Endpoint, customer: &str, bytes: Vec<u8>) -> Value {
    let input = json!({"input": {"fileName": "part.stl", "sizeBytes": bytes.len(),
                                 "contentType": "model/stl"}});
    let asked = api.data(CREATE_UPLOAD, input, Some(customer)).await["createUpload"].clone();
    assert_eq!(put_signed(&asked, "model/stl", bytes).await, 200);
    asked["id"].clone()
}

/// A customer's part is quoted through the router and its quote followed live by them alone;
/// a file that is no STL reads why, with the field, never `INTERNAL`.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_customer_follows_their_parts_quote_live_through_hive_router(db: PgPool) {
    let stack = Stack::with_files(&db).await;
    let customer = token(&unique_email("customer"));
    let cube = makrx_quoting::stl::to_binary_stl(&makrx_quoting::shapes::cuboid(
        [0.0; 3],
        [30.0, 20.0, 10.0],
    ));
    let part = upload_part(&stack.api, &customer, cube).await;
    let quote =
        |upload: &Value| json!({"input": {"uploadId": upload, "material": "PETG", "quantity": 3}});
    let quoted = stack
        .api
        .data(QUOTE_UPLOAD, quote(&part), Some(&customer))
        .await["quoteUpload"]
        .clone();
    assert_eq!(quoted["status"], "READY", "{quoted}");
    assert_eq!(quoted["measures"]["bboxMm"], json!([30.0, 20.0, 10.0]));

    let mut following = Subscription::start(
        &stack.ws_url(),
        QUOTE_CHANGED,
        json!({"quote": quoted["id"], "after": "0"}),
        Some(&customer),
    )
    .await;
    let requested = following.next().await;
    assert_eq!(
        requested["data"]["fabricationQuoteChanged"],
        json!({"action": "fabrication_quote.requested", "status": "QUEUED",
               "totalMinor": null, "currency": null}),
        "{requested}"
    );
    let made = following.next().await;
    assert_eq!(
        made["data"]["fabricationQuoteChanged"],
        json!({"action": "fabrication_quote.made", "status": "READY",
               "totalMinor": quoted["price"]["totalMinor"], "currency": "INR"}),
        "{made}"
    );

    for (who, code) in [
        (Some(token(&unique_email("outsider"))), "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ] {
        let mut refused = Subscription::start(
            &stack.ws_url(),
            QUOTE_CHANGED,
            json!({"quote": quoted["id"]}),
            who.as_deref(),
        )
        .await;
        let refusal = refused.next().await;
        assert_eq!(
            refusal["errors"][0]["extensions"]["code"], code,
            "{refusal}"
        );
    }

    let mut not_stl = b"\x89PNG\r\n\x1a\n".to_vec();
    not_stl.resize(684, 0);
    let photo = upload_part(&stack.api, &customer, not_stl).await;
    let refused = stack
        .api
        .send(QUOTE_UPLOAD, quote(&photo), Some(&customer))
        .await;
    assert_eq!(invalid_fields(&refused), ["uploadId"], "{refused}");
    assert!(
        error_message(&refused).contains("the file is not an STL file"),
        "{refused}"
    );
    stack.stop().await;
}

const OFFER_FABRICATION: &str = "mutation($input: OfferFabricationInput!) {
    offerFabrication(input: $input) { materials acceptsAutomatically accepting } }";
const SET_PRINTER: &str = "mutation($input: SetFabricationPrinterInput!) {
    setFabricationPrinter(input: $input) { process machine { name } } }";
const QUOTE_WITH_OFFERS: &str = "mutation($input: QuoteUploadInput!) { quoteUpload(input: $input) {
    id print { printSeconds } offers { makerspace { slug } readyBy leadTimeHours } } }";
const OFFERS: &str = "query($id: ID!) { fabricationQuote(id: $id) {
    offers { makerspace { slug } readyBy leadTimeHours } } }";

/// Founds a space `slug` whose one 3D printer, of `build` mm, makes PETG for the store's
/// customers; (space id, printer id).
async fn found_a_print_shop(api: &Endpoint, owner: &str, slug: &str, build: f32) -> (Value, Value) {
    let space = api
        .data(
            CREATE_SPACE,
            json!({"input": {"name": slug, "slug": slug}}),
            Some(owner),
        )
        .await["createMakerspace"]["id"]
        .clone();
    let printer = api
        .data(
            ADD_EQUIPMENT,
            json!({"input": {"makerspaceId": space, "name": "Prusa MK4", "kind": "FDM printer",
                             "class": "PRINTER_3D"}}),
            Some(owner),
        )
        .await["addEquipment"]["id"]
        .clone();
    let offered = api
        .data(
            OFFER_FABRICATION,
            json!({"input": {"makerspaceId": space, "materials": ["petg", "PLA", "PETG"]}}),
            Some(owner),
        )
        .await;
    assert_eq!(
        offered["offerFabrication"],
        json!({"materials": ["PETG", "PLA"], "acceptsAutomatically": false, "accepting": true})
    );
    let set = api
        .data(
            SET_PRINTER,
            json!({"input": {"equipmentId": printer, "process": "FDM",
                             "buildXMm": build, "buildYMm": build, "buildZMm": build}}),
            Some(owner),
        )
        .await;
    assert_eq!(
        set["setFabricationPrinter"],
        json!({"process": "FDM", "machine": {"name": "Prusa MK4"}})
    );
    (space, printer)
}

/// A quote lists the spaces that can make the part, each with when it would be ready from its
/// printer's real queue: a booking of the printer puts the part back by as long; a printer too
/// small, down, or in a space the customer may not see makes no offer.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_quote_offers_the_spaces_that_can_make_it_with_their_lead_times_through_hive_router(
    db: PgPool,
) {
    let stack = Stack::with_files(&db).await;
    let api = &stack.api;
    let farm_owner = token(&unique_email("farm"));
    let (_, farm_printer) = found_a_print_shop(api, &farm_owner, "print-farm", 250.0).await;
    found_a_print_shop(api, &token(&unique_email("tiny")), "tiny-lab", 100.0).await;
    let broken_owner = token(&unique_email("broken"));
    let (_, broken) = found_a_print_shop(api, &broken_owner, "broken-lab", 250.0).await;
    api.data(
        SET_STATUS,
        json!({"input": {"equipmentId": broken, "status": "OUT_OF_ORDER"}}),
        Some(&broken_owner),
    )
    .await;
    let hidden_owner = token(&unique_email("hidden"));
    let (hidden, _) = found_a_print_shop(api, &hidden_owner, "hidden-lab", 250.0).await;
    api.data(
        "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
        json!({"input": {"makerspaceId": hidden, "isPublic": false}}),
        Some(&hidden_owner),
    )
    .await;

    // 120 mm long: more than the tiny lab's printer takes.
    let bar = makrx_quoting::stl::to_binary_stl(&makrx_quoting::shapes::cuboid(
        [0.0; 3],
        [120.0, 20.0, 10.0],
    ));
    let customer = token(&unique_email("customer"));
    let part = upload_part(api, &customer, bar.clone()).await;
    let asked_at = chrono::Utc::now();
    let quoted = api
        .data(
            QUOTE_WITH_OFFERS,
            json!({"input": {"uploadId": part, "material": "PETG", "quantity": 20}}),
            Some(&customer),
        )
        .await["quoteUpload"]
        .clone();
    let needed = chrono::Duration::seconds(
        quoted["print"]["printSeconds"]
            .as_i64()
            .expect("a print time")
            * 20,
    );
    let offers = quoted["offers"].as_array().expect("offers");
    assert_eq!(
        offers.len(),
        1,
        "only the farm can make it for this customer: {offers:?}"
    );
    assert_eq!(offers[0]["makerspace"]["slug"], "print-farm");
    let ready = |offer: &Value| -> chrono::DateTime<chrono::Utc> {
        serde_json::from_value(offer["readyBy"].clone()).expect("a time")
    };
    let early = ready(&offers[0]) - asked_at - needed;
    assert!(
        early.num_seconds().abs() < 60,
        "open around the clock and free: ready when printed ({early})"
    );

    // A member books the farm's printer for 90 minutes while the part would be printing.
    let start = chrono::DurationRound::duration_trunc(
        asked_at + chrono::Duration::hours(2),
        chrono::Duration::hours(1),
    )
    .expect("an hour");
    let booking = json!({"input": {"equipmentId": farm_printer,
        "startsAt": start.to_rfc3339(), "endsAt": (start + chrono::Duration::minutes(90)).to_rfc3339()}});
    api.data(BOOK, booking, Some(&farm_owner)).await;
    assert!(
        needed > chrono::Duration::hours(3),
        "the booking falls within the print: {needed}"
    );
    let later = api
        .data(OFFERS, json!({"id": quoted["id"]}), Some(&customer))
        .await["fabricationQuote"]["offers"]
        .clone();
    let delay = ready(&later[0]) - ready(&offers[0]);
    assert!(
        (delay - chrono::Duration::minutes(90)).num_seconds().abs() < 60,
        "the booking puts it back by 90 minutes: {delay}"
    );

    // The hidden lab's own owner may see it, and so gets its offer too.
    let theirs = upload_part(api, &hidden_owner, bar).await;
    let seen = api
        .data(
            QUOTE_WITH_OFFERS,
            json!({"input": {"uploadId": theirs, "material": "PETG", "quantity": 20}}),
            Some(&hidden_owner),
        )
        .await["quoteUpload"]["offers"]
        .clone();
    let slugs: Vec<&str> = seen
        .as_array()
        .expect("offers")
        .iter()
        .filter_map(|offer| offer["makerspace"]["slug"].as_str())
        .collect();
    assert_eq!(slugs.len(), 2, "{seen}");
    assert!(
        slugs.contains(&"hidden-lab") && slugs.contains(&"print-farm"),
        "{seen}"
    );
    stack.stop().await;
}

/// Someone new in `space` as `role` (`MEMBER`, `STAFF`, ...): invited by `owner`, accepting
/// with their own token, which is returned.
async fn join_space(api: &Endpoint, owner: &str, space: &Value, role: &str, name: &str) -> String {
    let email = unique_email(name);
    let invitation = api
        .data(
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }",
            json!({"input": {"makerspaceId": space, "email": email, "role": role}}),
            Some(owner),
        )
        .await["inviteMember"]["id"]
        .clone();
    let joined = token(&email);
    api.data(
        "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { role } }",
        json!({"input": {"invitationId": invitation}}),
        Some(&joined),
    )
    .await;
    joined
}

/// What a subscription answers `who` first: its first event, or why it is refused.
async fn first_answer(stack: &Stack, query: &str, variables: Value, who: Option<&str>) -> Value {
    Subscription::start(&stack.ws_url(), query, variables, who)
        .await
        .next()
        .await
}

/// `body` is refused with `code` and `message`, and nothing else.
fn assert_refused(body: &Value, code: &str, message: &str) {
    assert_eq!(
        refusal(body),
        json!({"message": message, "extensions": {"code": code}}),
        "{body}"
    );
}

const ADD_PART_TO_CART: &str = "mutation($input: AddPartToCartInput!) {
    addPartToCart(input: $input) { parts { makerspace { id } } } }";
const ORDER_PARTS: &str = "query($id: ID!) { order(id: $id) {
    parts { fileName fabricationJobs { id status readyBy makerspace { name } } } } }";
const SET_JOB_STATUS: &str = "mutation($input: SetFabricationJobStatusInput!) {
    setFabricationJobStatus(input: $input) { status nextStatuses } }";
const JOB_UPLOAD: &str = "query($id: ID!) { fabricationJob(id: $id) {
    upload { fileName downloadUrl quotes { id } } } }";
const UPLOAD: &str = "query($id: ID!) { upload(id: $id) { fileName } }";
const ORDER_STATUS: &str = "query($id: ID!) { order(id: $id) { status } }";
const SCHEDULE_JOB: &str = "mutation($input: ScheduleFabricationJobInput!) {
    scheduleFabricationJob(input: $input) { readyBy bookings { startsAt endsAt equipment { name } } } }";
const JOB_CHANGED: &str = "subscription($job: ID!, $after: String) {
    fabricationJobChanged(jobId: $job, after: $after) { action jobId status } }";
const SPACE_JOBS_CHANGED: &str = "subscription($space: ID!, $after: String) {
    spaceFabricationJobsChanged(makerspaceId: $space, after: $after) { action jobId status } }";

/// `customer` uploads `stl`, quotes it in PLA, orders it from `space` (the earliest offer),
/// shipped to Pune, and pays at the desk; answers the upload's and the order's ids.
async fn buy_a_part(api: &Endpoint, customer: &str, space: &Value, stl: Vec<u8>) -> (Value, Value) {
    let part = upload_part(api, customer, stl).await;
    let quoted = api
        .data(
            QUOTE_WITH_OFFERS,
            json!({"input": {"uploadId": part, "material": "PLA", "quantity": 1}}),
            Some(customer),
        )
        .await["quoteUpload"]
        .clone();
    assert!(
        quoted["offers"][0]["makerspace"]["slug"].is_string(),
        "a space offers to make it: {quoted}"
    );
    let cart = api
        .data(
            ADD_PART_TO_CART,
            json!({"input": {"quoteId": quoted["id"], "makerspaceId": space}}),
            Some(customer),
        )
        .await;
    assert_eq!(
        cart["addPartToCart"]["parts"],
        json!([{"makerspace": {"id": space}}])
    );
    let order = api
        .data(
            PLACE_ORDER,
            json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel Maker",
                   "line1": "1 FC Road", "city": "Pune", "postalCode": "411004", "country": "IN"}}}),
            Some(customer),
        )
        .await["placeOrder"]["id"]
        .clone();
    pay_at_the_desk(api, customer, &order, "DESK-9").await;
    (part, order)
}

/// Shipping in rupees: 49.00 an order.
async fn ship_in_rupees(db: &PgPool) {
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('INR', 4900)")
        .execute(db)
        .await
        .expect("a shipping rate");
}

/// Once paid, a part becomes a job at the space its customer chose, waiting for the space's
/// staff; the customer and the staff follow it live as the staff move it along, and nobody
/// else may follow, move or read it.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_paid_part_is_dispatched_and_its_customer_follows_the_job_live_through_hive_router(
    db: PgPool,
) {
    ship_in_rupees(&db).await;
    let stack = Stack::with_files(&db).await;
    let api = &stack.api;
    let owner = token(&unique_email("owner"));
    let (space, printer) = found_a_print_shop(api, &owner, "job-shop", 250.0).await;
    let staff = join_space(api, &owner, &space, "STAFF", "staff").await;
    let member = join_space(api, &owner, &space, "MEMBER", "member").await;
    let customer = token(&unique_email("customer"));
    let cube = makrx_quoting::stl::to_binary_stl(&makrx_quoting::shapes::cuboid(
        [0.0; 3],
        [30.0, 20.0, 10.0],
    ));
    let (part, order) = buy_a_part(api, &customer, &space, cube.clone()).await;

    // A figure, not a bound: from the desk confirming the payment to the job at the space.
    let paid = std::time::Instant::now();
    while sqlx::query_scalar::<_, i64>("select count(*) from makrcave.fabrication_jobs")
        .fetch_one(&db)
        .await
        .expect("the jobs")
        == 0
        && paid.elapsed() < std::time::Duration::from_secs(10)
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    println!(
        "figure: payment confirmed to job at the space: {} ms (MakrCave's consumer looks every 250 ms)",
        paid.elapsed().as_millis()
    );
    handled_by(&db, "makrcave.fabrication_dispatch").await;
    let jobs: i64 = sqlx::query_scalar("select count(*) from makrcave.fabrication_jobs")
        .fetch_one(&db)
        .await
        .expect("the jobs");
    assert_eq!(jobs, 1, "the paid part is one job");
    let read = api
        .data(ORDER_PARTS, json!({"id": order}), Some(&customer))
        .await;
    let job = &read["order"]["parts"][0]["fabricationJobs"][0];
    let job_id = job["id"].clone();
    assert_eq!(
        read["order"]["parts"],
        json!([{"fileName": "part.stl", "fabricationJobs": [{"id": job_id, "status": "DISPATCHED",
                "readyBy": job["readyBy"], "makerspace": {"name": "job-shop"}}]}]),
        "by-hand acceptance: the job waits for the space's staff"
    );
    assert!(job["readyBy"].is_string(), "{read}");

    // Both follow from the start of the stream: nothing can slip past.
    let mut customers = Subscription::start(
        &stack.ws_url(),
        JOB_CHANGED,
        json!({"job": job_id, "after": "0"}),
        Some(&customer),
    )
    .await;
    let mut staffs = Subscription::start(
        &stack.ws_url(),
        SPACE_JOBS_CHANGED,
        json!({"space": space, "after": "0"}),
        Some(&staff),
    )
    .await;
    let move_to = |status: &str| json!({"input": {"jobId": job_id, "status": status}});
    // Tomorrow at ten: the space keeps no opening hours, so it is open.
    let tomorrow = (chrono::Utc::now() + chrono::TimeDelta::days(1))
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .expect("10:00")
        .and_utc();
    for (action, status) in [
        ("fabrication_job.dispatched", "DISPATCHED"),
        ("fabrication_job.moved", "ACCEPTED"),
        ("fabrication_job.scheduled", "ACCEPTED"),
        ("fabrication_job.moved", "PRINTING"),
    ] {
        if action == "fabrication_job.moved" {
            let moved = api
                .data(SET_JOB_STATUS, move_to(status), Some(&staff))
                .await;
            assert_eq!(moved["setFabricationJobStatus"]["status"], status);
        }
        if action == "fabrication_job.scheduled" {
            let slot = json!({"input": {"jobId": job_id, "equipmentId": printer,
                                        "startsAt": tomorrow}});
            let scheduled = api.data(SCHEDULE_JOB, slot, Some(&staff)).await;
            let job = &scheduled["scheduleFabricationJob"];
            let booking = &job["bookings"][0];
            assert_eq!(booking["equipment"]["name"], "Prusa MK4", "{scheduled}");
            let at = |value: &Value| {
                chrono::DateTime::parse_from_rfc3339(value.as_str().expect("a time"))
                    .expect("a time")
            };
            assert_eq!(at(&booking["startsAt"]), tomorrow);
            assert_eq!(at(&job["readyBy"]), at(&booking["endsAt"]), "{scheduled}");
            let clash = json!({"input": {"equipmentId": printer, "startsAt": tomorrow,
                                         "endsAt": tomorrow + chrono::TimeDelta::minutes(30)}});
            let taken = api.send(BOOK, clash, Some(&owner)).await;
            assert_eq!(error_code(&taken), Some("CONFLICT"), "{taken}");
        }
        let change = json!({"action": action, "jobId": job_id, "status": status});
        let theirs = customers.next().await;
        assert_eq!(theirs["data"]["fabricationJobChanged"], change, "{theirs}");
        let ours = staffs.next().await;
        assert_eq!(
            ours["data"]["spaceFabricationJobsChanged"], change,
            "{ours}"
        );
    }

    // Everyone else is refused with what they may know, never `INTERNAL`.
    let outsider = token(&unique_email("outsider"));
    let followed = |query, variables, who| first_answer(&stack, query, variables, who);
    let stranger = followed(JOB_CHANGED, json!({"job": job_id}), Some(&outsider)).await;
    assert_refused(&stranger, "NOT_FOUND", "fabrication job not found");
    let anonymous = followed(JOB_CHANGED, json!({"job": job_id}), None).await;
    assert_refused(&anonymous, "UNAUTHENTICATED", "sign in to do this");
    let plain = followed(SPACE_JOBS_CHANGED, json!({"space": space}), Some(&member)).await;
    assert_refused(
        &plain,
        "FORBIDDEN",
        "only the makerspace's staff follow its fabrication jobs",
    );
    let own = api
        .send(SET_JOB_STATUS, move_to("READY"), Some(&customer))
        .await;
    assert_refused(
        &own,
        "FORBIDDEN",
        "this needs the role staff or above in the makerspace",
    );
    let back = api
        .send(SET_JOB_STATUS, move_to("ACCEPTED"), Some(&staff))
        .await;
    assert_refused(
        &back,
        "CONFLICT",
        "a job that is printing cannot become accepted",
    );
    let read = api
        .send(ORDER_PARTS, json!({"id": order}), Some(&outsider))
        .await;
    assert_refused(&read, "NOT_FOUND", "order not found");
    for body in [own, back, read] {
        assert_no_internals(&body, &stack);
    }

    // The staff making the part fetch the customer's file; they neither quote it nor read its
    // quotes, and a plain member of the space does not see it at all.
    let fetched = api
        .data(JOB_UPLOAD, json!({"id": job_id}), Some(&staff))
        .await;
    let upload = &fetched["fabricationJob"]["upload"];
    assert_eq!(
        (&upload["fileName"], &upload["quotes"]),
        (&json!("part.stl"), &json!([]))
    );
    let file = reqwest::get(upload["downloadUrl"].as_str().expect("a download URL"))
        .await
        .expect("S3 answers")
        .bytes()
        .await
        .expect("the file");
    assert_eq!(file.as_ref(), cube.as_slice());
    let requoted = api
        .send(
            QUOTE_WITH_OFFERS,
            json!({"input": {"uploadId": part, "material": "PLA"}}),
            Some(&staff),
        )
        .await;
    assert_refused(
        &requoted,
        "FORBIDDEN",
        "only the customer who uploaded a part quotes or deletes it",
    );
    let unseen = api.send(UPLOAD, json!({"id": part}), Some(&member)).await;
    assert_refused(&unseen, "NOT_FOUND", "upload not found");

    // The order follows its part: fulfilling once the space took it, then shipped and
    // delivered with it.
    let order_status = || async {
        handled_by(&db, "store.order_fabrication").await;
        api.data(ORDER_STATUS, json!({"id": order}), Some(&customer))
            .await["order"]["status"]
            .clone()
    };
    assert_eq!(order_status().await, "FULFILLING");
    for (job, order) in [
        ("READY", "FULFILLING"),
        ("SHIPPED", "SHIPPED"),
        ("DELIVERED", "DELIVERED"),
    ] {
        api.data(SET_JOB_STATUS, move_to(job), Some(&staff)).await;
        assert_eq!(order_status().await, order, "the part {job}");
    }
    stack.stop().await;
}

const REFUNDED: &str = "query($id: ID!) { order(id: $id) {
    status totalMinor
    parts { priceMinor taxMinor refundedAt fabricationJobs { status reason } }
    refunds { amountMinor reason parts { partId amountMinor } }
    payments { status refundedMinor } } }";

/// A part the only space that could make it declines is given back: the store refunds what
/// the customer paid for it and, as nothing else of the order is left to send, the order
/// whole, shipping too; the customer reads why.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_part_no_makerspace_will_make_is_refunded_through_hive_router(db: PgPool) {
    ship_in_rupees(&db).await;
    let stack = Stack::with_files(&db).await;
    let api = &stack.api;
    let owner = token(&unique_email("owner"));
    let (space, _) = found_a_print_shop(api, &owner, "lone-shop", 250.0).await;
    let customer = token(&unique_email("customer"));
    let cube = makrx_quoting::stl::to_binary_stl(&makrx_quoting::shapes::cuboid(
        [0.0; 3],
        [30.0, 20.0, 10.0],
    ));
    let (_, order_id) = buy_a_part(api, &customer, &space, cube).await;
    handled_by(&db, "makrcave.fabrication_dispatch").await;
    let job = api
        .data(ORDER_PARTS, json!({"id": order_id}), Some(&customer))
        .await["order"]["parts"][0]["fabricationJobs"][0]["id"]
        .clone();

    api.data(
        SET_JOB_STATUS,
        json!({"input": {"jobId": job, "status": "DECLINED", "reason": "Our printer broke"}}),
        Some(&owner),
    )
    .await;
    handled_by(&db, "store.order_fabrication").await;

    let read = api
        .data(REFUNDED, json!({"id": order_id}), Some(&customer))
        .await;
    let order = &read["order"];
    let part = &order["parts"][0];
    let paid =
        part["priceMinor"].as_i64().expect("a price") + part["taxMinor"].as_i64().expect("a tax");
    assert_eq!(order["status"], "REFUNDED", "{read}");
    assert!(part["refundedAt"].is_string(), "{read}");
    assert_eq!(
        part["fabricationJobs"],
        json!([{"status": "DECLINED", "reason": "Our printer broke"}])
    );
    let part_id: String = sqlx::query_scalar("select id::text from store.order_parts")
        .fetch_one(&db)
        .await
        .expect("the part");
    assert_eq!(
        order["refunds"],
        json!([{"amountMinor": paid,
                "reason": "no makerspace will make part.stl: Our printer broke",
                "parts": [{"partId": part_id, "amountMinor": paid}]}])
    );
    assert_eq!(
        order["payments"],
        json!([{"status": "REFUNDED", "refundedMinor": order["totalMinor"]}]),
        "the part, then the rest: shipping"
    );

    // Announced again, nothing more is given back.
    sqlx::query(
        "insert into events.outbox (id, topic, payload)
         select gen_random_uuid(), topic, payload from events.outbox
         where topic = 'makrcave.fabrication_part.unmade'",
    )
    .execute(&db)
    .await
    .expect("the part announced again");
    handled_by(&db, "store.order_fabrication").await;
    let again = api
        .data(REFUNDED, json!({"id": order_id}), Some(&customer))
        .await;
    assert_eq!(again["order"]["refunds"], read["order"]["refunds"]);
    stack.stop().await;
}
