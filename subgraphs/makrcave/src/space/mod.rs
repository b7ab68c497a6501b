//! A makerspace and its own rules: the space itself (`makerspace`), its time zone and booking
//! limits (`settings`), its weekly opening hours (`opening_hours`) and its closures
//! (`blackouts`), and its local days (`days`), which calendars are drawn by.

mod blackouts;
mod days;
mod makerspace;
mod opening_hours;
mod settings;

pub use blackouts::{BlackoutMutation, BlackoutQuery};
pub use days::LocalDay;
pub use makerspace::{Makerspace, MakerspaceById, MakerspaceMutation, MakerspaceQuery};
pub use opening_hours::{OpeningHours, OpeningHoursBySpace, OpeningHoursMutation};
pub use settings::{BookingRules, BookingRulesBySpace, SettingsMutation, TimeZone};
