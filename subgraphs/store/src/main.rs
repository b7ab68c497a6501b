use std::sync::Arc;

use makrx_files::{FileSettings, Files};
use makrx_service::{Clock, Service};
use store::StripeSettings;

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let stripe = StripeSettings::from_env()?;
    let files = FileSettings::from_env()?
        .map(|settings| Files::connect(&settings))
        .transpose()?;
    let service = Service::start("store", store::DEFAULT_LISTEN.parse()?).await?;
    tokio::spawn(store::sweep_unpaid(
        service.db.clone(),
        Clock::system(),
        stripe.clone(),
    ));
    tokio::spawn(store::refund_unmade_parts(
        service.db.clone(),
        stripe.clone(),
    ));
    tokio::spawn(store::quote_parts(
        service.db.clone(),
        files.clone(),
        Clock::system(),
        Arc::new(store::Quoting::standard()),
    ));
    service
        .serve(store::app(
            service.db.clone(),
            service.auth.clone(),
            Clock::system(),
            &stripe,
            files,
        ))
        .await
}
