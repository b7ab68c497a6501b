use makrx_files::{FileSettings, Files};
use makrx_service::{Clock, Service};

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let files = FileSettings::from_env()?
        .map(|settings| Files::connect(&settings))
        .transpose()?;
    let service = Service::start("makrcave", makrcave::DEFAULT_LISTEN.parse()?).await?;
    makrcave::work_in_background(&service.db, Clock::system());
    service
        .serve(makrcave::app(
            service.db.clone(),
            service.auth.clone(),
            Clock::system(),
            files,
        ))
        .await
}
