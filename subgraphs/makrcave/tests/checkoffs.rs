//! Check-offs: a member asks for a level, the space's staff see who asks and grant or decline
//! it; nobody else sees or settles a space's requests.

mod common;

use common::lab::{Lab, stranger};
use makrx_service::db::MIGRATOR;
use makrx_testkit::error_code;
use serde_json::{Value, json};
use sqlx::PgPool;

const REQUEST: &str = "mutation($input: RequestCheckoffInput!) {
    requestCheckoff(input: $input) { id level note status user { id } } }";
const REQUESTS: &str = "query($space: ID!) {
    checkoffRequests(makerspaceId: $space) { id level note status skill { name } user { id } } }";
const SETTLE: &str = "mutation($input: SettleCheckoffInput!) {
    settleCheckoff(input: $input) { id status } }";
const MY_SKILLS: &str = "query { mySkills { level rank skill { name } } }";

async fn ask_for_advanced(lab: &Lab, who: &common::lab::Person) -> Value {
    let asked = lab
        .ask(
            Some(who),
            REQUEST,
            json!({"input": {"skillId": lab.laser_safety, "level": "advanced", "note": "Did the course"}}),
        )
        .await;
    assert!(asked.get("errors").is_none(), "{asked:#}");
    asked["data"]["requestCheckoff"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_see_who_asks_and_granting_gives_the_level(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    let staff = lab.person("stella", "staff").await;

    let asked = ask_for_advanced(&lab, &ada).await;
    let waiting = lab
        .ask(Some(&staff), REQUESTS, json!({"space": lab.space}))
        .await;
    let settled = lab
        .ask(
            Some(&staff),
            SETTLE,
            json!({"input": {"requestId": asked["id"], "grant": true}}),
        )
        .await;
    let after = lab
        .ask(Some(&staff), REQUESTS, json!({"space": lab.space}))
        .await;
    let skills = lab.ask(Some(&ada), MY_SKILLS, json!({})).await;

    assert_eq!(asked["status"], "pending", "{asked:#}");
    assert_eq!(asked["user"]["id"], ada.id.as_str(), "{asked:#}");
    assert_eq!(
        waiting["data"]["checkoffRequests"],
        json!([{"id": asked["id"], "level": "advanced", "note": "Did the course",
                "status": "pending", "skill": {"name": "Laser safety"}, "user": {"id": ada.id}}]),
        "{waiting:#}"
    );
    assert_eq!(
        settled["data"]["settleCheckoff"]["status"], "granted",
        "{settled:#}"
    );
    assert_eq!(after["data"]["checkoffRequests"], json!([]), "{after:#}");
    assert_eq!(
        skills["data"]["mySkills"],
        json!([{"level": "advanced", "rank": 3, "skill": {"name": "Laser safety"}}]),
        "{skills:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_the_spaces_staff_see_and_settle_its_requests(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    let bob = lab.member("bob", None).await;
    let outsider = stranger(&lab.api, &lab.db, "olly").await;
    let staff = lab.person("stella", "staff").await;
    let asked = ask_for_advanced(&lab, &ada).await;
    let settle = |grant: bool| json!({"input": {"requestId": asked["id"], "grant": grant}});

    let member_lists = lab
        .ask(Some(&bob), REQUESTS, json!({"space": lab.space}))
        .await;
    let outsider_lists = lab
        .ask(Some(&outsider), REQUESTS, json!({"space": lab.space}))
        .await;
    let anonymous_lists = lab.ask(None, REQUESTS, json!({"space": lab.space})).await;
    let member_settles = lab.ask(Some(&bob), SETTLE, settle(true)).await;
    let asker_settles = lab.ask(Some(&ada), SETTLE, settle(true)).await;
    let outsider_settles = lab.ask(Some(&outsider), SETTLE, settle(true)).await;
    let declined = lab.ask(Some(&staff), SETTLE, settle(false)).await;
    let skills = lab.ask(Some(&ada), MY_SKILLS, json!({})).await;

    assert_eq!(
        error_code(&member_lists),
        Some("FORBIDDEN"),
        "{member_lists:#}"
    );
    assert_eq!(
        error_code(&outsider_lists),
        Some("FORBIDDEN"),
        "{outsider_lists:#}"
    );
    assert_eq!(
        error_code(&anonymous_lists),
        Some("UNAUTHENTICATED"),
        "{anonymous_lists:#}"
    );
    assert_eq!(
        error_code(&member_settles),
        Some("FORBIDDEN"),
        "{member_settles:#}"
    );
    assert_eq!(
        error_code(&asker_settles),
        Some("FORBIDDEN"),
        "{asker_settles:#}"
    );
    assert!(
        matches!(
            error_code(&outsider_settles),
            Some("FORBIDDEN" | "NOT_FOUND")
        ),
        "{outsider_settles:#}"
    );
    assert_eq!(
        declined["data"]["settleCheckoff"]["status"], "declined",
        "{declined:#}"
    );
    assert_eq!(
        skills["data"]["mySkills"][0]["level"], "basic",
        "declining leaves the level held: {skills:#}"
    );
}
