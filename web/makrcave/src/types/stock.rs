//! A space's stock as its pages show it: items, the places they are kept, their movements.

use serde::{Deserialize, Serialize};

use crate::time::LocalTime;

/// What an item is, to the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ItemCategory {
    /// Used up: glue, sandpaper, solder.
    Consumable,
    /// Built into things: bolts, boards, motors.
    Part,
    /// Worked or printed: filament, resin, plywood.
    Material,
    /// Used and kept: a multimeter, a soldering iron.
    Tool,
    /// A category this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ItemCategory {
    /// The categories an item's form offers.
    pub const ALL: [Self; 4] = [Self::Consumable, Self::Part, Self::Material, Self::Tool];

    /// The category in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Consumable => "Consumable",
            Self::Part => "Part",
            Self::Material => "Material",
            Self::Tool => "Tool",
            Self::Unknown => "Other",
        }
    }
}

/// What an item is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StockUnit {
    /// Whole pieces.
    Pieces,
    /// Grams, as filament is weighed.
    Grams,
    /// Millilitres, as resin is measured.
    Millilitres,
    /// Metres, as wire and tape are cut.
    Metres,
    /// A unit this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl StockUnit {
    /// The units an item's form offers.
    pub const ALL: [Self; 4] = [Self::Pieces, Self::Grams, Self::Millilitres, Self::Metres];

    /// The unit in words, as a form offers it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pieces => "Pieces",
            Self::Grams => "Grams",
            Self::Millilitres => "Millilitres",
            Self::Metres => "Metres",
            Self::Unknown => "Units",
        }
    }

    /// `amount` of the unit as people write it: `12 pieces`, `1 piece`, `750 g`, `2.5 m`.
    /// The API's decimals keep the scale they were written with: `2.50` reads `2.5`.
    pub fn amount(self, amount: &str) -> String {
        let amount = plain_decimal(amount);
        match self {
            Self::Pieces if amount == "1" => "1 piece".to_owned(),
            Self::Pieces => format!("{amount} pieces"),
            Self::Grams => format!("{amount} g"),
            Self::Millilitres => format!("{amount} ml"),
            Self::Metres => format!("{amount} m"),
            Self::Unknown => amount.to_owned(),
        }
    }
}

/// A decimal without the zeros that say nothing: `2.50` is `2.5`, `10.000` is `10`.
pub fn plain_decimal(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// How a movement changes an item's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MovementKind {
    /// Units arrive at a place.
    Receive,
    /// Units leave a place for a member.
    Issue,
    /// A count at a place: the level there becomes the count.
    Adjust,
    /// Units move from one place to another.
    Transfer,
    /// Units are used up at a place.
    Consume,
    /// A kind this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl MovementKind {
    /// The kinds the movement form offers, the most common first.
    pub const ALL: [Self; 5] = [
        Self::Issue,
        Self::Receive,
        Self::Consume,
        Self::Transfer,
        Self::Adjust,
    ];

    /// The kind as the form offers it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Receive => "Receive",
            Self::Issue => "Issue to a member",
            Self::Adjust => "Count (set what is there)",
            Self::Transfer => "Move to another place",
            Self::Consume => "Use up",
            Self::Unknown => "Other",
        }
    }

    /// The kind as the history tells it.
    pub fn done(self) -> &'static str {
        match self {
            Self::Receive => "Received",
            Self::Issue => "Issued",
            Self::Adjust => "Counted",
            Self::Transfer => "Moved",
            Self::Consume => "Used up",
            Self::Unknown => "Changed",
        }
    }

    /// What its place is called in the form: where units arrive, leave or are counted.
    pub fn place_label(self) -> &'static str {
        match self {
            Self::Receive => "Arriving at",
            Self::Adjust => "Counted at",
            Self::Issue | Self::Transfer | Self::Consume | Self::Unknown => "Taken from",
        }
    }
}

/// A place a space keeps stock: a room, a shelf, a bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its API id.
    pub id: String,
    /// Its name, unique in the space.
    pub name: String,
}

/// How much of an item one place holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// The place's name.
    pub place: String,
    /// How much is there, in the item's unit.
    pub on_hand: String,
}

/// An item of a space's stock.
#[derive(Debug, Clone, PartialEq)]
pub struct StockItem {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The space's own code for it.
    pub sku: Option<String>,
    /// What it is.
    pub category: ItemCategory,
    /// What it is counted in.
    pub unit: StockUnit,
    /// How much there is at all places together.
    pub on_hand: String,
    /// At or below it, staff are told.
    pub reorder_point: String,
    /// Whether it is at or below its reorder point.
    pub low: bool,
    /// How much each place holds, by the place's name.
    pub levels: Vec<Level>,
}

/// A space whose stock a page shows, and whether the person runs its stock.
#[derive(Debug, Clone, PartialEq)]
pub struct StockSpace {
    /// The space's API id.
    pub makerspace_id: String,
    /// The space's name.
    pub name: String,
    /// Whether the person is on the space's staff (and so records movements, adds items).
    pub staff: bool,
}

/// Items of a space's stock, and its places.
#[derive(Debug, Clone, PartialEq)]
pub struct Stock {
    /// The items, by name.
    pub items: Vec<StockItem>,
    /// Whether more items match than are shown.
    pub more: bool,
    /// The space's places, by name.
    pub places: Vec<Place>,
}

/// What a sheet of labels prints: every item and every place of a space.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// The space.
    pub space: StockSpace,
    /// Its items, by name.
    pub items: Vec<StockItem>,
    /// Its places, by name.
    pub places: Vec<Place>,
}

/// What the stock page lists: everything, those matching a search, the low ones, or those at
/// one place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StockFilter {
    /// Words in the name or SKU.
    pub search: String,
    /// Only those at or below their reorder point.
    pub low_only: bool,
    /// Only those with some on hand at this place (its API id).
    pub place: Option<String>,
}

/// A movement of an item's stock, as its history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Movement {
    /// Its API id.
    pub id: String,
    /// What it did.
    pub kind: MovementKind,
    /// As recorded: the units moved, or the count found.
    pub quantity: String,
    /// What it did to the total, signed (`-3`).
    pub change: String,
    /// Where the units arrived, left, were counted, or moved from.
    pub place: String,
    /// Where a transfer moved them to.
    pub to_place: Option<String>,
    /// Who the units were issued to.
    pub member: Option<String>,
    /// Who recorded it.
    pub by: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: LocalTime,
}

/// An item's page: the item, its space, its history, and whether the person runs its stock.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemPage {
    /// The item.
    pub item: StockItem,
    /// Its space's API id.
    pub makerspace_id: String,
    /// Its space's name.
    pub space_name: String,
    /// Its space's address in URLs.
    pub space_slug: String,
    /// Whether the person is on the space's staff.
    pub staff: bool,
    /// Its latest movements, newest first.
    pub movements: Vec<Movement>,
}

/// What staff choose from when recording a movement: the places, and the members to issue to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MovementChoices {
    /// The space's places, by name.
    pub places: Vec<Place>,
    /// The space's members (API id, name), by name.
    pub members: Vec<(String, String)>,
}

/// A movement as staff fill it in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMovement {
    /// What happens.
    pub kind: MovementKind,
    /// The units, or the count found, as typed.
    pub quantity: String,
    /// Where (the place's API id).
    pub place: String,
    /// Where a transfer moves them to.
    pub to_place: Option<String>,
    /// Who an issue gives them to (a user id).
    pub member: Option<String>,
    /// Why.
    pub reason: String,
}

/// An item as staff add it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    /// Its name.
    pub name: String,
    /// The space's own code for it; none when empty.
    pub sku: String,
    /// What it is.
    pub category: ItemCategory,
    /// What it is counted in.
    pub unit: StockUnit,
    /// At or below it staff are told, as typed.
    pub reorder_point: String,
    /// What the space pays for one unit, in minor units; none when unknown.
    pub unit_cost_minor: Option<i64>,
    /// The store SKU it is bought as; none when empty.
    pub store_sku: String,
    /// How much of it one unit bought from the store is, as typed (`1000` grams to a spool).
    pub store_pack: String,
}

/// An item that fell to its reorder point while the page was open.
#[derive(Debug, Clone, PartialEq)]
pub struct LowAlert {
    /// The item's API id.
    pub item_id: String,
    /// Its name.
    pub name: String,
    /// How much was left.
    pub on_hand: String,
    /// Its reorder point.
    pub reorder_point: String,
}

/// How a lent tool came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ToolCondition {
    /// As it went out.
    Good,
    /// Used, still fit to lend.
    Worn,
    /// Needs repair before it goes out again.
    Damaged,
    /// Not coming back.
    Lost,
    /// A condition this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ToolCondition {
    /// The conditions staff choose from when a tool comes back.
    pub const ALL: [Self; 4] = [Self::Good, Self::Worn, Self::Damaged, Self::Lost];

    /// The condition in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "Good",
            Self::Worn => "Worn",
            Self::Damaged => "Damaged",
            Self::Lost => "Lost: it is not coming back",
            Self::Unknown => "Other",
        }
    }
}

/// A tool out on loan.
#[derive(Debug, Clone, PartialEq)]
pub struct Loan {
    /// Its API id.
    pub id: String,
    /// The tool's API id.
    pub item_id: String,
    /// The tool's name.
    pub item: String,
    /// What the tool is counted in.
    pub unit: StockUnit,
    /// Who has it (for staff), or where it is from (for the member).
    pub with: String,
    /// How many.
    pub quantity: String,
    /// Which one, for a tool told apart by its serial number.
    pub serial: Option<String>,
    /// When it is due back.
    pub due_at: LocalTime,
    /// Whether it is out past its due time.
    pub overdue: bool,
}

/// How an item is lent, for its staff: whether at all, the skill it takes, the space's skills
/// to choose from, and its loans out.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLending {
    /// Whether members may borrow it.
    pub lendable: bool,
    /// The skill (API id) and level borrowing it takes, if any.
    pub gate: Option<(String, String)>,
    /// The space's skills with their levels.
    pub skills: Vec<crate::types::SkillLevels>,
    /// Its loans out, soonest due first.
    pub loans: Vec<Loan>,
}

/// A loan as staff fill it in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLoan {
    /// Who borrows it (a user id).
    pub member: String,
    /// When it is due back, as the browser's date-time field gives it (local time).
    pub due: String,
    /// How many, as typed.
    pub quantity: String,
    /// Which one, when told apart by a serial number; none when empty.
    pub serial: String,
}

/// A space's tools out, for its staff.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceLoans {
    /// The space.
    pub space: StockSpace,
    /// Its loans out, soonest due first.
    pub loans: Vec<Loan>,
}
