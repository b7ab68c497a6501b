//! Uploads as they arrive in the wild, broken in every way the reader must survive:
//! each is refused with a reason or measured sanely, never a panic.
//!
//! The mutation sweep at the end is a bounded, deterministic cousin of the fuzz
//! target (`fuzz/run.sh`), so that `cargo test` alone exercises the same ground.

use makrx_quoting::materials::Process;
use makrx_quoting::{
    BuildVolume, Limits, PartAnalysis, PriceList, PrintSettings, Quantity, QuoteError,
    QuoteRequest, SlicerMode, StlFormat, Triangle, TriangleSoup, Utc, shapes, stl,
};

fn parse(bytes: &[u8]) -> Result<TriangleSoup<'_>, QuoteError> {
    TriangleSoup::parse(bytes, &Limits::default())
}

fn cube() -> Vec<Triangle> {
    shapes::cuboid([0.0; 3], [10.0; 3])
}

#[test]
fn every_truncation_of_a_binary_file_is_refused() {
    let bytes = stl::to_binary_stl(&cube());
    for len in 1..bytes.len() {
        let err = parse(&bytes[..len]).expect_err("truncated file must be refused");
        assert!(
            matches!(
                err,
                QuoteError::TruncatedHeader { .. }
                    | QuoteError::SizeMismatch { .. }
                    | QuoteError::NotStl(_)
            ),
            "cut at {len}: {err}"
        );
    }
}

#[test]
fn every_truncation_of_an_ascii_file_is_refused() {
    let text = stl::to_ascii_stl("cube", &cube());
    // Once `endsolid` is whole, the file is complete: its name is optional.
    let complete = text.len() - " cube\n".len();
    for len in 1..complete {
        assert!(parse(&text[..len]).is_err(), "cut at {len} was accepted");
    }
}

#[test]
fn a_triangle_count_that_disagrees_with_the_size_is_refused_either_way() {
    let mut bytes = stl::to_binary_stl(&cube());
    for count in [0u32, 1, 11, 13, 1_000_000, u32::MAX] {
        bytes[80..84].copy_from_slice(&count.to_le_bytes());
        assert!(
            matches!(parse(&bytes), Err(QuoteError::SizeMismatch { .. })),
            "count {count}"
        );
    }
}

#[test]
fn every_non_finite_coordinate_is_refused_wherever_it_is() {
    let clean = stl::to_binary_stl(&cube());
    for triangle in 0..12 {
        for coordinate in 0..9 {
            let mut bytes = clean.clone();
            let at = 84 + 50 * triangle + 12 + 4 * coordinate;
            bytes[at..at + 4].copy_from_slice(&f32::INFINITY.to_le_bytes());
            assert!(
                matches!(parse(&bytes), Err(QuoteError::NonFinite { triangle: t }) if t == triangle as u64),
                "triangle {triangle}, coordinate {coordinate}"
            );
        }
    }
}

#[test]
fn an_empty_mesh_is_refused_in_both_formats() {
    assert!(matches!(
        parse(&stl::to_binary_stl(&[])),
        Err(QuoteError::EmptyMesh)
    ));
    assert!(matches!(
        parse(&stl::to_ascii_stl("none", &[])),
        Err(QuoteError::EmptyMesh)
    ));
}

#[test]
fn a_binary_header_starting_with_solid_is_still_binary() {
    let mut bytes = stl::to_binary_stl(&cube());
    bytes[..30].copy_from_slice(b"solid part exported by CADtool");
    let soup = parse(&bytes).expect("binary");
    assert_eq!(soup.format(), StlFormat::Binary);
    assert_eq!(PartAnalysis::of(&soup).measurements.volume_mm3, 1000.0);
}

#[test]
fn files_that_are_not_stl_at_all_are_refused() {
    let cases: [&[u8]; 5] = [
        b"<html><body>404</body></html>",
        b"PK\x03\x04 a zip archive",
        b"\x89PNG\r\n\x1a\n",
        b"solid",
        b"   \n\t  ",
    ];
    for bytes in cases {
        assert!(
            parse(bytes).is_err(),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// xorshift64*: deterministic pseudo-random numbers, no dependency.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random edit: flip bits, overwrite, insert, delete, truncate or duplicate a span.
fn mutate(bytes: &mut Vec<u8>, noise: &mut Noise) {
    let len = bytes.len();
    match noise.below(6) {
        // An empty file has no byte to flip or overwrite.
        0 => {
            let i = noise.below(len);
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << noise.below(8);
            }
        }
        1 => {
            let i = noise.below(len);
            let value = [0u8, 0xff, b' ', b'\n', b'-', b'e', b'9', 0x7f, 0x80][noise.below(9)];
            if let Some(b) = bytes.get_mut(i) {
                *b = value;
            }
        }
        2 => {
            let i = noise.below(len + 1);
            bytes.insert(i, noise.next() as u8);
        }
        3 if len > 0 => {
            bytes.remove(noise.below(len));
        }
        4 => bytes.truncate(noise.below(len + 1)),
        _ => {
            let start = noise.below(len);
            let end = (start + noise.below(64)).min(len);
            let span = bytes[start..end].to_vec();
            let at = noise.below(len + 1);
            bytes.splice(at..at, span);
        }
    }
}

#[test]
fn thousands_of_mutated_uploads_are_refused_or_measured_and_quoted_sanely() {
    let seeds = [
        stl::to_binary_stl(&cube()),
        stl::to_ascii_stl("cube", &cube()),
        stl::to_ascii_stl("tetra", &shapes::tetrahedron_of(7.0)),
        stl::to_binary_stl(&shapes::cylinder(5.0, 3.0, 12)),
    ];
    let bed = BuildVolume {
        x_mm: 250.0,
        y_mm: 210.0,
        z_mm: 220.0,
    };
    let prices = PriceList::standard();
    let request = QuoteRequest {
        material: "PLA".into(),
        settings: PrintSettings::standard(Process::Fdm, 20).expect("valid"),
        quantity: Quantity::new(3).expect("valid"),
        slicer: SlicerMode::Off,
    };
    let now = Utc::now();
    let mut noise = Noise(0x5eed_cafe_f00d_d00d);
    let (mut accepted, mut refused) = (0, 0);
    for seed in &seeds {
        for _ in 0..2_500 {
            let mut bytes = seed.clone();
            for _ in 0..=noise.below(4) {
                mutate(&mut bytes, &mut noise);
            }
            match parse(&bytes) {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    refused += 1;
                }
                Ok(soup) => {
                    accepted += 1;
                    let analysis = PartAnalysis::of(&soup);
                    let m = &analysis.measurements;
                    assert_eq!(m.triangles as usize, soup.len());
                    assert!(m.area_mm2 >= 0.0 && m.volume_mm3 >= 0.0);
                    assert!(m.shells >= 1 && m.vertices <= 3 * m.triangles);
                    let _ = analysis.fit(&bed);
                    // The rest of the pipeline, too: a quote or a reason, never a panic.
                    match makrx_quoting::quote(&bytes, &request, &prices, &Limits::default(), now) {
                        Ok(q) => assert!(q.price.total_minor >= q.price.setup_fee_minor),
                        Err(e) => assert!(!e.to_string().is_empty()),
                    }
                }
            }
        }
    }
    // Both outcomes must have been exercised for the sweep to mean anything.
    assert!(
        accepted > 100 && refused > 100,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn quoting_a_file_gives_what_quoting_its_bytes_gives() {
    // `quote_file` measures a well-formed binary file as it reads it and reads anything
    // else whole: either way, the quote or the error must be the one `quote` gives.
    let seeds = [
        stl::to_binary_stl(&cube()),
        stl::to_ascii_stl("cube", &cube()),
        stl::to_binary_stl(&shapes::cylinder(5.0, 3.0, 12)),
        // Over 4,096 triangles: more than one block of the file.
        stl::to_binary_stl(&shapes::torus(30.0, 8.0, 100, 50)),
        // Too large for any resin printer, and for the FDM one as modelled.
        stl::to_binary_stl(&shapes::cuboid([0.0; 3], [240.0, 10.0, 230.0])),
    ];
    let prices = PriceList::standard();
    let request = |material: &str, process, slicer| QuoteRequest {
        material: material.into(),
        settings: PrintSettings::standard(process, 20).expect("valid"),
        quantity: Quantity::new(3).expect("valid"),
        slicer,
    };
    let missing_slicer = SlicerMode::Auto(makrx_quoting::SlicerConfig {
        program: "/nonexistent/prusa-slicer".into(),
        timeout: std::time::Duration::from_secs(5),
        profile: None,
    });
    let requests = [
        request("PLA", Process::Fdm, SlicerMode::Off),
        request("resin", Process::Resin, missing_slicer.clone()),
        request("PLA", Process::Fdm, missing_slicer),
        request("unobtainium", Process::Fdm, SlicerMode::Off),
    ];
    let limits = [
        Limits::default(),
        Limits {
            max_triangles: 12,
            ..Limits::default()
        },
        Limits {
            max_file_bytes: 683,
            ..Limits::default()
        },
    ];
    let now = Utc::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("part.stl");
    let mut noise = Noise(0xf11e_5eed_0000_0001);
    let mut quoted = 0;
    for (s, seed) in seeds.iter().enumerate() {
        for round in 0..200 {
            let mut bytes = seed.clone();
            // The seed itself every other round, mutations of it in between.
            if round % 2 == 1 {
                for _ in 0..=noise.below(3) {
                    mutate(&mut bytes, &mut noise);
                }
            }
            std::fs::write(&path, &bytes).expect("write");
            let request = &requests[(s + round) % requests.len()];
            // Mostly the default limits, which the seeds are within.
            let limits = &limits[(round % 7).saturating_sub(4)];
            // What a caller that reads the file whole gets.
            let from_bytes = stl::read_file(&path, limits)
                .and_then(|bytes| makrx_quoting::quote(&bytes, request, &prices, limits, now));
            let from_file = makrx_quoting::quote_file(&path, request, &prices, limits, now);
            match (from_bytes, from_file) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "seed {s}, round {round}");
                    quoted += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a.to_string(), b.to_string(), "seed {s}, round {round}")
                }
                (a, b) => panic!("seed {s}, round {round}: bytes {a:?}, file {b:?}"),
            }
        }
    }
    assert!(quoted > 100, "{quoted}");
    let missing = dir.path().join("missing.stl");
    let request = &requests[0];
    assert_eq!(
        makrx_quoting::quote_file(&missing, request, &prices, &limits[0], now)
            .expect_err("missing")
            .to_string(),
        stl::read_file(&missing, &limits[0])
            .expect_err("missing")
            .to_string()
    );
}
