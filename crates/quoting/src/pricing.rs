//! Turning grams and hours into money, in integer minor units, every step shown.
//!
//! Per copy: material (grams × price per kg) plus machine time (hours × hourly rate).
//! Times the quantity, less the quantity-break discount, plus the markup on that,
//! plus the setup fee once per order.

use serde::{Deserialize, Serialize};

use crate::error::QuoteError;
use crate::estimate::PrintEstimate;
use crate::machines::{Machine, standard_machines};
use crate::materials::{Material, standard_materials};
use crate::settings::Quantity;

/// A discount for ordering at least `min_quantity` copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantityBreak {
    /// Copies from which the discount applies.
    pub min_quantity: u32,
    /// Discount in basis points (1/100 of a percent) of the production cost.
    pub discount_bp: u32,
}

/// The makerspace's tariff: what it prints, on what, and at what price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceList {
    /// ISO 4217 code; every amount is in its minor unit.
    pub currency: String,
    /// Materials on offer.
    pub materials: Vec<Material>,
    /// Machines, the first of a process preferred when the part fits it.
    pub machines: Vec<Machine>,
    /// Charged once per order: file checks, bed preparation, post-processing.
    pub setup_fee_minor: i64,
    /// Margin on the production cost, basis points.
    pub markup_bp: u32,
    /// Discounts by quantity; the largest that applies is used.
    pub quantity_breaks: Vec<QuantityBreak>,
    /// How long a quote holds, hours.
    pub validity_hours: u32,
}

impl PriceList {
    /// The standard tariff, in Indian rupees (minor unit: paise).
    pub fn standard() -> Self {
        Self {
            currency: "INR".to_owned(),
            materials: standard_materials(),
            machines: standard_machines(),
            setup_fee_minor: 20_000,
            markup_bp: 2_000,
            quantity_breaks: vec![
                QuantityBreak {
                    min_quantity: 5,
                    discount_bp: 500,
                },
                QuantityBreak {
                    min_quantity: 10,
                    discount_bp: 1_000,
                },
                QuantityBreak {
                    min_quantity: 50,
                    discount_bp: 1_500,
                },
            ],
            validity_hours: 7 * 24,
        }
    }

    /// The material called `requested` (code or alias, any case).
    pub fn material(&self, requested: &str) -> Result<&Material, QuoteError> {
        crate::materials::find(&self.materials, requested)
    }

    /// The discount for `quantity` copies, basis points.
    pub fn discount_bp(&self, quantity: Quantity) -> u32 {
        self.quantity_breaks
            .iter()
            .filter(|b| quantity.get() >= b.min_quantity)
            .map(|b| b.discount_bp)
            .max()
            .unwrap_or(0)
            .min(10_000)
    }
}

/// Every figure that makes up a price, so staff can see why a quote is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceBreakdown {
    /// ISO 4217 code of every `_minor` amount.
    pub currency: String,
    /// Material for one copy, milligrams (as the grams the estimate gave, rounded).
    pub material_mg_per_part: i64,
    /// The material's price per kilogram.
    pub material_price_per_kg_minor: i64,
    /// Material cost of one copy.
    pub material_per_part_minor: i64,
    /// Machine time for one copy, seconds.
    pub machine_seconds_per_part: i64,
    /// The machine's hourly rate.
    pub machine_hourly_rate_minor: i64,
    /// Machine cost of one copy.
    pub machine_per_part_minor: i64,
    /// Material and machine for one copy.
    pub cost_per_part_minor: i64,
    /// Copies ordered.
    pub quantity: u32,
    /// Cost of all copies.
    pub production_minor: i64,
    /// Quantity discount, basis points.
    pub quantity_discount_bp: u32,
    /// Quantity discount, subtracted.
    pub quantity_discount_minor: i64,
    /// Markup, basis points.
    pub markup_bp: u32,
    /// Markup on production after the discount, added.
    pub markup_minor: i64,
    /// Setup fee, added once.
    pub setup_fee_minor: i64,
    /// What the customer pays (taxes not included).
    pub total_minor: i64,
    /// Total divided by quantity, rounded: for comparison only.
    pub unit_price_minor: i64,
}

/// Prices `quantity` copies with the given per-copy estimate.
pub(crate) fn price(
    list: &PriceList,
    material: &Material,
    machine: &Machine,
    estimate: &PrintEstimate,
    quantity: Quantity,
) -> Result<PriceBreakdown, QuoteError> {
    let mg = whole(estimate.material_g * 1000.0)?;
    let seconds = whole(estimate.print_time_s)?;
    let material_per_part = share(mg, material.price_per_kg_minor, 1_000_000)?;
    let machine_per_part = share(seconds, machine.hourly_rate_minor, 3_600)?;
    let cost_per_part = material_per_part
        .checked_add(machine_per_part)
        .ok_or(QuoteError::PriceOverflow)?;
    let count = i64::from(quantity.get());
    let production = cost_per_part
        .checked_mul(count)
        .ok_or(QuoteError::PriceOverflow)?;
    let discount_bp = list.discount_bp(quantity);
    let discount = share(production, i64::from(discount_bp), 10_000)?;
    let markup = share(production - discount, i64::from(list.markup_bp), 10_000)?;
    let total = [production, -discount, markup, list.setup_fee_minor]
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or(QuoteError::PriceOverflow)?;
    Ok(PriceBreakdown {
        currency: list.currency.clone(),
        material_mg_per_part: mg,
        material_price_per_kg_minor: material.price_per_kg_minor,
        material_per_part_minor: material_per_part,
        machine_seconds_per_part: seconds,
        machine_hourly_rate_minor: machine.hourly_rate_minor,
        machine_per_part_minor: machine_per_part,
        cost_per_part_minor: cost_per_part,
        quantity: quantity.get(),
        production_minor: production,
        quantity_discount_bp: discount_bp,
        quantity_discount_minor: discount,
        markup_bp: list.markup_bp,
        markup_minor: markup,
        setup_fee_minor: list.setup_fee_minor,
        total_minor: total,
        unit_price_minor: share(total, 1, count)?,
    })
}

/// A measured quantity rounded to a whole number of units.
fn whole(value: f64) -> Result<i64, QuoteError> {
    // Far beyond any real part; keeps every product below in i64 range.
    const LIMIT: f64 = 1e12;
    if value.is_finite() && (0.0..LIMIT).contains(&value) {
        Ok(value.round() as i64)
    } else {
        Err(QuoteError::PriceOverflow)
    }
}

/// `amount × numerator / denominator`, rounded half up, exactly.
fn share(amount: i64, numerator: i64, denominator: i64) -> Result<i64, QuoteError> {
    let product = i128::from(amount) * i128::from(numerator);
    let denominator = i128::from(denominator.max(1));
    let rounded = (2 * product + denominator).div_euclid(2 * denominator);
    i64::try_from(rounded).map_err(|_| QuoteError::PriceOverflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::EstimateSource;

    fn one_hour_forty_grams() -> PrintEstimate {
        PrintEstimate {
            source: EstimateSource::Estimate,
            print_time_s: 3600.0,
            material_g: 40.0,
            model: None,
        }
    }

    fn quote(quantity: u32) -> PriceBreakdown {
        let list = PriceList::standard();
        let pla = &list.materials[0];
        let mk4 = &list.machines[0];
        let quantity = Quantity::new(quantity).expect("valid");
        price(&list, pla, mk4, &one_hour_forty_grams(), quantity).expect("priced")
    }

    #[test]
    fn one_copy_is_material_plus_machine_plus_markup_plus_setup() {
        let p = quote(1);
        // 40 g of PLA at ₹1,200/kg = ₹48; one hour at ₹150.
        assert_eq!(p.material_per_part_minor, 4_800);
        assert_eq!(p.machine_per_part_minor, 15_000);
        assert_eq!(p.cost_per_part_minor, 19_800);
        assert_eq!(p.quantity_discount_minor, 0);
        // 20% markup on ₹198 = ₹39.60; setup ₹200.
        assert_eq!(p.markup_minor, 3_960);
        assert_eq!(p.total_minor, 19_800 + 3_960 + 20_000);
        assert_eq!(p.currency, "INR");
    }

    #[test]
    fn ten_copies_get_the_ten_percent_break() {
        let p = quote(10);
        assert_eq!(p.production_minor, 198_000);
        assert_eq!(p.quantity_discount_bp, 1_000);
        assert_eq!(p.quantity_discount_minor, 19_800);
        assert_eq!(p.markup_minor, 35_640);
        assert_eq!(p.total_minor, 198_000 - 19_800 + 35_640 + 20_000);
        assert_eq!(p.unit_price_minor, 23_384);
    }

    #[test]
    fn the_total_is_the_sum_of_the_lines_shown() {
        for q in [1, 4, 5, 49, 50, 1000] {
            let p = quote(q);
            assert_eq!(
                p.total_minor,
                p.production_minor - p.quantity_discount_minor + p.markup_minor + p.setup_fee_minor,
                "{q}"
            );
            assert_eq!(p.production_minor, p.cost_per_part_minor * i64::from(q));
        }
    }

    #[test]
    fn the_setup_fee_is_charged_once_per_order() {
        assert_eq!(quote(1).setup_fee_minor, quote(1000).setup_fee_minor);
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(share(1, 1, 2).ok(), Some(1));
        assert_eq!(share(1, 1, 3).ok(), Some(0));
        assert_eq!(share(5, 1, 2).ok(), Some(3));
    }

    #[test]
    fn absurd_estimates_are_an_overflow_not_a_wrapped_price() {
        let list = PriceList::standard();
        let mut e = one_hour_forty_grams();
        e.print_time_s = f64::INFINITY;
        let q = Quantity::new(1).expect("valid");
        assert!(matches!(
            price(&list, &list.materials[0], &list.machines[0], &e, q),
            Err(QuoteError::PriceOverflow)
        ));
    }
}
