//! The embedded default database: a private PostgreSQL cluster in a data folder of the project,
//! run from the binaries that npm's `@embedded-postgres/<platform>` package carries, so no system
//! package is needed. PostgreSQL refuses to run as root; as root it runs as `nobody`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// A private PostgreSQL cluster.
pub struct EmbeddedPostgres {
    bin: PathBuf,
    data: PathBuf,
}

/// The user the cluster runs as when we are root.
const UNPRIVILEGED: &str = "nobody";

impl EmbeddedPostgres {
    /// The cluster in `data`, run with the binaries installed under `dev/`.
    pub fn new(project: &Path, data: &Path) -> anyhow::Result<Self> {
        let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
            ("linux", "x86_64") => "linux-x64",
            ("linux", "aarch64") => "linux-arm64",
            ("macos", "aarch64") => "darwin-arm64",
            ("macos", "x86_64") => "darwin-x64",
            (os, arch) => bail!(
                "no embedded PostgreSQL for {os}/{arch}: set DATABASE_URL to a PostgreSQL 15+ server"
            ),
        };
        crate::node::ensure_dev_packages(project)?;
        let bin = project
            .join("dev/node_modules/@embedded-postgres")
            .join(platform)
            .join("native/bin");
        if !bin.join("pg_ctl").exists() {
            bail!(
                "{} is missing: run `npm ci` in dev/, or set DATABASE_URL",
                bin.display()
            );
        }
        Ok(Self {
            bin,
            data: data.to_path_buf(),
        })
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("setpriv");
            command
                .args([
                    "--reuid",
                    UNPRIVILEGED,
                    "--regid",
                    "nogroup",
                    "--clear-groups",
                    "--",
                ])
                .arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn run(&self, mut command: Command, what: &str) -> anyhow::Result<()> {
        let output = command
            .output()
            .with_context(|| format!("Failed to run PostgreSQL's {what}"))?;
        if !output.status.success() {
            bail!(
                "PostgreSQL's {what} failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }

    /// Creates the cluster if needed and starts it on `port` (0: a free one), unless it is
    /// running already; returns its URL.
    pub fn start(&self, port: u16) -> anyhow::Result<String> {
        if let Some(port) = self.running_port() {
            return Ok(url(port));
        }
        std::fs::create_dir_all(&self.data)
            .with_context(|| format!("Failed to create {}", self.data.display()))?;
        if is_root() {
            self.run(chown(&self.data), "data folder ownership")?;
        }
        if !self.data.join("PG_VERSION").exists() {
            let mut initdb = self.command("initdb");
            initdb.arg("-D").arg(&self.data).args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "--no-instructions",
            ]);
            self.run(initdb, "initdb").with_context(|| {
                if is_root() {
                    format!(
                        "PostgreSQL runs as {UNPRIVILEGED} here: every folder above {} must be open to it \
                         (chmod o+x), or set DATABASE_URL",
                        self.data.display()
                    )
                } else {
                    "set DATABASE_URL to use another PostgreSQL".to_owned()
                }
            })?;
        }
        let port = if port == 0 { free_port()? } else { port };
        let mut pg_ctl = self.command("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.data.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {port} -h 127.0.0.1 -k {} -c max_connections=200",
                self.data.display()
            ))
            .args(["-w", "-t", "60", "start"]);
        self.run(pg_ctl, "pg_ctl start")
            .with_context(|| format!("see {}", self.data.join("server.log").display()))?;
        Ok(url(port))
    }

    /// Stops the cluster if it runs.
    pub fn stop(&self) -> anyhow::Result<()> {
        if self.running_port().is_none() {
            return Ok(());
        }
        let mut pg_ctl = self.command("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"]);
        self.run(pg_ctl, "pg_ctl stop")
    }

    /// The port of the running cluster, read from its `postmaster.pid` (line 4), if it runs.
    fn running_port(&self) -> Option<u16> {
        let pid_file = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        let mut lines = pid_file.lines();
        let pid: u32 = lines.next()?.trim().parse().ok()?;
        let port = lines.nth(2)?.trim().parse().ok()?;
        Path::new(&format!("/proc/{pid}")).exists().then_some(port)
    }
}

fn url(port: u16) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("no free port")?;
    Ok(listener.local_addr()?.port())
}

fn is_root() -> bool {
    // The effective user id, without unsafe code: /proc/self/status's `Uid:` line.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

fn chown(data: &Path) -> Command {
    let mut command = Command::new("chown");
    command
        .args(["-R", &format!("{UNPRIVILEGED}:nogroup")])
        .arg(data);
    command
}
