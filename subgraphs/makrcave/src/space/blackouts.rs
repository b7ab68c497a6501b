//! A space's blackouts: closures of the whole space or of one machine. Members see them;
//! managers and above add and lift them.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::policy;
use crate::policy::MembershipRole;
use crate::timetable::Span;

use super::Makerspace;

/// A closure of the whole space or of one machine.
#[derive(Clone, Debug, Serialize, SimpleObject)]
pub struct Blackout {
    pub id: ID,
    /// The machine it closes; none when the whole space is closed.
    pub equipment_id: Option<ID>,
    /// In the space's local time.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub reason: String,
}

/// A closure to add.
#[derive(InputObject)]
pub struct AddBlackoutInput {
    makerspace_id: ID,
    /// The machine to close; leave it out to close the whole space.
    equipment_id: Option<ID>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: Option<String>,
}

/// A closure to lift.
#[derive(InputObject)]
pub struct RemoveBlackoutInput {
    blackout_id: ID,
}

#[derive(Default)]
pub struct BlackoutQuery;

#[Object]
impl BlackoutQuery {
    /// The space's blackouts that have not ended yet, soonest first; its members only.
    async fn blackouts(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Vec<Blackout>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Member).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let zone = Makerspace::referenced(ctx, makerspace_id)
            .await?
            .time_zone
            .0;
        let rows = sqlx::query!(
            r#"select id, equipment_id, lower(during) as "starts_at!", upper(during) as "ends_at!", reason
               from makrcave.blackouts where makerspace_id = $1 and upper(during) > $2
               order by lower(during)"#,
            makerspace_id,
            now,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Blackout {
                id: ID(row.id.to_string()),
                equipment_id: row.equipment_id.map(|id| ID(id.to_string())),
                starts_at: row.starts_at.with_timezone(&zone).fixed_offset(),
                ends_at: row.ends_at.with_timezone(&zone).fixed_offset(),
                reason: row.reason,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct BlackoutMutation;

#[Object(guard = "SignedIn")]
impl BlackoutMutation {
    /// Closes the space, or one of its machines, for a while; managers and above.
    async fn add_blackout(
        &self,
        ctx: &Context<'_>,
        input: AddBlackoutInput,
    ) -> Result<Blackout, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let equipment_id = input
            .equipment_id
            .as_ref()
            .map(|id| parse_id(id, "equipmentId"))
            .transpose()?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let span = Span::new(input.starts_at, input.ends_at)
            .ok_or_else(|| ApiError::invalid("endsAt", "must be after startsAt"))?;
        let reason = input.reason.unwrap_or_default().trim().to_owned();
        if reason.chars().count() > 200 {
            return Err(ApiError::invalid(
                "reason",
                "must be at most 200 characters",
            ));
        }
        let db = ctx.data_unchecked::<PgPool>();
        if let Some(equipment_id) = equipment_id {
            let in_space = sqlx::query_scalar!(
                "select makerspace_id from makrcave.equipment where id = $1",
                equipment_id
            )
            .fetch_optional(db)
            .await?;
            if in_space != Some(makerspace_id) {
                return Err(ApiError::NotFound("equipment".into()));
            }
        }
        let zone = Makerspace::referenced(ctx, makerspace_id)
            .await?
            .time_zone
            .0;
        let blackout = Blackout {
            id: ID(Uuid::now_v7().to_string()),
            equipment_id: equipment_id.map(|id| ID(id.to_string())),
            starts_at: span.start.with_timezone(&zone).fixed_offset(),
            ends_at: span.end.with_timezone(&zone).fixed_offset(),
            reason,
        };
        let id = parse_id(&blackout.id, "id")?;
        let mut tx = db.begin().await?;
        sqlx::query!(
            "insert into makrcave.blackouts (id, makerspace_id, equipment_id, during, reason, created_by)
             values ($1, $2, $3, tstzrange($4, $5), $6, $7)",
            id,
            makerspace_id,
            equipment_id,
            span.start,
            span.end,
            blackout.reason,
            actor,
        )
        .execute(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::BLACKOUT_ADDED,
                entity_id: id,
                makerspace_id,
                before: None,
                after: Some(&blackout),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(blackout)
    }

    /// Lifts a closure; managers and above. Answers the id of the lifted blackout.
    async fn remove_blackout(
        &self,
        ctx: &Context<'_>,
        input: RemoveBlackoutInput,
    ) -> Result<ID, ApiError> {
        let blackout_id = parse_id(&input.blackout_id, "blackoutId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let not_found = || ApiError::NotFound("blackout".into());
        let makerspace_id = sqlx::query_scalar!(
            "select makerspace_id from makrcave.blackouts where id = $1",
            blackout_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)?;
        let actor = policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager)
            .await
            .map_err(|_| not_found())?;
        let mut tx = db.begin().await?;
        let removed = sqlx::query!(
            r#"delete from makrcave.blackouts where id = $1
               returning equipment_id, lower(during) as "starts_at!", upper(during) as "ends_at!", reason"#,
            blackout_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
        let zone = Makerspace::referenced(ctx, makerspace_id)
            .await?
            .time_zone
            .0;
        let before = Blackout {
            id: ID(blackout_id.to_string()),
            equipment_id: removed.equipment_id.map(|id| ID(id.to_string())),
            starts_at: removed.starts_at.with_timezone(&zone).fixed_offset(),
            ends_at: removed.ends_at.with_timezone(&zone).fixed_offset(),
            reason: removed.reason,
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::BLACKOUT_REMOVED,
                entity_id: blackout_id,
                makerspace_id,
                before: Some(&before),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(input.blackout_id)
    }
}
