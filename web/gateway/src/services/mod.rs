//! The gateway's requests, each through the one client function of `makrx_web::graphql`.

mod makers;
mod makerspaces;
mod profile;
mod projects;

pub use makers::maker;
pub use makerspaces::{directory_page, makerspace};
pub use profile::{my_profile, update_my_profile};
pub use projects::public_projects;
