//! A quote as a person reads it in a terminal: the part, the print, and the price line
//! by line.

use std::fmt;

use crate::estimate::EstimateSource;
use crate::quote::Quote;

impl fmt::Display for Quote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.part;
        let p = &self.price;
        let money = Money;
        let [x, y, z] = m.bbox_mm;
        writeln!(f, "Part")?;
        writeln!(f, "  triangles         {}", m.triangles)?;
        writeln!(f, "  volume            {:.1} mm³", m.volume_mm3)?;
        writeln!(f, "  surface           {:.1} mm²", m.area_mm2)?;
        writeln!(f, "  bounding box      {x:.1} x {y:.1} x {z:.1} mm")?;
        writeln!(f, "  watertight        {}", yes_no(m.watertight))?;
        writeln!(f, "  shells            {}", m.shells)?;
        writeln!(f, "Print")?;
        writeln!(
            f,
            "  material          {} ({}) on {}",
            self.material, self.process, self.machine
        )?;
        writeln!(
            f,
            "  placement         {:?} up, turned {:.0}°",
            self.placement.up, self.placement.turn_deg
        )?;
        writeln!(
            f,
            "  settings          {}% infill, {} walls, {} mm layers",
            self.settings.infill_percent(),
            self.settings.walls(),
            self.settings.layer_height_mm()
        )?;
        let source = match self.provenance.source {
            EstimateSource::Slicer => "PrusaSlicer".to_owned(),
            EstimateSource::Estimate => match &self.provenance.fallback_reason {
                Some(reason) => format!("estimate ({reason})"),
                None => "estimate".to_owned(),
            },
        };
        writeln!(f, "  time and material {source}")?;
        writeln!(
            f,
            "  per copy          {} and {:.1} g",
            Duration(self.estimate.print_time_s),
            self.estimate.material_g
        )?;
        writeln!(f, "Price ({})", p.currency)?;
        writeln!(
            f,
            "  material          {:>12}  {:.3} kg at {} per kg",
            money(p.material_per_part_minor),
            p.material_mg_per_part as f64 / 1e6,
            money(p.material_price_per_kg_minor)
        )?;
        writeln!(
            f,
            "  machine time      {:>12}  {:.2} h at {} per hour",
            money(p.machine_per_part_minor),
            p.machine_seconds_per_part as f64 / 3600.0,
            money(p.machine_hourly_rate_minor)
        )?;
        writeln!(
            f,
            "  per copy          {:>12}",
            money(p.cost_per_part_minor)
        )?;
        writeln!(
            f,
            "  x {:<15} {:>12}",
            p.quantity,
            money(p.production_minor)
        )?;
        if p.quantity_discount_minor != 0 {
            writeln!(
                f,
                "  quantity discount {:>12}  {}%",
                money(-p.quantity_discount_minor),
                Percent(p.quantity_discount_bp)
            )?;
        }
        writeln!(
            f,
            "  markup            {:>12}  {}%",
            money(p.markup_minor),
            Percent(p.markup_bp)
        )?;
        writeln!(f, "  setup fee         {:>12}", money(p.setup_fee_minor))?;
        writeln!(f, "  total             {:>12}", money(p.total_minor))?;
        writeln!(
            f,
            "Valid until {}",
            self.expires_at.format("%Y-%m-%d %H:%M UTC")
        )?;
        for warning in &self.warnings {
            writeln!(f, "Warning: {warning}")?;
        }
        Ok(())
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// Minor units shown as major units with two decimals (the currencies quoted here have two).
struct Money(i64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        f.pad(&format!("{sign}{}.{:02}", abs / 100, abs % 100))
    }
}

/// Basis points as a percentage.
struct Percent(u32);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(100) {
            write!(f, "{}", self.0 / 100)
        } else {
            write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
        }
    }
}

/// Seconds as hours, minutes and seconds.
struct Duration(f64);

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0.max(0.0).round() as u64;
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        if h > 0 {
            write!(f, "{h}h {m:02}m {s:02}s")
        } else {
            write!(f, "{m}m {s:02}s")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Limits, PriceList, PrintSettings, Quantity, QuoteRequest, SlicerMode, materials::Process,
        shapes, stl,
    };

    #[test]
    fn money_shows_two_decimals_and_a_sign() {
        assert_eq!(Money(43_760).to_string(), "437.60");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(format!("{:>8}", Money(100)), "    1.00");
    }

    #[test]
    fn durations_read_as_hours_minutes_seconds() {
        assert_eq!(Duration(3723.0).to_string(), "1h 02m 03s");
        assert_eq!(Duration(59.6).to_string(), "1m 00s");
    }

    #[test]
    fn percents_drop_zero_decimals() {
        assert_eq!(Percent(2000).to_string(), "20");
        assert_eq!(Percent(1250).to_string(), "12.50");
    }

    #[test]
    fn a_quote_reads_with_its_total_and_expiry() {
        let stl = stl::to_binary_stl(&shapes::cuboid([0.0; 3], [20.0; 3]));
        let request = QuoteRequest {
            material: "PLA".into(),
            settings: PrintSettings::standard(Process::Fdm, 20).expect("valid"),
            quantity: Quantity::new(10).expect("valid"),
            slicer: SlicerMode::Off,
        };
        let now = chrono::DateTime::UNIX_EPOCH;
        let q = crate::quote(
            &stl,
            &request,
            &PriceList::standard(),
            &Limits::default(),
            now,
        )
        .expect("quoted");
        let text = q.to_string();
        assert!(
            text.contains("bounding box      20.0 x 20.0 x 20.0 mm"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "total             {:>12}",
                Money(q.price.total_minor)
            )),
            "{text}"
        );
        assert!(text.contains("quantity discount"), "{text}");
        assert!(text.contains("Valid until 1970-01-08 00:00 UTC"), "{text}");
        assert!(text.contains("estimate (slicer turned off)"), "{text}");
    }
}
