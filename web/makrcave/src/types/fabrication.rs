//! What a space makes for the store's customers: its offer (the materials, how jobs are
//! taken) and the 3D printers it makes parts on.

use serde::{Deserialize, Serialize};

/// How a printer prints, and a material is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrintProcess {
    /// Filament laid down layer by layer.
    Fdm,
    /// Resin cured layer by layer.
    Resin,
    /// A process this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl PrintProcess {
    /// The processes a printer's form offers.
    pub const ALL: [Self; 2] = [Self::Fdm, Self::Resin];

    /// The process in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fdm => "FDM (filament)",
            Self::Resin => "Resin",
            Self::Unknown => "Another process",
        }
    }
}

/// A material of the store's price list.
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    /// Its code (`PLA`): what an offer names.
    pub code: String,
    /// Its name (`TPU 95A (flexible)`).
    pub name: String,
    /// How it is printed.
    pub process: PrintProcess,
}

/// What a space offers the store's customers.
#[derive(Debug, Clone, PartialEq)]
pub struct FabricationOffer {
    /// The codes of the materials it prints.
    pub materials: Vec<String>,
    /// Jobs are accepted at once; otherwise its staff accept each.
    pub accepts_automatically: bool,
    /// New jobs come to it (false: paused).
    pub accepting: bool,
}

impl Default for FabricationOffer {
    /// What the API takes by default: staff accept each job, and new jobs come.
    fn default() -> Self {
        Self {
            materials: Vec::new(),
            accepts_automatically: false,
            accepting: true,
        }
    }
}

/// What a printer prints for the store's customers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrinterSetup {
    /// How it prints.
    pub process: PrintProcess,
    /// Its printable width, depth and height, mm.
    pub build_mm: [f64; 3],
}

impl PrinterSetup {
    /// `FDM (filament), 250 × 210 × 220 mm`.
    pub fn words(&self) -> String {
        let [x, y, z] = self.build_mm;
        format!("{}, {x} × {y} × {z} mm", self.process.label())
    }
}

/// A 3D printer of the space.
#[derive(Debug, Clone, PartialEq)]
pub struct SpacePrinter {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it prints for the store's customers; none when it makes no parts for them.
    pub making: Option<PrinterSetup>,
}

/// A space's fabrication page.
#[derive(Debug, Clone, PartialEq)]
pub struct Fabrication {
    /// The space's API id.
    pub makerspace_id: String,
    /// Its name.
    pub name: String,
    /// Whether the person manages the space: they change the offer. What the page offers; the
    /// API decides.
    pub manages: bool,
    /// What it offers; none before it offers fabrication.
    pub offer: Option<FabricationOffer>,
    /// The store's materials, as its price list orders them.
    pub materials: Vec<Material>,
    /// The space's 3D printers, by name (its other machines make no parts).
    pub printers: Vec<SpacePrinter>,
}
