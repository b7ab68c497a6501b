//! A project's bills of materials: lines of store products, the space's items and free text;
//! how many builds the space's stock makes and what more would take, against a BOM worked
//! out by hand; what a build costs from the space's records; and only the people inside the
//! space see its stock through a BOM, only the project's editors change one.

mod common;

use common::found_space;
use common::lab::{Lab, Person, stranger};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const ADD_BOM: &str = "mutation($input: AddBomInput!) { addBom(input: $input) { id name } }";
const ADD_LINE: &str = "mutation($input: AddBomLineInput!) {
    addBomLine(input: $input) { id quantity description } }";
const BOM: &str = "query($project: ID!, $builds: Int!) { project(id: $project) { boms {
    name canBuild
    shortfall(builds: $builds) { needed onHand missing toBuy line { description } }
    cost { itemsMinor currency linesWithoutCost storeLines }
    lines { quantity description storeProduct { id } storeVariant { id }
            inventoryItem { name } } } } }";

/// The lab's workshop: a shelf, and items as the owner keeps them (name, unit cost, on hand,
/// and the store product each is bought as).
struct Workshop {
    lab: Lab,
    shelf: String,
}

impl Workshop {
    async fn open(db: &PgPool) -> Self {
        let lab = Lab::open(db).await;
        let shelf = lab
            .as_owner(
                "mutation($input: AddInventoryLocationInput!) { addInventoryLocation(input: $input) { id } }",
                json!({"makerspaceId": lab.space, "name": "Shelf"}),
            )
            .await["addInventoryLocation"]["id"]
            .as_str()
            .expect("a shelf")
            .to_owned();
        Self { lab, shelf }
    }

    async fn item(
        &self,
        name: &str,
        cost: Option<i64>,
        on_hand: &str,
        product: Option<&str>,
    ) -> String {
        let id = self
            .lab
            .as_owner(
                "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }",
                json!({"makerspaceId": self.lab.space, "name": name, "unit": "PIECES",
                       "category": "PART", "unitCostMinor": cost, "storeProductId": product}),
            )
            .await["addInventoryItem"]["id"]
            .as_str()
            .expect("an item")
            .to_owned();
        self.lab
            .as_owner(
                "mutation($input: RecordStockMovementInput!) { recordStockMovement(input: $input) { item { onHand } } }",
                json!({"itemId": id, "kind": "RECEIVE", "quantity": on_hand, "locationId": self.shelf}),
            )
            .await;
        id
    }

    /// A project of the lab's owner, seen as `visibility` says; its id.
    async fn project(&self, visibility: &str) -> String {
        self.lab
            .as_owner(
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }",
                json!({"title": "Desk lamp", "makerspaceId": self.lab.space, "visibility": visibility}),
            )
            .await["createProject"]["id"]
            .as_str()
            .expect("a project")
            .to_owned()
    }

    async fn bom(&self, project: &str) -> String {
        self.lab
            .as_owner(ADD_BOM, json!({"projectId": project, "name": "One lamp"}))
            .await["addBom"]["id"]
            .as_str()
            .expect("a BOM")
            .to_owned()
    }

    async fn line(&self, who: &Person, line: Value) -> Value {
        self.lab
            .ask(Some(who), ADD_LINE, json!({ "input": line }))
            .await
    }

    async fn read(&self, who: Option<&Person>, project: &str, builds: i32) -> Value {
        let answer = self
            .lab
            .ask(who, BOM, json!({"project": project, "builds": builds}))
            .await;
        answer["data"]["project"]["boms"][0].clone()
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_bom_says_how_many_builds_the_stock_makes_what_more_would_take_and_its_cost(db: PgPool) {
    let shop = Workshop::open(&db).await;
    let owner = shop.lab.owner.clone();
    let (pcb, pcb_variant) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let bolt = shop.item("M3 bolt", Some(5), "10", None).await;
    let bracket = shop.item("Bracket", Some(150), "5", None).await;
    // Two items bought as the same store product: the space holds 1 + 2 of it.
    shop.item("LED board, loose", None, "1", Some(&pcb.to_string()))
        .await;
    shop.item("LED board, boxed", None, "2", Some(&pcb.to_string()))
        .await;
    let project = shop.project("PUBLIC").await;
    let bom = shop.bom(&project).await;
    for line in [
        json!({"bomId": bom, "quantity": "4", "inventoryItemId": bolt}),
        json!({"bomId": bom, "quantity": "2", "inventoryItemId": bracket, "description": "left and right"}),
        json!({"bomId": bom, "quantity": "1", "storeProductId": pcb, "storeVariantId": pcb_variant}),
        json!({"bomId": bom, "quantity": "0.5", "description": "a dab of wood glue"}),
    ] {
        let added = shop.line(&owner, line).await;
        assert!(added.get("errors").is_none(), "{added}");
    }

    // By hand: bolts 10 / 4 = 2, brackets 5 / 2 = 2, boards 3 / 1 = 3; the glue is not
    // counted. Two builds; a third lacks 2 bolts and 1 bracket.
    let read = shop.read(Some(&owner), &project, 3).await;
    assert_eq!(read["canBuild"], 2, "{read}");
    assert_eq!(
        read["shortfall"],
        json!([
            {"needed": "12", "onHand": "10", "missing": "2", "toBuy": null, "line": {"description": ""}},
            {"needed": "6", "onHand": "5", "missing": "1", "toBuy": null,
             "line": {"description": "left and right"}},
        ])
    );
    assert_eq!(
        shop.read(Some(&owner), &project, 2).await["shortfall"],
        json!([])
    );
    assert_eq!(
        read["cost"],
        json!({"itemsMinor": 320, "currency": "EUR", "linesWithoutCost": 1, "storeLines": 1}),
        "4 bolts at 5 and 2 brackets at 150 a build; the glue has no cost, the board the store's"
    );
    assert_eq!(
        read["lines"][2],
        json!({"quantity": "1", "description": "", "storeProduct": {"id": pcb},
               "storeVariant": {"id": pcb_variant}, "inventoryItem": null})
    );
    assert_eq!(
        read["lines"][0]["inventoryItem"],
        json!({"name": "M3 bolt"})
    );

    // The project is public, the space's stock is not: someone outside sees the lines alone.
    let outsider = stranger(&shop.lab.api, &db, "outsider").await;
    let seen = shop.read(Some(&outsider), &project, 3).await;
    assert_eq!(seen["lines"].as_array().map(Vec::len), Some(4), "{seen}");
    assert_eq!(seen["canBuild"], Value::Null);
    assert_eq!(seen["shortfall"], Value::Null);
    assert_eq!(seen["cost"], Value::Null);
    assert_eq!(seen["lines"][0]["inventoryItem"], Value::Null);
    let anonymous = shop.read(None, &project, 3).await;
    assert_eq!(anonymous["canBuild"], Value::Null, "{anonymous}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_bom_line_is_refused_for_what_is_wrong_with_it_and_only_editors_add_one(db: PgPool) {
    let shop = Workshop::open(&db).await;
    let owner = shop.lab.owner.clone();
    let bolt = shop.item("M3 bolt", Some(5), "10", None).await;
    let project = shop.project("SPACE").await;
    let bom = shop.bom(&project).await;
    let other = stranger(&shop.lab.api, &db, "other").await;
    let elsewhere = found_space(
        &shop.lab.api,
        &other.token,
        &format!("elsewhere-{}", uuid::Uuid::now_v7().simple()),
    )
    .await;
    let foreign = shop
        .lab
        .ask(
            Some(&other),
            "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }",
            json!({"input": {"makerspaceId": elsewhere["id"], "name": "Their bolt", "unit": "PIECES"}}),
        )
        .await["data"]["addInventoryItem"]["id"]
        .clone();
    let product = uuid::Uuid::now_v7();
    for (line, field) in [
        (
            json!({"bomId": bom, "quantity": "1", "inventoryItemId": foreign}),
            "inventoryItemId",
        ),
        (
            json!({"bomId": bom, "quantity": "1", "storeVariantId": product}),
            "storeVariantId",
        ),
        (
            json!({"bomId": bom, "quantity": "1", "storeProductId": product, "inventoryItemId": bolt}),
            "inventoryItemId",
        ),
        (
            json!({"bomId": bom, "quantity": "1", "description": "  "}),
            "description",
        ),
        (
            json!({"bomId": bom, "quantity": "0", "inventoryItemId": bolt}),
            "quantity",
        ),
    ] {
        let refused = shop.line(&owner, line).await;
        assert_eq!(invalid_fields(&refused), [field], "{refused}");
    }

    // Inside the space but not on the project: a member sees the BOM, changes nothing.
    let member = shop.lab.person("mo", "member").await;
    let by_member = shop
        .line(
            &member,
            json!({"bomId": bom, "quantity": "1", "inventoryItemId": bolt}),
        )
        .await;
    assert_eq!(error_code(&by_member), Some("FORBIDDEN"), "{by_member}");
    assert_eq!(
        shop.read(Some(&member), &project, 1).await["canBuild"],
        Value::Null,
        "no lines yet"
    );
    let by_other = shop
        .line(
            &other,
            json!({"bomId": bom, "quantity": "1", "description": "glue"}),
        )
        .await;
    assert_eq!(error_code(&by_other), Some("NOT_FOUND"), "{by_other}");
    let lines: i64 = sqlx::query_scalar("select count(*) from makrcave.bom_lines")
        .fetch_one(&db)
        .await
        .expect("the lines");
    assert_eq!(lines, 0, "nothing refused was written");
}

const BOM_ENTITY: &str =
    "query($id: ID!) { _entities(representations: [{__typename: \"Bom\", id: $id}]) {
    ... on Bom { name lines { quantity } } } }";

/// The router asks MakrCave for a BOM by its key (for the store to price its lines): it is
/// answered only to those who may see its project, and a malformed key is no BOM.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_bom_is_resolved_by_its_key_only_for_whoever_may_see_its_project(db: PgPool) {
    let shop = Workshop::open(&db).await;
    let owner = shop.lab.owner.clone();
    let project = shop.project("PRIVATE").await;
    let bom = shop.bom(&project).await;
    shop.line(
        &owner,
        json!({"bomId": bom, "quantity": "2", "description": "wood glue"}),
    )
    .await;
    let resolved = |who: Option<Person>, id: Value| {
        let lab = &shop.lab;
        async move {
            lab.ask(who.as_ref(), BOM_ENTITY, json!({ "id": id })).await["data"]["_entities"][0]
                .clone()
        }
    };
    assert_eq!(
        resolved(Some(owner.clone()), json!(bom)).await,
        json!({"name": "One lamp", "lines": [{"quantity": "2"}]})
    );
    let member = shop.lab.person("mo", "member").await;
    let outsider = stranger(&shop.lab.api, &db, "outsider").await;
    for who in [None, Some(member), Some(outsider)] {
        assert_eq!(
            resolved(who, json!(bom)).await,
            Value::Null,
            "a private project's BOM is nobody else's"
        );
    }
    assert_eq!(resolved(Some(owner), json!("not-an-id")).await, Value::Null);
}
