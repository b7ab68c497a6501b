//! The gateway's hooks: where pages get their data and keep it current.

mod use_pages;
mod use_profile_form;

pub use use_pages::{MoreState, PagesHandle, use_pages};
pub use use_profile_form::{ProfileFormHandle, SaveState, use_profile_form};
