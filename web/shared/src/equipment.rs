//! Machines and their status, as every app shows them, and the live feed of status changes.

use graphql_client::GraphQLQuery;
use serde::{Deserialize, Serialize};

/// Whether a machine can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EquipmentStatus {
    /// Free to book or use.
    Available,
    /// Someone is using it.
    InUse,
    /// Being serviced; back soon.
    Maintenance,
    /// Broken until repaired.
    OutOfOrder,
    /// A status this build does not know yet: shown, not fatal.
    #[serde(other)]
    Unknown,
}

impl EquipmentStatus {
    /// The status in a makerspace's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Available => "Available",
            Self::InUse => "In use",
            Self::Maintenance => "Maintenance",
            Self::OutOfOrder => "Out of order",
            Self::Unknown => "Unknown",
        }
    }

    /// The CSS modifier that colours its badge.
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Available => "status--available",
            Self::InUse => "status--in-use",
            Self::Maintenance => "status--maintenance",
            Self::OutOfOrder => "status--out-of-order",
            Self::Unknown => "status--unknown",
        }
    }
}

/// The RFC 3339 timestamps of the API, kept as text until a page needs more.
type DateTime = String;

/// Every status change of a makerspace's machines as it happens.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/equipment_status_changed.graphql",
    extern_enums("EquipmentStatus"),
    variables_derives = "Debug, Clone, PartialEq",
    response_derives = "Debug, Clone, PartialEq"
)]
pub struct EquipmentStatusChanged;

crate::resumable!(EquipmentStatusChanged, equipment_status_changed);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscription::Resumable;

    #[test]
    fn a_status_this_build_does_not_know_is_unknown_rather_than_an_error() {
        let status: EquipmentStatus =
            serde_json::from_str(r#""ON_FIRE""#).expect("any status string");

        assert_eq!(status, EquipmentStatus::Unknown);
    }

    #[test]
    fn statuses_read_as_the_api_spells_them() {
        let status: EquipmentStatus = serde_json::from_str(r#""OUT_OF_ORDER""#).expect("a status");

        assert_eq!(status, EquipmentStatus::OutOfOrder);
    }

    #[test]
    fn resuming_asks_for_what_came_after_the_last_change_seen() {
        let variables = equipment_status_changed::Variables {
            makerspace_id: "space".into(),
            after: None,
        };

        let resumed = EquipmentStatusChanged::resume_after(&variables, Some("42".into()));

        assert_eq!(resumed.after.as_deref(), Some("42"));
        assert_eq!(resumed.makerspace_id, "space");
    }
}
