//! The gateway's components: they take plain data and callbacks and never fetch, so each can
//! be rendered in a test exactly as a page renders it.

mod equipment_list;
mod makerspace_card;
mod makerspace_list;
mod profile_form;

pub use equipment_list::{EquipmentList, EquipmentListProps};
pub use makerspace_card::{MakerspaceCard, MakerspaceCardProps, machines_label};
pub use makerspace_list::{MakerspaceList, MakerspaceListProps};
pub use profile_form::{ProfileForm, ProfileFormProps};
