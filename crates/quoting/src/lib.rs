//! Instant fabrication quotes from STL files.
//!
//! The pipeline: [`TriangleSoup::parse`] reads a binary or ASCII STL and refuses
//! malformed input with a [`QuoteError`]; [`PartAnalysis::of`] measures it (volume,
//! area, bounding box, watertightness, shells); [`PartAnalysis::fit`] places it in a
//! machine; PrusaSlicer ([`slicer::slice`]) or, without it, [`estimate::estimate`] on
//! the part's [`LayerProfile`] gives time and material; [`quote()`] prices it from a
//! [`PriceList`] in integer minor units, with every line shown and an expiry;
//! [`quote_file`] does the same for a file, measuring a binary one as it reads it.
//!
//! ```
//! use makrx_quoting::{Limits, PriceList, PrintSettings, Quantity, QuoteRequest, SlicerMode, quote, shapes};
//! use makrx_quoting::materials::Process;
//!
//! let stl = makrx_quoting::stl::to_binary_stl(&shapes::cuboid([0.0; 3], [20.0; 3]));
//! let request = QuoteRequest {
//!     material: "PLA".into(),
//!     settings: PrintSettings::standard(Process::Fdm, 20)?,
//!     quantity: Quantity::new(2)?,
//!     slicer: SlicerMode::Off,
//! };
//! let now = chrono::Utc::now();
//! let q = quote(&stl, &request, &PriceList::standard(), &Limits::default(), now)?;
//! assert_eq!(q.part.volume_mm3, 8000.0);
//! assert!(q.price.total_minor > q.price.setup_fee_minor);
//! # Ok::<(), makrx_quoting::QuoteError>(())
//! ```

mod analysis;
mod error;
pub mod estimate;
mod fit;
mod gcode;
pub mod machines;
pub mod materials;
mod measure;
mod parallel;
pub mod pricing;
mod profile;
mod quote;
mod render;
mod settings;
pub mod shapes;
pub mod slicer;
pub mod stl;
mod topology;
mod weld;

pub use analysis::{Measurements, PartAnalysis};
/// Quotes are stamped and expire in UTC; re-exported so callers need not depend on chrono.
pub use chrono::{DateTime, Utc};
pub use error::QuoteError;
pub use fit::{Axis, BuildVolume, Excess, MachineMisfit, Misfit, Placement};
pub use gcode::SlicedPrint;
pub use measure::Bounds;
pub use pricing::{PriceBreakdown, PriceList, QuantityBreak};
pub use profile::LayerProfile;
pub use quote::{Provenance, Quote, QuoteRequest, SlicerMode, quote, quote_file};
pub use settings::{PrintSettings, Quantity};
pub use slicer::SlicerConfig;
pub use stl::{Limits, StlFormat, Triangle, TriangleSoup};

/// Reads and measures an STL upload in one call.
pub fn measure_stl(bytes: &[u8], limits: &Limits) -> Result<Measurements, QuoteError> {
    let soup = TriangleSoup::parse(bytes, limits)?;
    Ok(PartAnalysis::of(&soup).measurements)
}
