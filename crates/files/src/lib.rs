//! Files in object storage (product images, uploaded parts), through the `object_store` crate:
//! browsers send and fetch them with presigned URLs, so no file passes through GraphQL. Any S3
//! serves (MinIO in compose.yaml, AWS); `makrx up` and the tests run [`LocalS3`], a real S3
//! server on this machine that checks signatures, keeping its files in a folder.

mod kinds;
mod local;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use object_store::ObjectStoreExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::signer::{HeaderName, HeaderValue, Method, SignedUrlOptions, Signer};

pub use kinds::{KINDS, Kind, START_BYTES, looks_like, name_of};
pub use local::LocalS3;
pub use object_store::Error;

/// Where files are kept: an S3 endpoint, the bucket and the keys to it.
#[derive(Clone, Debug)]
pub struct FileSettings {
    /// `http://127.0.0.1:9000`: where browsers and the services reach S3 (path-style).
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl FileSettings {
    /// From `S3_ENDPOINT`, `S3_BUCKET` (`makrx`), `S3_REGION` (`us-east-1`), `S3_ACCESS_KEY_ID`
    /// and `S3_SECRET_ACCESS_KEY`; none without `S3_ENDPOINT`.
    pub fn from_env() -> anyhow::Result<Option<Self>> {
        let setting = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let Some(endpoint) = setting("S3_ENDPOINT") else {
            return Ok(None);
        };
        let required = |name: &str| {
            setting(name).with_context(|| format!("S3_ENDPOINT is set: {name} is needed too"))
        };
        Ok(Some(Self {
            endpoint,
            bucket: setting("S3_BUCKET").unwrap_or_else(|| "makrx".into()),
            region: setting("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            access_key_id: required("S3_ACCESS_KEY_ID")?,
            secret_access_key: required("S3_SECRET_ACCESS_KEY")?,
        }))
    }
}

/// The files of one bucket.
#[derive(Clone, Debug)]
pub struct Files {
    s3: Arc<AmazonS3>,
}

impl Files {
    /// The bucket the settings name; nothing is asked of S3 until a file is.
    pub fn connect(settings: &FileSettings) -> anyhow::Result<Self> {
        let s3 = AmazonS3Builder::new()
            .with_endpoint(&settings.endpoint)
            .with_allow_http(settings.endpoint.starts_with("http://"))
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .build()
            .context("the S3 settings are not valid")?;
        Ok(Self { s3: Arc::new(s3) })
    }

    /// A URL that lets whoever holds it put `key` for `ttl`, sent as `content_type` (the
    /// signature covers it: another type is refused).
    pub async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        ttl: Duration,
    ) -> Result<String, Error> {
        let content_type = HeaderValue::from_str(content_type).map_err(|_| Error::Generic {
            store: "S3",
            source: format!("{content_type:?} is no content type").into(),
        })?;
        let options = SignedUrlOptions::new()
            .with_signed_header(HeaderName::from_static("content-type"), content_type);
        let url = self
            .s3
            .signed_url_opts(Method::PUT, &Path::from(key), ttl, &options)
            .await?;
        Ok(url.into())
    }

    /// A URL that lets whoever holds it fetch `key` for `ttl`.
    pub async fn download_url(&self, key: &str, ttl: Duration) -> Result<String, Error> {
        let url = self
            .s3
            .signed_url(Method::GET, &Path::from(key), ttl)
            .await?;
        Ok(url.into())
    }

    /// The size of what was uploaded as `key` and its first `n` bytes (to tell what it is);
    /// none when nothing was.
    pub async fn peek(&self, key: &str, n: u64) -> Result<Option<(u64, Bytes)>, Error> {
        let path = Path::from(key);
        let size = match self.s3.head(&path).await {
            Ok(meta) => meta.size,
            Err(Error::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(error),
        };
        let start = self.s3.get_range(&path, 0..n.min(size)).await?;
        Ok(Some((size, start)))
    }

    /// The whole of what was uploaded as `key`; none when nothing was.
    pub async fn read(&self, key: &str) -> Result<Option<Bytes>, Error> {
        match self.s3.get(&Path::from(key)).await {
            Ok(found) => found.bytes().await.map(Some),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Removes `key`; removing what is not there is no error.
    pub async fn delete(&self, key: &str) -> Result<(), Error> {
        match self.s3.delete(&Path::from(key)).await {
            Err(Error::NotFound { .. }) => Ok(()),
            result => result,
        }
    }
}
