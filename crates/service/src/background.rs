//! Work a subgraph does beside its requests: consumers, sweepers, the quote worker.

use std::future::Future;

use tokio::task::JoinHandle;
use tracing::Instrument;

/// Runs `work` on its own task inside a `background` span naming it, so that its logs (and the
/// statements it sends) are told apart from a request's.
pub fn spawn(
    name: &'static str,
    work: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    tokio::spawn(work.instrument(tracing::info_span!("background", task = name)))
}
