//! Lists of bookings: a member's own, a space's for its staff, and one booking by id, each
//! to those who may see it.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::caller;
use makrx_service::paging::{self, Cursor};
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::PgPool;
use uuid::Uuid;

use super::Reservation;
use crate::policy::{self, MembershipRole};

/// Whether the caller may see this booking: its holder, staff and above of its space, admins.
async fn may_see(ctx: &Context<'_>, reservation: &Reservation) -> Result<bool, ApiError> {
    let caller = caller(ctx);
    Ok(caller.user_id() == Some(reservation.user_id)
        || policy::has_role(
            ctx,
            caller,
            reservation.makerspace_id,
            MembershipRole::Staff,
        )
        .await?)
}

/// Which bookings a list holds, to count them all beside the page of them.
pub enum ReservationTotal {
    /// A member's bookings that end after `from` and start before `to`, if there is one.
    Member {
        user_id: Uuid,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    },
    /// A space's bookings that end after `from` and start before `to`.
    Space {
        makerspace_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}

#[Object]
impl ReservationTotal {
    /// The number of bookings in the whole list, every page together.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let db = ctx.data_unchecked::<PgPool>();
        let count = match *self {
            Self::Member { user_id, from, to } => {
                sqlx::query_scalar!(
                    r#"select count(*) as "count!" from makrcave.reservations r
                       where r.user_id = $1 and r.during && tstzrange($2, $3)
                         and lower(r.during) >= $2 - makrcave.longest_booking()"#,
                    user_id,
                    from,
                    to,
                )
                .fetch_one(db)
                .await?
            }
            Self::Space {
                makerspace_id,
                from,
                to,
            } => {
                sqlx::query_scalar!(
                    r#"select count(*) as "count!" from makrcave.reservations r
                       where r.makerspace_id = $1 and r.during && tstzrange($2, $3)
                         and lower(r.during) >= $2 - makrcave.longest_booking()
                         and lower(r.during) < $3"#,
                    makerspace_id,
                    from,
                    to,
                )
                .fetch_one(db)
                .await?
            }
        };
        Ok(count)
    }
}

/// A page of bookings, fetched with one more than `first` to tell whether another page follows.
fn reservation_page(
    mut page: Vec<Reservation>,
    first: usize,
    after: Option<Cursor>,
    total: ReservationTotal,
) -> Connection<String, Reservation, ReservationTotal> {
    let has_next = page.len() > first;
    page.truncate(first);
    let mut connection = Connection::with_additional_fields(after.is_some(), has_next, total);
    connection.edges.extend(page.into_iter().map(|reservation| {
        let cursor = Cursor {
            at: reservation.starts_at,
            id: reservation.id,
        };
        Edge::new(cursor.encode(), reservation)
    }));
    connection
}

#[derive(Default)]
pub struct ReservationListQuery;

#[Object]
impl ReservationListQuery {
    /// The signed-in caller's bookings in every space, whatever their status, that end after
    /// `from` (default: now) and start before `to` (default: no end), earliest start first, a
    /// page at a time.
    async fn my_reservations(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Reservation, ReservationTotal>, ApiError> {
        let user_id = caller(ctx).user()?.id;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let from = from.unwrap_or_else(|| ctx.data_unchecked::<Clock>().now());
        let page = reservation_query!(
            r#"where r.user_id = $1 and r.during && tstzrange($2, $3)
                 and lower(r.during) >= $2 - makrcave.longest_booking()
                 and ($4::timestamptz is null or (lower(r.during), r.id) > ($4::timestamptz, $5::uuid))
               order by lower(r.during), r.id limit $6"#,
            user_id,
            from,
            to,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let total = ReservationTotal::Member { user_id, from, to };
        Ok(reservation_page(page, first, after, total))
    }

    /// A space's bookings, whatever their status, that end after `from` and start before `to`,
    /// earliest start first, a page at a time; for its staff and above.
    async fn reservations(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Reservation, ReservationTotal>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let page = reservation_query!(
            r#"where r.makerspace_id = $1 and r.during && tstzrange($2, $3)
                 and lower(r.during) >= $2 - makrcave.longest_booking() and lower(r.during) < $3
                 and ($4::timestamptz is null or (lower(r.during), r.id) > ($4::timestamptz, $5::uuid))
               order by lower(r.during), r.id limit $6"#,
            makerspace_id,
            from,
            to,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let total = ReservationTotal::Space {
            makerspace_id,
            from,
            to,
        };
        Ok(reservation_page(page, first, after, total))
    }

    /// One booking: its holder's, or any of the space's for staff and above.
    async fn reservation(&self, ctx: &Context<'_>, id: ID) -> Result<Reservation, ApiError> {
        // Nobody signed in sees any booking: told to sign in, as by every other booking operation.
        caller(ctx).user()?;
        let id = parse_id(&id, "id")?;
        let not_found = || ApiError::NotFound("reservation".into());
        let mut conn = ctx.data_unchecked::<PgPool>().acquire().await?;
        let reservation = Reservation::find(&mut conn, id)
            .await?
            .ok_or_else(not_found)?;
        if may_see(ctx, &reservation).await? {
            Ok(reservation)
        } else {
            Err(not_found())
        }
    }
}
