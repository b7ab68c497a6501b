//! Membership plans: what a member pays, which classes of machine they may book and how many
//! hours a day and a week. Managers define plans and put members on them for a stretch of
//! dates; staff and above book outside any plan.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::equipment::EquipmentClass;
use crate::loaders::Loaders;
use crate::policy;
use crate::policy::MembershipRole;
use crate::space::Makerspace;
use crate::timetable::{Span, local_week_of};

/// How often a plan is paid for.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanPeriod {
    Month,
    Year,
}

/// A membership plan of a space.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    pub period: PlanPeriod,
    pub daily_quota_minutes: Option<i32>,
    pub weekly_quota_minutes: Option<i32>,
    pub equipment_classes: Vec<EquipmentClass>,
}

#[Object]
impl Plan {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    /// The price per period in the currency's minor unit (paise, cents).
    async fn price_minor(&self) -> i64 {
        self.price_minor
    }

    async fn currency(&self) -> &str {
        &self.currency
    }

    async fn period(&self) -> PlanPeriod {
        self.period
    }

    /// Hours a member may book per day (in the space's local time); none means no limit.
    async fn daily_quota_hours(&self) -> Option<f64> {
        self.daily_quota_minutes
            .map(|minutes| f64::from(minutes) / 60.0)
    }

    /// Hours a member may book per week (Monday to Sunday, local time); none means no limit.
    async fn weekly_quota_hours(&self) -> Option<f64> {
        self.weekly_quota_minutes
            .map(|minutes| f64::from(minutes) / 60.0)
    }

    /// The classes of machine the plan lets a member book.
    async fn equipment_classes(&self) -> &[EquipmentClass] {
        &self.equipment_classes
    }
}

/// A member's plan and the dates it runs (local dates, both included).
#[derive(Clone, Debug, Serialize, SimpleObject)]
#[graphql(complex)]
pub struct MemberPlan {
    pub plan: Plan,
    pub user_id: ID,
    pub starts_on: NaiveDate,
    /// The last day it covers; none if it runs on.
    pub ends_on: Option<NaiveDate>,
}

#[ComplexObject]
impl MemberPlan {
    /// Minutes the member has booked in the space's week so far and to come (Monday to Sunday
    /// in its local time), counted as the plan's weekly quota counts them.
    async fn minutes_booked_this_week(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let member = parse_id(&self.user_id, "userId")?;
        let space = self.plan.makerspace_id;
        let zone = Makerspace::referenced(ctx, space).await?.time_zone.0;
        let now = ctx.data_unchecked::<Clock>().now();
        let Some(week) = local_week_of(zone, now) else {
            return Ok(0);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .minutes_booked
            .load_one((space, member, week))
            .await?
            .unwrap_or(0))
    }
}

/// Loads the minutes members have booked in a space within a span, as quotas count them
/// (`makrcave.minutes_booked`), by space, member and span.
pub struct MinutesBooked(pub PgPool);

impl Loader<(Uuid, Uuid, Span)> for MinutesBooked {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid, Span)],
    ) -> Result<HashMap<(Uuid, Uuid, Span), i64>, ApiError> {
        let spaces: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
        let members: Vec<Uuid> = keys.iter().map(|key| key.1).collect();
        let starts: Vec<DateTime<Utc>> = keys.iter().map(|key| key.2.start).collect();
        let ends: Vec<DateTime<Utc>> = keys.iter().map(|key| key.2.end).collect();
        let minutes = sqlx::query_scalar!(
            r#"select (makrcave.minutes_booked(k.member, k.space, array[k.starts], array[k.ends], null))[1]
                      as "minutes!"
               from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[])
                    with ordinality as k(space, member, starts, ends, position)
               order by k.position"#,
            &spaces,
            &members,
            &starts,
            &ends,
        )
        .fetch_all(&self.0)
        .await?;
        Ok(keys.iter().copied().zip(minutes).collect())
    }
}

/// Loads members' plans by space and member.
pub struct MemberPlans(pub PgPool);

impl Loader<(Uuid, Uuid)> for MemberPlans {
    type Value = MemberPlan;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), MemberPlan>, ApiError> {
        let (spaces, users): (Vec<Uuid>, Vec<Uuid>) = keys.iter().copied().unzip();
        let rows = sqlx::query!(
            r#"select p.id, p.makerspace_id, p.name, p.price_minor, p.currency,
                      p.period as "period: PlanPeriod", p.daily_quota_minutes, p.weekly_quota_minutes,
                      p.equipment_classes as "equipment_classes: Vec<EquipmentClass>",
                      m.user_id, m.starts_on, m.ends_on
               from makrcave.member_plans m join makrcave.plans p on p.id = m.plan_id
               where (m.makerspace_id, m.user_id) in
                     (select * from unnest($1::uuid[], $2::uuid[]))"#,
            &spaces,
            &users,
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let plan = MemberPlan {
                    plan: Plan {
                        id: row.id,
                        makerspace_id: row.makerspace_id,
                        name: row.name,
                        price_minor: row.price_minor,
                        currency: row.currency,
                        period: row.period,
                        daily_quota_minutes: row.daily_quota_minutes,
                        weekly_quota_minutes: row.weekly_quota_minutes,
                        equipment_classes: row.equipment_classes,
                    },
                    user_id: ID(row.user_id.to_string()),
                    starts_on: row.starts_on,
                    ends_on: row.ends_on,
                };
                ((row.makerspace_id, row.user_id), plan)
            })
            .collect())
    }
}

#[derive(InputObject)]
pub struct CreatePlanInput {
    makerspace_id: ID,
    /// Unique in the space, 1 to 80 characters.
    name: String,
    /// In the currency's minor unit; 0 for a free plan.
    price_minor: i64,
    /// ISO 4217; the space's currency when left out.
    currency: Option<String>,
    period: PlanPeriod,
    /// Up to 24; leave out for no daily limit.
    daily_quota_hours: Option<f64>,
    /// Up to 168; leave out for no weekly limit.
    weekly_quota_hours: Option<f64>,
    equipment_classes: Vec<EquipmentClass>,
}

#[derive(InputObject)]
pub struct AssignPlanInput {
    makerspace_id: ID,
    user_id: ID,
    plan_id: ID,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

/// Whole minutes of a quota given in hours, if it lies within `max_hours`.
fn quota_minutes(hours: Option<f64>, max_hours: f64) -> Result<Option<i32>, ()> {
    match hours {
        None => Ok(None),
        Some(hours) if hours.is_finite() && hours > 0.0 && hours <= max_hours => {
            Ok(Some((hours * 60.0).round().max(1.0) as i32))
        }
        Some(_) => Err(()),
    }
}

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// A space's plans, by name; its members only.
    async fn plans(&self, ctx: &Context<'_>, makerspace_id: ID) -> Result<Vec<Plan>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Member).await?;
        Ok(sqlx::query_as!(
            Plan,
            r#"select id, makerspace_id, name, price_minor, currency, period as "period: _",
                      daily_quota_minutes, weekly_quota_minutes,
                      equipment_classes as "equipment_classes: _"
               from makrcave.plans where makerspace_id = $1 order by name"#,
            makerspace_id
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }

    /// The caller's plan in a space, if they are on one.
    async fn my_plan(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Option<MemberPlan>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let user_id = caller(ctx).user()?.id;
        ctx.data_unchecked::<Loaders>()
            .member_plans
            .load_one((makerspace_id, user_id))
            .await
    }
}

#[derive(Default)]
pub struct PlanMutation;

#[Object(guard = "SignedIn")]
impl PlanMutation {
    /// Defines a membership plan; managers and above.
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        input: CreatePlanInput,
    ) -> Result<Plan, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let name = input.name.trim().to_owned();
        let currency = input.currency.as_deref().map(str::trim);
        let daily = quota_minutes(input.daily_quota_hours, 24.0);
        let weekly = quota_minutes(input.weekly_quota_hours, 168.0);
        let mut problems = Vec::new();
        let mut check = |field: &str, ok: bool, message: &str| {
            if !ok {
                problems.push(FieldError {
                    field: field.into(),
                    message: message.into(),
                });
            }
        };
        check(
            "name",
            (1..=80).contains(&name.chars().count()),
            "must be 1 to 80 characters",
        );
        check("priceMinor", input.price_minor >= 0, "must not be negative");
        check(
            "currency",
            currency
                .is_none_or(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())),
            "must be a three-letter ISO 4217 code, such as INR",
        );
        check(
            "dailyQuotaHours",
            daily.is_ok(),
            "must be more than 0 and at most 24",
        );
        check(
            "weeklyQuotaHours",
            weekly.is_ok(),
            "must be more than 0 and at most 168",
        );
        check(
            "equipmentClasses",
            !input.equipment_classes.is_empty(),
            "must name at least one class of machine",
        );
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let mut classes = input.equipment_classes;
        classes.sort_by_key(|class| *class as u8);
        classes.dedup();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let plan = sqlx::query_as!(
            Plan,
            r#"insert into makrcave.plans (id, makerspace_id, name, price_minor, currency, period,
                   daily_quota_minutes, weekly_quota_minutes, equipment_classes)
               select $1, $2, $3, $4, coalesce($5, m.currency), $6, $7, $8, $9
               from makrcave.makerspaces m where m.id = $2
               returning id, makerspace_id, name, price_minor, currency, period as "period: _",
                   daily_quota_minutes, weekly_quota_minutes,
                   equipment_classes as "equipment_classes: _""#,
            Uuid::now_v7(),
            makerspace_id,
            name,
            input.price_minor,
            currency,
            input.period as PlanPeriod,
            daily.unwrap_or_default(),
            weekly.unwrap_or_default(),
            &classes as &[EquipmentClass],
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            makrx_service::error::on_constraint(err, "plans_name_per_space_key", || {
                ApiError::Conflict(format!("the makerspace already has a plan named {name:?}"))
            })
        })?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::PLAN_CREATED,
                entity_id: plan.id,
                makerspace_id,
                before: None,
                after: Some(&plan),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// Puts a member on a plan from one date to another, replacing their plan in the space;
    /// managers and above.
    async fn assign_plan(
        &self,
        ctx: &Context<'_>,
        input: AssignPlanInput,
    ) -> Result<MemberPlan, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let user_id = parse_id(&input.user_id, "userId")?;
        let plan_id = parse_id(&input.plan_id, "planId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        if input
            .ends_on
            .is_some_and(|ends_on| ends_on < input.starts_on)
        {
            return Err(ApiError::invalid("endsOn", "must not be before startsOn"));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let plan = sqlx::query_as!(
            Plan,
            r#"select id, makerspace_id, name, price_minor, currency, period as "period: _",
                      daily_quota_minutes, weekly_quota_minutes,
                      equipment_classes as "equipment_classes: _"
               from makrcave.plans where id = $1 and makerspace_id = $2"#,
            plan_id,
            makerspace_id,
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("plan".into()))?;
        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            Assignment,
            "select user_id, plan_id, starts_on, ends_on from makrcave.member_plans
             where makerspace_id = $1 and user_id = $2 for update",
            makerspace_id,
            user_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            Assignment,
            "insert into makrcave.member_plans (makerspace_id, user_id, plan_id, starts_on, ends_on)
             values ($1, $2, $3, $4, $5)
             on conflict (makerspace_id, user_id) do update
             set plan_id = excluded.plan_id, starts_on = excluded.starts_on,
                 ends_on = excluded.ends_on, updated_at = now()
             returning user_id, plan_id, starts_on, ends_on",
            makerspace_id,
            user_id,
            plan_id,
            input.starts_on,
            input.ends_on,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            makrx_service::error::on_constraint(
                err,
                "member_plans_makerspace_id_user_id_fkey",
                || ApiError::NotFound("member".into()),
            )
        })?;
        let assigned = MemberPlan {
            plan,
            user_id: ID(user_id.to_string()),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::PLAN_ASSIGNED,
                entity_id: user_id,
                makerspace_id,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(assigned)
    }
}

/// A member's plan, as the audit log keeps it before and after a change.
#[derive(Serialize)]
struct Assignment {
    user_id: Uuid,
    plan_id: Uuid,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::quota_minutes;

    #[test]
    fn quotas_are_whole_minutes_within_their_limit() {
        assert_eq!(quota_minutes(Some(2.5), 24.0), Ok(Some(150)));
        assert_eq!(quota_minutes(None, 24.0), Ok(None));
        assert!(quota_minutes(Some(0.0), 24.0).is_err());
        assert!(quota_minutes(Some(25.0), 24.0).is_err());
        assert!(quota_minutes(Some(f64::NAN), 24.0).is_err());
    }
}
