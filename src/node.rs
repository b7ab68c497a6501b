//! The Node.js side of development: composition, the development OIDC server, the embedded
//! PostgreSQL binaries and the browser driver, all pinned in `dev/package-lock.json`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// Installs `dev/`'s packages from the lock file when they are not there yet.
pub fn ensure_dev_packages(project: &Path) -> anyhow::Result<()> {
    let dev = project.join("dev");
    if dev.join("node_modules/.package-lock.json").exists() {
        return Ok(());
    }
    eprintln!("makrx: installing the development packages in dev/ (npm ci, once)");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dev)
        .status()
        .context("Failed to run npm (Node.js 20 or later with npm is needed)")?;
    if !status.success() {
        bail!("npm ci in dev/ failed");
    }
    Ok(())
}
