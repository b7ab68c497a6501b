//! Lending tools: a space's staff mark an item lendable, gated (as machines are) by a skill
//! at a level, and lend it to a member who holds that level until it is due back. The units
//! leave as an issue to the member and return as a receipt, by `record_movement`, so stock and
//! loans never disagree; a return records the tool's condition. An overdue loan is announced
//! (`tool_loan.overdue`) once a day until it is returned.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::connection::Connection;
use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, error::on_constraint, paging, parse_id};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    InventoryItem, Movement, MovementKind, item_access, record, record_movement, space_access, text,
};
use crate::changes::{self, Action, Change, SYSTEM};
use crate::equipment::SkillGate;
use crate::loaders::Loaders;
use crate::members::User;
use crate::policy::{self, MembershipRole};
use crate::skills::{Grant, Holder, RequiredLevel, Skill};

/// The longest a loan may run.
const MAX_LOAN_DAYS: i64 = 365;

/// How a tool came back.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ToolCondition {
    /// As it went out.
    Good,
    /// Used, still fit to lend.
    Worn,
    /// Needs repair before it goes out again.
    Damaged,
    /// Not coming back: nothing returns to stock.
    Lost,
}

/// What borrowing an item takes.
#[derive(Clone, Debug, SimpleObject)]
pub struct ToolLending {
    /// The skill and lowest level a member needs to borrow it; none when anyone may.
    pub skill_gate: Option<SkillGate>,
}

/// A tool lent to a member.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct ToolLoan {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub item_id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Uuid,
    #[graphql(skip)]
    pub member_id: Uuid,
    /// How many, in the item's unit.
    pub quantity: Decimal,
    /// Which one, for a tool told apart by its serial number.
    pub serial: Option<String>,
    #[graphql(skip)]
    pub location_id: Uuid,
    #[graphql(skip)]
    pub lent_by: Uuid,
    pub lent_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
    /// How it came back; none while it is out.
    pub condition: Option<ToolCondition>,
    /// What staff noted when it came back.
    pub condition_note: String,
    #[graphql(skip)]
    pub received_by: Option<Uuid>,
    #[graphql(skip)]
    pub reminded_on: Option<NaiveDate>,
}

#[ComplexObject]
impl ToolLoan {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The tool.
    async fn item(&self, ctx: &Context<'_>) -> Result<InventoryItem, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .inventory_items
            .load_one(self.item_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("inventory item".into()))
    }

    /// Who has it.
    async fn member(&self) -> User {
        User { id: self.member_id }
    }

    /// Who lent it.
    async fn lent_by(&self) -> User {
        User { id: self.lent_by }
    }

    /// Whether it is out past its due time.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        self.returned_at.is_none() && self.due_at < ctx.data_unchecked::<Clock>().now()
    }
}

const LOAN_COLUMNS: &str = "id, item_id, makerspace_id, member_id, quantity, serial, location_id, \
     lent_by, lent_at, due_at, returned_at, condition, condition_note, received_by, reminded_on";

/// Who borrows from a space, and what: staff and above see all of it.
#[derive(Default)]
pub struct LendingQuery;

#[Object(guard = "SignedIn")]
impl LendingQuery {
    /// A space's loans (or one item's), a page at a time, for its staff and above: those
    /// out, soonest due first (the overdue ones lead), or all of them, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn tool_loans(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        #[graphql(desc = "Only the loans of this item.")] item_id: Option<ID>,
        #[graphql(default = true)] outstanding_only: bool,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, ToolLoan>, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        let item = item_id.map(|id| parse_id(&id, "itemId")).transpose()?;
        space_access(ctx, space, MembershipRole::Staff).await?;
        let first = paging::page_size(first)?;
        let after = paging::id_after(after.as_deref())?;
        // Out: by due time; all: newest first. Each keyset by the order's columns and the id.
        let order = if outstanding_only {
            "returned_at is null
             and ($3::uuid is null or (due_at, id) > (select due_at, id from makrcave.tool_loans
                                                      where id = $3 and makerspace_id = $1))
             order by due_at, id"
        } else {
            "($3::uuid is null or (lent_at, id) < (select lent_at, id from makrcave.tool_loans
                                                   where id = $3 and makerspace_id = $1))
             order by lent_at desc, id desc"
        };
        let sql = format!(
            "select {LOAN_COLUMNS} from makrcave.tool_loans
             where makerspace_id = $1 and ($4::uuid is null or item_id = $4) and {order} limit $2"
        );
        let page: Vec<ToolLoan> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(space)
            .bind(first as i64 + 1)
            .bind(after)
            .bind(item)
            .fetch_all(ctx.data_unchecked::<PgPool>())
            .await?;
        Ok(paging::connection_by_id(page, first, after, |loan| loan.id))
    }

    /// The signed-in member's loans in every space, those out (soonest due first) or all of
    /// them (newest first); the latest 100.
    async fn my_tool_loans(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true)] outstanding_only: bool,
    ) -> Result<Vec<ToolLoan>, ApiError> {
        let me = caller(ctx).user()?.id;
        let order = if outstanding_only {
            "and returned_at is null order by due_at, id"
        } else {
            "order by lent_at desc, id desc"
        };
        let sql = format!(
            "select {LOAN_COLUMNS} from makrcave.tool_loans where member_id = $1 {order} limit 100"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(me)
            .fetch_all(ctx.data_unchecked::<PgPool>())
            .await?)
    }
}

/// Whether an item is lent, and the skill borrowing it takes.
#[derive(InputObject)]
pub struct SetToolLendingInput {
    pub item_id: ID,
    /// Whether members may borrow it.
    pub lendable: bool,
    /// The skill borrowing it takes; none when anyone may.
    pub skill_id: Option<ID>,
    /// The lowest level of that skill, by its name (`basic`).
    pub level: Option<String>,
}

/// A loan to make.
#[derive(InputObject)]
pub struct LendToolInput {
    pub item_id: ID,
    /// The member who borrows it (a user id).
    pub member_id: ID,
    /// Where it is taken from.
    pub location_id: ID,
    /// When it is due back: later than now, within a year.
    pub due_at: DateTime<Utc>,
    /// How many, in the item's unit.
    #[graphql(default_with = "Decimal::ONE")]
    pub quantity: Decimal,
    /// Which one, for a tool told apart by its serial number (one at a time then).
    pub serial: Option<String>,
}

/// A tool coming back.
#[derive(InputObject)]
pub struct ReturnToolInput {
    pub loan_id: ID,
    pub condition: ToolCondition,
    /// What staff noticed: `chuck sticks`.
    #[graphql(default)]
    pub note: String,
    /// Where it goes back to; where it was taken from when left out. None returns for `LOST`.
    pub location_id: Option<ID>,
}

#[derive(Default)]
pub struct LendingMutation;

#[Object(guard = "SignedIn")]
impl LendingMutation {
    /// Marks an item lendable or not, and the skill at the level borrowing it takes; staff
    /// and above.
    async fn set_tool_lending(
        &self,
        ctx: &Context<'_>,
        input: SetToolLendingInput,
    ) -> Result<InventoryItem, ApiError> {
        let item_id = parse_id(&input.item_id, "itemId")?;
        let skill_id = input
            .skill_id
            .as_ref()
            .map(|id| parse_id(id, "skillId"))
            .transpose()?;
        let (space, actor) = item_access(ctx, item_id, MembershipRole::Staff).await?;
        let db = ctx.data_unchecked::<PgPool>();
        let gate = Skill::gate_in(db, space, skill_id, input.level.as_deref()).await?;
        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            Lending,
            "select lendable, required_skill_id, required_level from makrcave.inventory_items
             where id = $1 for update",
            item_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            Lending,
            "update makrcave.inventory_items
             set lendable = $2, required_skill_id = $3, required_level = $4, updated_at = now()
             where id = $1
             returning lendable, required_skill_id, required_level",
            item_id,
            input.lendable,
            gate.map(|(skill, _)| skill),
            gate.map(|(_, level)| level),
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::TOOL_LENDING_SET,
                entity_id: item_id,
                makerspace_id: space,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        let item = super::read_item(&mut tx, item_id).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Lends a tool to a member of its space who holds the skill it takes, until `dueAt`: the
    /// units leave the place as an issue to them. Staff and above.
    async fn lend_tool(
        &self,
        ctx: &Context<'_>,
        input: LendToolInput,
    ) -> Result<ToolLoan, ApiError> {
        let item_id = parse_id(&input.item_id, "itemId")?;
        let member = parse_id(&input.member_id, "memberId")?;
        let location = parse_id(&input.location_id, "locationId")?;
        let serial = input
            .serial
            .as_deref()
            .map(|serial| text("serial", serial, 64))
            .transpose()?;
        if serial.is_some() && input.quantity != Decimal::ONE {
            return Err(ApiError::invalid(
                "quantity",
                "must be 1 for a tool told apart by its serial number",
            ));
        }
        let now = ctx.data_unchecked::<Clock>().now();
        if input.due_at <= now {
            return Err(ApiError::invalid("dueAt", "must be later than now"));
        }
        if input.due_at > now + chrono::Duration::days(MAX_LOAN_DAYS) {
            return Err(ApiError::invalid(
                "dueAt",
                format!("must be within {MAX_LOAN_DAYS} days"),
            ));
        }
        let (space, actor) = item_access(ctx, item_id, MembershipRole::Staff).await?;
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let borrower = Borrower::read(&mut tx, item_id, member).await?;
        borrower.may_borrow(input.due_at)?;
        let reason = format!(
            "lent until {}",
            input
                .due_at
                .with_timezone(&borrower.zone)
                .format("%Y-%m-%d %H:%M")
        );
        record_movement(
            &mut tx,
            Movement {
                item_id,
                kind: MovementKind::Issue,
                quantity: input.quantity,
                location,
                to_location: None,
                member: Some(member),
                reason: &reason,
                actor,
                fabrication_job: None,
            },
        )
        .await?;
        let sql = format!(
            "insert into makrcave.tool_loans
                 (id, item_id, makerspace_id, member_id, quantity, serial, location_id, lent_by,
                  lent_at, due_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             returning {LOAN_COLUMNS}"
        );
        let loan: ToolLoan = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Uuid::now_v7())
            .bind(item_id)
            .bind(space)
            .bind(member)
            .bind(input.quantity.normalize())
            .bind(serial)
            .bind(location)
            .bind(actor)
            .bind(now)
            .bind(input.due_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| {
                on_constraint(err, "tool_loans_one_serial_out", || {
                    ApiError::Conflict(format!(
                        "{} {} is out on another loan",
                        borrower.name,
                        serial.unwrap_or_default()
                    ))
                })
            })?;
        record(&mut tx, actor, Action::TOOL_LENT, loan.id, space, &loan).await?;
        tx.commit().await?;
        Ok(loan)
    }

    /// Takes a tool back, noting its condition: unless it is lost, the units return to the
    /// place given (where it was taken from by default) as a receipt. Staff and above.
    async fn return_tool(
        &self,
        ctx: &Context<'_>,
        input: ReturnToolInput,
    ) -> Result<ToolLoan, ApiError> {
        let loan_id = parse_id(&input.loan_id, "loanId")?;
        let location = input
            .location_id
            .as_ref()
            .map(|id| parse_id(id, "locationId"))
            .transpose()?;
        let note = input.note.trim();
        if note.chars().count() > 500 {
            return Err(ApiError::invalid("note", "must be at most 500 characters"));
        }
        if input.condition == ToolCondition::Lost && location.is_some() {
            return Err(ApiError::invalid(
                "locationId",
                "is for a tool that comes back, not a lost one",
            ));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let space = sqlx::query_scalar!(
            "select makerspace_id from makrcave.tool_loans where id = $1",
            loan_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("tool loan".into()))?;
        let actor =
            policy::require_inside(ctx, caller(ctx), space, MembershipRole::Staff, "tool loan")
                .await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = db.begin().await?;
        let sql =
            format!("select {LOAN_COLUMNS} from makrcave.tool_loans where id = $1 for update");
        let loan: ToolLoan = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(loan_id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(returned_at) = loan.returned_at {
            return Err(ApiError::Conflict(format!(
                "it came back already, at {returned_at}"
            )));
        }
        if input.condition != ToolCondition::Lost {
            let reason = match note {
                "" => format!("returned {}", condition_words(input.condition)),
                note => format!("returned {}: {note}", condition_words(input.condition)),
            };
            record_movement(
                &mut tx,
                Movement {
                    item_id: loan.item_id,
                    kind: MovementKind::Receive,
                    quantity: loan.quantity,
                    location: location.unwrap_or(loan.location_id),
                    to_location: None,
                    member: None,
                    reason: &reason,
                    actor,
                    fabrication_job: None,
                },
            )
            .await?;
        }
        let sql = format!(
            "update makrcave.tool_loans
             set returned_at = $2, condition = $3, condition_note = $4, received_by = $5
             where id = $1
             returning {LOAN_COLUMNS}"
        );
        let returned: ToolLoan = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(loan_id)
            .bind(now)
            .bind(input.condition)
            .bind(note)
            .bind(actor)
            .fetch_one(&mut *tx)
            .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::TOOL_RETURNED,
                entity_id: loan_id,
                makerspace_id: space,
                before: Some(&loan),
                after: Some(&returned),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(returned)
    }
}

/// A condition as a movement's reason tells it.
fn condition_words(condition: ToolCondition) -> &'static str {
    match condition {
        ToolCondition::Good => "in good condition",
        ToolCondition::Worn => "worn",
        ToolCondition::Damaged => "damaged",
        ToolCondition::Lost => "lost",
    }
}

/// An item's lending terms as the audit log keeps them.
#[derive(Serialize)]
struct Lending {
    lendable: bool,
    required_skill_id: Option<Uuid>,
    required_level: Option<i16>,
}

/// A member about to borrow an item, read with the item's lending terms.
struct Borrower {
    name: String,
    lendable: bool,
    /// Whether they are a member of the item's space, and suspended there.
    membership: Option<bool>,
    gate: Option<RequiredLevel>,
    grant: Option<Grant>,
    zone: chrono_tz::Tz,
}

impl Borrower {
    async fn read(tx: &mut PgConnection, item_id: Uuid, member: Uuid) -> Result<Self, ApiError> {
        let row = sqlx::query!(
            r#"select i.name, i.lendable, i.required_level, m.time_zone,
                      s.name as "skill_name?", s.levels as "skill_levels?",
                      ms.suspended_at is not null as "suspended?",
                      ms.user_id is not null as "member!",
                      g.level as "granted_level?", g.expires_at as "grant_expires_at?"
               from makrcave.inventory_items i
               join makrcave.makerspaces m on m.id = i.makerspace_id
               left join makrcave.skills s on s.id = i.required_skill_id
               left join makrcave.memberships ms
                   on ms.makerspace_id = i.makerspace_id and ms.user_id = $2
               left join makrcave.skill_grants g
                   on g.skill_id = i.required_skill_id and g.user_id = $2
               where i.id = $1"#,
            item_id,
            member,
        )
        .fetch_one(&mut *tx)
        .await?;
        let zone = row.time_zone.parse().map_err(|_| {
            ApiError::internal(format_args!("the time zone {:?} is unknown", row.time_zone))
        })?;
        Ok(Self {
            name: row.name,
            lendable: row.lendable,
            membership: row.member.then(|| row.suspended.unwrap_or(false)),
            gate: match (row.skill_name, row.skill_levels, row.required_level) {
                (Some(skill), Some(levels), Some(level)) => {
                    Some(RequiredLevel::new(skill, levels, level))
                }
                _ => None,
            },
            grant: row.granted_level.map(|level| Grant {
                level,
                expires_at: row.grant_expires_at,
            }),
            zone,
        })
    }

    /// Refuses a loan of an item that is not lent, to someone outside the space or suspended
    /// there, or who lacks its skill at its level until it is due.
    fn may_borrow(&self, due_at: DateTime<Utc>) -> Result<(), ApiError> {
        if !self.lendable {
            return Err(ApiError::invalid(
                "itemId",
                format!("{} is not lent out: mark it lendable first", self.name),
            ));
        }
        match self.membership {
            None => {
                return Err(ApiError::invalid(
                    "memberId",
                    "is not a member of the makerspace",
                ));
            }
            Some(true) => {
                return Err(ApiError::Forbidden(
                    "their membership of this makerspace is suspended".into(),
                ));
            }
            Some(false) => {}
        }
        let Some(gate) = &self.gate else {
            return Ok(());
        };
        gate.admits(
            &format!("borrowing {}", self.name),
            Holder::Other,
            self.grant,
            due_at,
            |at| {
                at.with_timezone(&self.zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            },
        )
    }
}

/// What borrowing the item takes; none when it is not lent.
pub async fn lending_of(ctx: &Context<'_>, item_id: Uuid) -> Result<Option<ToolLending>, ApiError> {
    let loaders = ctx.data_unchecked::<Loaders>();
    let Some(terms) = loaders.lending.load_one(item_id).await? else {
        return Ok(None);
    };
    let skill_gate = match terms {
        None => None,
        Some((skill_id, level)) => {
            let skill = loaders.skills.load_one(skill_id).await?.ok_or_else(|| {
                ApiError::internal(format_args!(
                    "the skill {skill_id} gating item {item_id} is missing"
                ))
            })?;
            Some(SkillGate {
                level: skill.level_name(level).to_owned(),
                skill,
            })
        }
    };
    Ok(Some(ToolLending { skill_gate }))
}

/// Loads lendable items' terms: the skill and level borrowing each takes, if any.
pub struct LendingByItem(pub PgPool);

impl Loader<Uuid> for LendingByItem {
    type Value = Option<(Uuid, i16)>;
    type Error = ApiError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, ApiError> {
        let rows = sqlx::query!(
            "select id, required_skill_id, required_level from makrcave.inventory_items
             where id = any($1) and lendable",
            keys
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.id, row.required_skill_id.zip(row.required_level)))
            .collect())
    }
}

/// Announces each loan out past its due time (`tool_loan.overdue`) that was not announced yet
/// on `now`'s day (UTC): once a day until it is returned. Answers how many were.
pub async fn remind_overdue(db: &PgPool, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut tx = db.begin().await?;
    let sql = format!(
        "update makrcave.tool_loans set reminded_on = $2
         where returned_at is null and due_at < $1 and reminded_on is distinct from $2
         returning {LOAN_COLUMNS}"
    );
    let overdue: Vec<ToolLoan> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(now.date_naive())
        .fetch_all(&mut *tx)
        .await?;
    for loan in &overdue {
        changes::record(
            &mut tx,
            Change {
                actor: SYSTEM,
                action: Action::TOOL_OVERDUE,
                entity_id: loan.id,
                makerspace_id: loan.makerspace_id,
                before: None,
                after: Some(loan),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(overdue.len())
}

/// Every ten minutes, announces the loans that became overdue or were not announced yet today,
/// until the pool closes.
pub async fn remind_overdue_loans(db: PgPool, clock: Clock) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    while !db.is_closed() {
        every.tick().await;
        match remind_overdue(&db, clock.now()).await {
            Ok(0) => {}
            Ok(reminded) => tracing::info!(reminded, "overdue tool loans announced"),
            Err(err) => {
                tracing::warn!(error = ?err, "overdue tool loans not announced; trying again")
            }
        }
    }
}
