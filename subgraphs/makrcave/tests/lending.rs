//! Lending a space's tools: only to a member who holds the tool's skill at its level until it
//! is due back, the units leaving and returning as stock movements; a return notes the
//! condition; an overdue loan is announced once a day until it comes back; and only the
//! space's staff lend, only they see who has what, a member sees their own.

mod common;

use common::found_space;
use common::lab::{Lab, Person, outcome, stranger};
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::topics;
use makrx_testkit::{error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const LENDING: &str = "mutation($input: SetToolLendingInput!) {
    setToolLending(input: $input) { id lending { skillGate { skill { name } level } } } }";
const LEND: &str = "mutation($input: LendToolInput!) {
    lendTool(input: $input) { id quantity serial dueAt overdue returnedAt condition
                              member { id } item { name onHand } } }";
const RETURN: &str = "mutation($input: ReturnToolInput!) {
    returnTool(input: $input) { id returnedAt condition conditionNote item { onHand } } }";
const LOANS: &str = "query($space: ID!, $item: ID, $outstandingOnly: Boolean! = true) {
    toolLoans(makerspaceId: $space, itemId: $item, outstandingOnly: $outstandingOnly) {
        nodes { id overdue member { id } item { name } } } }";
const MY_LOANS: &str = "query($outstandingOnly: Boolean! = true) {
    myToolLoans(outstandingOnly: $outstandingOnly) { id overdue dueAt condition item { name } } }";
const ITEM: &str = "query($id: ID!) { inventoryItem(id: $id) {
    onHand lending { skillGate { level } } movements { kind quantity member { id } reason } } }";

/// The lab with a shelf holding two cordless drills, lent to those with power tools at basic.
struct Shed {
    lab: Lab,
    shelf: String,
    drill: String,
    power_tools: String,
}

impl Shed {
    async fn open(db: &PgPool) -> Self {
        let lab = Lab::open(db).await;
        let id =
            |answer: Value, field: &str| answer[field]["id"].as_str().expect("an id").to_owned();
        let shelf = id(
            lab.as_owner(
                "mutation($input: AddInventoryLocationInput!) { addInventoryLocation(input: $input) { id } }",
                json!({"makerspaceId": lab.space, "name": "Tool wall"}),
            )
            .await,
            "addInventoryLocation",
        );
        let drill = id(
            lab.as_owner(
                "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }",
                json!({"makerspaceId": lab.space, "name": "Cordless drill", "unit": "PIECES",
                       "category": "TOOL"}),
            )
            .await,
            "addInventoryItem",
        );
        lab.as_owner(
            "mutation($input: RecordStockMovementInput!) { recordStockMovement(input: $input) { item { onHand } } }",
            json!({"itemId": drill, "kind": "RECEIVE", "quantity": "2", "locationId": shelf}),
        )
        .await;
        let power_tools = id(
            lab.as_owner(
                "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }",
                json!({"makerspaceId": lab.space, "name": "Power tools",
                       "levels": ["novice", "basic", "advanced"]}),
            )
            .await,
            "createSkill",
        );
        let gated = lab
            .as_owner(
                LENDING,
                json!({"itemId": drill, "lendable": true, "skillId": power_tools, "level": "BASIC"}),
            )
            .await;
        assert_eq!(
            gated["setToolLending"]["lending"],
            json!({"skillGate": {"skill": {"name": "Power tools"}, "level": "basic"}})
        );
        Self {
            lab,
            shelf,
            drill,
            power_tools,
        }
    }

    /// Gives `member` power tools at `level`, lapsing at `expires_at` if given.
    async fn train(&self, member: &Person, level: &str, expires_at: Option<&str>) {
        self.lab
            .as_owner(
                "mutation($input: GrantSkillInput!) { grantSkill(input: $input) { level } }",
                json!({"skillId": self.power_tools, "userId": member.id, "level": level,
                       "expiresAt": expires_at}),
            )
            .await;
    }

    /// Lends a drill to `member` as the owner, due at `due_at`; the whole answer.
    async fn lend(&self, member: &Person, due_at: &str, more: Value) -> Value {
        let mut input = json!({"itemId": self.drill, "memberId": member.id,
                               "locationId": self.shelf, "dueAt": due_at});
        input
            .as_object_mut()
            .expect("an object")
            .extend(more.as_object().cloned().unwrap_or_default());
        self.lab
            .ask(Some(&self.lab.owner), LEND, json!({ "input": input }))
            .await
    }

    async fn on_hand(&self) -> Value {
        self.lab
            .ask(Some(&self.lab.owner), ITEM, json!({"id": self.drill}))
            .await["data"]["inventoryItem"]["onHand"]
            .clone()
    }

    async fn loans(&self) -> i64 {
        sqlx::query_scalar("select count(*) from makrcave.tool_loans")
            .fetch_one(&self.lab.db)
            .await
            .expect("the loans")
    }

    async fn overdue_events(&self) -> i64 {
        sqlx::query_scalar(
            "select count(*) from events.outbox
             where topic = $1 and payload->>'action' = 'tool_loan.overdue'",
        )
        .bind(topics::TOOL_LOAN_CHANGED)
        .fetch_one(&self.lab.db)
        .await
        .expect("the outbox")
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_tool_goes_only_to_a_member_with_its_skill_and_comes_back_with_its_condition(db: PgPool) {
    let shed = Shed::open(&db).await;
    let lab = &shed.lab;
    let ada = lab.person("ada", "member").await;
    let due = "2026-12-07T18:00:00Z";

    // Without the skill, below its level, or with a level that lapses before the drill is due:
    // refused, saying why, and nothing leaves the wall.
    let untrained = shed.lend(&ada, due, json!({})).await;
    assert_eq!(error_code(&untrained), Some("FORBIDDEN"), "{untrained}");
    assert_eq!(
        error_message(&untrained),
        "borrowing Cordless drill needs Power tools at level basic or above; they have no level in it"
    );
    shed.train(&ada, "novice", None).await;
    let novice = shed.lend(&ada, due, json!({})).await;
    assert_eq!(
        error_message(&novice),
        "borrowing Cordless drill needs Power tools at level basic or above; they have novice"
    );
    shed.train(&ada, "basic", Some("2026-12-05T12:00:00Z"))
        .await;
    let lapsing = shed.lend(&ada, due, json!({})).await;
    assert_eq!(
        error_message(&lapsing),
        "borrowing Cordless drill needs Power tools at level basic or above; theirs lapses 2026-12-05 13:00",
        "in the space's time (Berlin)"
    );
    assert_eq!(shed.on_hand().await, "2");
    assert_eq!(shed.loans().await, 0);

    // Trained: one drill goes out as an issue to her.
    shed.train(&ada, "basic", None).await;
    let lent = shed.lend(&ada, due, json!({"serial": "DR-0042"})).await;
    let loan = &lent["data"]["lendTool"];
    assert_eq!(loan["quantity"], "1", "{lent}");
    assert_eq!(loan["serial"], "DR-0042");
    assert_eq!(loan["dueAt"], "2026-12-07T18:00:00+00:00");
    assert_eq!(loan["overdue"], false);
    assert_eq!(loan["member"]["id"], json!(ada.id));
    assert_eq!(loan["item"]["onHand"], "1");
    let item = lab
        .ask(Some(&lab.owner), ITEM, json!({"id": shed.drill}))
        .await;
    assert_eq!(
        item["data"]["inventoryItem"]["movements"][0],
        json!({"kind": "ISSUE", "quantity": "1", "member": {"id": ada.id},
               "reason": "lent until 2026-12-07 19:00"})
    );
    // The same serial number cannot be out twice.
    let twice = shed.lend(&ada, due, json!({"serial": "DR-0042"})).await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");
    assert_eq!(
        error_message(&twice),
        "Cordless drill DR-0042 is out on another loan"
    );
    assert_eq!(shed.on_hand().await, "1", "the refused loan took nothing");

    // She sees her loan; staff see who has what.
    let mine = lab.ask(Some(&ada), MY_LOANS, json!({})).await;
    assert_eq!(
        mine["data"]["myToolLoans"],
        json!([{"id": loan["id"], "overdue": false, "dueAt": "2026-12-07T18:00:00+00:00", "condition": null,
                "item": {"name": "Cordless drill"}}])
    );
    let out = lab
        .ask(Some(&lab.owner), LOANS, json!({"space": lab.space}))
        .await;
    assert_eq!(
        out["data"]["toolLoans"]["nodes"],
        json!([{"id": loan["id"], "overdue": false, "member": {"id": ada.id},
                "item": {"name": "Cordless drill"}}])
    );
    for (item, loans) in [
        (shed.drill.clone(), 1),
        (uuid::Uuid::now_v7().to_string(), 0),
    ] {
        let of_item = lab
            .ask(
                Some(&lab.owner),
                LOANS,
                json!({"space": lab.space, "item": item}),
            )
            .await;
        assert_eq!(
            of_item["data"]["toolLoans"]["nodes"]
                .as_array()
                .map(Vec::len),
            Some(loans),
            "one item's loans: {of_item}"
        );
    }

    // It comes back worn: the drill is on the wall again, and the loan is history.
    let returned = lab
        .ask(
            Some(&lab.owner),
            RETURN,
            json!({"input": {"loanId": loan["id"], "condition": "WORN", "note": " chuck sticks "}}),
        )
        .await;
    let back = &returned["data"]["returnTool"];
    assert_eq!(back["condition"], "WORN", "{returned}");
    assert_eq!(back["conditionNote"], "chuck sticks");
    assert_eq!(back["item"]["onHand"], "2");
    let again = lab
        .ask(
            Some(&lab.owner),
            RETURN,
            json!({"input": {"loanId": loan["id"], "condition": "GOOD"}}),
        )
        .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(shed.on_hand().await, "2", "a second return adds nothing");
    assert_eq!(
        lab.ask(Some(&ada), MY_LOANS, json!({})).await["data"]["myToolLoans"],
        json!([])
    );
    assert_eq!(
        lab.ask(Some(&ada), MY_LOANS, json!({"outstandingOnly": false}))
            .await["data"]["myToolLoans"][0]["condition"],
        "WORN"
    );

    // A lost one does not come back to stock.
    let lost_loan = shed.lend(&ada, due, json!({})).await["data"]["lendTool"]["id"].clone();
    let lost = lab
        .ask(
            Some(&lab.owner),
            RETURN,
            json!({"input": {"loanId": lost_loan, "condition": "LOST"}}),
        )
        .await;
    assert_eq!(lost["data"]["returnTool"]["item"]["onHand"], "1", "{lost}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_loan_is_refused_for_what_is_wrong_with_it_and_nothing_is_written(db: PgPool) {
    let shed = Shed::open(&db).await;
    let lab = &shed.lab;
    let ada = lab.person("ada", "member").await;
    shed.train(&ada, "basic", None).await;
    let due = "2026-12-07T18:00:00Z";

    let past = shed.lend(&ada, "2026-11-29T08:00:00Z", json!({})).await;
    assert_eq!(invalid_fields(&past), ["dueAt"], "{past}");
    let far = shed.lend(&ada, "2028-01-01T00:00:00Z", json!({})).await;
    assert_eq!(invalid_fields(&far), ["dueAt"], "{far}");
    let two_of_one = shed
        .lend(&ada, due, json!({"serial": "DR-1", "quantity": "2"}))
        .await;
    assert_eq!(invalid_fields(&two_of_one), ["quantity"], "{two_of_one}");
    let three = shed.lend(&ada, due, json!({"quantity": "3"})).await;
    assert_eq!(
        error_code(&three),
        Some("CONFLICT"),
        "only two on the wall: {three}"
    );
    let outsider = stranger(&lab.api, &db, "outsider").await;
    let not_a_member = shed.lend(&outsider, due, json!({})).await;
    assert_eq!(
        invalid_fields(&not_a_member),
        ["memberId"],
        "{not_a_member}"
    );
    let bob = lab.person("bob", "member").await;
    shed.train(&bob, "basic", None).await;
    sqlx::query("update makrcave.memberships set suspended_at = now() where user_id = $1::uuid")
        .bind(&bob.id)
        .execute(&db)
        .await
        .expect("a suspension");
    let suspended = shed.lend(&bob, due, json!({})).await;
    assert_eq!(error_code(&suspended), Some("FORBIDDEN"), "{suspended}");
    lab.as_owner(LENDING, json!({"itemId": shed.drill, "lendable": false}))
        .await;
    let not_lent = shed.lend(&ada, due, json!({})).await;
    assert_eq!(invalid_fields(&not_lent), ["itemId"], "{not_lent}");

    assert_eq!(shed.on_hand().await, "2");
    assert_eq!(shed.loans().await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_overdue_loan_is_announced_once_a_day_until_it_comes_back(db: PgPool) {
    let shed = Shed::open(&db).await;
    let lab = &shed.lab;
    let ada = lab.person("ada", "member").await;
    shed.train(&ada, "basic", None).await;
    let loan =
        shed.lend(&ada, "2026-12-01T18:00:00Z", json!({})).await["data"]["lendTool"]["id"].clone();

    let remind = |at: &'static str| {
        lab.set_clock(at);
        makrcave::remind_overdue(&db, lab.clock.now())
    };
    assert_eq!(
        remind("2026-12-01T17:59:00Z").await.expect("a sweep"),
        0,
        "not due yet"
    );
    assert_eq!(
        remind("2026-12-01T18:01:00Z").await.expect("a sweep"),
        1,
        "just overdue"
    );
    assert_eq!(
        remind("2026-12-01T23:59:00Z").await.expect("a sweep"),
        0,
        "once that day"
    );
    assert_eq!(
        remind("2026-12-02T00:01:00Z").await.expect("a sweep"),
        1,
        "again the next"
    );
    assert_eq!(shed.overdue_events().await, 2);
    let mine = lab.ask(Some(&ada), MY_LOANS, json!({})).await;
    assert_eq!(mine["data"]["myToolLoans"][0]["overdue"], true, "{mine}");

    lab.as_owner(RETURN, json!({"loanId": loan, "condition": "GOOD"}))
        .await;
    assert_eq!(
        remind("2026-12-03T09:00:00Z").await.expect("a sweep"),
        0,
        "it came back"
    );
    assert_eq!(shed.overdue_events().await, 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_a_spaces_staff_lend_its_tools_and_see_who_has_them(db: PgPool) {
    let shed = Shed::open(&db).await;
    let lab = &shed.lab;
    let ada = lab.person("ada", "member").await;
    shed.train(&ada, "advanced", None).await;
    let other = stranger(&lab.api, &db, "other-space").await;
    let elsewhere = format!("elsewhere-{}", uuid::Uuid::now_v7().simple());
    found_space(&lab.api, &other.token, &elsewhere).await;
    let people = [
        ("anonymous", None),
        ("another space's owner", Some(other)),
        ("member", Some(ada.clone())),
        ("staff", Some(lab.person("sue", "staff").await)),
        ("manager", Some(lab.person("max", "manager").await)),
        ("owner", Some(lab.owner.clone())),
        ("admin", Some(lab.platform_admin(None).await)),
    ];
    for (who, person) in &people {
        let person = person.as_ref();
        // A loan of one drill and its return, each person on their own: the owner's loan to
        // Ada, returned by them.
        let loan =
            shed.lend(&ada, "2026-12-07T18:00:00Z", json!({})).await["data"]["lendTool"]["id"]
                .clone();
        let expected = match *who {
            "anonymous" => "UNAUTHENTICATED",
            "another space's owner" => "NOT_FOUND",
            "member" => "FORBIDDEN",
            _ => "ok",
        };
        let lend = json!({"input": {"itemId": shed.drill, "memberId": ada.id,
            "locationId": shed.shelf, "dueAt": "2026-12-07T18:00:00Z"}});
        let lent = outcome(lab, person, LEND, lend).await;
        assert_eq!(lent, expected, "{who} lends");
        let returned = outcome(
            lab,
            person,
            RETURN,
            json!({"input": {"loanId": loan, "condition": "GOOD"}}),
        )
        .await;
        assert_eq!(returned, expected, "{who} takes one back");
        let listed = outcome(lab, person, LOANS, json!({"space": lab.space})).await;
        assert_eq!(listed, expected, "{who} sees who has what");
        let set = outcome(
            lab,
            person,
            LENDING,
            json!({"input": {"itemId": shed.drill, "lendable": true}}),
        )
        .await;
        assert_eq!(set, expected, "{who} sets the lending terms");
        let mine = outcome(lab, person, MY_LOANS, json!({})).await;
        let expected_mine = if *who == "anonymous" {
            "UNAUTHENTICATED"
        } else {
            "ok"
        };
        assert_eq!(mine, expected_mine, "{who} sees their own loans");
        // Whatever is still out goes back, so that each person starts from two on the wall.
        sqlx::query("delete from makrcave.tool_loans")
            .execute(&db)
            .await
            .expect("the loans cleared");
        sqlx::query("update makrcave.inventory_levels set on_hand = 2")
            .execute(&db)
            .await
            .expect("the wall restocked");
        sqlx::query("update makrcave.inventory_items set on_hand = 2")
            .execute(&db)
            .await
            .expect("the drill restocked");
    }
    // Ada's loan is hers alone to see among the members.
    shed.lend(&ada, "2026-12-07T18:00:00Z", json!({})).await;
    let bob = lab.person("bob", "member").await;
    assert_eq!(
        lab.ask(Some(&bob), MY_LOANS, json!({"outstandingOnly": false}))
            .await["data"]["myToolLoans"],
        json!([])
    );
}
