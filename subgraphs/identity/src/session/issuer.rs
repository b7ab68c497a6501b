//! The issuer as the web sign-in's OIDC client sees it: discovered on first use and kept,
//! so identity starts (and serves GraphQL) while the issuer is still coming up.

use std::sync::Arc;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, LogoutProviderMetadata, ProviderMetadata, RedirectUrl, RevocationUrl,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use super::settings::SignInSettings;

/// The discovery document's revocation endpoint (RFC 7009), which `CoreProviderMetadata` omits.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RevocationMetadata {
    revocation_endpoint: Option<RevocationUrl>,
}
impl AdditionalProviderMetadata for RevocationMetadata {}

type IssuerMetadata = ProviderMetadata<
    LogoutProviderMetadata<RevocationMetadata>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The OIDC client of the web apps, as discovery configures it.
pub type WebClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What discovery found out: the client, and the endpoints it has no place for.
pub struct Discovered {
    pub client: WebClient,
    pub end_session: Option<openidconnect::EndSessionUrl>,
    pub revocation: Option<RevocationUrl>,
}

/// The issuer could not be asked (down, or its discovery document unusable); already logged.
#[derive(Debug)]
pub struct IssuerUnavailable;

/// The issuer, discovered lazily and once.
pub struct Issuer {
    settings: SignInSettings,
    pub http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

impl Issuer {
    pub fn new(settings: SignInSettings) -> Self {
        let http = reqwest::Client::builder()
            // Following redirects would let an issuer send our requests anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            settings,
            http,
            discovered: RwLock::default(),
        }
    }

    /// The client, discovering the issuer if this is the first use (or the last one failed).
    pub async fn discovered(&self) -> Result<Arc<Discovered>, IssuerUnavailable> {
        if let Some(discovered) = self.discovered.read().await.as_ref() {
            return Ok(discovered.clone());
        }
        let mut slot = self.discovered.write().await;
        if let Some(discovered) = slot.as_ref() {
            return Ok(discovered.clone());
        }
        let discovered = Arc::new(self.discover().await.map_err(|err| {
            tracing::warn!(error = format!("{err:#}"), issuer = %self.settings.issuer, "cannot discover the issuer for web sign-in");
            IssuerUnavailable
        })?);
        *slot = Some(discovered.clone());
        Ok(discovered)
    }

    /// Forgets what discovery found, so that the next sign-in asks again (the issuer may have
    /// rotated its keys).
    pub async fn forget(&self) {
        *self.discovered.write().await = None;
    }

    async fn discover(&self) -> anyhow::Result<Discovered> {
        use anyhow::Context;
        let issuer =
            IssuerUrl::new(self.settings.issuer.clone()).context("OIDC_ISSUER is not a URL")?;
        let metadata = IssuerMetadata::discover_async(issuer, &self.http)
            .await
            .context("Failed to discover the issuer")?;
        let extra = metadata.additional_metadata().clone();
        let redirect = RedirectUrl::new(self.settings.web_origin.url("/auth/callback"))
            .context("the callback is not a URL")?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        Ok(Discovered {
            client,
            end_session: extra.end_session_endpoint,
            revocation: extra.additional_metadata.revocation_endpoint,
        })
    }
}
