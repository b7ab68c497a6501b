//! What the gateway's pages show, as plain data: the services turn API answers into these, and
//! the components (and their tests) need nothing else.

use makrx_web::equipment::EquipmentStatus;

/// A makerspace as the network's list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MakerspaceSummary {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its address in URLs.
    pub slug: String,
    /// Where it is; may be empty.
    pub location: String,
    /// How many machines it has.
    pub equipment_count: usize,
}

/// The network's makerspaces, as far as they have been loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Directory {
    /// Those loaded so far, oldest first.
    pub spaces: Vec<MakerspaceSummary>,
    /// How many there are in all.
    pub total: usize,
    /// The cursor to load the next page from, when there is one.
    pub next_page: Option<String>,
}

/// A makerspace's own page.
#[derive(Debug, Clone, PartialEq)]
pub struct MakerspaceDetail {
    /// Its API id (what its status feed is keyed by).
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is about.
    pub description: String,
    /// Where it is; may be empty.
    pub location: String,
    /// Who runs it.
    pub owner_name: String,
    /// Its machines, by name.
    pub equipment: Vec<Machine>,
}

/// A machine of a makerspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// Its API id.
    pub id: String,
    /// Its name in the space (`Prusa MK4 #2`).
    pub name: String,
    /// What sort of machine it is (`3D printer`).
    pub kind: String,
    /// Whether it can be used now, as last heard.
    pub status: EquipmentStatus,
}
