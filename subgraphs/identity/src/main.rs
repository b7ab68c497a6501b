use makrx_service::Service;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = Service::start("identity", identity::DEFAULT_LISTEN.parse()?).await?;
    service
        .serve(identity::app(service.db.clone(), service.auth.clone()))
        .await
}
