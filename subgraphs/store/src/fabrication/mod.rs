//! Fabrication as a service, the customer's side. A customer uploads a part (`createUpload`:
//! the file goes straight to object storage with a presigned URL, never through GraphQL) and
//! asks for quotes of it (`quoteUpload`): the quote engine (`makrx_quoting`) measures and
//! prices the uploaded bytes themselves. Uploads and their quotes are their uploader's alone
//! (`store.may_see_upload`). A priced quote goes in the cart and is ordered as any line is.

mod following;
pub mod parts;
mod quotes;
mod unmade;
mod uploads;

use std::path::Path;
use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use makrx_files::Files;
use makrx_quoting::materials::Process;
use makrx_quoting::{Limits, PriceList, SlicerConfig, SlicerMode};
use makrx_service::ApiError;
use makrx_service::outbox::PrintProcess;

pub use following::follow_fabrication;
pub use parts::{PartMutation, PartQuery, PartsByOrder};
pub use quotes::{QuoteMutation, QuoteQuery, QuotesByUpload, quote_parts};
pub use uploads::{UploadMutation, UploadQuery};

/// The largest part a customer may upload: 100 MB.
pub const MAX_UPLOAD_BYTES: i64 = 100 * 1024 * 1024;

/// How the store quotes parts: its price list, the bounds on a file, whether to slice.
pub struct Quoting {
    pub prices: PriceList,
    pub limits: Limits,
    pub slicer: SlicerMode,
    /// Whether the slicer's program is installed: slicing a part takes seconds, so a part is
    /// then always quoted off the request path.
    slicer_installed: bool,
}

impl Quoting {
    /// The standard price list, PrusaSlicer when it is installed (the estimate otherwise).
    pub fn standard() -> Self {
        let slicer = SlicerConfig::default();
        Self {
            prices: PriceList::standard(),
            limits: Limits {
                max_file_bytes: MAX_UPLOAD_BYTES as u64,
                ..Limits::default()
            },
            slicer_installed: installed(&slicer.program),
            slicer: SlicerMode::Auto(slicer),
        }
    }
}

/// The engine's process as the API and MakrCave's printers name it.
fn print_process(process: Process) -> PrintProcess {
    match process {
        Process::Fdm => PrintProcess::Fdm,
        Process::Resin => PrintProcess::Resin,
    }
}

/// Whether `program` names a file that exists, by its path or on `PATH`.
fn installed(program: &Path) -> bool {
    if program.components().count() > 1 {
        return program.is_file();
    }
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|folder| folder.join(program).is_file())
    })
}

/// What the fabrication resolvers share: where parts are kept and how they are quoted.
pub struct Fabrication {
    files: Option<Files>,
    quoting: Arc<Quoting>,
}

impl Fabrication {
    pub fn new(files: Option<Files>, quoting: Arc<Quoting>) -> Self {
        Self { files, quoting }
    }

    fn files(&self) -> Result<&Files, ApiError> {
        self.files.as_ref().ok_or_else(|| {
            ApiError::Conflict(
                "this store takes no parts: its object storage is not set up (S3_ENDPOINT)".into(),
            )
        })
    }
}

/// A material parts can be made in.
#[derive(SimpleObject)]
pub struct FabricationMaterial {
    /// What `quoteUpload` takes: `PLA`.
    pub code: String,
    pub name: String,
    /// How it is printed.
    pub process: PrintProcess,
    pub price_per_kg_minor: i64,
    pub currency: String,
}

#[derive(Default)]
pub struct MaterialQuery;

#[Object]
impl MaterialQuery {
    /// The materials parts can be quoted in, as the price list names them.
    async fn fabrication_materials(&self, ctx: &Context<'_>) -> Vec<FabricationMaterial> {
        let prices = &ctx.data_unchecked::<Fabrication>().quoting.prices;
        prices
            .materials
            .iter()
            .map(|material| FabricationMaterial {
                code: material.code.clone(),
                name: material.name.clone(),
                process: print_process(material.process),
                price_per_kg_minor: material.price_per_kg_minor,
                currency: prices.currency.clone(),
            })
            .collect()
    }
}
