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
