//! Any bytes, as an upload: reading either refuses them with an error or yields a
//! mesh whose measures are sane, which then places, profiles and prices without
//! panicking. Never a panic, a hang or a runaway allocation.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run stl_reader -- -max_total_time=60` (from crates/quoting)
#![no_main]

use libfuzzer_sys::fuzz_target;
use makrx_quoting::materials::Process;
use makrx_quoting::{
    BuildVolume, Limits, PartAnalysis, PriceList, PrintSettings, Quantity, QuoteRequest,
    SlicerMode, TriangleSoup,
};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_triangles: 100_000,
    };
    // The bytes as they are, and as the body of an ASCII STL, so the text grammar is
    // explored without the fuzzer first having to find `solid`.
    let mut ascii = b"solid fuzz\n".to_vec();
    ascii.extend_from_slice(data);
    for bytes in [data, ascii.as_slice()] {
        let Ok(soup) = TriangleSoup::parse(bytes, &limits) else {
            continue;
        };
        assert!(!soup.is_empty());
        let analysis = PartAnalysis::of(&soup);
        let m = &analysis.measurements;
        assert_eq!(m.triangles as usize, soup.len());
        assert!(m.vertices >= 1 && m.vertices <= 3 * m.triangles);
        assert!(m.area_mm2 >= 0.0 && !m.area_mm2.is_nan());
        assert!(m.volume_mm3 >= 0.0 && !m.volume_mm3.is_nan());
        assert!(m.shells >= 1 && m.shells <= m.triangles);
        assert!(m.bbox_mm.iter().all(|s| *s >= 0.0));
        let _ = analysis.fit(&BuildVolume {
            x_mm: 250.0,
            y_mm: 210.0,
            z_mm: 220.0,
        });
        if let (Ok(settings), Ok(quantity)) = (
            PrintSettings::standard(Process::Fdm, data.first().map_or(20, |b| b % 101)),
            Quantity::new(2),
        ) {
            let request = QuoteRequest {
                material: "PLA".into(),
                settings,
                quantity,
                slicer: SlicerMode::Off,
            };
            let now = makrx_quoting::DateTime::UNIX_EPOCH;
            if let Ok(q) =
                makrx_quoting::quote(bytes, &request, &PriceList::standard(), &limits, now)
            {
                assert!(q.price.total_minor >= q.price.setup_fee_minor);
                assert!(q.estimate.print_time_s.is_finite() && q.estimate.material_g.is_finite());
            }
        }
    }
});
