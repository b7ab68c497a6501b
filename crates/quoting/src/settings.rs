//! What the customer chooses: how the part is printed and how many.

use serde::Serialize;

use crate::error::QuoteError;
use crate::materials::Process;

/// Print settings, each within the range a machine can honour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrintSettings {
    infill_percent: u8,
    walls: u8,
    top_bottom_layers: u8,
    layer_height_mm: f64,
}

impl PrintSettings {
    /// Checks and builds settings.
    pub fn new(
        infill_percent: u8,
        walls: u8,
        top_bottom_layers: u8,
        layer_height_mm: f64,
    ) -> Result<Self, QuoteError> {
        let invalid = |field, message: &str| {
            Err(QuoteError::InvalidSetting {
                field,
                message: message.to_owned(),
            })
        };
        if infill_percent > 100 {
            return invalid("infill", "must be between 0 and 100 percent");
        }
        if !(1..=10).contains(&walls) {
            return invalid("walls", "must be between 1 and 10");
        }
        if top_bottom_layers > 20 {
            return invalid("top/bottom layers", "must be between 0 and 20");
        }
        if !(0.01..=0.6).contains(&layer_height_mm) {
            return invalid("layer height", "must be between 0.01 and 0.6 mm");
        }
        Ok(Self {
            infill_percent,
            walls,
            top_bottom_layers,
            layer_height_mm,
        })
    }

    /// The makerspace's usual settings for a process with the given infill
    /// (0.2 mm layers, 2 walls, 4 solid layers top and bottom for FDM; 0.05 mm solid for resin).
    pub fn standard(process: Process, infill_percent: u8) -> Result<Self, QuoteError> {
        match process {
            Process::Fdm => Self::new(infill_percent, 2, 4, 0.2),
            Process::Resin => Self::new(infill_percent, 1, 0, 0.05),
        }
    }

    /// Sparse infill density, percent.
    pub fn infill_percent(&self) -> u8 {
        self.infill_percent
    }

    /// Perimeters around each layer.
    pub fn walls(&self) -> u8 {
        self.walls
    }

    /// Solid layers at the top and at the bottom.
    pub fn top_bottom_layers(&self) -> u8 {
        self.top_bottom_layers
    }

    /// Layer height, mm.
    pub fn layer_height_mm(&self) -> f64 {
        self.layer_height_mm
    }
}

/// How many copies of the part, at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Quantity(u32);

impl Quantity {
    /// The most copies one quote covers; more is a conversation with staff.
    pub const MAX: u32 = 10_000;

    /// Checks and builds a quantity.
    pub fn new(count: u32) -> Result<Self, QuoteError> {
        if (1..=Self::MAX).contains(&count) {
            Ok(Self(count))
        } else {
            Err(QuoteError::InvalidSetting {
                field: "quantity",
                message: format!("must be between 1 and {}", Self::MAX),
            })
        }
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infill_over_a_hundred_percent_is_refused() {
        let err = PrintSettings::new(101, 2, 4, 0.2).expect_err("too much");
        assert!(err.to_string().contains("infill"), "{err}");
    }

    #[test]
    fn zero_walls_and_absurd_layers_are_refused() {
        assert!(PrintSettings::new(20, 0, 4, 0.2).is_err());
        assert!(PrintSettings::new(20, 2, 4, 0.0).is_err());
        assert!(PrintSettings::new(20, 2, 4, f64::NAN).is_err());
    }

    #[test]
    fn quantity_must_be_at_least_one_and_at_most_the_maximum() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(Quantity::MAX + 1).is_err());
        assert_eq!(Quantity::new(3).map(Quantity::get).ok(), Some(3));
    }

    #[test]
    fn standard_fdm_settings_use_two_walls_and_fifth_millimetre_layers() {
        let s = PrintSettings::standard(Process::Fdm, 20).expect("valid");
        assert_eq!((s.walls(), s.layer_height_mm()), (2, 0.2));
    }
}
