//! Makerspaces: the `Makerspace` entity, the network's list of them, and founding one.

use std::collections::HashMap;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Days, NaiveDate, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::outbox::FabricationJobStatus;
use makrx_service::{ApiError, Caller, FieldError, error::on_constraint, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{BookingRules, LocalDay, OpeningHours, TimeZone};
use crate::changes::{self, Action, Change};
use crate::equipment::Equipment;
use crate::fabrication::{self, FabricationJob, FabricationService};
use crate::loaders::Loaders;
use crate::members::User;
use crate::policy;
use crate::policy::MembershipRole;

/// A makerspace of the network.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Makerspace {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub location: String,
    pub owner_id: Uuid,
    pub time_zone: TimeZone,
    pub is_public: bool,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

/// A makerspace of the network.
impl Makerspace {
    /// The space `id` that a machine, membership, invitation or blackout points at, through
    /// the request's loader; a space that is gone is a broken reference, not a refusal.
    pub async fn referenced(ctx: &Context<'_>, id: Uuid) -> Result<Self, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .makerspaces
            .load_one(id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("the makerspace {id} is missing")))
    }
}

#[Object]
impl Makerspace {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    /// The space's address in URLs (`/spaces/<slug>`).
    async fn slug(&self) -> &str {
        &self.slug
    }

    async fn description(&self) -> &str {
        &self.description
    }

    async fn location(&self) -> &str {
        &self.location
    }

    async fn owner(&self) -> User {
        User { id: self.owner_id }
    }

    /// The space's machines, by name.
    async fn equipment(&self, ctx: &Context<'_>) -> Result<Vec<Equipment>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .equipment
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// The IANA time zone its opening hours and calendars are in (`Europe/Berlin`).
    async fn time_zone(&self) -> &str {
        self.time_zone.0.name()
    }

    /// `count` local days from `from` (1 to 31): where each begins and ends in the space's
    /// time zone, and its hours. Draw a calendar by these: a day is 23 or 25 hours long when
    /// the clocks change.
    async fn days(&self, from: NaiveDate, count: i32) -> Result<Vec<LocalDay>, ApiError> {
        if !(1..=31).contains(&count) {
            return Err(ApiError::invalid("count", "must be between 1 and 31"));
        }
        (0..=count as u64)
            .map(|n| from.checked_add_days(Days::new(n)))
            .collect::<Option<Vec<_>>>()
            .map(|dates| {
                dates
                    .windows(2)
                    .map(|day| LocalDay::of(self.time_zone.0, day[0], day[1]))
                    .collect()
            })
            .ok_or_else(|| ApiError::invalid("from", "is too far in the future"))
    }

    /// Whether people outside the space may see it and its machines.
    async fn is_public(&self) -> bool {
        self.is_public
    }

    /// The currency its prices are in (ISO 4217).
    async fn currency(&self) -> &str {
        &self.currency
    }

    /// What the space makes for the store's customers, if it offers to.
    async fn fabrication_service(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<FabricationService>, ApiError> {
        fabrication::of_space(ctx, self.id).await
    }

    /// The store customers' parts dispatched to the space, in `statuses` (all when none),
    /// soonest due first; its staff and above. Every job still under way is listed; one over
    /// (delivered, declined or cancelled) only if it was last changed from `overSince` on, by
    /// default 30 days ago.
    async fn fabrication_jobs(
        &self,
        ctx: &Context<'_>,
        statuses: Option<Vec<FabricationJobStatus>>,
        over_since: Option<DateTime<Utc>>,
    ) -> Result<Vec<FabricationJob>, ApiError> {
        fabrication::dispatched_to(ctx, self.id, statuses, over_since).await
    }

    /// When the space is open each week, in its local time; none means around the clock.
    async fn opening_hours(&self, ctx: &Context<'_>) -> Result<Vec<OpeningHours>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .opening_hours
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// What members may book and cancel; members of the space only.
    async fn booking_rules(&self, ctx: &Context<'_>) -> Result<BookingRules, ApiError> {
        policy::require_role(ctx, caller(ctx), self.id, MembershipRole::Member).await?;
        BookingRules::of(ctx, self.id).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// How many makerspaces the caller may see in all, beside the page of them.
pub struct MakerspaceTotal(Caller);

#[Object]
impl MakerspaceTotal {
    /// The number of makerspaces in the network that the caller may see.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let count = sqlx::query_scalar!(
            r#"select count(*) as "count!" from makrcave.makerspaces
               where makrcave.may_see_space(id, $1, $2)"#,
            self.0.user_id(),
            self.0.is_admin(),
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(count)
    }
}

/// The most makerspaces one page holds, and how many when `first` is not given.
const MAX_PAGE: i32 = 100;
const DEFAULT_PAGE: i32 = 20;

#[derive(Default)]
pub struct MakerspaceQuery;

#[Object]
impl MakerspaceQuery {
    /// The network's makerspaces that the caller may see (public ones, their own), oldest
    /// first, a page at a time.
    async fn makerspaces(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Makerspace, MakerspaceTotal>, ApiError> {
        let first = first.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(ApiError::invalid(
                "first",
                format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        let after = after
            .map(|cursor| {
                cursor
                    .parse::<Uuid>()
                    .map_err(|_| ApiError::invalid("after", "is not a cursor of this list"))
            })
            .transpose()?;
        let caller = caller(ctx);
        let mut page = sqlx::query_as!(
            Makerspace,
            r#"select id, name, slug, description, location, owner_id, time_zone as "time_zone: TimeZone", is_public, currency, created_at
             from makrcave.makerspaces
             where ($1::uuid is null or id > $1) and makrcave.may_see_space(id, $3, $4)
             order by id limit $2"#,
            after,
            i64::from(first) + 1,
            caller.user_id(),
            caller.is_admin(),
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let has_next = page.len() > first as usize;
        page.truncate(first as usize);
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_next,
            MakerspaceTotal(caller.clone()),
        );
        connection.edges.extend(
            page.into_iter()
                .map(|space| Edge::new(space.id.to_string(), space)),
        );
        Ok(connection)
    }

    /// A makerspace by its slug.
    async fn makerspace(&self, ctx: &Context<'_>, slug: String) -> Result<Makerspace, ApiError> {
        let caller = caller(ctx);
        sqlx::query_as!(
            Makerspace,
            r#"select id, name, slug, description, location, owner_id, time_zone as "time_zone: TimeZone", is_public, currency, created_at
             from makrcave.makerspaces
             where slug = $1 and makrcave.may_see_space(id, $2, $3)"#,
            slug.trim(),
            caller.user_id(),
            caller.is_admin(),
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("makerspace {slug:?}")))
    }

    #[graphql(entity)]
    async fn find_makerspace_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Makerspace>, ApiError> {
        let Ok(id) = parse_id(&id, "id") else {
            return Ok(None);
        };
        ctx.data_unchecked::<Loaders>()
            .makerspaces
            .load_one(id)
            .await
    }
}

/// A new makerspace; the caller becomes its owner.
#[derive(InputObject)]
pub struct CreateMakerspaceInput {
    name: String,
    /// Lowercase letters and digits in words joined by `-`, 2 to 60 characters.
    slug: String,
    description: Option<String>,
    location: Option<String>,
}

/// A new makerspace's details, checked.
struct NewMakerspace {
    name: String,
    slug: String,
    description: String,
    location: String,
}

impl NewMakerspace {
    fn parse(input: CreateMakerspaceInput) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let mut check = |field: &str, ok: bool, message: &str| {
            if !ok {
                problems.push(FieldError {
                    field: field.into(),
                    message: message.into(),
                });
            }
        };
        let name = input.name.trim().to_owned();
        check(
            "name",
            (2..=100).contains(&name.chars().count()),
            "must be 2 to 100 characters",
        );
        let slug = input.slug.trim().to_owned();
        check(
            "slug",
            is_slug(&slug),
            "must be 2 to 60 lowercase letters or digits, in words joined by '-'",
        );
        let description = input.description.unwrap_or_default().trim().to_owned();
        check(
            "description",
            description.chars().count() <= 5_000,
            "must be at most 5,000 characters",
        );
        let location = input.location.unwrap_or_default().trim().to_owned();
        check(
            "location",
            location.chars().count() <= 200,
            "must be at most 200 characters",
        );
        if problems.is_empty() {
            Ok(Self {
                name,
                slug,
                description,
                location,
            })
        } else {
            Err(ApiError::Validation(problems))
        }
    }
}

fn is_slug(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[derive(Default)]
pub struct MakerspaceMutation;

#[Object(guard = "SignedIn")]
impl MakerspaceMutation {
    /// Founds a makerspace, owned by the caller.
    async fn create_makerspace(
        &self,
        ctx: &Context<'_>,
        input: CreateMakerspaceInput,
    ) -> Result<Makerspace, ApiError> {
        let founder = caller(ctx).user()?.id;
        let new = NewMakerspace::parse(input)?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let space = sqlx::query_as!(
            Makerspace,
            r#"insert into makrcave.makerspaces (id, name, slug, description, location, owner_id)
             values ($1, $2, $3, $4, $5, $6)
             returning id, name, slug, description, location, owner_id, time_zone as "time_zone: TimeZone", is_public, currency, created_at"#,
            Uuid::now_v7(),
            new.name,
            new.slug,
            new.description,
            new.location,
            founder,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "makerspaces_slug_key", || {
                ApiError::Conflict(format!(
                    "the slug {:?} is taken by another makerspace",
                    new.slug
                ))
            })
        })?;
        sqlx::query!(
            "insert into makrcave.memberships (makerspace_id, user_id, role) values ($1, $2, $3)",
            space.id,
            founder,
            MembershipRole::Owner as MembershipRole,
        )
        .execute(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor: founder,
                action: Action::MAKERSPACE_CREATED,
                entity_id: space.id,
                makerspace_id: space.id,
                before: None,
                after: Some(&space),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(space)
    }
}

pub struct MakerspaceById(pub PgPool);

impl Loader<Uuid> for MakerspaceById {
    type Value = Makerspace;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Makerspace>, ApiError> {
        let spaces = sqlx::query_as!(
            Makerspace,
            r#"select id, name, slug, description, location, owner_id, time_zone as "time_zone: TimeZone", is_public, currency, created_at
             from makrcave.makerspaces where id = any($1)"#,
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(spaces.into_iter().map(|space| (space.id, space)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::is_slug;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert!(is_slug("fab-lab-42"));
        assert!(!is_slug("Fab-Lab"));
        assert!(!is_slug("fab--lab"));
        assert!(!is_slug("-fab"));
        assert!(!is_slug("f"));
        assert!(!is_slug("fab lab"));
    }
}
