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
    store::work_in_background(&service.db, Clock::system(), &stripe, files.clone());
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
