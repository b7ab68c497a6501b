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

/// A list the API gives a page at a time, each page saying where the next one starts.
pub trait Paged: Clone + PartialEq + 'static {
    /// The cursor to load the next page from, when there is one.
    fn next_cursor(&self) -> Option<String>;
    /// The list so far with `page`, the one after it, appended.
    fn followed_by(&self, page: Self) -> Self;
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

impl Paged for Directory {
    fn next_cursor(&self) -> Option<String> {
        self.next_page.clone()
    }

    fn followed_by(&self, page: Self) -> Self {
        let mut spaces = self.spaces.clone();
        spaces.extend(page.spaces);
        Self { spaces, ..page }
    }
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

/// The signed-in person's profile, as their profile page shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    /// Their API id.
    pub id: String,
    /// The name MakrX shows for them.
    pub display_name: String,
    /// Their email, when the issuer has one; not editable here.
    pub email: Option<String>,
    /// A few words about them; may be empty.
    pub bio: String,
    /// A picture of them; may be empty.
    pub avatar_url: String,
}

/// The profile form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileDraft {
    /// The display name field.
    pub display_name: String,
    /// The bio field.
    pub bio: String,
    /// The avatar URL field.
    pub avatar_url: String,
}

impl ProfileDraft {
    /// The form filled in with the profile as saved.
    pub fn of(profile: &Profile) -> Self {
        Self {
            display_name: profile.display_name.clone(),
            bio: profile.bio.clone(),
            avatar_url: profile.avatar_url.clone(),
        }
    }

    /// What differs from `saved`: only those fields are sent, so a save never rewrites what
    /// the person did not touch.
    pub fn changes_since(&self, saved: &Profile) -> ProfileChanges {
        let changed = |typed: &String, saved: &String| (typed != saved).then(|| typed.clone());
        ProfileChanges {
            display_name: changed(&self.display_name, &saved.display_name),
            bio: changed(&self.bio, &saved.bio),
            avatar_url: changed(&self.avatar_url, &saved.avatar_url),
        }
    }
}

/// Changes to a profile; a field left `None` keeps its value, an empty bio or avatar URL
/// clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileChanges {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new bio.
    pub bio: Option<String>,
    /// A new avatar URL.
    pub avatar_url: Option<String>,
}

impl ProfileChanges {
    /// Whether there is nothing to save.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A day of the calendar, as the API's timestamps start (`2026-03-07T10:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    year: u16,
    month: u8,
    day: u8,
}

/// The months' names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Day {
    /// The day a timestamp or date (`2026-03-07…`) starts with, as written there; `None`
    /// when it does not start with one.
    pub fn parse(text: &str) -> Option<Self> {
        let number = |range: std::ops::Range<usize>| {
            let digits = text.get(range)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())?
        };
        if text.get(4..5) != Some("-") || text.get(7..8) != Some("-") {
            return None;
        }
        let day = Self {
            year: number(0..4)?,
            month: u8::try_from(number(5..7)?).ok()?,
            day: u8::try_from(number(8..10)?).ok()?,
        };
        ((1..=12).contains(&day.month) && (1..=31).contains(&day.day)).then_some(day)
    }

    /// `7 Mar 2026`.
    pub fn label(self) -> String {
        format!("{} {} {}", self.day, &self.month_name()[..3], self.year)
    }

    /// `March 2026`.
    pub fn month_label(self) -> String {
        format!("{} {}", self.month_name(), self.year)
    }

    /// `2026-03-07`, as a `<time>` element's `datetime` wants it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn month_name(self) -> &'static str {
        MONTHS[usize::from(self.month - 1)]
    }
}

/// A public project, as the community hub and a maker's profile show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSummary {
    /// Its API id (its page in MakrCave is keyed by it).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The first paragraph of its description as plain text, shortened; may be empty.
    pub excerpt: String,
    /// Lowercase words to find it by.
    pub tags: Vec<String>,
    /// Its owner's API id (their profile is keyed by it).
    pub owner_id: String,
    /// The name MakrX shows for its owner.
    pub owner_name: String,
    /// When it was started.
    pub created: Day,
}

/// The community hub: its public projects, newest first, as far as they have been loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hub {
    /// Those loaded so far.
    pub projects: Vec<ProjectSummary>,
    /// The cursor to load the next page from, when there is one.
    pub next_page: Option<String>,
}

impl Paged for Hub {
    fn next_cursor(&self) -> Option<String> {
        self.next_page.clone()
    }

    fn followed_by(&self, page: Self) -> Self {
        let mut projects = self.projects.clone();
        projects.extend(page.projects);
        Self { projects, ..page }
    }
}

/// A maker's public profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Maker {
    /// The name MakrX shows for them.
    pub display_name: String,
    /// A picture of them; may be empty.
    pub avatar_url: String,
    /// A few words about them, as they wrote them; may be empty.
    pub bio: String,
    /// When they joined MakrX.
    pub member_since: Day,
    /// The public projects they own or work on, newest first.
    pub projects: Vec<ProjectSummary>,
    /// The public makerspaces they are an active member of, by name.
    pub spaces: Vec<SpaceOfMaker>,
}

/// A makerspace a maker belongs to, as their profile lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceOfMaker {
    /// Its name.
    pub name: String,
    /// Its address in URLs.
    pub slug: String,
    /// Where it is; may be empty.
    pub location: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_read_from_the_start_of_a_timestamp() {
        let day = Day::parse("2026-03-07T10:00:00.123456Z").expect("a day");

        assert_eq!(day.label(), "7 Mar 2026");
        assert_eq!(day.month_label(), "March 2026");
        assert_eq!(day.iso(), "2026-03-07");
    }

    #[test]
    fn what_is_not_a_date_is_no_day() {
        for text in [
            "",
            "2026-3-7",
            "2026-13-01",
            "2026-00-10",
            "2026-01-32",
            "March 2026",
        ] {
            assert_eq!(Day::parse(text), None, "{text}");
        }
    }
}
