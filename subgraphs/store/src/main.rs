use makrx_service::{Clock, Service};

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = Service::start("store", store::DEFAULT_LISTEN.parse()?).await?;
    service
        .serve(store::app(
            service.db.clone(),
            service.auth.clone(),
            Clock::system(),
        ))
        .await
}
