//! Checkouts per second and their latency, directly on the store subgraph: each checkout is a
//! customer's `addToCart` of one unit and their `placeOrder` (shipping, taxed), so it locks
//! stock rows, holds, allocates, writes the order, its lines, its audit row and its event.
//!
//! - 50 clients on distinct products: every customer buys their own variant, never waiting, each
//!   sending its next checkout as soon as the last is answered: the rate the store sustains. At
//!   that saturation a checkout's latency is mostly its wait in line (50 clients / the rate);
//! - the same at 500 checkouts a second (each client one every 100 ms): the latency at that
//!   load, counted from when each checkout was due, so that a late start counts against it;
//! - 50 clients on one product of 3 units: three orders, then every attempt is refused with
//!   `CONFLICT` (at `addToCart`: nothing is left to hold).
//!
//! Beside them, from the same run, pgbench's rate of small write transactions (one insert and
//! its commit) with 50 clients on the same server: the ceiling the database alone sets, since
//! machines here vary threefold from day to day.
//!
//! Needs DATABASE_URL (a server it may create a database on), Node.js with dev/'s packages for
//! the development OIDC server, and pgbench for the ceiling (PostgreSQL's client tools):
//!
//!     DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench -p makrx --bench checkout

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use makrx::platform::Subgraphs;
use makrx_testkit::{auth, token, unique_email};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::{Value, json};
use sqlx::PgPool;

mod common;
use common::{Answer, BenchDatabase, MEASURE, WARM_UP, percentile_ms, pgbench};

makrx_service::fast_allocator!();

const CLIENTS: usize = 50;
/// The load of the paced run, in checkouts a second.
const PACED: f64 = 500.0;

const ADD: &str = "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const PLACE: &str = "mutation($input: PlaceOrderInput!) {
    placeOrder(input: $input) { id status totalMinor } }";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = BenchDatabase::create("checkout").await?;
    let (db, url) = (bench.db.clone(), bench.url.clone());
    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), None).await?;
    let store = subgraphs
        .urls()
        .into_iter()
        .find(|(n, _)| *n == "store")
        .map(|(_, u)| u)
        .expect("store");
    let customers = seed(&db, &store).await?;

    println!(
        "checkout (addToCart + placeOrder), {}s after {}s of warm-up, clients in this process \
         (placed and conflict: the whole run)",
        MEASURE.as_secs(),
        WARM_UP.as_secs()
    );
    println!(
        "{:<52} {:>11} {:>9} {:>9} {:>10} {:>10} {:>7} {:>9}",
        "target", "checkouts/s", "p50 ms", "p99 ms", "add p99", "place p99", "placed", "conflict"
    );
    match pgbench_writes(&db, &url).await {
        Ok(tps) => println!(
            "{:<52} {tps:>11.0}",
            "pgbench: small write transactions, 50 clients"
        ),
        Err(err) => println!("pgbench: no figure ({err})"),
    }
    let distinct = |client| format!("BENCH-{client:02}");
    let flat_out = run(&store, &customers, distinct, None).await?;
    println!(
        "{:<52} {flat_out}",
        "store subgraph, 50 clients on distinct products"
    );
    let paced = run(&store, &customers, distinct, Some(PACED)).await?;
    println!(
        "{:<52} {paced}",
        format!("  the same, {PACED:.0} checkouts/s offered")
    );
    let last_units = run(&store, &customers, |_| "BENCH-LAST".to_owned(), None).await?;
    println!(
        "{:<52} {last_units}",
        "store subgraph, 50 clients on one product of 3 units"
    );
    anyhow::ensure!(
        last_units.placed == 3,
        "3 units made {} orders",
        last_units.placed
    );

    subgraphs.stop().await;
    bench.drop().await?;
    Ok(())
}

/// A customer of the benchmark: their cart is theirs by their token.
struct Customer {
    token: String,
}

/// A product per client with stock for any run (BENCH-00..49), one with 3 units (BENCH-LAST),
/// shipping in euros, and the customers, provisioned.
async fn seed(db: &PgPool, store: &str) -> anyhow::Result<Vec<Customer>> {
    sqlx::raw_sql(
        "insert into store.shipping_rates (currency, price_minor) values ('EUR', 499);
         insert into store.tax_rates (region, tax_class, rate_basis_points) values ('IN', 'standard', 1800);
         insert into store.products (id, slug, name)
             select gen_random_uuid(), 'bench-' || n, 'Bench part ' || n from generate_series(0, 50) n;
         insert into store.product_variants (id, product_id, sku, name, price_minor, currency)
             select gen_random_uuid(), p.id,
                    case p.slug when 'bench-50' then 'BENCH-LAST'
                                else 'BENCH-' || lpad(substr(p.slug, 7), 2, '0') end,
                    'One', 1999, 'EUR'
             from store.products p where p.slug like 'bench-%';
         insert into store.stock (variant_id, location_id, on_hand)
             select id, '0193a5c0-0000-7000-8000-000000000001',
                    case sku when 'BENCH-LAST' then 3 else 1000000 end
             from store.product_variants where sku like 'BENCH-%';",
    )
    .execute(db)
    .await?;
    let mut customers = Vec::new();
    for n in 0..CLIENTS {
        let token = token(&unique_email(&format!("shopper{n}")));
        // The first call with a token provisions its user.
        reqwest::Client::new()
            .post(store)
            .bearer_auth(&token)
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await?;
        customers.push(Customer { token });
    }
    Ok(customers)
}

/// pgbench's rate of small write transactions (one insert and its commit), 50 clients.
async fn pgbench_writes(db: &PgPool, url: &str) -> anyhow::Result<f64> {
    sqlx::raw_sql("create table bench_writes (id bigserial primary key, at timestamptz not null)")
        .execute(db)
        .await?;
    pgbench(
        url,
        "insert into bench_writes (at) values (now());\n",
        CLIENTS,
    )
    .await
}

/// What one run measured: checkouts per second and latencies in the measured window, orders and
/// refusals over the whole run.
struct Figures {
    checkouts_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// The p99 of `addToCart` alone, and of `placeOrder` alone (none when no cart got that far
    /// in the measured window).
    add_p99_ms: f64,
    place_p99_ms: Option<f64>,
    placed: usize,
    conflicts: usize,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = self
            .place_p99_ms
            .map_or_else(|| "-".to_owned(), |ms| format!("{ms:.2}"));
        write!(
            f,
            "{:>11.0} {:>9.2} {:>9.2} {:>10.2} {place:>10} {:>7} {:>9}",
            self.checkouts_per_second,
            self.p50_ms,
            self.p99_ms,
            self.add_p99_ms,
            self.placed,
            self.conflicts
        )
    }
}

/// Sends one operation; the answer's data, or the first error's code.
async fn send(
    http: &reqwest::Client,
    url: &reqwest::Url,
    authorization: &HeaderValue,
    query: &str,
    variables: Value,
) -> anyhow::Result<Result<Value, String>> {
    let body = serde_json::to_vec(&json!({"query": query, "variables": variables}))?;
    let answer = http
        .post(url.clone())
        .header(AUTHORIZATION, authorization.clone())
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await?
        .bytes()
        .await?;
    let answer: Answer = serde_json::from_slice(&answer)?;
    Ok(match answer.error_code() {
        Some(code) => Err(code.to_owned()),
        None => answer.data.ok_or_else(String::new),
    })
}

/// Runs one client per customer for the warm-up and the measured window, each buying one unit
/// of `sku(client)` again and again: as fast as answers come, or on a schedule that makes
/// `paced` checkouts a second in all (a checkout's latency then counts from when it was due).
/// Any answer but an order or a `CONFLICT` stops the benchmark.
async fn run(
    store: &str,
    customers: &[Customer],
    sku: impl Fn(usize) -> String,
    paced: Option<f64>,
) -> anyhow::Result<Figures> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(customers.len())
        .build()?;
    let url = reqwest::Url::parse(store)?;
    let placed = Arc::new(AtomicUsize::new(0));
    let conflicts = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let measure_from = start + WARM_UP;
    let end = measure_from + MEASURE;
    // Each client's interval, and the clients' first checkouts spread over one of them.
    let interval = paced.map(|rate| Duration::from_secs_f64(customers.len() as f64 / rate));
    let ship_to = json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Bench",
        "line1": "1 MG Road", "city": "Bengaluru", "postalCode": "560001", "country": "IN"}}});
    let mut clients = Vec::new();
    for (client, customer) in customers.iter().enumerate() {
        let (http, url, ship_to) = (http.clone(), url.clone(), ship_to.clone());
        let authorization = HeaderValue::try_from(format!("Bearer {}", customer.token))?;
        let (placed, conflicts) = (placed.clone(), conflicts.clone());
        let variant = send(
            &http,
            &url,
            &authorization,
            "query($sku: String!) { productVariant(sku: $sku) { id } }",
            json!({"sku": sku(client)}),
        )
        .await?
        .map_err(|code| anyhow::anyhow!("no variant {}: {code}", sku(client)))?["productVariant"]
            ["id"]
            .clone();
        let add = json!({"input": {"variantId": variant, "quantity": 1}});
        let mut due = interval.map(|every| start + every * client as u32 / CLIENTS as u32);
        clients.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            while due.unwrap_or_else(Instant::now) < end {
                let sent = match (due, interval) {
                    (Some(at), Some(every)) => {
                        tokio::time::sleep_until(at.into()).await;
                        due = Some(at + every);
                        at
                    }
                    _ => Instant::now(),
                };
                let mut outcome = send(&http, &url, &authorization, ADD, add.clone()).await?;
                let added = sent.elapsed();
                let mut placing = None;
                if outcome.is_ok() {
                    let asked = Instant::now();
                    outcome = send(&http, &url, &authorization, PLACE, ship_to.clone()).await?;
                    placing = Some(asked.elapsed());
                }
                let took = sent.elapsed();
                let counter = match outcome {
                    Ok(_) => &placed,
                    Err(code) if code == "CONFLICT" => &conflicts,
                    Err(code) => anyhow::bail!("a checkout failed unexpectedly: {code}"),
                };
                counter.fetch_add(1, Ordering::Relaxed);
                if sent >= measure_from {
                    latencies.checkouts.push(took);
                    latencies.adds.push(added);
                    latencies.places.extend(placing);
                }
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Latencies::default();
    for client in clients {
        let client = client.await??;
        latencies.checkouts.extend(client.checkouts);
        latencies.adds.extend(client.adds);
        latencies.places.extend(client.places);
    }
    anyhow::ensure!(
        !latencies.checkouts.is_empty(),
        "no checkout was answered in the measured {MEASURE:?}"
    );
    for each in [
        &mut latencies.checkouts,
        &mut latencies.adds,
        &mut latencies.places,
    ] {
        each.sort();
    }
    Ok(Figures {
        checkouts_per_second: latencies.checkouts.len() as f64 / MEASURE.as_secs_f64(),
        p50_ms: percentile_ms(&latencies.checkouts, 0.50),
        p99_ms: percentile_ms(&latencies.checkouts, 0.99),
        add_p99_ms: percentile_ms(&latencies.adds, 0.99),
        place_p99_ms: (!latencies.places.is_empty())
            .then(|| percentile_ms(&latencies.places, 0.99)),
        placed: placed.load(Ordering::Relaxed),
        conflicts: conflicts.load(Ordering::Relaxed),
    })
}

/// One client's latencies in the measured window: whole checkouts, and each of their two
/// requests (a refused `addToCart` has no `placeOrder`).
#[derive(Default)]
struct Latencies {
    checkouts: Vec<Duration>,
    adds: Vec<Duration>,
    places: Vec<Duration>,
}
