use anyhow::Context;
use makrx_service::{Clock, Service};

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = Service::start("identity", identity::DEFAULT_LISTEN.parse()?).await?;
    let settings = identity::SignInSettings::from_env(&service.settings.oidc_issuer)
        .context("identity cannot start")?;
    let sign_in = identity::WebSignIn::new(settings, Clock::system());
    service
        .serve(identity::app(
            service.db.clone(),
            service.auth.clone(),
            sign_in,
        ))
        .await
}
