//! Slicing with PrusaSlicer's command line, when it is installed, for the real print
//! time and filament. The slicer runs in a temporary directory, with its own empty
//! settings directory, its output in files (a full pipe cannot stall it), and a
//! deadline after which it is killed.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::QuoteError;
use crate::fit::{Axis, Placement};
use crate::gcode::{self, SlicedPrint};
use crate::machines::Machine;
use crate::materials::Material;
use crate::settings::PrintSettings;
use crate::stl::TriangleSoup;

/// Which slicer to run and for how long at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlicerConfig {
    /// The PrusaSlicer executable, looked up on `PATH` when it has no directory.
    pub program: PathBuf,
    /// How long slicing may take before it is stopped and the estimate used.
    pub timeout: Duration,
    /// A PrusaSlicer config (`.ini`) for the makerspace's printer, loaded before the
    /// quote's own options; without one, PrusaSlicer's built-in defaults apply (those
    /// the estimate was calibrated against).
    pub profile: Option<PathBuf>,
}

impl Default for SlicerConfig {
    /// `prusa-slicer` from `PATH`, 60 seconds.
    fn default() -> Self {
        Self {
            program: PathBuf::from("prusa-slicer"),
            timeout: Duration::from_secs(60),
            profile: None,
        }
    }
}

/// Nozzle and filament the FDM machines use.
const NOZZLE_MM: f64 = 0.4;
const FILAMENT_MM: f64 = 1.75;

/// Slices one copy of the part, placed as `placement` says, on `machine`.
pub fn slice(
    soup: &TriangleSoup<'_>,
    placement: &Placement,
    machine: &Machine,
    material: &Material,
    settings: &PrintSettings,
    config: &SlicerConfig,
) -> Result<SlicedPrint, QuoteError> {
    let failed = |what: &str, e: std::io::Error| QuoteError::SlicerFailed(format!("{what}: {e}"));
    let dir = tempfile::Builder::new()
        .prefix("makrx-slice-")
        .tempdir()
        .map_err(|e| failed("creating a working directory", e))?;
    let part = dir.path().join("part.stl");
    let output = dir.path().join("part.gcode");
    std::fs::write(&part, soup.to_binary_stl()).map_err(|e| failed("writing the part", e))?;
    let log = dir.path().join("slicer.log");
    let log_file = File::create(&log).map_err(|e| failed("creating its log", e))?;
    let log_copy = log_file
        .try_clone()
        .map_err(|e| failed("creating its log", e))?;

    let mut command = Command::new(&config.program);
    if let Some(profile) = &config.profile {
        command.arg("--load").arg(profile);
    }
    command
        .args(arguments(
            dir.path(),
            placement,
            machine,
            material,
            settings,
        ))
        .arg("--output")
        .arg(&output)
        .arg(&part)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_copy);
    let status = run_with_deadline(&mut command, config)?;
    if !status.success() {
        return Err(QuoteError::SlicerFailed(format!(
            "it exited with {status}: {}",
            log_tail(&log)
        )));
    }
    let gcode = File::open(&output).map_err(|e| failed("opening its G-code", e))?;
    gcode::summary(BufReader::new(gcode))
}

/// PrusaSlicer's options for the quote's settings and the machine.
fn arguments(
    dir: &Path,
    placement: &Placement,
    machine: &Machine,
    material: &Material,
    settings: &PrintSettings,
) -> Vec<String> {
    let bed = machine.build_volume;
    let layer = settings.layer_height_mm();
    let mut args = vec![
        "--loglevel=1".to_owned(),
        format!("--datadir={}", dir.join("settings").display()),
        "--export-gcode".to_owned(),
        format!("--layer-height={layer}"),
        format!("--first-layer-height={layer}"),
        format!("--perimeters={}", settings.walls()),
        format!("--top-solid-layers={}", settings.top_bottom_layers()),
        format!("--bottom-solid-layers={}", settings.top_bottom_layers()),
        format!("--fill-density={}%", settings.infill_percent()),
        format!("--nozzle-diameter={NOZZLE_MM}"),
        format!("--filament-diameter={FILAMENT_MM}"),
        format!("--filament-density={}", material.density_g_cm3),
        format!(
            "--bed-shape=0x0,{x}x0,{x}x{y},0x{y}",
            x = bed.x_mm,
            y = bed.y_mm
        ),
        format!("--max-print-height={}", bed.z_mm),
        format!("--center={},{}", bed.x_mm / 2.0, bed.y_mm / 2.0),
    ];
    // Stand the part on the chosen axis, then turn it on the bed.
    match placement.up {
        Axis::Z => {}
        Axis::Y => args.push("--rotate-x=90".to_owned()),
        Axis::X => args.push("--rotate-y=90".to_owned()),
    }
    if placement.turn_deg != 0.0 {
        args.push(format!("--rotate={}", placement.turn_deg));
    }
    args
}

/// Runs `command` to completion, or kills it at the deadline.
fn run_with_deadline(
    command: &mut Command,
    config: &SlicerConfig,
) -> Result<std::process::ExitStatus, QuoteError> {
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => QuoteError::SlicerMissing {
            program: config.program.clone(),
        },
        _ => QuoteError::SlicerFailed(format!("starting {}: {e}", config.program.display())),
    })?;
    let deadline = Instant::now() + config.timeout;
    // std has no wait-with-timeout; poll, backing off from 1 ms to 50 ms.
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(QuoteError::SlicerFailed(format!("waiting for it: {e}")));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            // Kill, then reap, so no zombie or runaway slicer outlives the quote.
            let _ = child.kill();
            let _ = child.wait();
            return Err(QuoteError::SlicerTimedOut {
                timeout: config.timeout,
            });
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// The last line or so of the slicer's log, to say why it failed.
fn log_tail(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(file) = File::open(log) {
        let _ = file.take(64 * 1024).read_to_string(&mut text);
    }
    let tail: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(2)
        .collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    let joined = tail.join(" / ");
    if joined.is_empty() {
        "no message".to_owned()
    } else {
        joined.chars().take(300).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::analysis::PartAnalysis;
    use crate::machines::standard_machines;
    use crate::materials::{Process, standard_materials};
    use crate::shapes;
    use crate::stl::{Limits, to_binary_stl};

    struct Job {
        bytes: Vec<u8>,
        machine: Machine,
        material: Material,
        settings: PrintSettings,
    }

    fn cube_job(side: f32) -> Job {
        Job {
            bytes: to_binary_stl(&shapes::cuboid([0.0; 3], [side; 3])),
            machine: standard_machines().swap_remove(0),
            material: standard_materials().swap_remove(0),
            settings: PrintSettings::standard(Process::Fdm, 20).expect("valid"),
        }
    }

    impl Job {
        fn slice(&self, config: &SlicerConfig) -> Result<SlicedPrint, QuoteError> {
            let soup = TriangleSoup::parse(&self.bytes, &Limits::default()).expect("valid");
            let placement = PartAnalysis::of(&soup)
                .fit(&self.machine.build_volume)
                .expect("fits");
            slice(
                &soup,
                &placement,
                &self.machine,
                &self.material,
                &self.settings,
                config,
            )
        }
    }

    /// A shell script standing in for the slicer. Spawned once before use: a script just
    /// written can briefly be "text file busy" while other test threads fork.
    fn fake_slicer(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("fake-slicer");
        let script = format!("#!/bin/sh\nif [ \"$1\" = --probe ]; then exit 0; fi\n{body}\n");
        std::fs::write(&path, script).expect("write script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        for _ in 0..100 {
            match Command::new(&path).arg("--probe").status() {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("cannot run the fake slicer: {e}"),
            }
        }
        path
    }

    /// Shell that writes `gcode` to the file named after `--output`.
    fn writes_gcode(gcode: &str) -> String {
        format!(
            "out=\nfor a in \"$@\"; do if [ \"$prev\" = --output ]; then out=\"$a\"; fi; prev=\"$a\"; done\nprintf '{gcode}' > \"$out\""
        )
    }

    fn config(program: PathBuf, timeout: Duration) -> SlicerConfig {
        SlicerConfig {
            program,
            timeout,
            profile: None,
        }
    }

    #[test]
    fn a_missing_slicer_is_reported_as_missing() {
        let err = cube_job(10.0)
            .slice(&config(
                "/nonexistent/prusa-slicer".into(),
                Duration::from_secs(5),
            ))
            .expect_err("missing");
        assert!(matches!(err, QuoteError::SlicerMissing { .. }), "{err}");
    }

    #[test]
    fn a_slicer_that_hangs_is_killed_at_the_deadline() {
        let dir = tempfile::tempdir().expect("tempdir");
        let program = fake_slicer(dir.path(), "exec sleep 30");
        let started = Instant::now();
        let err = cube_job(10.0)
            .slice(&config(program, Duration::from_millis(300)))
            .expect_err("timed out");
        assert!(matches!(err, QuoteError::SlicerTimedOut { .. }), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn the_slicers_gcode_summary_becomes_the_figures() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gcode =
            "; filament used [g] = 12.5\\n; estimated printing time (normal mode) = 1h 2m 3s\\n";
        let program = fake_slicer(dir.path(), &writes_gcode(gcode));
        let print = cube_job(10.0)
            .slice(&config(program, Duration::from_secs(20)))
            .expect("sliced");
        assert_eq!(print.material_g, 12.5);
        assert_eq!(print.print_time_s, 3723.0);
    }

    #[test]
    fn a_printer_profile_is_loaded_before_the_quotes_options() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gcode = "; filament used [g] = 1\\n; estimated printing time (normal mode) = 1m\\n";
        let script = format!(
            "[ \"$1\" = --load ] && [ \"$2\" = /etc/mk4.ini ] || exit 3\n{}",
            writes_gcode(gcode)
        );
        let program = fake_slicer(dir.path(), &script);
        let config = SlicerConfig {
            profile: Some("/etc/mk4.ini".into()),
            ..config(program, Duration::from_secs(20))
        };
        assert!(cube_job(10.0).slice(&config).is_ok());
    }

    #[test]
    fn a_slicer_that_fails_says_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let program = fake_slicer(
            dir.path(),
            "echo 'Objects could not fit on the bed' >&2\nexit 1",
        );
        let err = cube_job(10.0)
            .slice(&config(program, Duration::from_secs(20)))
            .expect_err("failed");
        assert!(err.to_string().contains("could not fit"), "{err}");
    }

    #[test]
    fn arguments_stand_and_turn_the_part_as_placed() {
        let job = cube_job(10.0);
        let placement = Placement {
            up: Axis::X,
            turn_deg: 35.0,
            footprint_mm: [1.0, 1.0],
            height_mm: 1.0,
        };
        let args = arguments(
            Path::new("/tmp"),
            &placement,
            &job.machine,
            &job.material,
            &job.settings,
        );
        assert!(args.contains(&"--rotate-y=90".to_owned()), "{args:?}");
        assert!(args.contains(&"--rotate=35".to_owned()), "{args:?}");
        assert!(args.contains(&"--fill-density=20%".to_owned()), "{args:?}");
        assert!(
            args.contains(&"--filament-density=1.24".to_owned()),
            "{args:?}"
        );
    }

    /// Runs PrusaSlicer itself when it is installed (Debian package `prusa-slicer`).
    #[test]
    fn prusa_slicer_when_installed_slices_a_cube_into_plausible_figures() {
        let job = cube_job(20.0);
        match job.slice(&SlicerConfig::default()) {
            Ok(print) => {
                // 8 cm³ of part at 20% infill with a shell: between a fifth and all of it in PLA.
                assert!(
                    (8.0 * 1.24 * 0.2..=8.0 * 1.24 * 1.1).contains(&print.material_g),
                    "{print:?}"
                );
                assert!((60.0..7200.0).contains(&print.print_time_s), "{print:?}");
            }
            Err(QuoteError::SlicerMissing { .. }) => {
                eprintln!("prusa-slicer is not installed: only the fallback is tested");
            }
            Err(other) => panic!("prusa-slicer is installed but failed: {other}"),
        }
    }
}
