//! Parts a customer uploads and has quoted, through the store subgraph directly, on a 5 MB and
//! a 50 MB binary STL (a closed torus of 100,000 and 1,000,000 triangles):
//!
//! - the upload: the file `PUT` to the embedded S3 server with its presigned URL, in MB/s;
//! - from the upload finished to the quote shown: `quoteUpload`, and for a part quoted off the
//!   request path, until `fabricationQuote` reads it `READY` (polled every 5 ms);
//!
//! and beside them, from the same run, what the parts alone cost: reading the file back from
//! S3, and the quote engine on the bytes in this process (the ceiling of the service's
//! figures, since machines here vary threefold from day to day). Each figure is the median of
//! five.
//!
//! Needs DATABASE_URL (a server it may create a database on) and Node.js with dev/'s packages
//! for the development OIDC server:
//!
//!     DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench -p makrx --bench fabrication

use std::time::{Duration, Instant};

use identity::WebSignIn;
use makrx::platform::Subgraphs;
use makrx_files::{Files, LocalS3};
use makrx_quoting::materials::Process;
use makrx_quoting::{Limits, PriceList, PrintSettings, Quantity, QuoteRequest, SlicerMode};
use makrx_quoting::{shapes, stl};
use makrx_testkit::{auth, token, unique_email};
use serde_json::{Value, json};

mod common;
use common::BenchDatabase;

makrx_service::fast_allocator!();

const ROUNDS: usize = 5;

const CREATE_UPLOAD: &str = "mutation($input: CreateUploadInput!) {
    createUpload(input: $input) { id uploadUrl } }";
const QUOTE: &str = "mutation($input: QuoteUploadInput!) {
    quoteUpload(input: $input) { id status price { totalMinor } } }";
const STATUS: &str = "query($id: ID!) { fabricationQuote(id: $id) { status } }";

/// A client of the store subgraph, as one customer.
struct Customer {
    http: reqwest::Client,
    store: String,
    token: String,
}

impl Customer {
    async fn data(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let answer: Value = self
            .http
            .post(&self.store)
            .bearer_auth(&self.token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await?
            .json()
            .await?;
        match answer.get("errors") {
            Some(errors) => anyhow::bail!("{errors}"),
            None => Ok(answer["data"].clone()),
        }
    }

    /// Uploads `part`: its id, and how long the `PUT` took.
    async fn upload(&self, part: &[u8]) -> anyhow::Result<(Value, Duration)> {
        let input = json!({"input": {"fileName": "part.stl", "sizeBytes": part.len(),
                                     "contentType": "model/stl"}});
        let asked = self.data(CREATE_UPLOAD, input).await?["createUpload"].clone();
        let url = asked["uploadUrl"].as_str().unwrap_or_default().to_owned();
        let started = Instant::now();
        let sent = self
            .http
            .put(url)
            .header("content-type", "model/stl")
            .body(part.to_vec())
            .send()
            .await?;
        anyhow::ensure!(sent.status().is_success(), "S3 answered {}", sent.status());
        Ok((asked["id"].clone(), started.elapsed()))
    }

    /// Asks for a quote of `upload` and waits until it is made: how long that took.
    async fn quote(&self, upload: &Value) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let input = json!({"input": {"uploadId": upload, "material": "PLA"}});
        let mut quote = self.data(QUOTE, input).await?["quoteUpload"].clone();
        let id = quote["id"].clone();
        while quote["status"] == "QUEUED" || quote["status"] == "QUOTING" {
            tokio::time::sleep(Duration::from_millis(5)).await;
            quote = self.data(STATUS, json!({"id": id})).await?["fabricationQuote"].clone();
        }
        anyhow::ensure!(quote["status"] == "READY", "the quote is {quote}");
        Ok(started.elapsed())
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = BenchDatabase::create("fabrication").await?;
    let db = bench.db.clone();
    let folder = tempfile::tempdir()?;
    let any = ([127, 0, 0, 1], 0).into();
    let s3 = LocalS3::start(folder.path(), any).await?;
    let files = Files::connect(s3.settings())?;
    let auth = auth(db.clone());
    let sign_in = WebSignIn::development(auth.issuer());
    let subgraphs = Subgraphs::start(
        db.clone(),
        auth,
        sign_in,
        store::StripeSettings::development(),
        Some(files.clone()),
        None,
        [any; 4],
    )
    .await?;
    let store = subgraphs
        .urls()
        .into_iter()
        .find(|(name, _)| *name == "store")
        .map(|(_, url)| url)
        .expect("the store runs");
    let customer = Customer {
        http: reqwest::Client::new(),
        store,
        token: token(&unique_email("bench")),
    };

    println!(
        "a part uploaded and quoted (PLA, 20 % infill), median of {ROUNDS}, through the store subgraph"
    );
    println!(
        "{:<26} {:>10} {:>11} {:>12} {:>11}",
        "part", "PUT MB/s", "quote ms", "S3 read ms", "engine ms"
    );
    for (name, around, across) in [
        ("5 MB, 100k triangles", 250, 200),
        ("50 MB, 1M triangles", 1000, 500),
    ] {
        let part = stl::to_binary_stl(&shapes::torus(40.0, 10.0, around, across));
        let (mut puts, mut quotes, mut reads, mut engine) = (vec![], vec![], vec![], vec![]);
        let mut key = String::new();
        for _ in 0..ROUNDS {
            let (upload, put) = customer.upload(&part).await?;
            puts.push(put);
            quotes.push(customer.quote(&upload).await?);
            key =
                sqlx::query_scalar("select object_key from store.part_uploads where id = $1::uuid")
                    .bind(upload.as_str())
                    .fetch_one(&db)
                    .await?;
        }
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let bytes = files.read(&key).await?.expect("the part is there");
            reads.push(started.elapsed());
            let started = Instant::now();
            let request = QuoteRequest {
                material: "PLA".into(),
                settings: PrintSettings::standard(Process::Fdm, 20)?,
                quantity: Quantity::new(1)?,
                slicer: SlicerMode::Off,
            };
            makrx_quoting::quote(
                &bytes,
                &request,
                &PriceList::standard(),
                &Limits::default(),
                chrono::Utc::now(),
            )?;
            engine.push(started.elapsed());
        }
        let mb = part.len() as f64 / 1e6;
        println!(
            "{name:<26} {:>10.0} {:>11.0} {:>12.0} {:>11.0}",
            mb / median(puts).as_secs_f64(),
            ms(median(quotes)),
            ms(median(reads)),
            ms(median(engine)),
        );
    }
    subgraphs.stop().await;
    bench.drop().await?;
    Ok(())
}
