//! The gateway's components: they take plain data and callbacks and never fetch, so each can
//! be rendered in a test exactly as a page renders it.

mod equipment_list;
mod maker_profile;
mod makerspace_card;
mod makerspace_list;
mod more;
mod profile_form;
mod project_cards;
mod project_list;
mod project_search;

pub use equipment_list::{EquipmentList, EquipmentListProps};
pub use maker_profile::{MakerProfile, MakerProfileProps, is_no_such_maker};
pub use makerspace_card::{MakerspaceCard, MakerspaceCardProps, machines_label};
pub use makerspace_list::{MakerspaceList, MakerspaceListProps};
pub use more::more_button;
pub use profile_form::{ProfileForm, ProfileFormProps};
pub use project_cards::{ProjectCards, ProjectCardsProps};
pub use project_list::{ProjectList, ProjectListProps};
pub use project_search::{ProjectSearch, ProjectSearchProps};
