//! One component per route.

mod landing;
mod maker;
mod makerspace;
mod not_found;
mod profile;
mod projects;

pub use landing::Landing;
pub use maker::{MakerPage, MakerPageProps};
pub use makerspace::{MakerspacePage, MakerspacePageProps};
pub use not_found::NotFound;
pub use profile::ProfilePage;
pub use projects::ProjectsPage;
