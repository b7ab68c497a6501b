//! Projects as their pages show them: files, and bills of materials with what the space holds
//! of each line, what a build costs and what more builds lack.

use serde::{Deserialize, Serialize};

use super::StockUnit;
use crate::time::money;

/// How far along a project is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProjectStatus {
    Idea,
    InProgress,
    Done,
    Archived,
    /// A status this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ProjectStatus {
    /// The statuses a project's form offers.
    pub const ALL: [Self; 4] = [Self::Idea, Self::InProgress, Self::Done, Self::Archived];

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Idea => "Idea",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Archived => "Archived",
            Self::Unknown => "Other",
        }
    }
}

/// Who sees a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProjectVisibility {
    Private,
    Space,
    Public,
    /// A visibility this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ProjectVisibility {
    /// The choices a new project's form offers.
    pub const ALL: [Self; 3] = [Self::Private, Self::Space, Self::Public];

    /// Who sees it, in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Private => "Only the people working on it",
            Self::Space => "The people of its space",
            Self::Public => "Anyone (listed in the community hub)",
            Self::Unknown => "Some people",
        }
    }
}

/// Someone's part in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProjectRole {
    Viewer,
    Editor,
    Owner,
    /// A role this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ProjectRole {
    /// The parts an owner gives others.
    pub const GIVEN: [Self; 2] = [Self::Editor, Self::Viewer];

    /// The part in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Editor => "Editor",
            Self::Viewer => "Viewer",
            Self::Unknown => "Other",
        }
    }
}

/// A project in a list of them.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSummary {
    pub id: String,
    pub title: String,
    pub status: ProjectStatus,
    pub visibility: ProjectVisibility,
    /// The name of the space it belongs to, when it belongs to one the person may see.
    pub space: Option<String>,
}

/// The signed-in person's projects, and the spaces a new one may belong to (API id, name).
#[derive(Debug, Clone, PartialEq)]
pub struct MyProjects {
    pub projects: Vec<ProjectSummary>,
    pub spaces: Vec<(String, String)>,
}

/// A project to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProject {
    pub title: String,
    /// The API id of the space it belongs to, if any.
    pub makerspace: Option<String>,
    pub visibility: ProjectVisibility,
}

/// A project's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: String,
    pub title: String,
    pub status: ProjectStatus,
    pub visibility: ProjectVisibility,
    pub tags: Vec<String>,
    /// Its description as written, in Markdown.
    pub description: String,
    /// Its description, rendered and made safe by the API.
    pub description_html: String,
    /// The person's part in it, if any.
    pub role: Option<ProjectRole>,
    /// Who works on it (user API id, name, part), the owner first.
    pub collaborators: Vec<(String, String, ProjectRole)>,
    /// The owner's name.
    pub owner: String,
    /// Its space (API id, name), when the person may see it.
    pub space: Option<(String, String)>,
    pub files: Vec<ProjectFile>,
    pub boms: Vec<Bom>,
}

impl Project {
    /// Whether the person may change it: its owner or an editor.
    pub fn editable(&self) -> bool {
        matches!(self.role, Some(ProjectRole::Owner | ProjectRole::Editor))
    }
}

/// A project's details as its form changes them.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectChanges {
    pub title: String,
    /// Markdown.
    pub description: String,
    pub status: ProjectStatus,
    /// Its tags, as typed: words separated by commas.
    pub tags: String,
    /// Who sees it; only its owner changes it, so none from an editor.
    pub visibility: Option<ProjectVisibility>,
}

/// What a project of a space may take from it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpaceChoices {
    /// The items a BOM line may take.
    pub items: Vec<ItemChoice>,
    /// Its members in good standing (user API id, name), by name.
    pub members: Vec<(String, String)>,
}

/// A file of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFile {
    pub id: String,
    pub name: String,
    pub size_bytes: i64,
    /// A short-lived address to fetch it.
    pub url: String,
}

/// One of a project's bills of materials.
#[derive(Debug, Clone, PartialEq)]
pub struct Bom {
    pub id: String,
    pub name: String,
    pub lines: Vec<BomLine>,
    /// The complete builds the space's stock makes; none when nothing is counted or the person
    /// is outside the space.
    pub can_build: Option<i64>,
    /// What one build costs; none for someone outside the space.
    pub cost: Option<BomCost>,
    /// What the lines lack for the builds asked about; none as for `can_build`.
    pub shortfall: Option<Vec<Short>>,
}

/// A line of a BOM.
#[derive(Debug, Clone, PartialEq)]
pub struct BomLine {
    pub id: String,
    /// How much one build takes, in the line's unit.
    pub quantity: String,
    /// What it is: the item's or the store product's name, or the free text.
    pub what: String,
    /// Where it comes from, in words: `the space's stock, in grams`, `store: PLA-1KG at
    /// 22.90 EUR`, `not counted`.
    pub source: String,
    /// The note beside an item or store product, if any.
    pub note: Option<String>,
}

/// What one build costs: the space's items at what it records paying, the store's products at
/// their live prices.
#[derive(Debug, Clone, PartialEq)]
pub struct BomCost {
    pub items_minor: i64,
    pub currency: String,
    /// The store lines at the store's prices now, one sum per currency.
    pub store: Vec<(i64, String)>,
    /// Lines whose cost nobody knows (items without a recorded cost, free text).
    pub lines_without_cost: i64,
}

impl BomCost {
    /// The cost in words: `3.20 EUR of the space's items + 5.73 EUR from the store = 8.93 EUR`.
    pub fn words(&self) -> String {
        let items = money(self.items_minor, &self.currency);
        let same: Option<i64> = self
            .store
            .iter()
            .find(|(_, currency)| *currency == self.currency)
            .map(|(minor, _)| *minor);
        let others: Vec<String> = self
            .store
            .iter()
            .filter(|(_, currency)| *currency != self.currency)
            .map(|(minor, currency)| money(*minor, currency))
            .collect();
        let mut words = match same {
            None => format!("{items} of the space's items"),
            Some(store) => format!(
                "{items} of the space's items + {} from the store = {}",
                money(store, &self.currency),
                money(self.items_minor + store, &self.currency)
            ),
        };
        if !others.is_empty() {
            words.push_str(&format!(", and {} from the store", others.join(" + ")));
        }
        words
    }
}

/// What a line lacks for the builds asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Short {
    pub line_id: String,
    /// How much is missing, in the line's unit.
    pub missing: String,
    /// The store variant (API id) and how many of it to buy, for a store line.
    pub to_buy: Option<(String, i64)>,
}

/// A line to add to a BOM.
#[derive(Debug, Clone, PartialEq)]
pub enum NewBomLine {
    /// An item of the project's space (API id).
    Item { item: String, quantity: String },
    /// A store variant by its SKU.
    Store { sku: String, quantity: String },
    /// Free text.
    Text {
        description: String,
        quantity: String,
    },
}

/// An item of the space that a BOM line may take.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemChoice {
    pub id: String,
    pub name: String,
    pub unit: StockUnit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cost_adds_the_stores_part_in_the_spaces_currency_and_names_others_apart() {
        let cost = |store: Vec<(i64, &str)>| BomCost {
            items_minor: 320,
            currency: "EUR".into(),
            store: store
                .into_iter()
                .map(|(minor, currency)| (minor, currency.to_owned()))
                .collect(),
            lines_without_cost: 0,
        };
        assert_eq!(cost(vec![]).words(), "3.20 EUR of the space's items");
        assert_eq!(
            cost(vec![(573, "EUR")]).words(),
            "3.20 EUR of the space's items + 5.73 EUR from the store = 8.93 EUR"
        );
        assert_eq!(
            cost(vec![(573, "EUR"), (1000, "INR")]).words(),
            "3.20 EUR of the space's items + 5.73 EUR from the store = 8.93 EUR, and 10.00 INR from the store"
        );
    }
}
