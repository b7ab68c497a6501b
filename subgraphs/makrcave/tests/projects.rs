//! Projects: seen as their visibility says (a private one by its collaborators, one seen by a
//! space by the people inside it too, a public one by anyone), changed by their editors, their
//! audience and team decided by their owner; descriptions shown as safe HTML; the community
//! hub lists the public ones, newest first.

mod common;

use common::found_space;
use common::lab::{Lab, Person, stranger};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const CREATE: &str = "mutation($input: CreateProjectInput!) {
    createProject(input: $input) { id title status tags visibility myRole makerspace { id } } }";
const UPDATE: &str = "mutation($input: UpdateProjectInput!) {
    updateProject(input: $input) { id title status visibility } }";
const SET: &str = "mutation($input: SetCollaboratorInput!) {
    setProjectCollaborator(input: $input) { role user { id } } }";
const REMOVE: &str = "mutation($input: RemoveCollaboratorInput!) {
    removeProjectCollaborator(input: $input) { id } }";
const PROJECT: &str = "query($id: ID!) { project(id: $id) {
    title descriptionHtml myRole owner { id } collaborators { role user { id } } } }";
const HUB: &str = "query($search: String, $first: Int, $after: String) {
    publicProjects(search: $search, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { title } } }";
const SPACE_PROJECTS: &str = "query($space: ID!) { spaceProjects(makerspaceId: $space) { title } }";
const MINE: &str = "query { myProjects { title myRole } }";

/// Starts a project as `who`; its id.
async fn started(lab: &Lab, who: &Person, input: Value) -> String {
    let answer = lab.ask(Some(who), CREATE, json!({ "input": input })).await;
    answer["data"]["createProject"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a project: {answer}"))
        .to_owned()
}

/// Who asks for a project, and what they get: its title, or the error's code.
async fn seen(lab: &Lab, who: Option<&Person>, project: &str) -> String {
    let answer = lab.ask(who, PROJECT, json!({"id": project})).await;
    match error_code(&answer) {
        None => answer["data"]["project"]["title"]
            .as_str()
            .expect("a title")
            .to_owned(),
        Some(code) => code.to_owned(),
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_project_is_seen_as_its_visibility_says(db: PgPool) {
    let lab = Lab::open(&db).await;
    let maker = lab.person("mia", "member").await;
    let neighbour = lab.person("ned", "member").await;
    let friend = stranger(&lab.api, &db, "friend").await;
    let other = stranger(&lab.api, &db, "other-space").await;
    found_space(
        &lab.api,
        &other.token,
        &format!("elsewhere-{}", uuid::Uuid::now_v7().simple()),
    )
    .await;
    let admin = lab.platform_admin(None).await;
    let mut projects = Vec::new();
    for visibility in ["PRIVATE", "SPACE", "PUBLIC"] {
        let id = started(
            &lab,
            &maker,
            json!({"title": visibility, "makerspaceId": lab.space, "visibility": visibility}),
        )
        .await;
        lab.ask(
            Some(&maker),
            SET,
            json!({"input": {"projectId": id, "userId": friend.id, "role": "VIEWER"}}),
        )
        .await;
        projects.push(id);
    }
    let people = [
        ("anonymous", None),
        ("another space's owner", Some(&other)),
        ("a member of the space", Some(&neighbour)),
        ("a viewer from outside", Some(&friend)),
        ("its owner", Some(&maker)),
        ("a platform admin", Some(&admin)),
    ];
    for (who, person) in people {
        let mut sees = Vec::new();
        for project in &projects {
            sees.push(seen(&lab, person, project).await);
        }
        let expected = match who {
            "anonymous" | "another space's owner" => ["NOT_FOUND", "NOT_FOUND", "PUBLIC"],
            "a member of the space" => ["NOT_FOUND", "SPACE", "PUBLIC"],
            _ => ["PRIVATE", "SPACE", "PUBLIC"],
        };
        assert_eq!(sees, expected, "{who}");
    }

    // The lists say the same: the hub the public one, the space what each may see of it.
    let hub = lab.ask(None, HUB, json!({})).await;
    assert_eq!(
        hub["data"]["publicProjects"]["nodes"],
        json!([{"title": "PUBLIC"}])
    );
    let of_space = lab
        .ask(
            Some(&neighbour),
            SPACE_PROJECTS,
            json!({"space": lab.space}),
        )
        .await;
    assert_eq!(
        of_space["data"]["spaceProjects"],
        json!([{"title": "PUBLIC"}, {"title": "SPACE"}])
    );
    // The lab is a public space: someone outside it sees its public projects only.
    let outside = lab
        .ask(Some(&other), SPACE_PROJECTS, json!({"space": lab.space}))
        .await;
    assert_eq!(
        outside["data"]["spaceProjects"],
        json!([{"title": "PUBLIC"}]),
        "{outside}"
    );
    let mine = lab.ask(Some(&friend), MINE, json!({})).await;
    assert_eq!(
        mine["data"]["myProjects"],
        json!([{"title": "PUBLIC", "myRole": "VIEWER"}, {"title": "SPACE", "myRole": "VIEWER"},
               {"title": "PRIVATE", "myRole": "VIEWER"}])
    );
    // Once the space keeps to itself, someone outside it is told there is no such space, and a
    // viewer from outside sees the project but not the space it belongs to.
    lab.as_owner(
        "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
        json!({"makerspaceId": lab.space, "isPublic": false}),
    )
    .await;
    let outside = lab
        .ask(Some(&other), SPACE_PROJECTS, json!({"space": lab.space}))
        .await;
    assert_eq!(error_code(&outside), Some("NOT_FOUND"), "{outside}");
    let space_of = lab
        .ask(
            Some(&friend),
            "query($id: ID!) { project(id: $id) { makerspace { id } } }",
            json!({"id": projects[0]}),
        )
        .await;
    assert_eq!(space_of["data"]["project"]["makerspace"], Value::Null);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn editors_change_a_project_viewers_see_it_and_its_owner_decides_who(db: PgPool) {
    let lab = Lab::open(&db).await;
    let owner = lab.person("mia", "member").await;
    let editor = stranger(&lab.api, &db, "eddie").await;
    let viewer = stranger(&lab.api, &db, "vic").await;
    let project = started(
        &lab,
        &owner,
        json!({"title": "Desk lamp", "tags": [" Lamp ", "LED", "lamp"]}),
    )
    .await;
    for (person, role) in [(&editor, "EDITOR"), (&viewer, "VIEWER")] {
        let set = lab
            .ask(
                Some(&owner),
                SET,
                json!({"input": {"projectId": project, "userId": person.id, "role": role}}),
            )
            .await;
        assert_eq!(set["data"]["setProjectCollaborator"]["role"], role, "{set}");
    }

    let change = |who: &Person, input: Value| {
        let (lab, who) = (&lab, who.clone());
        let mut input = input;
        input["id"] = json!(project);
        async move { lab.ask(Some(&who), UPDATE, json!({ "input": input })).await }
    };
    let by_viewer = change(&viewer, json!({"title": "Mine now"})).await;
    assert_eq!(error_code(&by_viewer), Some("FORBIDDEN"), "{by_viewer}");
    assert_eq!(
        error_message(&by_viewer),
        "only the project's owner and editors may change it"
    );
    let by_editor = change(
        &editor,
        json!({"title": "Desk lamp, v2", "status": "IN_PROGRESS"}),
    )
    .await;
    assert_eq!(
        by_editor["data"]["updateProject"],
        json!({"id": project, "title": "Desk lamp, v2", "status": "IN_PROGRESS", "visibility": "PRIVATE"})
    );
    let editor_opens = change(&editor, json!({"visibility": "PUBLIC"})).await;
    assert_eq!(
        error_message(&editor_opens),
        "only the project's owner may do this"
    );
    let opened = change(&owner, json!({"visibility": "PUBLIC"})).await;
    assert_eq!(
        opened["data"]["updateProject"]["visibility"], "PUBLIC",
        "{opened}"
    );
    let without_space = change(&owner, json!({"visibility": "SPACE"})).await;
    assert_eq!(
        invalid_fields(&without_space),
        ["visibility"],
        "{without_space}"
    );

    // The team: one owner, never removed; an editor taken off; a viewer leaving.
    let two_owners = lab
        .ask(
            Some(&owner),
            SET,
            json!({"input": {"projectId": project, "userId": editor.id, "role": "OWNER"}}),
        )
        .await;
    assert_eq!(invalid_fields(&two_owners), ["role"]);
    let nobody = lab
        .ask(
            Some(&owner),
            SET,
            json!({"input": {"projectId": project, "userId": uuid::Uuid::now_v7(), "role": "VIEWER"}}),
        )
        .await;
    assert_eq!(invalid_fields(&nobody), ["userId"]);
    let editor_adds = lab
        .ask(
            Some(&editor),
            SET,
            json!({"input": {"projectId": project, "userId": viewer.id, "role": "EDITOR"}}),
        )
        .await;
    assert_eq!(error_code(&editor_adds), Some("FORBIDDEN"));
    let owner_off = lab
        .ask(
            Some(&owner),
            REMOVE,
            json!({"input": {"projectId": project, "userId": owner.id}}),
        )
        .await;
    assert_eq!(invalid_fields(&owner_off), ["userId"]);
    let leaves = lab
        .ask(
            Some(&viewer),
            REMOVE,
            json!({"input": {"projectId": project, "userId": viewer.id}}),
        )
        .await;
    assert!(leaves.get("errors").is_none(), "{leaves}");
    lab.ask(
        Some(&owner),
        REMOVE,
        json!({"input": {"projectId": project, "userId": editor.id}}),
    )
    .await;
    let team = lab.ask(Some(&owner), PROJECT, json!({"id": project})).await;
    assert_eq!(
        team["data"]["project"]["collaborators"],
        json!([{"role": "OWNER", "user": {"id": owner.id}}])
    );
    let tags = lab
        .ask(
            Some(&owner),
            "query($id: ID!) { project(id: $id) { tags } }",
            json!({"id": project}),
        )
        .await;
    assert_eq!(tags["data"]["project"]["tags"], json!(["lamp", "led"]));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_project_is_refused_for_what_is_wrong_with_it(db: PgPool) {
    let lab = Lab::open(&db).await;
    let maker = lab.person("mia", "member").await;
    let outsider = stranger(&lab.api, &db, "outsider").await;
    let refused = |who: &Person, input: Value| {
        let (lab, who) = (&lab, who.clone());
        async move { lab.ask(Some(&who), CREATE, json!({ "input": input })).await }
    };
    let untitled = refused(
        &maker,
        json!({"title": "  ", "description": "x".repeat(20_001)}),
    )
    .await;
    assert_eq!(invalid_fields(&untitled), ["title", "description"]);
    let tags: Vec<String> = (0..11).map(|n| format!("tag{n}")).collect();
    let too_many = refused(&maker, json!({"title": "Lamp", "tags": tags})).await;
    assert_eq!(invalid_fields(&too_many), ["tags"]);
    let no_space = refused(&maker, json!({"title": "Lamp", "visibility": "SPACE"})).await;
    assert_eq!(invalid_fields(&no_space), ["visibility"]);
    let not_inside = refused(
        &outsider,
        json!({"title": "Lamp", "makerspaceId": lab.space}),
    )
    .await;
    assert_eq!(error_code(&not_inside), Some("NOT_FOUND"), "{not_inside}");
    let anonymous = lab
        .ask(None, CREATE, json!({"input": {"title": "Lamp"}}))
        .await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    let count: i64 = sqlx::query_scalar("select count(*) from makrcave.projects")
        .fetch_one(&db)
        .await
        .expect("the projects");
    assert_eq!(count, 0, "nothing refused was written");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_description_is_shown_as_html_that_runs_nothing(db: PgPool) {
    let lab = Lab::open(&db).await;
    let maker = lab.person("mia", "member").await;
    let project = started(
        &lab,
        &maker,
        json!({"title": "Lamp", "visibility": "PUBLIC",
               "description": "**Bright**. <script>alert(1)</script> [go](javascript:alert(1))"}),
    )
    .await;
    let html =
        lab.ask(None, PROJECT, json!({"id": project})).await["data"]["project"]["descriptionHtml"]
            .clone();
    assert_eq!(
        html,
        "<p><strong>Bright</strong>. &lt;script&gt;alert(1)&lt;/script&gt; <a href=\"#\">go</a></p>\n"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_community_hub_lists_public_projects_newest_first_and_finds_them(db: PgPool) {
    let lab = Lab::open(&db).await;
    let maker = lab.person("mia", "member").await;
    for (title, tags, visibility) in [
        ("Desk lamp", vec!["lighting"], "PUBLIC"),
        ("Secret gift", vec!["lighting"], "PRIVATE"),
        ("Plant stand", vec!["wood"], "PUBLIC"),
        ("Night light", vec!["lighting", "kids"], "PUBLIC"),
    ] {
        started(
            &lab,
            &maker,
            json!({"title": title, "tags": tags, "visibility": visibility}),
        )
        .await;
    }
    let page = |search: Value, after: Value| {
        let lab = &lab;
        async move {
            lab.ask(
                None,
                HUB,
                json!({"search": search, "first": 2, "after": after}),
            )
            .await["data"]["publicProjects"]
                .clone()
        }
    };
    let first = page(Value::Null, Value::Null).await;
    assert_eq!(
        first["nodes"],
        json!([{"title": "Night light"}, {"title": "Plant stand"}])
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = page(Value::Null, first["pageInfo"]["endCursor"].clone()).await;
    assert_eq!(second["nodes"], json!([{"title": "Desk lamp"}]));
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        page(json!("LIGHTING"), Value::Null).await["nodes"],
        json!([{"title": "Night light"}, {"title": "Desk lamp"}]),
        "found by tag, the private one left out"
    );
    // Mia also keeps a space of her own that is private: her profile names only the public one.
    found_space(&lab.api, &maker.token, "mias-shed").await;
    sqlx::query("update makrcave.makerspaces set is_public = false where slug = 'mias-shed'")
        .execute(&db)
        .await
        .expect("a private space");
    let profile = lab
        .ask(
            None,
            "query($id: ID!) { _entities(representations: [{__typename: \"User\", id: $id}]) {
                ... on User { publicProjects { title } publicSpaces { id } } } }",
            json!({"id": maker.id}),
        )
        .await;
    assert_eq!(
        profile["data"]["_entities"][0],
        json!({"publicProjects": [{"title": "Night light"}, {"title": "Plant stand"},
                                  {"title": "Desk lamp"}],
               "publicSpaces": [{"id": lab.space}]}),
        "{profile}"
    );
}
