//! A product and its variants as store staff type them in the desk: plain text fields, read
//! into the API's values when saved, each mistake named by the field the API would name.

use crate::money::{to_minor_in, typed_price};

/// A product's details in the desk's form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductDraft {
    pub name: String,
    /// Its name in addresses; empty to have it made from the name.
    pub slug: String,
    pub description: String,
    /// Its category's id; empty for none.
    pub category_id: String,
    /// Which row of a region's tax table applies (`standard`).
    pub tax_class: String,
    /// What customers filter by, `Name: value` pairs separated by `;`.
    pub attributes: String,
    /// Whether customers see it.
    pub published: bool,
}

impl ProductDraft {
    /// A new product's form: taxed as standard, hidden until staff show it.
    pub fn new_product() -> Self {
        Self {
            tax_class: "standard".to_owned(),
            ..Self::default()
        }
    }
}

/// A variant in the desk's form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariantDraft {
    pub sku: String,
    pub name: String,
    /// What sets it apart from the product's others, `Name: value` pairs separated by `;`.
    pub options: String,
    /// Its price in the currency's major unit, as typed (`1299.50`).
    pub price: String,
    /// ISO 4217, three letters.
    pub currency: String,
}

impl VariantDraft {
    /// A saved variant's form.
    pub fn of(
        sku: &str,
        name: &str,
        options: &[(String, String)],
        price_minor: i64,
        currency: &str,
    ) -> Self {
        Self {
            sku: sku.to_owned(),
            name: name.to_owned(),
            options: pairs_text(options),
            price: typed_price(price_minor, currency),
            currency: currency.to_owned(),
        }
    }

    /// The price in minor units, or what is wrong with it.
    pub fn price_minor(&self) -> Result<i64, String> {
        let currency = self.currency.trim().to_ascii_uppercase();
        to_minor_in(&self.price, &currency).ok_or_else(|| {
            format!(
                "must be an amount in {}, like {}",
                if currency.is_empty() {
                    "the currency"
                } else {
                    &currency
                },
                typed_price(129_950, &currency)
            )
        })
    }
}

/// `Name: value` pairs separated by `;` (`Material: PLA; Diameter: 1.75 mm`), in order; empty
/// text is none. What is wrong names the part that is no pair.
pub fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
                Ok((name.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(format!(
                "“{part}” is not a pair like colour: orange (separate pairs with ;)"
            )),
        })
        .collect()
}

/// Pairs as [`pairs`] reads them.
pub fn pairs_text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_read_back_as_written() {
        let read = pairs(" Material: PLA ;Diameter:1.75 mm; ").expect("pairs");
        assert_eq!(
            read,
            [
                ("Material".to_owned(), "PLA".to_owned()),
                ("Diameter".to_owned(), "1.75 mm".to_owned())
            ]
        );
        assert_eq!(pairs_text(&read), "Material: PLA; Diameter: 1.75 mm");
        assert_eq!(pairs(&pairs_text(&read)), Ok(read));
        assert_eq!(pairs("  "), Ok(Vec::new()));
    }

    #[test]
    fn a_part_that_is_no_pair_is_named() {
        let error = pairs("Material: PLA; orange").expect_err("no pair");
        assert!(error.contains("“orange”"), "{error}");
        assert!(pairs("Colour:").is_err());
        assert!(pairs(": red").is_err());
    }

    #[test]
    fn a_price_is_read_in_its_currency() {
        let mut variant = VariantDraft {
            price: "1299.5".to_owned(),
            currency: "inr".to_owned(),
            ..VariantDraft::default()
        };
        assert_eq!(variant.price_minor(), Ok(129_950));
        variant.price = "12,99".to_owned();
        assert_eq!(
            variant.price_minor(),
            Err("must be an amount in INR, like 1299.50".to_owned())
        );
        let saved = VariantDraft::of("PLA-OR", "Orange", &[], 500, "JPY");
        assert_eq!(
            (saved.price.as_str(), saved.price_minor()),
            ("500", Ok(500))
        );
    }
}
