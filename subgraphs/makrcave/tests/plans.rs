//! A member's plan: they see their own, the space's staff see every member's, and other
//! members see none but their own.

mod common;

use common::lab::Lab;
use makrx_service::db::MIGRATOR;
use serde_json::{Value, json};
use sqlx::PgPool;

const MY_PLAN: &str = "query($space: ID!) {
    myPlan(makerspaceId: $space) { startsOn endsOn plan { name weeklyQuotaHours } } }";
const MEMBERS_PLANS: &str = "query($space: ID!) {
    members(makerspaceId: $space, first: 100) { nodes { user { id } plan { plan { name } } } } }";

/// Each member's plan's name as `who` sees it in the members list, by user id.
async fn plans_seen_by(lab: &Lab, who: &common::lab::Person) -> Vec<(String, Value)> {
    let members = lab
        .ask(Some(who), MEMBERS_PLANS, json!({"space": lab.space}))
        .await;
    let nodes = members["data"]["members"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("the members: {members:#}"))
        .clone();
    nodes
        .into_iter()
        .map(|node| {
            let id = node["user"]["id"].as_str().expect("an id").to_owned();
            (id, node["plan"]["plan"]["name"].clone())
        })
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn members_see_their_own_plan_and_staff_see_everyones(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let staff = lab.person("stella", "staff").await;

    let mine = lab
        .ask(Some(&ada), MY_PLAN, json!({"space": lab.space}))
        .await;
    let staffs_own = lab
        .ask(Some(&staff), MY_PLAN, json!({"space": lab.space}))
        .await;
    let seen_by_ada = plans_seen_by(&lab, &ada).await;
    let seen_by_staff = plans_seen_by(&lab, &staff).await;

    assert_eq!(
        mine["data"]["myPlan"],
        json!({"startsOn": "2026-11-01", "endsOn": null,
               "plan": {"name": "Hobby", "weeklyQuotaHours": 6.0}}),
        "{mine:#}"
    );
    assert_eq!(staffs_own["data"]["myPlan"], Value::Null, "{staffs_own:#}");
    let plan_of = |seen: &[(String, Value)], who: &common::lab::Person| {
        seen.iter()
            .find(|(id, _)| *id == who.id)
            .map(|(_, plan)| plan.clone())
            .unwrap_or_else(|| panic!("{} in {seen:?}", who.id))
    };
    assert_eq!(plan_of(&seen_by_ada, &ada), json!("Hobby"));
    assert_eq!(
        plan_of(&seen_by_ada, &bob),
        Value::Null,
        "a member does not see another's plan"
    );
    assert_eq!(plan_of(&seen_by_staff, &ada), json!("Hobby"));
    assert_eq!(plan_of(&seen_by_staff, &bob), json!("Hobby"));
    assert_eq!(
        plan_of(&seen_by_staff, &staff),
        Value::Null,
        "staff need no plan"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_plan_counts_the_minutes_booked_in_the_spaces_week_as_its_quota_does(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    // It is Monday 30 November, 09:00 in Berlin. This week: 10:00 to 12:00 today and 18:00 to
    // 19:30 on Sunday, and an hour cancelled; next Monday's hour is another week.
    lab.booked(
        &ada,
        &lab.printer,
        "2026-11-30T09:00:00Z",
        "2026-11-30T11:00:00Z",
    )
    .await;
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-06T17:00:00Z",
        "2026-12-06T18:30:00Z",
    )
    .await;
    let cancelled = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let cancel = lab
        .ask(
            Some(&ada),
            common::lab::CANCEL,
            common::lab::on_booking(&cancelled["id"]),
        )
        .await;
    assert!(cancel.get("errors").is_none(), "{cancel:#}");
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-07T09:00:00Z",
        "2026-12-07T10:00:00Z",
    )
    .await;

    let plan = lab
        .ask(
            Some(&ada),
            "query($space: ID!) { myPlan(makerspaceId: $space) { minutesBookedThisWeek } }",
            json!({"space": lab.space}),
        )
        .await;
    let listed = lab
        .ask(
            Some(&ada),
            "query($space: ID!) { members(makerspaceId: $space, first: 100) {
                nodes { user { id } plan { minutesBookedThisWeek } } } }",
            json!({"space": lab.space}),
        )
        .await;
    let adas = listed["data"]["members"]["nodes"]
        .as_array()
        .and_then(|nodes| {
            nodes
                .iter()
                .find(|node| node["user"]["id"] == ada.id.as_str())
        })
        .cloned()
        .unwrap_or_else(|| panic!("Ada among the members: {listed:#}"));

    assert_eq!(
        plan["data"]["myPlan"]["minutesBookedThisWeek"], 210,
        "{plan:#}"
    );
    assert_eq!(adas["plan"]["minutesBookedThisWeek"], 210, "{listed:#}");
}
