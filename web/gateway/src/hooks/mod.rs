//! The gateway's hooks: where pages get their data and keep it current.

mod use_directory;
mod use_profile_form;

pub use use_directory::{DirectoryHandle, MoreState, use_directory};
pub use use_profile_form::{ProfileFormHandle, SaveState, use_profile_form};
