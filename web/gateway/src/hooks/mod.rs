//! The gateway's hooks: where pages get their data and keep it current.

mod use_directory;
mod use_live_equipment;
mod use_profile_form;
mod use_title;

pub use use_directory::{DirectoryHandle, MoreState, use_directory};
pub use use_live_equipment::{LiveEquipment, use_live_equipment};
pub use use_profile_form::{ProfileFormHandle, SaveState, use_profile_form};
pub use use_title::use_title;
