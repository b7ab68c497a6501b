//! A MakrCave bill of materials priced by the store: the router hands the store the BOM's
//! lines (their variant and quantity, `@requires`) and the store answers what its store lines
//! cost at its prices now. MakrCave keeps the BOM and never copies a price.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use makrx_service::ApiError;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use crate::loaders::Loaders;
use crate::products::ProductVariant;

/// A BOM line as the router hands it to the store.
#[derive(Clone, InputObject)]
pub struct BomLineFields {
    pub quantity: Decimal,
    pub store_variant: Option<VariantKey>,
}

/// A variant, by its key.
#[derive(Clone, InputObject)]
pub struct VariantKey {
    pub id: ID,
}

/// A bill of materials of a MakrCave project (MakrCave owns it; the store prices it).
pub struct Bom {
    id: ID,
    lines: Vec<BomLineFields>,
}

/// A line of a BOM, as far as the store reads it: MakrCave's fields.
pub struct BomLine(BomLineFields);

#[Object]
impl BomLine {
    #[graphql(external)]
    async fn quantity(&self) -> Decimal {
        self.0.quantity
    }

    #[graphql(external)]
    async fn store_variant(&self, ctx: &Context<'_>) -> Result<Option<ProductVariant>, ApiError> {
        match self
            .0
            .store_variant
            .as_ref()
            .and_then(|variant| variant.id.parse().ok())
        {
            Some(id) => ctx.data_unchecked::<Loaders>().variants.load_one(id).await,
            None => Ok(None),
        }
    }
}

/// What a BOM's store lines cost in one currency.
#[derive(SimpleObject)]
pub struct StoreCost {
    /// Their sum at the store's prices now, in minor units: each line's price times its
    /// quantity, rounded to the minor unit (halves up).
    pub minor: i64,
    pub currency: String,
    /// How many lines it adds up.
    pub lines: i32,
}

#[Object]
impl Bom {
    async fn id(&self) -> &ID {
        &self.id
    }

    #[graphql(external)]
    async fn lines(&self) -> Vec<BomLine> {
        self.lines.iter().cloned().map(BomLine).collect()
    }

    /// What one build buys from the store at its prices now, one sum per currency (none
    /// when no line names a store variant on sale).
    #[graphql(requires = "lines { quantity storeVariant { id } }")]
    async fn store_cost(&self, ctx: &Context<'_>) -> Result<Vec<StoreCost>, ApiError> {
        let wanted: Vec<(Uuid, Decimal)> = self
            .lines
            .iter()
            .filter_map(|line| Some((line.store_variant.as_ref()?.id.parse().ok()?, line.quantity)))
            .collect();
        let prices: HashMap<Uuid, ProductVariant> = ctx
            .data_unchecked::<Loaders>()
            .variants
            .load_many(wanted.iter().map(|(variant, _)| *variant))
            .await?;
        let mut costs: Vec<StoreCost> = Vec::new();
        for (variant, quantity) in wanted {
            let Some(variant) = prices.get(&variant) else {
                continue;
            };
            let minor = (Decimal::from(variant.price_minor) * quantity)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i64()
                .unwrap_or(i64::MAX);
            match costs
                .iter_mut()
                .find(|cost| cost.currency == variant.currency)
            {
                Some(cost) => {
                    cost.minor += minor;
                    cost.lines += 1;
                }
                None => costs.push(StoreCost {
                    minor,
                    currency: variant.currency.clone(),
                    lines: 1,
                }),
            }
        }
        Ok(costs)
    }
}

#[derive(Default)]
pub struct BomQuery;

#[Object]
impl BomQuery {
    /// A BOM as the router hands it over with its lines, to price them.
    #[graphql(entity)]
    async fn find_bom_by_id(&self, #[graphql(key)] id: ID, lines: Vec<BomLineFields>) -> Bom {
        Bom { id, lines }
    }
}
