//! Batch loading: every list that crosses a table goes through one of these loaders, so a
//! catalog page costs a fixed number of SQL statements however many products it shows. Each
//! loader lives beside the type it loads; this is where a request finds them all.

use async_graphql::dataloader::DataLoader;
use makrx_service::Clock;
use makrx_service::graphql::loader;
use sqlx::PgPool;

use crate::categories::{CategoryById, Subcategories};
use crate::fabrication::{PartsByOrder, QuotesByUpload};
use crate::images::ImagesByProduct;
use crate::orders::{LinesByOrder, NextStatuses};
use crate::payments::PaymentsByOrder;
use crate::products::{ProductById, VariantById, VariantsByProduct};
use crate::refunds::RefundsByOrder;
use crate::reviews::RatingByProduct;
use crate::stock::{LocationById, StockAvailable, StockLevels};

/// The loaders of the store schema, shared by all requests (they batch, they do not cache).
pub struct Loaders {
    pub categories: DataLoader<CategoryById>,
    pub subcategories: DataLoader<Subcategories>,
    pub products: DataLoader<ProductById>,
    pub variants: DataLoader<VariantById>,
    pub variants_of_product: DataLoader<VariantsByProduct>,
    pub stock_available: DataLoader<StockAvailable>,
    pub stock_levels: DataLoader<StockLevels>,
    pub locations: DataLoader<LocationById>,
    pub images: DataLoader<ImagesByProduct>,
    pub order_lines: DataLoader<LinesByOrder>,
    pub next_statuses: DataLoader<NextStatuses>,
    pub payments: DataLoader<PaymentsByOrder>,
    pub ratings: DataLoader<RatingByProduct>,
    pub refunds: DataLoader<RefundsByOrder>,
    pub quotes: DataLoader<QuotesByUpload>,
    pub order_parts: DataLoader<PartsByOrder>,
}

impl Loaders {
    pub fn new(db: &PgPool, clock: &Clock) -> Self {
        Self {
            categories: loader(CategoryById(db.clone())),
            subcategories: loader(Subcategories(db.clone())),
            products: loader(ProductById(db.clone())),
            variants: loader(VariantById(db.clone())),
            variants_of_product: loader(VariantsByProduct(db.clone())),
            stock_available: loader(StockAvailable(db.clone(), clock.clone())),
            stock_levels: loader(StockLevels(db.clone())),
            locations: loader(LocationById(db.clone())),
            images: loader(ImagesByProduct(db.clone())),
            order_lines: loader(LinesByOrder(db.clone())),
            next_statuses: loader(NextStatuses(db.clone())),
            payments: loader(PaymentsByOrder(db.clone())),
            ratings: loader(RatingByProduct(db.clone())),
            refunds: loader(RefundsByOrder(db.clone())),
            quotes: loader(QuotesByUpload(db.clone())),
            order_parts: loader(PartsByOrder(db.clone())),
        }
    }
}
