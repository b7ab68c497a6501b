//! Invitations: managers and above invite a person by email with a role; that person, signed
//! in with the same verified email, sees the invitation (`myInvitations`) and accepts or declines
//! it before it expires. To anyone else an invitation does not exist.

mod actions;

pub use actions::InvitationMutation;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, TimeDelta, Utc};
use makrx_service::graphql::caller;
use makrx_service::paging::{self, Cursor};
use makrx_service::{ApiError, CallerUser, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::email::Email;
use crate::members::User;
use crate::policy;
use crate::policy::MembershipRole;
use crate::space::Makerspace;

/// How long an invitation may be accepted after it is sent.
const INVITATION_LIFETIME: TimeDelta = TimeDelta::days(14);

/// Where an invitation stands, as the database keeps it; expiry is decided by the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Pending,
    Accepted,
    Declined,
    Revoked,
}

/// Where an invitation stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    /// Waiting for the invited person.
    Pending,
    Accepted,
    Declined,
    /// Withdrawn by the space.
    Revoked,
    /// Not answered in time.
    Expired,
}

/// An invitation to join a makerspace in a role.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub email: String,
    pub role: MembershipRole,
    pub invited_by: Uuid,
    #[serde(rename = "status")]
    pub state: InvitationState,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl Invitation {
    /// Where the invitation stands at `now`.
    pub fn status_at(&self, now: DateTime<Utc>) -> InvitationStatus {
        match self.state {
            InvitationState::Pending if now >= self.expires_at => InvitationStatus::Expired,
            InvitationState::Pending => InvitationStatus::Pending,
            InvitationState::Accepted => InvitationStatus::Accepted,
            InvitationState::Declined => InvitationStatus::Declined,
            InvitationState::Revoked => InvitationStatus::Revoked,
        }
    }

    /// Refuses answering or revoking an invitation that is no longer pending at `now`.
    fn require_pending(&self, now: DateTime<Utc>) -> Result<(), ApiError> {
        let gone = match self.status_at(now) {
            InvitationStatus::Pending => return Ok(()),
            InvitationStatus::Expired => "the invitation has expired",
            InvitationStatus::Accepted => "the invitation was already accepted",
            InvitationStatus::Declined => "the invitation was declined",
            InvitationStatus::Revoked => "the invitation was revoked",
        };
        Err(ApiError::Conflict(gone.into()))
    }
}

/// An invitation to join a makerspace in a role.
#[Object]
impl Invitation {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Makerspace, ApiError> {
        Makerspace::referenced(ctx, self.makerspace_id).await
    }

    /// The address invited, lower-cased.
    async fn email(&self) -> &str {
        &self.email
    }

    /// The role the person has once they accept.
    async fn role(&self) -> MembershipRole {
        self.role
    }

    async fn status(&self, ctx: &Context<'_>) -> InvitationStatus {
        self.status_at(ctx.data_unchecked::<Clock>().now())
    }

    async fn invited_by(&self) -> User {
        User {
            id: self.invited_by,
        }
    }

    /// Until when the invitation may be accepted.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// How many invitations a space has sent in all, beside the page of them.
pub struct InvitationTotal {
    makerspace_id: Uuid,
}

#[Object]
impl InvitationTotal {
    /// The number of invitations the space has sent, whatever became of them.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let count = sqlx::query_scalar!(
            r#"select count(*) as "count!" from makrcave.invitations where makerspace_id = $1"#,
            self.makerspace_id
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(count)
    }
}

#[derive(Default)]
pub struct InvitationQuery;

#[Object]
impl InvitationQuery {
    /// The invitations a makerspace has sent, newest first, a page at a time; for its managers
    /// and above.
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Invitation, InvitationTotal>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let mut page = sqlx::query_as!(
            Invitation,
            r#"select id, makerspace_id, email, role as "role: _", invited_by,
                      status as "state: _", expires_at, created_at
               from makrcave.invitations
               where makerspace_id = $1
                 and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))
               order by created_at desc, id desc limit $4"#,
            makerspace_id,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let has_next = page.len() > first;
        page.truncate(first);
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_next,
            InvitationTotal { makerspace_id },
        );
        connection.edges.extend(page.into_iter().map(|invitation| {
            let cursor = Cursor {
                at: invitation.created_at,
                id: invitation.id,
            };
            Edge::new(cursor.encode(), invitation)
        }));
        Ok(connection)
    }

    /// The signed-in person's pending invitations, newest first: those sent to their verified
    /// email (none without one).
    async fn my_invitations(&self, ctx: &Context<'_>) -> Result<Vec<Invitation>, ApiError> {
        let Some(email) = verified_email(caller(ctx).user()?) else {
            return Ok(Vec::new());
        };
        let invitations = sqlx::query_as!(
            Invitation,
            r#"select id, makerspace_id, email, role as "role: _", invited_by,
                      status as "state: _", expires_at, created_at
               from makrcave.invitations
               where email = $1 and status = 'pending' and expires_at > $2
               order by created_at desc, id desc"#,
            email.as_str(),
            ctx.data_unchecked::<Clock>().now(),
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(invitations)
    }
}

/// The caller's verified email, as invitations keep addresses, if they have one.
fn verified_email(user: &CallerUser) -> Option<Email> {
    user.email
        .as_deref()
        .and_then(|email| Email::parse(email).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_invitation_expires_when_its_time_is_up() {
        let sent = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let invitation = Invitation {
            id: Uuid::now_v7(),
            makerspace_id: Uuid::now_v7(),
            email: "ada@example.org".into(),
            role: MembershipRole::Member,
            invited_by: Uuid::now_v7(),
            state: InvitationState::Pending,
            expires_at: sent + INVITATION_LIFETIME,
            created_at: sent,
        };
        let just_before = sent + INVITATION_LIFETIME - TimeDelta::microseconds(1);
        assert_eq!(invitation.status_at(just_before), InvitationStatus::Pending);
        assert_eq!(
            invitation.status_at(sent + INVITATION_LIFETIME),
            InvitationStatus::Expired
        );
        let declined = Invitation {
            state: InvitationState::Declined,
            ..invitation
        };
        assert_eq!(
            declined.status_at(sent + INVITATION_LIFETIME),
            InvitationStatus::Declined
        );
    }
}
