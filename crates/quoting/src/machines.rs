//! The machines parts are printed on: their size and what an hour of them costs.

use serde::{Deserialize, Serialize};

use crate::error::QuoteError;
use crate::fit::BuildVolume;
use crate::materials::Process;

/// A printer on the price list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Model name, as staff know it.
    pub name: String,
    /// What it prints.
    pub process: Process,
    /// Its printable volume.
    pub build_volume: BuildVolume,
    /// What an hour of printing costs, in minor units: power, wear, staff attention.
    pub hourly_rate_minor: i64,
}

/// The makerspace's standard machines, priced in Indian paise.
pub fn standard_machines() -> Vec<Machine> {
    vec![
        Machine {
            name: "Prusa MK4".to_owned(),
            process: Process::Fdm,
            build_volume: BuildVolume {
                x_mm: 250.0,
                y_mm: 210.0,
                z_mm: 220.0,
            },
            hourly_rate_minor: 15_000,
        },
        Machine {
            name: "Formlabs Form 3+".to_owned(),
            process: Process::Resin,
            build_volume: BuildVolume {
                x_mm: 145.0,
                y_mm: 145.0,
                z_mm: 185.0,
            },
            hourly_rate_minor: 40_000,
        },
    ]
}

/// The machines that print `process`, in price-list order.
pub(crate) fn for_process(
    machines: &[Machine],
    process: Process,
) -> Result<Vec<&Machine>, QuoteError> {
    let found: Vec<_> = machines.iter().filter(|m| m.process == process).collect();
    if found.is_empty() {
        return Err(QuoteError::NoMachine {
            process: process.to_string(),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_a_standard_machine_for_each_process() {
        let machines = standard_machines();
        for process in [Process::Fdm, Process::Resin] {
            assert_eq!(
                for_process(&machines, process).map(|m| m.len()).ok(),
                Some(1)
            );
        }
    }

    #[test]
    fn a_process_without_a_machine_is_an_error() {
        let fdm_only: Vec<_> = standard_machines()
            .into_iter()
            .filter(|m| m.process == Process::Fdm)
            .collect();
        assert!(matches!(
            for_process(&fdm_only, Process::Resin),
            Err(QuoteError::NoMachine { .. })
        ));
    }
}
