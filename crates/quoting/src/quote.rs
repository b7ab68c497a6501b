//! A quote: the part's measures, how it will be printed, what it costs, and until when.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::analysis::{Measurements, PartAnalysis};
use crate::error::QuoteError;
use crate::estimate::{self, EstimateSource, PrintEstimate};
use crate::fit::{MachineMisfit, Misfit, Placement};
use crate::machines;
use crate::materials::{self, Material, Process};
use crate::pricing::{self, PriceBreakdown, PriceList};
use crate::settings::{PrintSettings, Quantity};
use crate::slicer::{self, SlicerConfig};
use crate::stl::{Limits, StlFormat, TriangleSoup, read_file};

/// Whether to run the slicer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlicerMode {
    /// Slice when the slicer is installed and the process is FDM; otherwise estimate.
    Auto(SlicerConfig),
    /// Always use the estimate.
    Off,
}

/// What the customer asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteRequest {
    /// A material code or alias from the price list.
    pub material: String,
    /// Infill, walls, layers.
    pub settings: PrintSettings,
    /// Copies.
    pub quantity: Quantity,
    /// Whether to slice.
    pub slicer: SlicerMode,
}

/// How the print figures were obtained, and why the slicer was not used if it was not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// `slicer` or `estimate`.
    pub source: EstimateSource,
    /// Why the estimate stands in for the slicer, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}

/// A priced quote for fabricating a part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The upload's encoding.
    pub format: StlFormat,
    /// The part's measures.
    #[serde(flatten)]
    pub part: Measurements,
    /// Material code.
    pub material: String,
    /// Process the material needs.
    pub process: Process,
    /// Machine it will be printed on.
    pub machine: String,
    /// How it is placed in that machine.
    pub placement: Placement,
    /// The print settings quoted.
    pub settings: PrintSettings,
    /// Where the time and grams came from.
    pub provenance: Provenance,
    /// Time and material for one copy.
    pub estimate: PrintEstimate,
    /// The price, line by line.
    pub price: PriceBreakdown,
    /// Things staff or the customer should know (an open mesh, an inside-out file).
    pub warnings: Vec<String>,
    /// When the quote was made.
    pub created_at: DateTime<Utc>,
    /// When it stops being honoured.
    pub expires_at: DateTime<Utc>,
}

impl Quote {
    /// The quote as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Quotes an STL upload. `now` is when the quote is made; it expires after the price
/// list's validity.
pub fn quote(
    stl: &[u8],
    request: &QuoteRequest,
    prices: &PriceList,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Result<Quote, QuoteError> {
    let material = materials::find(&prices.materials, &request.material)?;
    let soup = TriangleSoup::parse(stl, limits)?;
    let analysis = PartAnalysis::of(&soup);
    quote_measured(&analysis, Some(&soup), material, request, prices, now)
}

/// Quotes an STL file: the same quote, or the same error, as [`quote`] on the bytes
/// [`stl::read_file`](crate::stl::read_file) reads, in less time and memory.
///
/// A binary file is measured as it is read, a block at a time, instead of being read
/// into memory whole, which for a large part cost a page fault for every 4 KB of it
/// (and as much memory again as the file). A file read that way is one that
/// [`TriangleSoup::parse`] accepts, for a request that does not slice it (the slicer
/// is given a copy of the part); anything else, including every file that is refused,
/// is read whole and quoted by [`quote`].
pub fn quote_file(
    path: &Path,
    request: &QuoteRequest,
    prices: &PriceList,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Result<Quote, QuoteError> {
    // An unknown material is an error only after the file has been read, as `quote`
    // on the file's bytes would have it: so that case is read whole too.
    if let Ok(material) = materials::find(&prices.materials, &request.material) {
        let slices =
            matches!(request.slicer, SlicerMode::Auto(_)) && material.process == Process::Fdm;
        if !slices && let Some(analysis) = PartAnalysis::of_file(path, limits) {
            return quote_measured(&analysis, None, material, request, prices, now);
        }
    }
    quote(&read_file(path, limits)?, request, prices, limits, now)
}

/// The quote of a measured part. `soup` is its triangles, which the slicer is given;
/// `None` only for a binary file measured as it was read, and a request that does not
/// slice.
fn quote_measured(
    analysis: &PartAnalysis,
    soup: Option<&TriangleSoup<'_>>,
    material: &Material,
    request: &QuoteRequest,
    prices: &PriceList,
    now: DateTime<Utc>,
) -> Result<Quote, QuoteError> {
    let part = &analysis.measurements;
    if part.volume_mm3 < 1e-3 {
        return Err(QuoteError::NoVolume);
    }

    let candidates = machines::for_process(&prices.machines, material.process)?;
    let Some((machine, placement)) = candidates
        .iter()
        .find_map(|m| analysis.fit(&m.build_volume).map(|p| (*m, p)))
    else {
        return Err(QuoteError::DoesNotFit(Box::new(Misfit {
            part: part.clone(),
            process: material.process,
            machines: candidates
                .iter()
                .map(|m| MachineMisfit::new(&m.name, &m.build_volume, part.bbox_mm))
                .collect(),
        })));
    };

    let layers = analysis.layers(placement.up, request.settings.layer_height_mm());
    let mut estimate = estimate::estimate(&layers, material, &request.settings);
    let fallback_reason = match (&request.slicer, material.process, soup) {
        (SlicerMode::Off, _, _) => Some("slicer turned off".to_owned()),
        (SlicerMode::Auto(_), Process::Resin, _) => {
            Some("resin parts are estimated, not sliced".to_owned())
        }
        // `quote_file` reads the file whole for a request that slices, so this does
        // not happen; were it to, the estimate would stand, and say why.
        (SlicerMode::Auto(_), Process::Fdm, None) => {
            Some("the part was not kept in memory for the slicer".to_owned())
        }
        (SlicerMode::Auto(config), Process::Fdm, Some(soup)) => {
            match slicer::slice(
                soup,
                &placement,
                machine,
                material,
                &request.settings,
                config,
            ) {
                Ok(sliced) => {
                    estimate = PrintEstimate {
                        source: EstimateSource::Slicer,
                        print_time_s: sliced.print_time_s,
                        material_g: sliced.material_g,
                        model: None,
                    };
                    None
                }
                Err(e) => Some(e.to_string()),
            }
        }
    };

    let price = pricing::price(prices, material, machine, &estimate, request.quantity)?;
    Ok(Quote {
        // Only a binary file is measured without a soup.
        format: soup.map_or(StlFormat::Binary, TriangleSoup::format),
        part: part.clone(),
        material: material.code.clone(),
        process: material.process,
        machine: machine.name.clone(),
        placement,
        settings: request.settings,
        provenance: Provenance {
            source: estimate.source,
            fallback_reason,
        },
        estimate,
        price,
        warnings: warnings(part),
        created_at: now,
        expires_at: now + Duration::hours(i64::from(prices.validity_hours)),
    })
}

/// What is odd about a part that a person should look at before printing it.
fn warnings(part: &Measurements) -> Vec<String> {
    let mut out = Vec::new();
    if !part.watertight {
        out.push(format!(
            "the mesh is not watertight ({} open and {} non-manifold edges): its volume, and so the price, is approximate",
            part.boundary_edges, part.non_manifold_edges
        ));
    }
    if part.inside_out {
        out.push(
            "the mesh is inside out (its faces point inward): it was quoted by its absolute volume"
                .to_owned(),
        );
    } else if !part.consistently_oriented {
        out.push(format!(
            "{} edges join faces that disagree about which side is outside",
            part.misoriented_edges
        ));
    }
    if part.shells > 1 {
        out.push(format!(
            "the file holds {} separate shells (several parts, or a part with inner cavities), quoted as one print",
            part.shells
        ));
    }
    if part.degenerate_triangles > 0 {
        out.push(format!(
            "{} triangles have no area and were ignored",
            part.degenerate_triangles
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration as StdDuration;

    use chrono::TimeZone;

    use super::*;
    use crate::shapes;
    use crate::stl::{Triangle, to_binary_stl};

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
            .single()
            .expect("valid date")
    }

    fn request(material: &str, quantity: u32, slicer: SlicerMode) -> QuoteRequest {
        let process = materials::find(&PriceList::standard().materials, material)
            .map(|m| m.process)
            .unwrap_or(Process::Fdm);
        QuoteRequest {
            material: material.to_owned(),
            settings: PrintSettings::standard(process, 20).expect("valid"),
            quantity: Quantity::new(quantity).expect("valid"),
            slicer,
        }
    }

    fn quote_of(triangles: &[Triangle], request: &QuoteRequest) -> Result<Quote, QuoteError> {
        quote(
            &to_binary_stl(triangles),
            request,
            &PriceList::standard(),
            &Limits::default(),
            noon(),
        )
    }

    fn cube(side: f32) -> Vec<Triangle> {
        shapes::cuboid([0.0; 3], [side; 3])
    }

    #[test]
    fn a_cube_in_pla_is_quoted_from_the_estimate_when_the_slicer_is_off() {
        let q = quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        assert_eq!(q.part.volume_mm3, 8000.0);
        assert_eq!(q.machine, "Prusa MK4");
        assert_eq!(q.provenance.source, EstimateSource::Estimate);
        assert_eq!(
            q.provenance.fallback_reason.as_deref(),
            Some("slicer turned off")
        );
        assert!(q.estimate.model.is_some());
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        assert_eq!(q.price.currency, "INR");
        assert!(q.price.total_minor > q.price.setup_fee_minor);
    }

    #[test]
    fn a_coordinate_that_is_not_finite_is_refused_as_parsing_refuses_it() {
        // From bytes, and from a file read a block at a time, in any block: the error
        // names the triangle, as the parser's.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("part.stl");
        let torus = shapes::torus(30.0, 8.0, 100, 50);
        let clean = to_binary_stl(&torus);
        let request = request("PLA", 1, SlicerMode::Off);
        let (prices, limits) = (PriceList::standard(), Limits::default());
        for triangle in [0, 1, 4_095, 4_096, 5_000, torus.len() - 1] {
            for bad in [f32::NAN, f32::INFINITY] {
                let mut bytes = clean.clone();
                let at = 84 + 50 * triangle + 12 + 4 * (triangle % 9);
                bytes[at..at + 4].copy_from_slice(&bad.to_le_bytes());
                std::fs::write(&path, &bytes).expect("write");
                let parsed = TriangleSoup::parse(&bytes, &limits).expect_err("refused");
                assert!(
                    matches!(parsed, QuoteError::NonFinite { triangle: t } if t == triangle as u64),
                    "{triangle}: {parsed}"
                );
                let from_bytes =
                    quote(&bytes, &request, &prices, &limits, noon()).expect_err("refused");
                let from_file =
                    quote_file(&path, &request, &prices, &limits, noon()).expect_err("refused");
                assert_eq!(from_bytes.to_string(), parsed.to_string());
                assert_eq!(from_file.to_string(), parsed.to_string());
            }
        }
    }

    #[test]
    fn a_quote_expires_a_week_after_it_is_made() {
        let q = quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        assert_eq!(q.created_at, noon());
        assert_eq!(q.expires_at, noon() + Duration::days(7));
    }

    #[test]
    fn a_missing_slicer_falls_back_to_the_estimate_and_says_so() {
        let config = SlicerConfig {
            program: "/nonexistent/prusa-slicer".into(),
            timeout: StdDuration::from_secs(5),
            profile: None,
        };
        let q =
            quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Auto(config))).expect("quoted");
        assert_eq!(q.provenance.source, EstimateSource::Estimate);
        let reason = q.provenance.fallback_reason.expect("a reason");
        assert!(reason.contains("not installed"), "{reason}");
    }

    /// With `prusa-slicer` on PATH this quotes from the real slicer; without it, it proves
    /// the fallback is taken and reported.
    #[test]
    fn the_slicer_is_used_when_installed_and_the_fallback_reported_when_not() {
        let q = quote_of(
            &cube(20.0),
            &request("PLA", 1, SlicerMode::Auto(SlicerConfig::default())),
        )
        .expect("quoted");
        match q.provenance.source {
            EstimateSource::Slicer => {
                assert_eq!(q.provenance.fallback_reason, None);
                assert!(q.estimate.model.is_none());
                assert!(q.estimate.material_g > 1.0 && q.estimate.print_time_s > 60.0);
            }
            EstimateSource::Estimate => {
                let reason = q.provenance.fallback_reason.expect("a reason");
                assert!(reason.contains("not installed"), "{reason}");
            }
        }
    }

    #[test]
    fn resin_parts_go_to_the_resin_machine_and_are_estimated() {
        let q = quote_of(
            &cube(20.0),
            &request("resin", 1, SlicerMode::Auto(SlicerConfig::default())),
        )
        .expect("quoted");
        assert_eq!(q.process, Process::Resin);
        assert_eq!(q.machine, "Formlabs Form 3+");
        assert_eq!(q.provenance.source, EstimateSource::Estimate);
    }

    #[test]
    fn ten_copies_cost_less_each_than_one() {
        let one = quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        let ten = quote_of(&cube(20.0), &request("PLA", 10, SlicerMode::Off)).expect("quoted");
        assert!(ten.price.unit_price_minor < one.price.unit_price_minor);
        assert_eq!(ten.price.quantity_discount_bp, 1_000);
    }

    #[test]
    fn an_unknown_material_is_refused() {
        let err = quote_of(&cube(20.0), &request("unobtainium", 1, SlicerMode::Off))
            .expect_err("unknown");
        assert!(matches!(err, QuoteError::UnknownMaterial { .. }));
    }

    #[test]
    fn a_part_too_big_for_every_machine_is_refused_with_its_size() {
        let err = quote_of(&cube(400.0), &request("PLA", 1, SlicerMode::Off)).expect_err("too big");
        let QuoteError::DoesNotFit(misfit) = &err else {
            panic!("not a misfit: {err}");
        };
        assert_eq!(misfit.part.volume_mm3, 64_000_000.0);
        assert_eq!(misfit.part.bbox_mm, [400.0; 3]);
        assert!(misfit.part.watertight);
        assert_eq!(misfit.process, Process::Fdm);
        let [mk4] = misfit.machines.as_slice() else {
            panic!("one FDM machine: {:?}", misfit.machines);
        };
        assert_eq!(mk4.machine, "Prusa MK4");
        assert_eq!(mk4.excesses.len(), 3);
        assert_eq!(
            err.to_string(),
            "the part (400.0 x 400.0 x 400.0 mm) fits no FDM machine in any orientation tried: \
             400.0 mm in x exceeds the Prusa MK4's 250 mm width, 400.0 mm in y its 210 mm depth \
             and 400.0 mm in z its 220 mm height"
        );
    }

    #[test]
    fn a_misfit_as_json_has_the_measures_each_machine_and_no_price() {
        let tall = shapes::cuboid([0.0; 3], [10.0, 10.0, 300.0]);
        let err = quote_of(&tall, &request("resin", 1, SlicerMode::Off)).expect_err("too tall");
        let QuoteError::DoesNotFit(misfit) = err else {
            panic!("not a misfit: {err}");
        };
        let json: serde_json::Value = serde_json::from_str(&misfit.to_json()).expect("json");
        assert_eq!(json["triangles"], 12);
        assert_eq!(json["bbox_mm"], serde_json::json!([10.0, 10.0, 300.0]));
        assert_eq!(json["watertight"], true);
        assert_eq!(json["process"], "resin");
        assert!(json.get("price").is_none());
        let machine = &json["machines"][0];
        assert_eq!(machine["machine"], "Formlabs Form 3+");
        assert_eq!(machine["excesses"][0]["part_axis"], "Z");
        assert_eq!(machine["excesses"][0]["part_mm"], 300.0);
        assert_eq!(
            machine["reason"],
            "300.0 mm in z exceeds the Formlabs Form 3+'s 185 mm height"
        );
        assert!(
            json["error"]
                .as_str()
                .is_some_and(|e| e.contains("fits no resin machine"))
        );
    }

    #[test]
    fn a_part_too_tall_for_the_resin_machine_is_laid_down() {
        // Taller than the Form 3+ (185 mm), and longer than its bed is wide (145 mm).
        let tall = shapes::cuboid([0.0; 3], [10.0, 10.0, 190.0]);
        let q = quote_of(&tall, &request("resin", 1, SlicerMode::Off)).expect("quoted");
        assert_ne!(q.placement.up, crate::fit::Axis::Z);
        assert!(q.placement.turn_deg > 0.0, "{:?}", q.placement);
    }

    #[test]
    fn an_open_mesh_is_quoted_with_a_warning() {
        let mut open = cube(20.0);
        open.truncate(10);
        let q = quote_of(&open, &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        assert!(!q.part.watertight);
        assert!(
            q.warnings.iter().any(|w| w.contains("not watertight")),
            "{:?}",
            q.warnings
        );
    }

    #[test]
    fn an_inside_out_mesh_is_quoted_by_its_absolute_volume_with_a_warning() {
        let q = quote_of(
            &shapes::inside_out(cube(20.0)),
            &request("PLA", 1, SlicerMode::Off),
        )
        .expect("quoted");
        assert_eq!(q.part.volume_mm3, 8000.0);
        assert!(
            q.warnings.iter().any(|w| w.contains("inside out")),
            "{:?}",
            q.warnings
        );
        let right = quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        assert_eq!(q.price.total_minor, right.price.total_minor);
    }

    #[test]
    fn a_flat_surface_encloses_no_volume_and_is_refused() {
        let flat: Vec<Triangle> = vec![[[0.0; 3], [10.0, 0.0, 0.0], [0.0, 10.0, 0.0]]];
        assert!(matches!(
            quote_of(&flat, &request("PLA", 1, SlicerMode::Off)),
            Err(QuoteError::NoVolume)
        ));
    }

    #[test]
    fn a_malformed_file_is_refused_before_anything_else() {
        let err = quote(
            b"solid x\nfacet normal 0 0 1\n",
            &request("PLA", 1, SlicerMode::Off),
            &PriceList::standard(),
            &Limits::default(),
            noon(),
        )
        .expect_err("malformed");
        assert!(matches!(err, QuoteError::Ascii { .. }), "{err}");
    }

    #[test]
    fn the_json_has_the_keys_the_store_reads() {
        let q = quote_of(&cube(20.0), &request("PLA", 1, SlicerMode::Off)).expect("quoted");
        let json: serde_json::Value = serde_json::from_str(&q.to_json()).expect("json");
        for key in [
            "triangles",
            "volume_mm3",
            "area_mm2",
            "bbox_mm",
            "watertight",
            "shells",
            "price",
            "expires_at",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["bbox_mm"], serde_json::json!([20.0, 20.0, 20.0]));
        assert_eq!(json["triangles"], 12);
        assert_eq!(json["price"]["currency"], "INR");
        assert!(json["price"]["total_minor"].is_i64());
        assert_eq!(json["provenance"]["source"], "estimate");
    }
}
