//! The `makrx` command's library: starting the platform (subgraphs, router, development OIDC
//! server, embedded PostgreSQL) for `makrx up` and the end-to-end tests alike.

pub mod embedded_pg;
pub mod node;
pub mod platform;
pub mod routers;
pub mod schema_files;
pub mod web;
pub mod web_build;

use std::path::PathBuf;

/// The repository the command was built from: where schema/, router/ and dev/ live.
pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the routers and other built tools are kept, outside the clone.
pub fn tools_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MAKRX_TOOLS") {
        return dir.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("makrx/tools")
}
