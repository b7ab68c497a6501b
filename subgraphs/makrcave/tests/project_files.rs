//! A project's files: its editors send them straight to object storage (the embedded S3
//! server, which checks signatures) with the URL MakrCave signs, MakrCave checks what arrived
//! before anyone sees it, and only those who may see the project get a short-lived URL to it.

mod common;

use common::lab::{Person, stranger};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, error_code, error_message, invalid_fields, put_signed};
use serde_json::{Value, json};
use sqlx::PgPool;

const UPLOAD: &str = "mutation($input: CreateProjectFileUploadInput!) {
    createProjectFileUpload(input: $input) { fileId uploadUrl expiresAt } }";
const CONFIRM: &str = "mutation($input: ProjectFileInput!) {
    confirmProjectFile(input: $input) { id name contentType sizeBytes url uploadedBy { id } } }";
const REMOVE: &str = "mutation($input: ProjectFileInput!) { removeProjectFile(input: $input) }";
const FILES: &str = "query($id: ID!) { project(id: $id) { files { id name url } } }";

/// MakrCave keeping files in an embedded S3 server, which lives as long as the folder and
/// server answered beside it.
async fn with_files(db: &PgPool) -> (Endpoint, makrx_files::LocalS3, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("a folder");
    let s3 = makrx_files::LocalS3::start(folder.path(), ([127, 0, 0, 1], 0).into())
        .await
        .expect("the embedded S3 server starts");
    let files = makrx_files::Files::connect(s3.settings()).expect("an S3 client");
    let api = Endpoint::serve(makrcave::app(
        db.clone(),
        auth(db.clone()),
        Clock::system(),
        Some(files),
    ))
    .await;
    (api, s3, folder)
}

/// A binary STL of `triangles` triangles (all zeros but its count).
fn stl(triangles: u32) -> Vec<u8> {
    let mut bytes = vec![0; 80];
    bytes.extend(triangles.to_le_bytes());
    bytes.resize(84 + 50 * triangles as usize, 0);
    bytes
}

async fn ask(api: &Endpoint, who: Option<&Person>, query: &str, variables: Value) -> Value {
    api.send(query, variables, who.map(|person| person.token.as_str()))
        .await
}

/// A project `who` starts, its id.
async fn desk_lamp(api: &Endpoint, who: &Person) -> Value {
    ask(
        api,
        Some(who),
        "mutation { createProject(input: {title: \"Desk lamp\"}) { id } }",
        json!({}),
    )
    .await["data"]["createProject"]["id"]
        .clone()
}

/// Asks, as `who`, for an upload of a file to `project`; the whole answer.
async fn ask_upload(
    api: &Endpoint,
    who: &Person,
    project: &Value,
    name: &str,
    size: i64,
    content_type: &str,
) -> Value {
    let input = json!({"projectId": project, "fileName": name, "sizeBytes": size,
                       "contentType": content_type});
    ask(api, Some(who), UPLOAD, json!({ "input": input })).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_file_sent_to_its_upload_url_shows_on_its_project_once_checked(db: PgPool) {
    let (api, _s3, _folder) = with_files(&db).await;
    let maker = stranger(&api, &db, "mia").await;
    let viewer = stranger(&api, &db, "vic").await;
    let outsider = stranger(&api, &db, "olly").await;
    let project = desk_lamp(&api, &maker).await;
    ask(
        &api,
        Some(&maker),
        "mutation($input: SetCollaboratorInput!) { setProjectCollaborator(input: $input) { role } }",
        json!({"input": {"projectId": project, "userId": viewer.id, "role": "VIEWER"}}),
    )
    .await;

    let base = stl(40);
    let upload = ask_upload(
        &api,
        &maker,
        &project,
        "lamp-base.stl",
        base.len() as i64,
        "model/stl",
    )
    .await["data"]["createProjectFileUpload"]
        .clone();
    let files = || ask(&api, Some(&viewer), FILES, json!({"id": project}));
    assert_eq!(
        files().await["data"]["project"]["files"],
        json!([]),
        "nothing shows before it is checked"
    );
    let early = ask(
        &api,
        Some(&maker),
        CONFIRM,
        json!({"input": {"fileId": upload["fileId"]}}),
    )
    .await;
    assert_eq!(error_code(&early), Some("CONFLICT"));
    assert_eq!(put_signed(&upload, "model/stl", base.clone()).await, 200);
    let shown = ask(
        &api,
        Some(&maker),
        CONFIRM,
        json!({"input": {"fileId": upload["fileId"]}}),
    )
    .await;
    let shown = &shown["data"]["confirmProjectFile"];
    assert_eq!(shown["name"], "lamp-base.stl");
    assert_eq!(shown["sizeBytes"], 2084);
    assert_eq!(shown["uploadedBy"]["id"], json!(maker.id));

    // A viewer fetches it with a URL of their own; someone outside never gets one.
    let listed = files().await["data"]["project"]["files"].clone();
    assert_eq!(listed[0]["name"], "lamp-base.stl", "{listed}");
    let fetched = reqwest::get(listed[0]["url"].as_str().expect("a URL"))
        .await
        .expect("S3 answers");
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.bytes().await.expect("the file").to_vec(), base);
    let unsigned = listed[0]["url"]
        .as_str()
        .expect("a URL")
        .split('?')
        .next()
        .expect("a path")
        .to_owned();
    assert_eq!(
        reqwest::get(&unsigned).await.expect("S3 answers").status(),
        403,
        "without the signature S3 refuses"
    );
    let outside = ask(&api, Some(&outsider), FILES, json!({"id": project})).await;
    assert_eq!(error_code(&outside), Some("NOT_FOUND"));
    assert_eq!(
        error_code(&ask(&api, None, FILES, json!({"id": project})).await),
        Some("NOT_FOUND")
    );

    // A viewer uploads nothing and removes nothing; an outsider is told there is no such file.
    let by_viewer = ask_upload(&api, &viewer, &project, "mine.stl", 84, "model/stl").await;
    assert_eq!(error_code(&by_viewer), Some("FORBIDDEN"), "{by_viewer}");
    let removed_by_outsider = ask(
        &api,
        Some(&outsider),
        REMOVE,
        json!({"input": {"fileId": upload["fileId"]}}),
    )
    .await;
    assert_eq!(error_code(&removed_by_outsider), Some("NOT_FOUND"));
    let removed = ask(
        &api,
        Some(&maker),
        REMOVE,
        json!({"input": {"fileId": upload["fileId"]}}),
    )
    .await;
    assert!(removed.get("errors").is_none(), "{removed}");
    assert_eq!(files().await["data"]["project"]["files"], json!([]));
    assert_eq!(
        reqwest::get(listed[0]["url"].as_str().expect("a URL"))
            .await
            .expect("S3 answers")
            .status(),
        404,
        "the file is gone from storage too"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_file_not_as_declared_is_refused_and_nothing_of_it_is_kept(db: PgPool) {
    let (api, _s3, folder) = with_files(&db).await;
    let maker = stranger(&api, &db, "mia").await;
    let project = desk_lamp(&api, &maker).await;
    let too_big = ask_upload(
        &api,
        &maker,
        &project,
        "huge.stl",
        100 * 1024 * 1024 + 1,
        "model/stl",
    )
    .await;
    assert_eq!(invalid_fields(&too_big), ["sizeBytes"]);
    let program = ask_upload(
        &api,
        &maker,
        &project,
        "setup.exe",
        100,
        "application/x-msdownload",
    )
    .await;
    assert_eq!(invalid_fields(&program), ["contentType"]);
    assert!(
        error_message(&program).contains("model/stl"),
        "it lists what is kept"
    );
    let unnamed = ask_upload(&api, &maker, &project, "  ", 100, "model/stl").await;
    assert_eq!(invalid_fields(&unnamed), ["fileName"]);

    // A truncated STL (its count says 40 triangles, 20 arrived) and a file of another size
    // than declared: refused, and deleted.
    for (declared, body, says) in [
        (
            1084,
            stl(40)[..1084].to_vec(),
            "the upload is not a STL file",
        ),
        (
            2084,
            stl(20),
            "the upload is 1084 bytes, not the 2084 declared",
        ),
    ] {
        let upload =
            ask_upload(&api, &maker, &project, "part.stl", declared, "model/stl").await["data"]["createProjectFileUpload"]
                .clone();
        put_signed(&upload, "model/stl", body).await;
        let refused = ask(
            &api,
            Some(&maker),
            CONFIRM,
            json!({"input": {"fileId": upload["fileId"]}}),
        )
        .await;
        assert_eq!(error_code(&refused), Some("CONFLICT"), "{refused}");
        assert_eq!(error_message(&refused), says);
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from makrcave.project_files")
        .fetch_one(&db)
        .await
        .expect("the files");
    assert_eq!(rows, 0, "no row is kept of a refused file");
    let kept = walk(folder.path());
    assert!(kept.is_empty(), "no file is kept in storage: {kept:?}");

    // Whereas one as declared is kept: the look into storage above would have seen it.
    let good =
        ask_upload(&api, &maker, &project, "part.stl", 2084, "model/stl").await["data"]["createProjectFileUpload"].clone();
    put_signed(&good, "model/stl", stl(40)).await;
    ask(
        &api,
        Some(&maker),
        CONFIRM,
        json!({"input": {"fileId": good["fileId"]}}),
    )
    .await;
    assert_eq!(walk(folder.path()).len(), 1);
}

/// The objects the S3 server keeps under `dir`, however deep (not the bookkeeping it keeps
/// beside them in dot files).
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
