use makrx_service::Service;

makrx_service::fast_allocator!();

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = Service::start("events", events::DEFAULT_LISTEN.parse()?).await?;
    let bus =
        events::EventBus::start(service.db.clone(), service.settings.redis_url.as_deref()).await?;
    service
        .serve(events::app(service.db.clone(), service.auth.clone(), bus))
        .await
}
