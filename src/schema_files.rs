//! `schema/`: each subgraph's SDL as the code exports it, and the supergraph composed from those
//! files offline with Apollo's composition library (`dev/compose-supergraph.mjs`), as
//! `supergraph.yaml` lists them.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// A subgraph's SDL, as its code exports it.
type SdlExport = fn() -> String;

/// Each subgraph's name (as supergraph.yaml spells it) and its SDL export.
pub const SUBGRAPHS: [(&str, SdlExport); 4] = [
    ("identity", identity::sdl),
    ("makrcave", makrcave::sdl),
    ("store", store::sdl),
    ("events", events::sdl),
];

/// Composes the supergraph from the subgraph files in `schema/`.
fn compose(project: &Path) -> anyhow::Result<String> {
    crate::node::ensure_dev_packages(project)?;
    let output = Command::new("node")
        .arg(project.join("dev/compose-supergraph.mjs"))
        .arg(project.join("supergraph.yaml"))
        .output()
        .context("Failed to run node (Node.js 20 or later composes the supergraph)")?;
    if !output.status.success() {
        bail!(
            "composition failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).context("the composed supergraph is not UTF-8")
}

fn read(project: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(project.join("schema").join(file)).ok()
}

fn save(project: &Path, file: &str, text: &str) -> anyhow::Result<()> {
    let path = project.join("schema").join(file);
    std::fs::write(&path, text).with_context(|| format!("Failed to write {}", path.display()))?;
    println!("wrote schema/{file}");
    Ok(())
}

/// Writes `schema/` from the code.
pub fn write(project: &Path) -> anyhow::Result<()> {
    for (name, sdl) in SUBGRAPHS {
        save(project, &format!("{name}.graphql"), &sdl())?;
    }
    save(project, "supergraph.graphql", &compose(project)?)
}

/// Fails, naming the files, when `schema/` differs from what the code exports.
pub fn check(project: &Path) -> anyhow::Result<()> {
    let mut stale: Vec<String> = SUBGRAPHS
        .iter()
        .map(|(name, sdl)| (format!("{name}.graphql"), sdl()))
        .filter(|(file, text)| read(project, file).as_ref() != Some(text))
        .map(|(file, _)| file)
        .collect();
    // The supergraph is composed from the subgraph files, so it is only worth checking once they match.
    if stale.is_empty() && read(project, "supergraph.graphql") != Some(compose(project)?) {
        stale.push("supergraph.graphql".into());
    }
    if !stale.is_empty() {
        bail!(
            "schema/{} differ from the code: run `cargo run -p makrx -- sdl` and commit them",
            stale.join(", schema/")
        );
    }
    println!("schema/ matches the code");
    Ok(())
}
