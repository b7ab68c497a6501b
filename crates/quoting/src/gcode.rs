//! The figures PrusaSlicer writes as comments at the end of its G-code:
//!
//! ```text
//! ; filament used [g] = 4.01
//! ; estimated printing time (normal mode) = 1d 2h 3m 4s
//! ```

use std::io::BufRead;

use crate::error::QuoteError;

/// What the slicer says one copy needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlicedPrint {
    /// Printing time in normal mode, seconds.
    pub print_time_s: f64,
    /// Filament, grams (summed over extruders).
    pub material_g: f64,
}

/// Reads the summary comments from a G-code stream.
pub(crate) fn summary(gcode: impl BufRead) -> Result<SlicedPrint, QuoteError> {
    let mut grams = None;
    let mut seconds = None;
    for line in gcode.split(b'\n') {
        let line =
            line.map_err(|e| QuoteError::SlicerFailed(format!("reading its G-code: {e}")))?;
        // Only comment lines matter; G-code moves are skipped without decoding.
        if line.first() != Some(&b';') {
            continue;
        }
        let Ok(line) = std::str::from_utf8(&line) else {
            continue;
        };
        if let Some(value) = field(line, "filament used [g]") {
            grams = Some(parse_grams(value)?);
        } else if let Some(value) = field(line, "estimated printing time (normal mode)") {
            seconds = Some(parse_duration(value).ok_or_else(|| {
                QuoteError::SlicerFailed(format!("unreadable printing time {value:?}"))
            })?);
        }
    }
    match (seconds, grams) {
        (Some(print_time_s), Some(material_g)) => Ok(SlicedPrint {
            print_time_s,
            material_g,
        }),
        _ => Err(QuoteError::SlicerFailed(
            "its G-code has no printing time or filament weight".to_owned(),
        )),
    }
}

/// The value of a `; NAME = VALUE` comment named `name`.
fn field<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(';')?.trim_start().strip_prefix(name)?;
    Some(rest.trim_start().strip_prefix('=')?.trim())
}

/// Grams, possibly one figure per extruder separated by commas.
fn parse_grams(value: &str) -> Result<f64, QuoteError> {
    let mut total = 0.0;
    for part in value.split(',') {
        let grams: f64 = part.trim().parse().map_err(|_| {
            QuoteError::SlicerFailed(format!("unreadable filament weight {value:?}"))
        })?;
        if !grams.is_finite() || grams < 0.0 {
            return Err(QuoteError::SlicerFailed(format!(
                "impossible filament weight {value:?}"
            )));
        }
        total += grams;
    }
    Ok(total)
}

/// Seconds in a duration written like `1d 2h 3m 4s`, `19m 11s` or `45s`.
pub(crate) fn parse_duration(text: &str) -> Option<f64> {
    let mut total = 0u64;
    let mut any = false;
    for part in text.split_whitespace() {
        let unit = part.chars().last()?;
        let count: u64 = part[..part.len() - unit.len_utf8()].parse().ok()?;
        let scale = match unit {
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(count.checked_mul(scale)?)?;
        any = true;
    }
    any.then_some(total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_days_hours_minutes_and_seconds_are_read() {
        assert_eq!(parse_duration("19m 11s"), Some(1151.0));
        assert_eq!(parse_duration("1h 2m 3s"), Some(3723.0));
        assert_eq!(parse_duration("2d 0h 0m 1s"), Some(172_801.0));
        assert_eq!(parse_duration("45s"), Some(45.0));
    }

    #[test]
    fn malformed_durations_are_refused() {
        for bad in ["", "soon", "5x", "m", "-3s", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_summary_is_read_from_prusaslicer_comments() {
        let gcode = "G1 X1 Y1\n; filament used [mm] = 1344.30\n; filament used [g] = 4.01\n\
                     ; total filament used [g] = 4.01\n; estimated printing time (normal mode) = 18m 40s\n";
        let print = summary(gcode.as_bytes()).expect("summary");
        assert_eq!(print.material_g, 4.01);
        assert_eq!(print.print_time_s, 1120.0);
    }

    #[test]
    fn grams_for_several_extruders_are_added() {
        let gcode =
            "; filament used [g] = 1.5, 2.25\n; estimated printing time (normal mode) = 1m\n";
        assert_eq!(
            summary(gcode.as_bytes()).map(|p| p.material_g).ok(),
            Some(3.75)
        );
    }

    #[test]
    fn gcode_without_the_summary_is_a_slicer_failure() {
        let err = summary("G28\nG1 X10\n".as_bytes()).expect_err("no summary");
        assert!(matches!(err, QuoteError::SlicerFailed(_)));
    }

    #[test]
    fn binary_junk_in_gcode_is_skipped() {
        let mut gcode = b";\xff\xfe junk\n".to_vec();
        gcode.extend_from_slice(
            b"; filament used [g] = 2\n; estimated printing time (normal mode) = 3s\n",
        );
        assert!(summary(gcode.as_slice()).is_ok());
    }
}
