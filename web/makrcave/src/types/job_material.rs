//! The material a job took from its space's stock, as the staff record it: what was recorded,
//! the items and places to record more from, and what the form starts from.

use super::{FabricationJob, Place, StockUnit};
use crate::time::LocalTime;

/// Material a job used, as recorded: a consumption of an item of the space's stock.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialUse {
    /// The item's name (`PLA black`).
    pub item: String,
    /// What it is counted in.
    pub unit: StockUnit,
    /// How much, in its unit, as the API gives it (`13.500`).
    pub quantity: String,
    /// The place it was taken from.
    pub place: String,
    /// When it was recorded, on the space's clock.
    pub at: LocalTime,
    /// Who recorded it.
    pub by: String,
}

impl MaterialUse {
    /// `13.5 g of PLA black from Shelf · Tue 8 Dec 14:02`.
    pub fn words(&self) -> String {
        format!(
            "{} of {} from {} · {}",
            self.unit.amount(&self.quantity),
            self.item,
            self.place,
            self.at.day_and_clock()
        )
    }
}

/// How much of an item one place holds.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialLevel {
    /// The place's API id.
    pub place_id: String,
    /// Its name.
    pub place: String,
    /// How much is there, in the item's unit.
    pub on_hand: String,
}

/// An item of the space's stock, as a job's material is recorded from it.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialItem {
    /// Its API id.
    pub id: String,
    /// Its name (`PLA black`).
    pub name: String,
    /// What it is counted in.
    pub unit: StockUnit,
    /// How much each place that holds any has, by the place's name.
    pub levels: Vec<MaterialLevel>,
}

impl MaterialItem {
    /// The places to take it from (API id, words): those holding some, with how much
    /// (`Shelf (986.5 g)`); every place of the space when none does, as the stock may not
    /// have been counted.
    pub fn place_choices(&self, places: &[Place]) -> Vec<(String, String)> {
        if self.levels.is_empty() {
            return places
                .iter()
                .map(|place| (place.id.clone(), place.name.clone()))
                .collect();
        }
        self.levels
            .iter()
            .map(|level| {
                let words = format!("{} ({})", level.place, self.unit.amount(&level.on_hand));
                (level.place_id.clone(), words)
            })
            .collect()
    }
}

/// The space's stock, as the jobs' material forms offer it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobStock {
    /// Its items (the first 100), by name.
    pub items: Vec<MaterialItem>,
    /// Its places, by name.
    pub places: Vec<Place>,
}

impl JobStock {
    /// The items, those whose name holds the job's material code (`PLA`, whatever the case)
    /// first, each group by name as the API gave them.
    pub fn items_for(&self, material: &str) -> Vec<&MaterialItem> {
        let code = material.trim().to_lowercase();
        let (likely, others): (Vec<&MaterialItem>, Vec<&MaterialItem>) = self
            .items
            .iter()
            .partition(|item| !code.is_empty() && item.name.to_lowercase().contains(&code));
        likely.into_iter().chain(others).collect()
    }
}

/// Material the staff record against a job.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMaterialUse {
    /// The item's API id.
    pub item_id: String,
    /// The place's API id.
    pub place_id: String,
    /// How much, in the item's unit, as typed.
    pub quantity: String,
}

impl FabricationJob {
    /// The material every copy takes, as quoted, in grams rounded up to a tenth (`8`, `7.6`).
    pub fn quoted_grams(&self) -> String {
        // The quote's float times the copies can land a hair above a tenth (4.1 × 2 is
        // 8.200000000000001): that hair is not a tenth more.
        let all = self.material_grams.max(0.0) * self.quantity.max(1) as f64;
        let tenths = (all * 10.0 - 1e-6).ceil().max(0.0) as i64;
        match tenths % 10 {
            0 => (tenths / 10).to_string(),
            tenth => format!("{}.{tenth}", tenths / 10),
        }
    }

    /// What the quantity starts at for an item counted in `unit`: the quoted grams for one
    /// weighed in grams; nothing for any other unit, rather than a guess.
    pub fn material_prefill(&self, unit: StockUnit) -> String {
        match unit {
            StockUnit::Grams => self.quoted_grams(),
            _ => String::new(),
        }
    }
}

/// The unit as written beside an amount (`g`).
pub fn unit_symbol(unit: StockUnit) -> &'static str {
    match unit {
        StockUnit::Pieces => "pieces",
        StockUnit::Grams => "g",
        StockUnit::Millilitres => "ml",
        StockUnit::Metres => "m",
        StockUnit::Unknown => "units",
    }
}

/// Whether `text` reads as a decimal number (`13.5`, `8`, `.5`, `-2`): what the API's
/// `Decimal` takes, so that anything else is said by the field instead of sent.
pub fn is_decimal(text: &str) -> bool {
    let text = text.trim();
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((_, "")) => return false,
        Some(parts) => parts,
        None => (digits, ""),
    };
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction)
}

/// What recording said: `Recorded: 986.5 g of PLA black left at Shelf.`
pub fn recorded_words(item: &str, unit: StockUnit, left: &str, place: &str) -> String {
    format!("Recorded: {} of {item} left at {place}.", unit.amount(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(material_grams: f64, quantity: i64) -> FabricationJob {
        FabricationJob {
            material_grams,
            quantity,
            ..FabricationJob::bracket()
        }
    }

    fn item(name: &str, unit: StockUnit, levels: &[(&str, &str)]) -> MaterialItem {
        MaterialItem {
            id: format!("item-{name}"),
            name: name.to_owned(),
            unit,
            levels: levels
                .iter()
                .map(|(place, on_hand)| MaterialLevel {
                    place_id: format!("place-{place}"),
                    place: (*place).to_owned(),
                    on_hand: (*on_hand).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_quantity_starts_at_every_copy_s_quoted_grams_rounded_up_to_a_tenth() {
        assert_eq!(job(3.8, 2).quoted_grams(), "7.6");
        assert_eq!(job(4.1, 2).quoted_grams(), "8.2");
        assert_eq!(job(6.75, 2).quoted_grams(), "13.5");
        assert_eq!(job(4.04, 3).quoted_grams(), "12.2");
        assert_eq!(job(4.0, 2).quoted_grams(), "8");
        assert_eq!(job(0.0, 1).quoted_grams(), "0");
    }

    #[test]
    fn only_an_item_weighed_in_grams_is_prefilled() {
        let bracket = job(6.75, 2);

        assert_eq!(bracket.material_prefill(StockUnit::Grams), "13.5");
        assert_eq!(bracket.material_prefill(StockUnit::Millilitres), "");
        assert_eq!(bracket.material_prefill(StockUnit::Pieces), "");
    }

    #[test]
    fn recorded_material_reads_as_how_much_of_what_from_where_and_when() {
        let used = MaterialUse {
            item: "PLA black".to_owned(),
            unit: StockUnit::Grams,
            quantity: "13.500".to_owned(),
            place: "Shelf".to_owned(),
            at: LocalTime::parse("2026-12-08T14:02:31+01:00").expect("a time"),
            by: "Sam".to_owned(),
        };
        let bolts = MaterialUse {
            item: "M3 bolt".to_owned(),
            unit: StockUnit::Pieces,
            quantity: "1".to_owned(),
            ..used.clone()
        };

        assert_eq!(
            used.words(),
            "13.5 g of PLA black from Shelf · Tue 8 Dec 14:02"
        );
        assert_eq!(
            bolts.words(),
            "1 piece of M3 bolt from Shelf · Tue 8 Dec 14:02"
        );
    }

    #[test]
    fn an_item_is_taken_from_the_places_holding_some_or_any_place_when_none_does() {
        let places = vec![
            Place {
                id: "place-Bin".to_owned(),
                name: "Bin".to_owned(),
            },
            Place {
                id: "place-Shelf".to_owned(),
                name: "Shelf".to_owned(),
            },
        ];
        let stocked = item("PLA black", StockUnit::Grams, &[("Shelf", "986.500")]);
        let uncounted = item("PETG clear", StockUnit::Grams, &[]);

        assert_eq!(
            stocked.place_choices(&places),
            [("place-Shelf".to_owned(), "Shelf (986.5 g)".to_owned())]
        );
        assert_eq!(
            uncounted.place_choices(&places),
            [
                ("place-Bin".to_owned(), "Bin".to_owned()),
                ("place-Shelf".to_owned(), "Shelf".to_owned())
            ]
        );
    }

    #[test]
    fn items_of_the_job_s_material_come_first() {
        let stock = JobStock {
            items: vec![
                item("Glue stick", StockUnit::Pieces, &[]),
                item("PETG clear", StockUnit::Grams, &[]),
                item("pla black", StockUnit::Grams, &[]),
                item("PLA white", StockUnit::Grams, &[]),
            ],
            places: Vec::new(),
        };
        let names = |material| -> Vec<&str> {
            stock
                .items_for(material)
                .into_iter()
                .map(|item| item.name.as_str())
                .collect()
        };

        assert_eq!(
            names("PLA"),
            ["pla black", "PLA white", "Glue stick", "PETG clear"]
        );
        assert_eq!(
            names(""),
            ["Glue stick", "PETG clear", "pla black", "PLA white"]
        );
    }

    #[test]
    fn only_a_decimal_number_is_sent_as_a_quantity() {
        for text in ["13.5", "8", ".5", "-2", " 7.6 ", "0"] {
            assert!(is_decimal(text), "{text}");
        }
        for text in ["", "-", ".", "8.", "13,5", "1e3", "ten", "1.2.3", "--2"] {
            assert!(!is_decimal(text), "{text}");
        }
    }

    #[test]
    fn recording_says_what_the_place_has_left() {
        assert_eq!(
            recorded_words("PLA black", StockUnit::Grams, "992.400", "Shelf"),
            "Recorded: 992.4 g of PLA black left at Shelf."
        );
    }
}
