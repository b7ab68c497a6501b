//! `makrx quote` run as a person runs it: a file in, a quote or a reason out.

use std::path::PathBuf;
use std::process::{Command, Output};

use makrx_quoting::{shapes, stl};

/// Writes `bytes` to a file of this test's own and returns its path.
fn part_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("quote_cli");
    std::fs::create_dir_all(&dir).expect("create test directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write part");
    path
}

fn cube_stl(side: f32) -> Vec<u8> {
    stl::to_binary_stl(&shapes::cuboid([0.0; 3], [side; 3]))
}

fn makrx_quote(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_makrx"))
        .arg("quote")
        .args(args)
        .output()
        .expect("run makrx")
}

/// What the command wrote to stderr, to search or show, even if it is not UTF-8.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_json_quote_of_a_cube_has_the_keys_the_store_reads() {
    let part = part_file("cube20.stl", &cube_stl(20.0));
    let out = makrx_quote(&[
        part.to_str().expect("utf-8 path"),
        "--json",
        "--slicer",
        "off",
    ]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));

    let quote: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(quote["triangles"], 12);
    assert_eq!(quote["volume_mm3"], 8000.0);
    assert_eq!(quote["area_mm2"], 2400.0);
    assert_eq!(quote["bbox_mm"], serde_json::json!([20.0, 20.0, 20.0]));
    assert_eq!(quote["watertight"], true);
    assert_eq!(quote["shells"], 1);
    assert!(
        quote["price"]["total_minor"]
            .as_i64()
            .is_some_and(|t| t > 0)
    );
    assert_eq!(quote["price"]["currency"], "INR");
    assert_eq!(quote["provenance"]["source"], "estimate");
}

#[test]
fn options_for_material_infill_and_quantity_reach_the_quote() {
    let part = part_file("cube30.stl", &cube_stl(30.0));
    let path = part.to_str().expect("utf-8 path");
    let args = [
        "--json",
        "--slicer",
        "off",
        "--material",
        "PETG",
        "--infill",
        "50",
        "--quantity",
        "10",
    ];
    let out = makrx_quote(&[&[path][..], &args[..]].concat());
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let quote: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(quote["material"], "PETG");
    assert_eq!(quote["settings"]["infill_percent"], 50);
    assert_eq!(quote["price"]["quantity"], 10);
    assert_eq!(quote["price"]["quantity_discount_bp"], 1000);
}

#[test]
fn an_ascii_part_is_quoted_as_a_table_by_default() {
    let ascii = stl::to_ascii_stl("tetra", &shapes::tetrahedron_of(30.0));
    let part = part_file("tetra.stl", &ascii);
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--slicer", "off"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let table = String::from_utf8(out.stdout).expect("a table in UTF-8");
    assert!(table.contains("total"), "{table}");
    assert!(table.contains("4500.0 mm³"), "{table}");
}

#[test]
fn the_slicer_is_used_when_installed_or_the_fallback_is_named() {
    let part = part_file("cube15.stl", &cube_stl(15.0));
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--json"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let quote: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    match quote["provenance"]["source"].as_str() {
        Some("slicer") => assert!(quote["provenance"].get("fallback_reason").is_none()),
        Some("estimate") => assert!(quote["provenance"]["fallback_reason"].is_string()),
        other => panic!("unexpected source {other:?}"),
    }
}

#[test]
fn a_part_too_big_for_every_machine_prints_its_measures_and_fails() {
    let part = part_file("cube400.stl", &cube_stl(400.0));
    let out = makrx_quote(&[
        part.to_str().expect("utf-8 path"),
        "--json",
        "--slicer",
        "off",
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("400.0 mm in z its 220 mm height"), "{err}");
    let misfit: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(misfit["triangles"], 12);
    assert_eq!(misfit["volume_mm3"], 64_000_000.0);
    assert_eq!(misfit["bbox_mm"], serde_json::json!([400.0, 400.0, 400.0]));
    assert_eq!(misfit["watertight"], true);
    assert!(misfit.get("price").is_none());
    assert_eq!(misfit["machines"][0]["machine"], "Prusa MK4");
    assert!(
        misfit["machines"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("400.0 mm in x exceeds the Prusa MK4's 250 mm width")),
        "{misfit}"
    );
}

#[test]
fn a_part_too_big_without_json_fails_with_the_reason_only() {
    let part = part_file("cube401.stl", &cube_stl(401.0));
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--slicer", "off"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("fits no FDM machine"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_truncated_file_fails_with_the_reason_on_stderr() {
    let mut bytes = cube_stl(20.0);
    bytes.truncate(bytes.len() - 20);
    let part = part_file("truncated.stl", &bytes);
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--slicer", "off"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn a_text_file_that_is_not_stl_fails_with_the_reason() {
    let part = part_file("notes.stl", b"these are my notes, not a part\n");
    let out = makrx_quote(&[part.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not an STL file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_file_with_nan_coordinates_fails_with_the_reason() {
    let mut bytes = cube_stl(20.0);
    bytes[84 + 12..84 + 16].copy_from_slice(&f32::NAN.to_le_bytes());
    let part = part_file("nan.stl", &bytes);
    let out = makrx_quote(&[part.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a finite number"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_file_fails_naming_it() {
    let out = makrx_quote(&["/nonexistent/part.stl"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("/nonexistent/part.stl"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unknown_material_fails_listing_the_known_ones() {
    let part = part_file("cube10.stl", &cube_stl(10.0));
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--material", "gold"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("PLA, PETG"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn infill_over_a_hundred_is_refused_by_the_command_line() {
    let part = part_file("cube11.stl", &cube_stl(11.0));
    let out = makrx_quote(&[part.to_str().expect("utf-8 path"), "--infill", "150"]);
    assert!(!out.status.success());
}
