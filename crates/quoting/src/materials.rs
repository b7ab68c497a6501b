//! The materials a makerspace prints in, and what they weigh and cost.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::QuoteError;

/// How a machine builds a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Process {
    /// Fused deposition: filament extruded layer by layer, with walls and sparse infill.
    Fdm,
    /// Resin cured layer by layer (SLA, MSLA): always solid.
    Resin,
}

impl fmt::Display for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Fdm => "FDM",
            Self::Resin => "resin",
        })
    }
}

/// A material on the price list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    /// Short code customers type: `PLA`, `PETG`, `RESIN`.
    pub code: String,
    /// Full name for a quote.
    pub name: String,
    /// The kind of machine that prints it.
    pub process: Process,
    /// Density of the printed material, g/cm³.
    pub density_g_cm3: f64,
    /// Price per kilogram in the price list's minor units (paise, cents).
    pub price_per_kg_minor: i64,
    /// Other names customers use for it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Material {
    fn new(
        code: &str,
        name: &str,
        process: Process,
        density_g_cm3: f64,
        price_per_kg_minor: i64,
    ) -> Self {
        Self {
            code: code.to_owned(),
            name: name.to_owned(),
            process,
            density_g_cm3,
            price_per_kg_minor,
            aliases: Vec::new(),
        }
    }

    fn also(mut self, aliases: &[&str]) -> Self {
        self.aliases = aliases.iter().map(|&a| a.to_owned()).collect();
        self
    }

    /// Whether `requested` names this material (case-insensitive code or alias).
    pub fn is_called(&self, requested: &str) -> bool {
        let requested = requested.trim();
        self.code.eq_ignore_ascii_case(requested)
            || self
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(requested))
    }
}

/// The makerspace's standard materials, priced in Indian paise (₹1 = 100).
///
/// Densities are those of the printed plastic (filament makers' data sheets; cured
/// resin for resin); prices are typical retail per kilogram.
pub fn standard_materials() -> Vec<Material> {
    vec![
        Material::new("PLA", "PLA", Process::Fdm, 1.24, 120_000),
        Material::new("PETG", "PETG", Process::Fdm, 1.27, 140_000),
        Material::new("ABS", "ABS", Process::Fdm, 1.04, 130_000),
        Material::new("TPU", "TPU 95A (flexible)", Process::Fdm, 1.21, 280_000)
            .also(&["flex", "TPU95A"]),
        Material::new("NYLON", "Nylon (PA12)", Process::Fdm, 1.01, 450_000).also(&[
            "PA",
            "PA12",
            "polyamide",
        ]),
        Material::new("RESIN", "Standard resin", Process::Resin, 1.18, 750_000).also(&[
            "standard-resin",
            "standard resin",
            "SLA",
        ]),
    ]
}

/// Finds `requested` among `materials`, or says which ones exist.
pub fn find<'m>(materials: &'m [Material], requested: &str) -> Result<&'m Material, QuoteError> {
    materials
        .iter()
        .find(|m| m.is_called(requested))
        .ok_or_else(|| QuoteError::UnknownMaterial {
            requested: requested.to_owned(),
            known: materials
                .iter()
                .map(|m| m.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_table_has_the_six_materials_the_store_sells() {
        let materials = standard_materials();
        for code in ["PLA", "PETG", "ABS", "TPU", "nylon", "standard resin"] {
            assert!(find(&materials, code).is_ok(), "{code}");
        }
    }

    #[test]
    fn materials_are_found_regardless_of_case() {
        let materials = standard_materials();
        assert_eq!(
            find(&materials, "petg").map(|m| m.code.as_str()).ok(),
            Some("PETG")
        );
        assert_eq!(
            find(&materials, " pa12 ").map(|m| m.code.as_str()).ok(),
            Some("NYLON")
        );
    }

    #[test]
    fn an_unknown_material_lists_the_known_ones() {
        let err = find(&standard_materials(), "unobtainium").expect_err("unknown");
        let text = err.to_string();
        assert!(
            text.contains("unobtainium") && text.contains("PLA, PETG"),
            "{text}"
        );
    }

    #[test]
    fn resin_is_printed_on_resin_machines() {
        let materials = standard_materials();
        assert_eq!(
            find(&materials, "resin").map(|m| m.process).ok(),
            Some(Process::Resin)
        );
    }
}
