//! Fabrication as a service, the provider's side. A makerspace offers to make the store's
//! customers' parts: the materials of the store's price list it makes, the printers it makes
//! them on (the process each prints and its build volume), and whether jobs dispatched to it
//! are accepted at once or by its staff. Managers and above set that; anyone who may see the
//! space may read it. A customer's quote lists the offers of the spaces that can make the part,
//! each with when it would be ready (`offers`).

mod jobs;
mod material;
mod offers;
mod schedule;

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use makrx_quoting::PriceList;
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::PrintProcess;
use makrx_service::{ApiError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::equipment::{Equipment, EquipmentClass};
use crate::loaders::Loaders;
use crate::policy::{self, MembershipRole};

pub use jobs::{
    FabricationJob, JobMutation, JobQuery, JobsByPart, dispatch_paid_parts, dispatched_to,
};
pub use material::{MaterialByJob, MaterialMutation};
pub use offers::QuoteOffersQuery;
pub use schedule::{BookingsByJob, ScheduleMutation, lock_job_of_slot, slots_changed};

/// What a makerspace makes for the store's customers.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct FabricationService {
    #[graphql(skip)]
    pub makerspace_id: Uuid,
    /// Material codes of the store's price list: `PLA`.
    pub materials: Vec<String>,
    /// Jobs dispatched to it are accepted at once; otherwise its staff accept each.
    pub accepts_automatically: bool,
    /// Whether new jobs are dispatched to it (false: paused).
    pub accepting: bool,
}

#[ComplexObject]
impl FabricationService {
    /// The printers it makes parts on.
    async fn printers(&self, ctx: &Context<'_>) -> Result<Vec<FabricationPrinter>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .fabrication_printers
            .load_one(self.makerspace_id)
            .await?
            .unwrap_or_default())
    }
}

/// A printer a makerspace makes parts on.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct FabricationPrinter {
    #[graphql(skip)]
    pub equipment_id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Uuid,
    pub process: PrintProcess,
    /// Its printable width, depth and height, mm.
    pub build_x_mm: f32,
    pub build_y_mm: f32,
    pub build_z_mm: f32,
}

#[ComplexObject]
impl FabricationPrinter {
    async fn machine(&self, ctx: &Context<'_>) -> Result<Equipment, ApiError> {
        Equipment::referenced(ctx, self.equipment_id).await
    }
}

impl FabricationPrinter {
    /// Whether a part whose bounding box is `size` (mm) fits: its sides, longest to shortest,
    /// each no longer than the printer's, so that some way of standing it fits.
    pub fn fits(&self, size: [f64; 3]) -> bool {
        let mut part = size;
        let mut build = [self.build_x_mm, self.build_y_mm, self.build_z_mm].map(f64::from);
        part.sort_by(f64::total_cmp);
        build.sort_by(f64::total_cmp);
        part.iter().zip(build).all(|(part, build)| *part <= build)
    }
}

/// Loads the fabrication offer of makerspaces.
pub struct ServiceBySpace(pub PgPool);

impl Loader<Uuid> for ServiceBySpace {
    type Value = FabricationService;
    type Error = ApiError;

    async fn load(&self, spaces: &[Uuid]) -> Result<HashMap<Uuid, FabricationService>, ApiError> {
        let services = sqlx::query_as!(
            FabricationService,
            "select makerspace_id, materials, accepts_automatically, accepting
             from makrcave.fabrication_services where makerspace_id = any($1)",
            spaces
        )
        .fetch_all(&self.0)
        .await?;
        Ok(services
            .into_iter()
            .map(|service| (service.makerspace_id, service))
            .collect())
    }
}

/// Loads the printers of makerspaces' fabrication offers, in the order they were added.
pub struct PrintersBySpace(pub PgPool);

impl Loader<Uuid> for PrintersBySpace {
    type Value = Vec<FabricationPrinter>;
    type Error = ApiError;

    async fn load(
        &self,
        spaces: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<FabricationPrinter>>, ApiError> {
        let printers = sqlx::query_as!(
            FabricationPrinter,
            r#"select equipment_id, makerspace_id, process as "process: PrintProcess",
                      build_x_mm, build_y_mm, build_z_mm
               from makrcave.fabrication_printers where makerspace_id = any($1)
               order by created_at, equipment_id"#,
            spaces
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(printers, |printer| printer.makerspace_id))
    }
}

/// `Makerspace.fabricationService`: what the space makes for the store's customers, if it
/// offers to; for whoever may see the space.
pub async fn of_space(
    ctx: &Context<'_>,
    makerspace_id: Uuid,
) -> Result<Option<FabricationService>, ApiError> {
    ctx.data_unchecked::<Loaders>()
        .fabrication_services
        .load_one(makerspace_id)
        .await
}

#[derive(InputObject)]
pub struct OfferFabricationInput {
    pub makerspace_id: ID,
    /// Material codes of the store's price list (`fabricationMaterials`): at least one.
    pub materials: Vec<String>,
    /// Accept the jobs dispatched to the space at once (default: its staff accept each).
    #[graphql(default)]
    pub accepts_automatically: bool,
    /// Take new jobs (default); false pauses the offer.
    #[graphql(default = true)]
    pub accepting: bool,
}

#[derive(InputObject)]
pub struct SetFabricationPrinterInput {
    /// A 3D printer of the space.
    pub equipment_id: ID,
    pub process: PrintProcess,
    /// Its printable width, depth and height: 1 to 5000 mm each.
    pub build_x_mm: f32,
    pub build_y_mm: f32,
    pub build_z_mm: f32,
}

#[derive(InputObject)]
pub struct RemoveFabricationPrinterInput {
    pub equipment_id: ID,
}

#[derive(Default)]
pub struct FabricationMutation;

#[Object(guard = "SignedIn")]
impl FabricationMutation {
    /// Offers (or changes what) the space makes for the store's customers; managers and above.
    async fn offer_fabrication(
        &self,
        ctx: &Context<'_>,
        input: OfferFabricationInput,
    ) -> Result<FabricationService, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let materials = known_materials(&input.materials)?;
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            FabricationService,
            "select makerspace_id, materials, accepts_automatically, accepting
             from makrcave.fabrication_services where makerspace_id = $1 for update",
            makerspace_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            FabricationService,
            "insert into makrcave.fabrication_services
                 (makerspace_id, materials, accepts_automatically, accepting)
             values ($1, $2, $3, $4)
             on conflict (makerspace_id) do update
             set materials = excluded.materials,
                 accepts_automatically = excluded.accepts_automatically,
                 accepting = excluded.accepting, updated_at = now()
             returning makerspace_id, materials, accepts_automatically, accepting",
            makerspace_id,
            &materials,
            input.accepts_automatically,
            input.accepting
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::FABRICATION_OFFERED,
                entity_id: makerspace_id,
                makerspace_id,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Says a 3D printer of the space makes parts for the store's customers, or changes what
    /// it prints; managers and above, once the space offers fabrication.
    async fn set_fabrication_printer(
        &self,
        ctx: &Context<'_>,
        input: SetFabricationPrinterInput,
    ) -> Result<FabricationPrinter, ApiError> {
        let (machine, actor) = managed_machine(ctx, &input.equipment_id).await?;
        let equipment_id = machine.id;
        if machine.class != EquipmentClass::Printer3d {
            return Err(ApiError::invalid(
                "equipmentId",
                format!("{} is not a 3D printer", machine.name),
            ));
        }
        let sides = [
            ("buildXMm", input.build_x_mm),
            ("buildYMm", input.build_y_mm),
            ("buildZMm", input.build_z_mm),
        ];
        if let Some((field, _)) = sides.iter().find(|(_, mm)| !(1.0..=5000.0).contains(mm)) {
            return Err(ApiError::invalid(field, "must be 1 to 5000 mm"));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            FabricationPrinter,
            r#"select equipment_id, makerspace_id, process as "process: PrintProcess",
                      build_x_mm, build_y_mm, build_z_mm
               from makrcave.fabrication_printers where equipment_id = $1 for update"#,
            equipment_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let printer = sqlx::query_as!(
            FabricationPrinter,
            r#"insert into makrcave.fabrication_printers
                   (equipment_id, makerspace_id, process, build_x_mm, build_y_mm, build_z_mm)
               select $1, s.makerspace_id, $3, $4, $5, $6
               from makrcave.fabrication_services s where s.makerspace_id = $2
               on conflict (equipment_id) do update
               set process = excluded.process, build_x_mm = excluded.build_x_mm,
                   build_y_mm = excluded.build_y_mm, build_z_mm = excluded.build_z_mm,
                   updated_at = now()
               returning equipment_id, makerspace_id, process as "process: PrintProcess",
                         build_x_mm, build_y_mm, build_z_mm"#,
            equipment_id,
            machine.makerspace_id,
            input.process as PrintProcess,
            input.build_x_mm,
            input.build_y_mm,
            input.build_z_mm
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "the makerspace does not offer fabrication: offer it first (offerFabrication)"
                    .into(),
            )
        })?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::FABRICATION_PRINTER_SET,
                entity_id: equipment_id,
                makerspace_id: machine.makerspace_id,
                before: before.as_ref(),
                after: Some(&printer),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(printer)
    }

    /// Stops a printer making parts for the store's customers; managers and above.
    async fn remove_fabrication_printer(
        &self,
        ctx: &Context<'_>,
        input: RemoveFabricationPrinterInput,
    ) -> Result<ID, ApiError> {
        let (machine, actor) = managed_machine(ctx, &input.equipment_id).await?;
        let equipment_id = machine.id;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let removed = sqlx::query_as!(
            FabricationPrinter,
            r#"delete from makrcave.fabrication_printers where equipment_id = $1
               returning equipment_id, makerspace_id, process as "process: PrintProcess",
                         build_x_mm, build_y_mm, build_z_mm"#,
            equipment_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("fabrication printer".into()))?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::FABRICATION_PRINTER_REMOVED,
                entity_id: equipment_id,
                makerspace_id: machine.makerspace_id,
                before: Some(&removed),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ID(equipment_id.to_string()))
    }
}

/// The machine `id` and the caller, who must manage its space (managers and above);
/// `NOT_FOUND` when there is no such machine.
async fn managed_machine(ctx: &Context<'_>, id: &ID) -> Result<(Equipment, Uuid), ApiError> {
    let id = parse_id(id, "equipmentId")?;
    let machine = ctx
        .data_unchecked::<Loaders>()
        .equipment_by_id
        .load_one(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("machine".into()))?;
    let actor = policy::require_role(
        ctx,
        caller(ctx),
        machine.makerspace_id,
        MembershipRole::Manager,
    )
    .await?;
    Ok((machine, actor))
}

/// The price list's codes of `requested`, each once, in its order; at least one.
fn known_materials(requested: &[String]) -> Result<Vec<String>, ApiError> {
    let prices = PriceList::standard();
    let mut codes: Vec<String> = Vec::new();
    for name in requested {
        let material = makrx_quoting::materials::find(&prices.materials, name)
            .map_err(|error| ApiError::invalid("materials", error.to_string()))?;
        if !codes.contains(&material.code) {
            codes.push(material.code.clone());
        }
    }
    if codes.is_empty() {
        return Err(ApiError::invalid(
            "materials",
            "must name at least one material",
        ));
    }
    Ok(codes)
}
