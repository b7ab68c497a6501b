//! The gateway's requests, each through the one client function of `makrx_web::graphql`.

mod makerspaces;
mod profile;

pub use makerspaces::{directory_page, makerspace};
pub use profile::{my_profile, update_my_profile};
