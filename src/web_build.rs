//! The built web apps that `makrx up` serves: built with `scripts/build-web` the first time, and
//! when that cannot work, a message that names what is missing.

use std::path::Path;
use std::process::Command;

use crate::web::WebApp;

/// Builds those of `apps` (in the folders `scripts/build-web` builds into: [`WebApp::all`]) that
/// have no `index.html` yet, with one run of `scripts/build-web`.
pub fn ensure_apps_built(project: &Path, apps: &[WebApp]) -> anyhow::Result<()> {
    let unbuilt: Vec<&str> = apps
        .iter()
        .filter(|app| !app.is_built())
        .map(WebApp::name)
        .collect();
    if unbuilt.is_empty() {
        return Ok(());
    }
    println!(
        "makrx: not built yet: {}; running scripts/build-web {} (a few minutes, once)",
        unbuilt.join(", "),
        unbuilt.join(" ")
    );
    let built = Command::new("bash")
        .arg(project.join("scripts/build-web"))
        .args(&unbuilt)
        .current_dir(project)
        .status()
        .is_ok_and(|status| status.success());
    if built && apps.iter().all(WebApp::is_built) {
        return Ok(());
    }
    let missing = missing_web_tools(project);
    if missing.is_empty() {
        anyhow::bail!("scripts/build-web failed (its output above says why)");
    }
    anyhow::bail!("scripts/build-web failed; missing: {}", missing.join("; "))
}

/// What the web build needs and this machine lacks, each with the way to get it.
pub fn missing_web_tools(project: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match targets {
        Err(_) => missing.push(
            "rustup, to add the wasm32-unknown-unknown target (https://rustup.rs)".to_owned(),
        ),
        Ok(output)
            if !String::from_utf8_lossy(&output.stdout)
                .lines()
                .any(|t| t.trim() == "wasm32-unknown-unknown") =>
        {
            missing.push(
                "the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)"
                    .to_owned(),
            );
        }
        Ok(_) => {}
    }
    let wanted = pinned_wasm_bindgen(project);
    let found = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    match (&wanted, found) {
        (Some(version), None) => missing.push(format!(
            "wasm-bindgen {version} on PATH (cargo install wasm-bindgen-cli --version {version})"
        )),
        (Some(version), Some(found)) if found != format!("wasm-bindgen {version}") => {
            missing.push(format!(
                "wasm-bindgen {version} on PATH, found {found:?} (cargo install wasm-bindgen-cli --version {version})"
            ));
        }
        _ => {}
    }
    missing
}

/// The `wasm-bindgen` version web/Cargo.lock pins, which the CLI must equal.
fn pinned_wasm_bindgen(project: &Path) -> Option<String> {
    let lock = std::fs::read_to_string(project.join("web/Cargo.lock")).ok()?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_wasm_bindgen_is_read_from_the_web_lock_file() {
        let version = pinned_wasm_bindgen(&crate::project_dir()).expect("web/Cargo.lock pins it");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
