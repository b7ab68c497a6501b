//! The embedded S3 server: `s3s-fs` in process, on a loopback port, keeping each bucket as a
//! folder. It checks every request's signature (a key made at start), and answers browsers'
//! CORS requests, since pages on the web origin upload to it directly.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use s3s_fs::FileSystem;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::cors::{Any, CorsLayer};

use crate::FileSettings;

/// The bucket the embedded server keeps.
const BUCKET: &str = "makrx";

/// A running embedded S3 server; dropping it stops it.
#[derive(Debug)]
pub struct LocalS3 {
    settings: FileSettings,
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl LocalS3 {
    /// Starts a server on `listen` (port 0: a free one) keeping its files under `root`.
    pub async fn start(root: &Path, listen: SocketAddr) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root.join(BUCKET))
            .with_context(|| format!("could not make {}", root.join(BUCKET).display()))?;
        let access_key_id = format!("makrx-{:016x}", rand::random::<u64>());
        let secret_access_key = format!("{:032x}", rand::random::<u128>());
        let service = {
            let files = FileSystem::new(root).map_err(|error| {
                anyhow::anyhow!(
                    "the embedded S3 server's folder {}: {error:?}",
                    root.display()
                )
            })?;
            let mut builder = S3ServiceBuilder::new(files);
            builder.set_auth(SimpleAuth::from_single(
                access_key_id.clone(),
                secret_access_key.clone(),
            ));
            builder.build()
        };
        let cors = CorsLayer::new()
            .allow_origin(Any)
            .allow_methods(Any)
            .allow_headers(Any)
            .expose_headers(Any);
        let service =
            TowerToHyperService::new(tower::ServiceBuilder::new().layer(cors).service(service));
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("the embedded S3 server could not listen on {listen}"))?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let http = Builder::new(TokioExecutor::new());
            loop {
                let socket = match listener.accept().await {
                    Ok((socket, _)) => socket,
                    Err(error) => {
                        tracing::warn!(%error, "the embedded S3 server could not accept");
                        continue;
                    }
                };
                let connection = http
                    .serve_connection(TokioIo::new(socket), service.clone())
                    .into_owned();
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "an S3 connection ended");
                    }
                });
            }
        });
        Ok(Self {
            settings: FileSettings {
                endpoint: format!("http://{addr}"),
                bucket: BUCKET.into(),
                region: "us-east-1".into(),
                access_key_id,
                secret_access_key,
            },
            addr,
            task,
        })
    }

    /// How to reach it.
    pub fn settings(&self) -> &FileSettings {
        &self.settings
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for LocalS3 {
    fn drop(&mut self) {
        self.task.abort();
    }
}
