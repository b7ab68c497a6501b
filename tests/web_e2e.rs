//! The web apps end to end in headless Chromium: the built apps (web/dist/gateway,
//! web/dist/makrcave and web/dist/store) served as `makrx up` serves them, in front of the real
//! stack on free ports (this test's database, the four subgraphs, Hive Router, the development
//! OIDC server knowing the app's origin), driven by the scripts in web/e2e/. Their screenshots are kept under the cargo target folder.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use identity::{SignInSettings, WebOrigin, WebSignIn};
use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx::web::WebApp;
use makrx_files::{Files, LocalS3};
use makrx_service::db::MIGRATOR;
use makrx_service::{Auth, Clock};
use makrx_testkit::{Endpoint, Issuer, put_signed, start_issuer, stripe_stand_in};
use serde_json::json;
use sqlx::PgPool;
use tokio::process::Command;
use tokio::task::JoinHandle;

/// The browser the scripts drive (web/e2e/browser.mjs): Debian's, never a downloaded one.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Longer than any script needs, even on a busy machine; a hung browser fails instead of waiting.
const SCRIPT_LIMIT: Duration = Duration::from_secs(300);
/// The account whose token gateway.mjs uses to change a machine's status (dev/token.mjs).
const OWNER: &str = "owner@makrx.dev";
const SLUG: &str = "e2e-fab-lab";

const CREATE_SPACE: &str =
    "mutation($input: CreateMakerspaceInput!) { createMakerspace(input: $input) { id } }";
const ADD_EQUIPMENT: &str =
    "mutation($input: AddEquipmentInput!) { addEquipment(input: $input) { id } }";

/// MakrCave's members in makrcave.mjs: one holds the laser's skill, the other does not.
const MEMBER: &str = "e2e-ada@makrx.dev";
const UNSKILLED: &str = "e2e-bob@makrx.dev";
/// MakrCave's desk in makrcave.mjs: approves bookings of the printer.
const STAFF: &str = "e2e-sam@makrx.dev";
/// Invited to the space, and answers in makrcave.mjs.
const INVITED: &str = "e2e-cy@makrx.dev";

/// The store's customer in store.mjs, new to the store, and its staff (the development issuer
/// gives store@makrx.dev the store-staff role).
const SHOPPER: &str = "e2e-shopper@makrx.dev";
/// The customer of parts.mjs, who has a part printed.
const MAKER: &str = "e2e-maker@makrx.dev";
const STORE_STAFF: &str = "store@makrx.dev";
/// The demo catalog's black 1.75 mm PLA: 1 kg spools at 1,199.00 INR.
const LAMP_FILAMENT: &str = "PLA-175-BLACK";

/// A 4x3 PNG, all MakrX orange: the demo filament's picture in store.mjs.
const ORANGE_PNG: [u8; 73] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3b, 0x96, 0x39,
    0x91, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xb8, 0xe9, 0xc1, 0x0f,
    0x47, 0x0c, 0x38, 0x39, 0x00, 0x1f, 0x8e, 0x0e, 0x41, 0x89, 0xc4, 0x0b, 0xdd, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// One Chromium at a time: two browsers and two stacks on a small machine make the scripts'
/// waits flaky, and the tests of this file run in parallel otherwise.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Card payments through the Stripe stand-in (its Stripe.js served to the pages), webhooks
/// signed with the development secret.
fn cards() -> store::StripeSettings {
    store::StripeSettings {
        secret_key: Some("sk_test_makrx".into()),
        publishable_key: Some("pk_test_makrx".into()),
        api_base: stripe_stand_in().url.clone(),
        webhook_secret: store::stripe::DEVELOPMENT_WEBHOOK_SECRET.into(),
    }
}

/// What the scripts need and a test cannot make: the built apps and the browser.
fn built_apps() -> Vec<WebApp> {
    let apps = WebApp::all(&makrx::project_dir().join("web/dist"));
    for app in &apps {
        assert!(
            app.is_built(),
            "{} has no index.html: build the apps with ./scripts/build-web (./scripts/test does)",
            app.dist().display()
        );
    }
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install chromium; ./scripts/test installs it when run as root)"
    );
    apps
}

/// Where a script's screenshots go: a folder under the cargo target folder, emptied first.
fn screenshot_dir(script: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("web-e2e")
        .join(script);
    match std::fs::remove_dir_all(&dir) {
        // The first run has nothing to empty.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        result => result.expect("the last run's screenshots removed"),
    }
    std::fs::create_dir_all(&dir).expect("a screenshot folder");
    dir
}

/// The platform behind the gateway app, on one origin as a browser meets it.
struct WebStack {
    /// `http://127.0.0.1:PORT`: the app, `/graphql` and `/auth/*`.
    origin: String,
    issuer: Issuer,
    api: Endpoint,
    subgraphs: Subgraphs,
    router: Router,
    web: JoinHandle<anyhow::Result<()>>,
    /// The embedded S3 server keeping product images, and its folder.
    files: (LocalS3, tempfile::TempDir),
}

impl WebStack {
    /// The stack, the store taking cards as `stripe` says.
    async fn start(db: &PgPool, stripe: store::StripeSettings) -> Self {
        let apps = built_apps();
        // The app's origin comes first: the issuer must know where it may send browsers back.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let origin = format!("http://{}", listener.local_addr().expect("its address"));
        let issuer = start_issuer(&[
            ("OIDC_WEB_REDIRECT_URIS", format!("{origin}/auth/callback")),
            ("OIDC_WEB_POST_LOGOUT_REDIRECT_URIS", format!("{origin}/")),
        ]);
        let sign_in = SignInSettings::development(&issuer.url)
            .with_web_origin(WebOrigin::parse(&origin).expect("an origin"));
        let any = ([127, 0, 0, 1], 0).into();
        let folder = tempfile::tempdir().expect("a folder for files");
        let s3 = LocalS3::start(folder.path(), any)
            .await
            .expect("the embedded S3 server starts");
        let files = Files::connect(s3.settings()).expect("an S3 client");
        let subgraphs = Subgraphs::start(
            db.clone(),
            Auth::new(&issuer.url, "makrx", db.clone()),
            WebSignIn::new(sign_in, Clock::system()),
            stripe,
            Some(files),
            None,
            [any; 4],
        )
        .await
        .expect("the subgraphs start");
        let router = Router::start(
            RouterKind::Hive,
            &makrx::project_dir(),
            &subgraphs.urls(),
            0,
        )
        .await
        .expect("the router starts");
        let address = |name| subgraphs.addr(name).expect("the subgraph runs");
        let upstreams = makrx::web::Upstreams {
            router: router.url.clone(),
            identity: format!("http://{}", address("identity")),
            store: format!("http://{}", address("store")),
        };
        let web = tokio::spawn(makrx::web::serve_web(apps, upstreams, listener));
        let api = Endpoint::at(&router.url, ([127, 0, 0, 1], router.port).into());
        Self {
            origin,
            issuer,
            api,
            subgraphs,
            router,
            web,
            files: (s3, folder),
        }
    }

    /// An access token for `email` from this stack's issuer, through its login pages.
    async fn token(&self, email: &str) -> String {
        let output = node(&["dev/token.mjs", email, "--issuer", &self.issuer.url]).await;
        assert!(
            output.status.success(),
            "dev/token.mjs: {}",
            report(&output)
        );
        String::from_utf8(output.stdout)
            .expect("a token in UTF-8")
            .trim()
            .to_owned()
    }

    /// A makerspace with machines to watch, founded by OWNER through the API, and an empty one
    /// so the landing page shows both kinds of equipment count.
    async fn found_makerspaces(&self) {
        let owner = self.token(OWNER).await;
        let space = self
            .api
            .data(
                CREATE_SPACE,
                json!({"input": {"name": "E2E Fab Lab", "slug": SLUG,
                    "description": "Founded by the browser tests.", "location": "Pune"}}),
                Some(&owner),
            )
            .await;
        for (name, kind) in [
            ("Epilog Fusion", "laser cutter"),
            ("Prusa MK4", "3D printer"),
        ] {
            self.api
                .data(
                    ADD_EQUIPMENT,
                    json!({"input": {"makerspaceId": space["createMakerspace"]["id"], "name": name, "kind": kind}}),
                    Some(&owner),
                )
                .await;
        }
        self.api
            .data(
                CREATE_SPACE,
                json!({"input": {"name": "Empty Garage", "slug": "e2e-empty-garage"}}),
                Some(&owner),
            )
            .await;
    }

    /// A makerspace in Berlin's time zone whose skill-gated laser MEMBER may book (the skill,
    /// a plan covering lasers and printers) and UNSKILLED may not (the plan only), with a
    /// printer whose bookings STAFF approve, and an invitation for INVITED, set up through the
    /// API as its owner and members would; returns the laser's and the printer's ids.
    /// Stocks the cave for a lamp: 10 M3 bolts at 0.05 a piece on Shelf A (the filament is
    /// added in the browser).
    async fn keep_parts_for_a_lamp(&self) {
        let staff = self.token(STAFF).await;
        let run = |query: &'static str, input: serde_json::Value| {
            let staff = staff.clone();
            async move {
                self.api
                    .data(query, json!({ "input": input }), Some(&staff))
                    .await
            }
        };
        let space = self
            .api
            .data(
                "query { makerspace(slug: \"e2e-cave\") { id } }",
                json!({}),
                Some(&staff),
            )
            .await["makerspace"]["id"]
            .clone();
        let shelf = run(
            "mutation($input: AddInventoryLocationInput!) { addInventoryLocation(input: $input) { id } }",
            json!({"makerspaceId": space, "name": "Shelf A"}),
        )
        .await["addInventoryLocation"]["id"]
            .clone();
        let bolts = run(
            "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }",
            json!({"makerspaceId": space, "name": "M3 bolt", "unit": "PIECES", "category": "PART",
                   "unitCostMinor": 5}),
        )
        .await["addInventoryItem"]["id"]
            .clone();
        run(
            "mutation($input: RecordStockMovementInput!) { recordStockMovement(input: $input) { item { id } } }",
            json!({"itemId": bolts, "kind": "RECEIVE", "quantity": "10", "locationId": shelf}),
        )
        .await;
    }

    async fn found_a_cave(&self) -> (String, String) {
        let owner = self.token(OWNER).await;
        let run = |query: &'static str, input: serde_json::Value| {
            let owner = owner.clone();
            async move {
                self.api
                    .data(query, json!({ "input": input }), Some(&owner))
                    .await
            }
        };
        let space = run(
            CREATE_SPACE,
            json!({"name": "E2E Cave", "slug": "e2e-cave"}),
        )
        .await["createMakerspace"]["id"]
            .clone();
        run(
            "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
            json!({"makerspaceId": space, "timeZone": "Europe/Berlin"}),
        )
        .await;
        let laser = run(
            ADD_EQUIPMENT,
            json!({"makerspaceId": space, "name": "Epilog Fusion", "kind": "laser cutter",
                   "class": "LASER_CUTTER", "hourlyCostMinor": 1200}),
        )
        .await["addEquipment"]["id"]
            .clone();
        let printer = run(
            ADD_EQUIPMENT,
            json!({"makerspaceId": space, "name": "Prusa MK4", "kind": "3D printer",
                   "class": "PRINTER_3D", "hourlyCostMinor": 300, "requiresApproval": true}),
        )
        .await["addEquipment"]["id"]
            .clone();
        let skill = run(
            "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }",
            json!({"makerspaceId": space, "name": "Laser cutting", "levels": ["basic", "advanced"]}),
        )
        .await["createSkill"]["id"]
            .clone();
        run(
            "mutation($input: SetSkillGateInput!) { setEquipmentSkillGate(input: $input) { id } }",
            json!({"equipmentId": laser, "skillId": skill, "level": "basic"}),
        )
        .await;
        let plan = run(
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }",
            json!({"makerspaceId": space, "name": "Maker", "priceMinor": 0, "period": "MONTH",
                   "equipmentClasses": ["LASER_CUTTER", "PRINTER_3D"]}),
        )
        .await["createPlan"]["id"]
            .clone();
        for email in [MEMBER, UNSKILLED] {
            let invitation = run(
                "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }",
                json!({"makerspaceId": space, "email": email, "role": "MEMBER"}),
            )
            .await["inviteMember"]["id"]
                .clone();
            let joined = self
                .api
                .data(
                    "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { id } } }",
                    json!({"input": {"invitationId": invitation}}),
                    Some(&self.token(email).await),
                )
                .await;
            let member = joined["acceptInvitation"]["user"]["id"].clone();
            run(
                "mutation($input: AssignPlanInput!) { assignPlan(input: $input) { startsOn } }",
                json!({"makerspaceId": space, "userId": member, "planId": plan,
                       "startsOn": chrono::Utc::now().date_naive()}),
            )
            .await;
            if email == MEMBER {
                run(
                    "mutation($input: GrantSkillInput!) { grantSkill(input: $input) { level } }",
                    json!({"skillId": skill, "userId": member, "level": "basic"}),
                )
                .await;
            }
        }
        let invitation = run(
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }",
            json!({"makerspaceId": space, "email": STAFF, "role": "STAFF"}),
        )
        .await["inviteMember"]["id"]
            .clone();
        self.api
            .data(
                "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { role } }",
                json!({"input": {"invitationId": invitation}}),
                Some(&self.token(STAFF).await),
            )
            .await;
        run(
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }",
            json!({"makerspaceId": space, "email": INVITED, "role": "MEMBER"}),
        )
        .await;
        let id = |machine: serde_json::Value| machine.as_str().expect("a machine's id").to_owned();
        (id(laser), id(printer))
    }

    /// Makes `email` a member of the cave (see [`Self::found_a_cave`]) as `role` (`MANAGER`):
    /// invited by OWNER, and accepting.
    async fn join_the_cave(&self, email: &str, role: &str) {
        let owner = self.token(OWNER).await;
        let space = self
            .api
            .data(
                "query { makerspace(slug: \"e2e-cave\") { id } }",
                json!({}),
                Some(&owner),
            )
            .await["makerspace"]["id"]
            .clone();
        let invitation = self
            .api
            .data(
                "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }",
                json!({"input": {"makerspaceId": space, "email": email, "role": role}}),
                Some(&owner),
            )
            .await["inviteMember"]["id"]
            .clone();
        self.api
            .data(
                "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { role } }",
                json!({"input": {"invitationId": invitation}}),
                Some(&self.token(email).await),
            )
            .await;
    }

    /// Gives the demo's PLA filament a picture, as store staff would: an upload URL from the
    /// store, the file sent straight to the embedded S3 server, then the store's check.
    async fn picture_the_filament(&self) {
        let staff = self.token(STORE_STAFF).await;
        let product = self
            .api
            .data(
                "{ product(slug: \"pla-filament-1-kg\") { id } }",
                json!({}),
                Some(&staff),
            )
            .await["product"]["id"]
            .clone();
        let upload = self
            .api
            .data(
                "mutation($input: CreateProductImageUploadInput!) {
                    createProductImageUpload(input: $input) { imageId uploadUrl } }",
                json!({"input": {"productId": product, "contentType": "image/png",
                    "sizeBytes": ORANGE_PNG.len(), "alt": "A spool of orange PLA"}}),
                Some(&staff),
            )
            .await["createProductImageUpload"]
            .clone();
        assert_eq!(
            put_signed(&upload, "image/png", ORANGE_PNG.to_vec()).await,
            200
        );
        self.api
            .data(
                "mutation($input: ConfirmProductImageInput!) { confirmProductImage(input: $input) { id } }",
                json!({"input": {"imageId": upload["imageId"]}}),
                Some(&staff),
            )
            .await;
    }

    /// A makerspace printing PLA for the store's customers on one printer of 250 × 210 ×
    /// 220 mm, founded by OWNER through the API; its name.
    async fn found_a_print_farm(&self) -> &'static str {
        const NAME: &str = "E2E Print Farm";
        let owner = self.token(OWNER).await;
        let run = |query: &'static str, input: serde_json::Value| {
            let owner = owner.clone();
            async move {
                self.api
                    .data(query, json!({ "input": input }), Some(&owner))
                    .await
            }
        };
        let space = run(
            CREATE_SPACE,
            json!({"name": NAME, "slug": "e2e-print-farm"}),
        )
        .await["createMakerspace"]["id"]
            .clone();
        let printer = run(
            ADD_EQUIPMENT,
            json!({"makerspaceId": space, "name": "Prusa MK4", "kind": "FDM printer",
                   "class": "PRINTER_3D"}),
        )
        .await["addEquipment"]["id"]
            .clone();
        run(
            "mutation($input: OfferFabricationInput!) { offerFabrication(input: $input) { accepting } }",
            json!({"makerspaceId": space, "materials": ["PLA"]}),
        )
        .await;
        run(
            "mutation($input: SetFabricationPrinterInput!) { setFabricationPrinter(input: $input) { process } }",
            json!({"equipmentId": printer, "process": "FDM",
                   "buildXMm": 250, "buildYMm": 210, "buildZMm": 220}),
        )
        .await;
        NAME
    }

    /// Has the cave (see [`Self::found_a_cave`]) print PLA for the store's customers on its
    /// Prusa MK4 (FDM, 250 × 210 × 220 mm), its staff accepting each job, as OWNER would.
    async fn offer_fabrication_at_the_cave(&self) {
        let owner = self.token(OWNER).await;
        let cave = self
            .api
            .data(
                "query { makerspace(slug: \"e2e-cave\") { id equipment { id name } } }",
                json!({}),
                Some(&owner),
            )
            .await["makerspace"]
            .clone();
        self.api
            .data(
                "mutation($input: OfferFabricationInput!) { offerFabrication(input: $input) { accepting } }",
                json!({"input": {"makerspaceId": cave["id"], "materials": ["PLA"]}}),
                Some(&owner),
            )
            .await;
        let printer = cave["equipment"]
            .as_array()
            .expect("the cave's machines")
            .iter()
            .find(|machine| machine["name"] == "Prusa MK4")
            .expect("the cave's printer")["id"]
            .clone();
        self.api
            .data(
                "mutation($input: SetFabricationPrinterInput!) { setFabricationPrinter(input: $input) { process } }",
                json!({"input": {"equipmentId": printer, "process": "FDM",
                       "buildXMm": 250, "buildYMm": 210, "buildZMm": 220}}),
                Some(&owner),
            )
            .await;
    }

    /// MAKER orders `parts` (file name, copies) from the cave through the store, each a
    /// 30 × 20 × 10 mm block in black PLA at 30 % infill, shipped, and store staff confirm the
    /// manual payment; answers the order's number once MakrCave has made a job of each part.
    async fn order_parts_from_the_cave(&self, db: &PgPool, parts: &[(&str, i32)]) -> i64 {
        sqlx::query(
            "insert into store.shipping_rates (currency, price_minor) values ('INR', 4900)",
        )
        .execute(db)
        .await
        .expect("a shipping rate");
        let customer = self.token(MAKER).await;
        let cave = self
            .api
            .data(
                "query { makerspace(slug: \"e2e-cave\") { id } }",
                json!({}),
                Some(&customer),
            )
            .await["makerspace"]["id"]
            .clone();
        let block = makrx_quoting::stl::to_binary_stl(&makrx_quoting::shapes::cuboid(
            [0.0; 3],
            [30.0, 20.0, 10.0],
        ));
        for (file, copies) in parts {
            let upload = self
                .api
                .data(
                    "mutation($input: CreateUploadInput!) { createUpload(input: $input) { id uploadUrl } }",
                    json!({"input": {"fileName": file, "sizeBytes": block.len(),
                           "contentType": "model/stl"}}),
                    Some(&customer),
                )
                .await["createUpload"]
                .clone();
            assert_eq!(put_signed(&upload, "model/stl", block.clone()).await, 200);
            let quote = self
                .api
                .data(
                    "mutation($input: QuoteUploadInput!) { quoteUpload(input: $input) { id status } }",
                    json!({"input": {"uploadId": upload["id"], "material": "PLA", "colour": "black",
                           "infillPercent": 30, "quantity": copies}}),
                    Some(&customer),
                )
                .await["quoteUpload"]
                .clone();
            assert_eq!(quote["status"], "READY", "{quote}");
            self.api
                .data(
                    "mutation($input: AddPartToCartInput!) { addPartToCart(input: $input) { itemCount } }",
                    json!({"input": {"quoteId": quote["id"], "makerspaceId": cave}}),
                    Some(&customer),
                )
                .await;
        }
        let order = self
            .api
            .data(
                "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number } }",
                json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel Maker",
                       "line1": "1 FC Road", "city": "Pune", "postalCode": "411004", "country": "IN"}}}),
                Some(&customer),
            )
            .await["placeOrder"]
            .clone();
        self.api
            .data(
                "mutation($input: StartPaymentInput!) { startPayment(input: $input) { status } }",
                json!({"input": {"orderId": order["id"], "provider": "MANUAL"}}),
                Some(&customer),
            )
            .await;
        let paid = self
            .api
            .data(
                "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status } }",
                json!({"input": {"orderId": order["id"], "reference": "DESK-E2E"}}),
                Some(&self.token(STORE_STAFF).await),
            )
            .await;
        assert_eq!(paid["confirmPayment"]["status"], "PAID", "{paid}");
        // MakrCave's dispatch consumer makes the jobs once it hears of the payment.
        let mut jobs = 0;
        for _ in 0..100 {
            jobs = sqlx::query_scalar("select count(*) from makrcave.fabrication_jobs")
                .fetch_one(db)
                .await
                .expect("the jobs");
            if jobs == parts.len() as i64 {
                return order["number"].as_i64().expect("an order number");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the cave has {jobs} jobs of the paid order's {} parts after 10 s",
            parts.len()
        );
    }

    /// Runs `web/e2e/SCRIPT` against this stack, its screenshots in their own folder, and
    /// fails with its output unless every check passed.
    async fn run_script(&self, script: &str, extra: &[&str]) {
        let shots = screenshot_dir(script.trim_end_matches(".mjs"));
        println!("{script}: screenshots in {}", shots.display());
        let path = format!("web/e2e/{script}");
        let shots_arg = shots.to_string_lossy();
        let mut args = vec![
            path.as_str(),
            &self.origin,
            &shots_arg,
            "--issuer",
            &self.issuer.url,
        ];
        args.extend_from_slice(extra);
        let _one_browser = ONE_BROWSER.lock().await;
        let output = node(&args).await;
        println!("{}", report(&output));
        assert!(
            output.status.success(),
            "{script} failed ({}):\n{}",
            output.status,
            report(&output)
        );
    }

    /// Has the Stripe stand-in deliver its events to the web origin's webhook, signed with the
    /// development secret, as Stripe delivers them to the store's public address.
    async fn deliver_card_events(&self) {
        let response = reqwest::Client::new()
            .post(format!(
                "{}/_config/webhooks/web-e2e",
                stripe_stand_in().url
            ))
            .form(&[
                ("url", format!("{}/webhooks/stripe", self.origin)),
                (
                    "secret",
                    store::stripe::DEVELOPMENT_WEBHOOK_SECRET.to_owned(),
                ),
            ])
            .send()
            .await
            .expect("the Stripe stand-in answers");
        assert!(response.status().is_success(), "{response:?}");
    }

    async fn stop(self) {
        self.web.abort();
        self.router.stop().await;
        self.subgraphs.stop().await;
        drop(self.issuer);
        drop(self.files);
    }
}

/// Runs node in the project folder, bounded by SCRIPT_LIMIT, and returns what it printed.
async fn node(args: &[&str]) -> Output {
    let run = Command::new("node")
        .args(args)
        .current_dir(makrx::project_dir())
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(SCRIPT_LIMIT, run)
        .await
        .unwrap_or_else(|_| panic!("node {args:?} did not finish within {SCRIPT_LIMIT:?}"))
        .expect("node runs (Node.js 20 or later, and `npm ci` in dev/)")
}

fn report(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_landing_page_lists_the_network_and_a_makerspace_page_shows_status_changes_live(
    db: PgPool,
) {
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_makerspaces().await;

    stack.run_script("gateway.mjs", &["--slug", SLUG]).await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_person_signs_in_through_the_issuer_edits_their_profile_and_signs_out(db: PgPool) {
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;

    stack.run_script("profile.mjs", &[]).await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_books_a_machine_and_another_browser_sees_it_live(db: PgPool) {
    use chrono::Datelike;
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    let (laser, printer) = stack.found_a_cave().await;
    // Next week's Monday: all of it lies ahead, whatever the time zone.
    let today = chrono::Utc::now().date_naive();
    let monday = today + chrono::Days::new(7 - u64::from(today.weekday().num_days_from_monday()));

    stack
        .run_script(
            "makrcave.mjs",
            &[
                "--machine",
                &laser,
                "--week",
                &monday.to_string(),
                "--member",
                MEMBER,
                "--unskilled",
                UNSKILLED,
                "--printer",
                &printer,
                "--staff",
                STAFF,
                "--invited",
                INVITED,
                "--owner",
                OWNER,
            ],
        )
        .await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_keep_a_spaces_stock_and_a_member_sees_it_run_low_live(db: PgPool) {
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;

    stack
        .run_script(
            "inventory.mjs",
            &[
                "--space",
                "e2e-cave",
                "--staff",
                STAFF,
                "--member",
                MEMBER,
                "--unskilled",
                UNSKILLED,
                "--skill",
                "Laser cutting",
            ],
        )
        .await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_keep_a_project_with_a_file_and_a_bom_and_put_its_shortfall_in_the_store_cart(
    db: PgPool,
) {
    makrx::platform::load_demo(&db)
        .await
        .expect("the demo catalog loads");
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;
    stack.keep_parts_for_a_lamp().await;

    stack
        .run_script(
            "projects.mjs",
            &[
                "--space",
                "E2E Cave",
                "--slug",
                "e2e-cave",
                "--staff",
                STAFF,
                "--sku",
                LAMP_FILAMENT,
            ],
        )
        .await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_shops_signs_in_to_check_out_and_follows_the_order_as_staff_fulfil_it(db: PgPool) {
    makrx::platform::load_demo(&db)
        .await
        .expect("the demo catalog loads");
    let stack = WebStack::start(&db, cards()).await;
    stack.deliver_card_events().await;
    stack.picture_the_filament().await;

    stack
        .run_script(
            "store.mjs",
            &["--customer", SHOPPER, "--staff", STORE_STAFF],
        )
        .await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_customer_uploads_a_part_and_sees_its_quote_preview_and_offers(db: PgPool) {
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    let farm = stack.found_a_print_farm().await;

    stack
        .run_script("parts.mjs", &["--customer", MAKER, "--space", farm])
        .await;

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_manager_offers_fabrication_and_chooses_the_3d_printer_that_makes_parts(db: PgPool) {
    /// Manages the cave in fabrication.mjs.
    const MANAGER: &str = "e2e-mia@makrx.dev";
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;
    stack.join_the_cave(MANAGER, "MANAGER").await;

    stack
        .run_script(
            "fabrication.mjs",
            &[
                "--space",
                "E2E Cave",
                "--slug",
                "e2e-cave",
                "--manager",
                MANAGER,
                "--staff",
                STAFF,
            ],
        )
        .await;

    let service = stack
        .api
        .data(
            "query { makerspace(slug: \"e2e-cave\") { fabricationService {
                materials acceptsAutomatically accepting
                printers { process buildXMm buildYMm buildZMm machine { name } } } } }",
            json!({}),
            Some(&stack.token(OWNER).await),
        )
        .await["makerspace"]["fabricationService"]
        .clone();
    assert_eq!(
        (
            &service["materials"],
            &service["acceptsAutomatically"],
            &service["accepting"]
        ),
        (&json!(["PLA", "PETG"]), &json!(false), &json!(true)),
        "the offer the page saved is stored: {service}"
    );
    let printer = &service["printers"][0];
    let build: Vec<Option<f64>> = ["buildXMm", "buildYMm", "buildZMm"]
        .iter()
        .map(|side| printer[side].as_f64())
        .collect();
    assert_eq!(
        (&printer["machine"]["name"], &printer["process"], build),
        (
            &json!("Prusa MK4"),
            &json!("FDM"),
            vec![Some(250.0), Some(210.0), Some(220.0)]
        ),
        "the printer the page saved makes parts: {service}"
    );

    stack.stop().await;
}

/// Keeps 1000 g of black PLA on a shelf of the cave, as its staff would through the API.
async fn stock_black_pla_on_a_shelf(stack: &WebStack) {
    let staff = stack.token(STAFF).await;
    let run = |query: &'static str, input: serde_json::Value| {
        let staff = staff.clone();
        async move {
            stack
                .api
                .data(query, json!({ "input": input }), Some(&staff))
                .await
        }
    };
    let space = stack
        .api
        .data(
            "query { makerspace(slug: \"e2e-cave\") { id } }",
            json!({}),
            Some(&staff),
        )
        .await["makerspace"]["id"]
        .clone();
    let shelf = run(
        "mutation($input: AddInventoryLocationInput!) { addInventoryLocation(input: $input) { id } }",
        json!({"makerspaceId": space, "name": "Shelf"}),
    )
    .await["addInventoryLocation"]["id"]
        .clone();
    let pla = run(
        "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }",
        json!({"makerspaceId": space, "name": "PLA black", "unit": "GRAMS", "category": "MATERIAL"}),
    )
    .await["addInventoryItem"]["id"]
        .clone();
    run(
        "mutation($input: RecordStockMovementInput!) { recordStockMovement(input: $input) { item { id } } }",
        json!({"itemId": pla, "kind": "RECEIVE", "quantity": "1000", "locationId": shelf}),
    )
    .await;
}

/// Tenths of a gram as the jobs page writes them: `7.6`, `8`.
fn grams(tenths: i64) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        tenth => format!("{}.{tenth}", tenths / 10),
    }
}

/// `h:mm` of a print time in seconds, to the nearest minute, as the jobs page writes it.
fn hours_and_minutes(seconds: i64) -> String {
    let minutes = (seconds + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_provider_accepts_and_moves_a_paid_part_along_in_the_jobs_portal(db: PgPool) {
    const REASON: &str = "Too fine for our 0.4 mm nozzle";
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;
    stack.offer_fabrication_at_the_cave().await;
    stock_black_pla_on_a_shelf(&stack).await;
    let order = stack
        .order_parts_from_the_cave(&db, &[("bracket.stl", 2), ("knob.stl", 1)])
        .await;
    // The page's order, with what the first job should say of itself on the cave's clock.
    let jobs: Vec<(String, i32, i64, f64, String)> = sqlx::query_as(
        "select file_name, quantity, print_seconds, material_grams,
                to_char(ready_by at time zone 'Europe/Berlin', 'Dy FMDD Mon HH24:MI')
         from makrcave.fabrication_jobs order by ready_by nulls last, created_at, id",
    )
    .fetch_all(&db)
    .await
    .expect("the jobs");
    let [(first, copies, seconds, material, ready), (second, ..)] = &jobs[..] else {
        panic!("two jobs: {jobs:?}");
    };
    // The material the first is recorded to use, as its form starts it: every copy's quoted
    // grams, rounded up to a tenth; and what the shelf's 1000 g are then.
    let quoted = (material * f64::from(*copies) * 10.0 - 1e-6).ceil() as i64;
    assert!(
        (1..10_000).contains(&quoted),
        "the first takes some of the shelf's PLA: {quoted} tenths of a gram"
    );
    let (quantity, print) = match copies {
        1 => ("1 copy".to_owned(), hours_and_minutes(*seconds)),
        _ => (
            format!("{copies} copies"),
            format!(
                "{} a copy, {} in all",
                hours_and_minutes(*seconds),
                hours_and_minutes(seconds * i64::from(*copies))
            ),
        ),
    };
    let facts = json!({"Ready by": ready, "Material": "PLA", "Colour": "black", "Quantity": quantity,
        "Infill": "30 %", "Print time": print, "Size": "30 × 20 × 10 mm"});
    // The first's slot: tomorrow at 10:00 on the cave's clock (it has no opening hours, so it
    // is open around the clock), as long as printing every copy takes, to the minute above.
    let (tomorrow, day): (String, String) = sqlx::query_as(
        "select to_char(d, 'YYYY-MM-DD'), to_char(d, 'Dy FMDD Mon')
         from (select (now() at time zone 'Europe/Berlin')::date + 1 as d) tomorrow",
    )
    .fetch_one(&db)
    .await
    .expect("tomorrow on the cave's clock");
    let ends = 10 * 60 + (seconds * i64::from(*copies) + 59) / 60;
    assert!(
        ends < 24 * 60,
        "the first prints within the day: {ends} minutes"
    );
    let (start, end) = (
        format!("{tomorrow}T10:00"),
        format!("{tomorrow}T{:02}:{:02}", ends / 60, ends % 60),
    );

    stack
        .run_script(
            "jobs.mjs",
            &[
                "--space",
                "E2E Cave",
                "--slug",
                "e2e-cave",
                "--staff",
                STAFF,
                "--owner",
                OWNER,
                "--order",
                &order.to_string(),
                "--first",
                first,
                "--second",
                second,
                "--facts",
                &facts.to_string(),
                "--printer",
                "Prusa MK4",
                "--start",
                &start,
                "--end",
                &end,
                "--day",
                &day,
                "--quoted",
                &grams(quoted),
                "--left",
                &grams(10_000 - quoted),
            ],
        )
        .await;

    let used: Vec<(String, String, f64)> = sqlx::query_as(
        "select j.file_name, m.kind, m.quantity::float8 from makrcave.stock_movements m
         join makrcave.fabrication_jobs j on j.id = m.fabrication_job_id",
    )
    .fetch_all(&db)
    .await
    .expect("the jobs' material");
    assert_eq!(
        used.iter()
            .map(|(file, kind, grams)| (
                file.as_str(),
                kind.as_str(),
                (grams * 10.0).round() as i64
            ))
            .collect::<Vec<_>>(),
        [(first.as_str(), "consume", quoted)],
        "the page recorded the first job's quoted material once, refusing more than the shelf held"
    );
    let slots: Vec<(String, String)> = sqlx::query_as(
        "select j.file_name, r.status::text from makrcave.reservations r
         join makrcave.fabrication_jobs j on j.id = r.fabrication_job_id",
    )
    .fetch_all(&db)
    .await
    .expect("the jobs' slots");
    assert_eq!(
        slots,
        [(first.clone(), "cancelled".to_owned())],
        "the page gave the first job one slot, refused the clashing one and cancelled it"
    );
    let status = |file: String| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (String, Option<String>)>(
                "select status, reason from makrcave.fabrication_jobs where file_name = $1",
            )
            .bind(file)
            .fetch_one(&db)
            .await
            .expect("the job")
        }
    };
    assert_eq!(
        status(first.clone()).await,
        ("printing".to_owned(), None),
        "the page accepted the first job and started printing it"
    );
    assert_eq!(
        status(second.clone()).await,
        ("declined".to_owned(), Some(REASON.to_owned())),
        "the page declined the second with the reason typed"
    );

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_customer_follows_each_printed_part_live_as_the_space_accepts_or_declines_it(db: PgPool) {
    const REASON: &str = "No black PLA left this week";
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;
    stack.offer_fabrication_at_the_cave().await;
    let number = stack
        .order_parts_from_the_cave(&db, &[("bracket.stl", 2), ("knob.stl", 1)])
        .await;
    let order: String =
        sqlx::query_scalar("select id::text from store.orders where number = $1::bigint")
            .bind(number)
            .fetch_one(&db)
            .await
            .expect("the order");

    stack
        .run_script(
            "order_parts.mjs",
            &[
                "--space",
                "E2E Cave",
                "--slug",
                "e2e-cave",
                "--customer",
                MAKER,
                "--staff",
                STAFF,
                "--order",
                &order,
                "--first",
                "bracket.stl",
                "--second",
                "knob.stl",
                "--reason",
                REASON,
            ],
        )
        .await;

    let refunded: Option<String> =
        sqlx::query_scalar("select file_name from store.order_parts where refunded_at is not null")
            .fetch_optional(&db)
            .await
            .expect("the parts");
    assert_eq!(
        refunded.as_deref(),
        Some("knob.stl"),
        "the part declined by the only space printing it was given back"
    );

    stack.stop().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_part_goes_from_upload_to_delivery_with_the_customer_following_live(db: PgPool) {
    let stack = WebStack::start(&db, store::StripeSettings::development()).await;
    stack.found_a_cave().await;
    stack.offer_fabrication_at_the_cave().await;
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('INR', 4900)")
        .execute(&db)
        .await
        .expect("a shipping rate");

    stack
        .run_script(
            "journey.mjs",
            &[
                "--space",
                "E2E Cave",
                "--slug",
                "e2e-cave",
                "--customer",
                MAKER,
                "--desk",
                STORE_STAFF,
                "--staff",
                STAFF,
            ],
        )
        .await;

    let figure = std::fs::read_to_string(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-e2e/journey/payment-to-job-ms.txt"),
    )
    .expect("the script kept its figure");
    println!(
        "figure: {} ms from the desk's payment confirmation to the job on the Jobs page",
        figure.trim()
    );
    let (order, job): (String, String) = sqlx::query_as(
        "select o.status::text, j.status from store.orders o
         join store.order_parts p on p.order_id = o.id
         join makrcave.fabrication_jobs j on j.file_name = p.file_name",
    )
    .fetch_one(&db)
    .await
    .expect("the order of the part and its job");
    assert_eq!(
        (order.as_str(), job.as_str()),
        ("delivered", "delivered"),
        "the part made and delivered delivered its order"
    );

    stack.stop().await;
}
