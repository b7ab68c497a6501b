//! One component per route.

mod landing;
mod makerspace;
mod not_found;
mod profile;

pub use landing::Landing;
pub use makerspace::{MakerspacePage, MakerspacePageProps};
pub use not_found::NotFound;
pub use profile::ProfilePage;
