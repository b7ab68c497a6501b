use makrx_files::{FileSettings, Files};
use makrx_service::{Clock, Service};

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let files = FileSettings::from_env()?
        .map(|settings| Files::connect(&settings))
        .transpose()?;
    let service = Service::start("makrcave", makrcave::DEFAULT_LISTEN.parse()?).await?;
    tokio::spawn(makrcave::remind_overdue_loans(
        service.db.clone(),
        Clock::system(),
    ));
    tokio::spawn(makrcave::receive_store_orders(service.db.clone()));
    tokio::spawn(makrcave::dispatch_paid_parts(
        service.db.clone(),
        Clock::system(),
    ));
    service
        .serve(makrcave::app(
            service.db.clone(),
            service.auth.clone(),
            Clock::system(),
            files,
        ))
        .await
}
