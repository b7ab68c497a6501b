//! The material a job used: once printing starts, the space's staff record what it took from
//! their inventory (filament by the gram, resin by the millilitre), as a consumption of that
//! item at the place it was taken from, naming the job. It goes through the one way stock
//! changes (`inventory::record_movement`): the levels follow, stock never goes negative and an
//! item running low is announced. The job's followers hear of it.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::FabricationJobStatus;
use makrx_service::{ApiError, parse_id};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use super::jobs::visible;
use crate::changes::Action;
use crate::inventory::{
    Movement, MovementKind, RecordedMovement, StockMovement, movement_query, record_movement,
};
use crate::loaders::Loaders;
use crate::policy::{self, MembershipRole};

#[derive(InputObject)]
pub struct RecordFabricationMaterialInput {
    pub job_id: ID,
    /// An inventory item of the job's space.
    pub item_id: ID,
    /// The place it was taken from.
    pub location_id: ID,
    /// More than zero, in the item's unit.
    pub quantity: Decimal,
}

/// Refuses a material record for a job in `status` unless its printing has started.
fn check_printed(status: FabricationJobStatus) -> Result<(), ApiError> {
    match status {
        FabricationJobStatus::Printing
        | FabricationJobStatus::PostProcessing
        | FabricationJobStatus::Ready
        | FabricationJobStatus::Shipped
        | FabricationJobStatus::Delivered => Ok(()),
        other => Err(ApiError::Conflict(format!(
            "a job that is {} has used no material: record it once printing starts",
            other.words()
        ))),
    }
}

#[derive(Default)]
pub struct MaterialMutation;

#[Object(guard = "SignedIn")]
impl MaterialMutation {
    /// Records material a job used (printing, or further along): a consumption of an item of
    /// the job's space, at the place it was taken from, naming the order and the file; the
    /// staff (and above) of its space and platform admins. Taking more than the place holds is
    /// `CONFLICT`, saying how much there is. The answer is the movement and the item as it now
    /// stands.
    async fn record_fabrication_material(
        &self,
        ctx: &Context<'_>,
        input: RecordFabricationMaterialInput,
    ) -> Result<RecordedMovement, ApiError> {
        let job_id = parse_id(&input.job_id, "jobId")?;
        let item_id = parse_id(&input.item_id, "itemId")?;
        let location = parse_id(&input.location_id, "locationId")?;
        let job = visible(ctx, job_id).await?;
        let space = job.makerspace_id.ok_or_else(|| {
            ApiError::Conflict("no makerspace has this job: it used no material".into())
        })?;
        let actor = policy::require_role(ctx, caller(ctx), space, MembershipRole::Staff).await?;
        check_printed(job.status)?;
        let item = ctx
            .data_unchecked::<Loaders>()
            .inventory_items
            .load_one(item_id)
            .await?;
        if item.is_none_or(|item| item.makerspace_id != space) {
            return Err(ApiError::invalid(
                "itemId",
                "is not an item of the job's makerspace's inventory",
            ));
        }
        let reason = format!(
            "Order #{}: {} × {}",
            job.order_number, job.file_name, job.quantity
        );
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let recorded = record_movement(
            &mut tx,
            Movement {
                item_id,
                kind: MovementKind::Consume,
                quantity: input.quantity,
                location,
                to_location: None,
                member: None,
                reason: &reason,
                actor,
                fabrication_job: Some(job.id),
            },
        )
        .await?;
        // The space's other screens follow the job: they hear of it too.
        job.record(
            &mut tx,
            actor,
            Action::FABRICATION_JOB_MATERIAL_RECORDED,
            Some(&job),
        )
        .await?;
        tx.commit().await?;
        Ok(recorded)
    }
}

/// Loads the material jobs used, in the order it was recorded.
pub struct MaterialByJob(pub PgPool);

impl Loader<Uuid> for MaterialByJob {
    type Value = Vec<StockMovement>;
    type Error = ApiError;

    async fn load(&self, jobs: &[Uuid]) -> Result<HashMap<Uuid, Vec<StockMovement>>, ApiError> {
        let used = movement_query!(
            r#"from makrcave.stock_movements m
               join makrcave.inventory_locations l on l.id = m.location_id
               left join makrcave.inventory_locations t on t.id = m.to_location_id
               where m.fabrication_job_id = any($1)
               order by m.recorded_at, m.id"#,
            jobs
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(used, |movement| {
            movement.fabrication_job_id.unwrap_or_default()
        }))
    }
}
