//! What an order adds to its lines: tax by region and product class, shipping by currency.
//! Store staff keep both tables; anyone may read them, so a checkout can show what it will add
//! before the order is placed.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use makrx_service::ApiError;
use makrx_service::graphql::{SignedIn, caller};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::policy::store_staff;
use crate::products::{currency, tax_class};

/// The tax on a product class in a region, in basis points of the price (1800 = 18 %).
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
pub struct TaxRate {
    /// An ISO 3166-2 subdivision (`IN-KA`), whose rate wins, or a country (`IN`).
    pub region: String,
    pub tax_class: String,
    pub rate_basis_points: i32,
}

/// What shipping costs for an order in a currency.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
pub struct ShippingRate {
    pub currency: String,
    pub price_minor: i64,
    /// Orders whose goods, less any coupon, reach this ship free; none: never free.
    pub free_from_minor: Option<i64>,
}

/// A region as the tax table names it: `IN` or `IN-KA`, in capitals.
fn region(code: &str) -> Result<String, ApiError> {
    let code = code.trim().to_ascii_uppercase();
    let (country, subdivision) = code.split_once('-').unwrap_or((&code, "X"));
    let ok = country.len() == 2
        && country.chars().all(|c| c.is_ascii_uppercase())
        && (1..=3).contains(&subdivision.len())
        && subdivision.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            "region",
            "must be an ISO 3166 country (`IN`) or subdivision (`IN-KA`)",
        ))
    }
}

#[derive(Default)]
pub struct RateQuery;

#[Object]
impl RateQuery {
    /// The tax table, by region and class.
    async fn tax_rates(&self, ctx: &Context<'_>) -> Result<Vec<TaxRate>, ApiError> {
        Ok(sqlx::query_as!(
            TaxRate,
            "select region, tax_class, rate_basis_points from store.tax_rates
             order by region, tax_class"
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }

    /// What shipping costs, by currency; orders in a currency not listed cannot be shipped.
    async fn shipping_rates(&self, ctx: &Context<'_>) -> Result<Vec<ShippingRate>, ApiError> {
        Ok(sqlx::query_as!(
            ShippingRate,
            "select currency, price_minor, free_from_minor from store.shipping_rates order by currency"
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

#[derive(InputObject)]
pub struct SetTaxRateInput {
    pub region: String,
    pub tax_class: String,
    /// 0 to 10,000 (100 %).
    pub rate_basis_points: i32,
}

#[derive(InputObject)]
pub struct SetShippingRateInput {
    pub currency: String,
    pub price_minor: i64,
    pub free_from_minor: Option<i64>,
}

#[derive(Default)]
pub struct RateMutation;

#[Object(guard = "SignedIn")]
impl RateMutation {
    /// Sets the tax on a product class in a region, for orders placed from now on; store staff
    /// only.
    async fn set_tax_rate(
        &self,
        ctx: &Context<'_>,
        input: SetTaxRateInput,
    ) -> Result<TaxRate, ApiError> {
        let staff = store_staff(caller(ctx), "set tax rates")?;
        let region = region(&input.region)?;
        let class = tax_class(&input.tax_class)?;
        if !(0..=10_000).contains(&input.rate_basis_points) {
            return Err(ApiError::invalid(
                "rateBasisPoints",
                "must be between 0 and 10000 (100 %)",
            ));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            TaxRate,
            "select region, tax_class, rate_basis_points from store.tax_rates
             where region = $1 and tax_class = $2 for update",
            region,
            class
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            TaxRate,
            "insert into store.tax_rates (region, tax_class, rate_basis_points) values ($1, $2, $3)
             on conflict (region, tax_class) do update set rate_basis_points = excluded.rate_basis_points
             returning region, tax_class, rate_basis_points",
            region,
            class,
            input.rate_basis_points
        )
        .fetch_one(&mut *tx)
        .await?;
        // Rates are keyed by region and class; the audit row's entity id is derived from them.
        let entity = Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("tax_rate:{region}:{class}").as_bytes(),
        );
        changes::record(
            &mut tx,
            staff.id,
            Action::TAX_RATE_SET,
            entity,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets what shipping costs in a currency, for orders placed from now on; store staff only.
    async fn set_shipping_rate(
        &self,
        ctx: &Context<'_>,
        input: SetShippingRateInput,
    ) -> Result<ShippingRate, ApiError> {
        let staff = store_staff(caller(ctx), "set shipping rates")?;
        let currency = currency("currency", &input.currency)?;
        if input.price_minor < 0 {
            return Err(ApiError::invalid("priceMinor", "must not be negative"));
        }
        if input.free_from_minor.is_some_and(|free_from| free_from < 0) {
            return Err(ApiError::invalid("freeFromMinor", "must not be negative"));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            ShippingRate,
            "select currency, price_minor, free_from_minor from store.shipping_rates
             where currency = $1 for update",
            currency
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            ShippingRate,
            "insert into store.shipping_rates (currency, price_minor, free_from_minor) values ($1, $2, $3)
             on conflict (currency) do update
             set price_minor = excluded.price_minor, free_from_minor = excluded.free_from_minor
             returning currency, price_minor, free_from_minor",
            currency,
            input.price_minor,
            input.free_from_minor
        )
        .fetch_one(&mut *tx)
        .await?;
        let entity = Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("shipping_rate:{currency}").as_bytes(),
        );
        changes::record(
            &mut tx,
            staff.id,
            Action::SHIPPING_RATE_SET,
            entity,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
