//! The gateway's requests, each through the one client function of `makrx_web::graphql`.

mod makerspaces;

pub use makerspaces::{directory_page, makerspace};
