//! The MakrX.Store subgraph: the catalog of parts and materials (categories, products and their
//! variants), the stock behind it, customers' carts, which hold stock while they shop, the
//! orders they place and the payments for them (by hand, or by card through Stripe and its
//! webhook at `POST /webhooks/stripe`), and fabrication: parts customers upload and the
//! quotes the engine makes of them.

mod boms;
mod carts;
mod categories;
mod changes;
mod coupons;
mod fabrication;
mod images;
mod loaders;
mod orders;
mod payments;
pub mod policy;
mod products;
mod rates;
mod refunds;
mod reviews;
mod settings;
mod stock;
pub mod stripe;

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};
use makrx_files::Files;
use makrx_service::{Auth, Clock, background, graphql, http};
use sqlx::PgPool;

pub use carts::CART_TOKEN_HEADER;
pub use fabrication::{Quoting, follow_fabrication, quote_parts};
pub use payments::sweep_unpaid;
pub use products::{Product, ProductVariant};
pub use stripe::StripeSettings;

/// Where the store subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4003";

#[derive(MergedObject, Default)]
pub struct Query(
    boms::BomQuery,
    carts::CartQuery,
    categories::CategoryQuery,
    coupons::CouponQuery,
    fabrication::MaterialQuery,
    fabrication::PartQuery,
    fabrication::QuoteQuery,
    fabrication::UploadQuery,
    orders::OrderQuery,
    payments::PaymentQuery,
    products::ProductQuery,
    rates::RateQuery,
    reviews::ReviewQuery,
    settings::SettingsQuery,
    stock::StockQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    carts::CartMutation,
    categories::CategoryMutation,
    coupons::CouponMutation,
    fabrication::PartMutation,
    fabrication::QuoteMutation,
    fabrication::UploadMutation,
    images::ImageMutation,
    orders::OrderMutation,
    payments::PaymentMutation,
    products::ProductMutation,
    rates::RateMutation,
    refunds::RefundMutation,
    reviews::ReviewMutation,
    settings::SettingsMutation,
    stock::StockMutation,
);

pub type StoreSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        Mutation::default(),
        EmptySubscription,
    ))
}

/// The store schema over `db`, deciding by `clock` (when holds lapse), taking cards as
/// `stripe` says, keeping product images and customers' parts in `files` (none: the store
/// shows no images and takes no parts).
pub fn schema(
    db: PgPool,
    clock: Clock,
    stripe: &StripeSettings,
    files: Option<Files>,
) -> StoreSchema {
    builder()
        .data(loaders::Loaders::new(&db, &clock))
        .data(payments::Payments::new(stripe))
        .data(images::ImageStore(files.clone()))
        .data(fabrication::Fabrication::new(
            files,
            Arc::new(Quoting::standard()),
        ))
        .data(db)
        .data(clock)
        .finish()
}

/// The subgraph SDL that `schema/store.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The store service: its schema at `/graphql`, Stripe's webhook and health checks.
pub fn app(
    db: PgPool,
    auth: Auth,
    clock: Clock,
    stripe: &StripeSettings,
    files: Option<Files>,
) -> axum::Router {
    let routes = graphql::routes(
        schema(db.clone(), clock.clone(), stripe, files),
        auth.clone(),
    )
    .merge(stripe::webhook_routes(db.clone(), clock, stripe));
    http::service(routes, http::Readiness::new(db, auth))
}

/// Starts what the store does beside its requests: releasing the stock of orders left unpaid,
/// quoting the parts queued (when it keeps `files`) and following orders' printed parts.
pub fn work_in_background(
    db: &PgPool,
    clock: Clock,
    stripe: &StripeSettings,
    files: Option<Files>,
) {
    background::spawn(
        "store.sweep_unpaid",
        sweep_unpaid(db.clone(), clock.clone(), stripe.clone()),
    );
    background::spawn(
        "store.order_fabrication",
        follow_fabrication(db.clone(), stripe.clone()),
    );
    background::spawn(
        "store.quote_parts",
        quote_parts(db.clone(), files, clock, Arc::new(Quoting::standard())),
    );
}
