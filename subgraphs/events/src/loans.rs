//! A member's tools out past their due time (`toolLoanOverdue`), for that member: MakrCave
//! announces each overdue loan once a day until it comes back.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, NaiveDate, Utc};
use futures::Stream;
use makrx_service::ApiError;
use makrx_service::graphql::caller;
use makrx_service::outbox::{Changed, topics};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};

/// A tool lent to the member is overdue: bring it back.
#[derive(Clone, Debug, SimpleObject)]
pub struct ToolLoanOverdue {
    /// Orders this event among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// The loan (`myToolLoans` tells the rest).
    pub loan_id: ID,
    /// The tool (`inventoryItem(id)`).
    pub item_id: ID,
    pub makerspace_id: ID,
    /// How many, in the tool's unit.
    pub quantity: Decimal,
    pub due_at: DateTime<Utc>,
    /// The day (UTC) it was announced on.
    pub reminded_on: NaiveDate,
}

/// What the event tells of the loan, of all MakrCave keeps.
#[derive(Deserialize)]
struct Loan {
    id: Uuid,
    item_id: Uuid,
    makerspace_id: Uuid,
    quantity: Decimal,
    due_at: DateTime<Utc>,
    reminded_on: NaiveDate,
}

impl ToolLoanOverdue {
    fn from_event(event: &Event) -> Option<Self> {
        let change: Changed = event.payload()?;
        let loan: Loan = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "an overdue loan cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            loan_id: ID(loan.id.to_string()),
            item_id: ID(loan.item_id.to_string()),
            makerspace_id: ID(loan.makerspace_id.to_string()),
            quantity: loan.quantity,
            due_at: loan.due_at,
            reminded_on: loan.reminded_on,
        })
    }
}

#[derive(Default)]
pub struct LoanSubscription;

#[Subscription]
impl LoanSubscription {
    /// Each of the signed-in member's loans as it is announced overdue (once a day until it
    /// is returned); with `after`, first those since that cursor. For the member alone.
    async fn tool_loan_overdue(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
    ) -> Result<impl Stream<Item = ToolLoanOverdue> + use<>, ApiError> {
        let after = parse_cursor(after.as_deref())?;
        let me = caller(ctx).user()?.id;
        let db = ctx.data_unchecked::<PgPool>();
        let feed = Feed {
            topic: topics::TOOL_LOAN_CHANGED,
            matching: serde_json::json!({
                "action": "tool_loan.overdue",
                "after": {"member_id": me},
            }),
        };
        Ok(feed.stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            ToolLoanOverdue::from_event,
        ))
    }
}
