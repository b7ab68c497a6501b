//! Who may book what, when: the one home of a booker's eligibility. Staff standing, the
//! machine's skill at its level, a plan that covers the machine's class and the dates, and the
//! plan's daily and weekly quotas (`quotas`). A single booking, each occurrence of a weekly series, a
//! place on the waitlist, an offer taken up and every slot the slot search offers are all
//! decided here, so that what the search offers the booking accepts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use makrx_service::ApiError;

use super::machine::Machine;
use super::quotas::Quotas;
use crate::equipment::EquipmentClass;
use crate::policy::MembershipRole;
use crate::skills::{Grant, Holder};
use crate::timetable::Span;

/// A member's plan in the space.
pub struct PlanTerms {
    pub name: String,
    pub classes: Vec<EquipmentClass>,
    pub daily_quota_minutes: Option<i32>,
    pub weekly_quota_minutes: Option<i32>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// The booker's membership of the machine's space, as read with the machine.
pub struct MembershipTerms {
    pub role: MembershipRole,
    pub suspended: bool,
    pub plan: Option<PlanTerms>,
    /// Their level in the machine's skill, and when it lapses.
    pub grant: Option<Grant>,
}

/// What the booker is held to. Staff and above book freely, and so does a platform admin who
/// is not a member of the space; everyone else, a platform admin who joined as a plain member
/// too, needs the machine's skill, a plan that covers it and room in their quotas (as
/// `makrcave.hold_booker` checks again when the booking is made).
pub enum Standing {
    Staff,
    Member {
        plan: Option<PlanTerms>,
        grant: Option<Grant>,
    },
}

impl Standing {
    /// The standing of someone with `membership` of the space (if any); `FORBIDDEN` for those
    /// who may not book there at all.
    pub fn of(membership: Option<MembershipTerms>, is_admin: bool) -> Result<Self, ApiError> {
        match membership {
            Some(member) if member.suspended => Err(ApiError::Forbidden(
                "your membership of this makerspace is suspended".into(),
            )),
            Some(member) if member.role >= MembershipRole::Staff => Ok(Self::Staff),
            Some(member) => Ok(Self::Member {
                plan: member.plan,
                grant: member.grant,
            }),
            None if is_admin => Ok(Self::Staff),
            None => Err(ApiError::Forbidden(
                "only members of the makerspace may book its machines".into(),
            )),
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Self::Staff)
    }

    /// Refuses a member whose plan cannot cover any machine of `class`, whatever the time.
    pub fn may_book_class(&self, class: EquipmentClass) -> Result<(), ApiError> {
        match self {
            Self::Staff => Ok(()),
            Self::Member { plan, .. } => {
                plan_covering(plan.as_ref(), class, "booking here").map(|_| ())
            }
        }
    }

    /// Checks every rule of the machine and of the booker's standing for `span` but the clash
    /// with other bookings and the minutes already used (`Quotas::verdict` settles those); the
    /// quotas the booking must fit in.
    pub fn rules(
        &self,
        machine: &Machine,
        span: Span,
        now: DateTime<Utc>,
    ) -> Result<Quotas, ApiError> {
        machine.check(span, now)?;
        let Self::Member { plan, grant } = self else {
            return Ok(Quotas::default());
        };
        check_skill(machine, *grant, span)?;
        let what = format!("booking {}", machine.name);
        let plan = plan_covering(plan.as_ref(), machine.class, &what)?;
        check_plan_dates(machine, plan, span)?;
        Ok(Quotas::of(machine, plan, span))
    }
}

fn check_skill(machine: &Machine, grant: Option<Grant>, span: Span) -> Result<(), ApiError> {
    let Some(gate) = &machine.gate else {
        return Ok(());
    };
    gate.admits(
        &format!("booking {}", machine.name),
        Holder::Asker,
        grant,
        span.end,
        |at| machine.local_time(at),
    )
}

/// The member's plan if it covers `class`; `what` is what needs it (`booking the Laser`).
fn plan_covering<'a>(
    plan: Option<&'a PlanTerms>,
    class: EquipmentClass,
    what: &str,
) -> Result<&'a PlanTerms, ApiError> {
    let Some(plan) = plan else {
        return Err(ApiError::Forbidden(format!(
            "{what} needs a membership plan, and you are not on one"
        )));
    };
    if !plan.classes.contains(&class) {
        return Err(ApiError::Forbidden(format!(
            "your plan {} does not cover {}",
            plan.name,
            class.name()
        )));
    }
    Ok(plan)
}

fn check_plan_dates(machine: &Machine, plan: &PlanTerms, span: Span) -> Result<(), ApiError> {
    let first_day = machine.local_date(span.start);
    let last_day = machine.local_date(span.end - Duration::microseconds(1));
    if first_day < plan.starts_on || plan.ends_on.is_some_and(|ends_on| last_day > ends_on) {
        return Err(ApiError::Forbidden(format!(
            "your plan {} runs from {}{}, which does not cover {}",
            plan.name,
            plan.starts_on,
            plan.ends_on
                .map(|ends_on| format!(" to {ends_on}"))
                .unwrap_or_default(),
            machine.describe(span)
        )));
    }
    Ok(())
}
