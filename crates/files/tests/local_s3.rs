//! The embedded S3 server and the client, as a browser and a service use them: presigned URLs
//! that work for what they were signed for and nothing else.

use std::time::Duration;

use makrx_files::{Files, LocalS3};

const MINUTE: Duration = Duration::from_secs(60);

async fn started() -> (tempfile::TempDir, LocalS3, Files) {
    let root = tempfile::tempdir().expect("a folder");
    let s3 = LocalS3::start(root.path(), ([127, 0, 0, 1], 0).into())
        .await
        .expect("the embedded S3 server starts");
    let files = Files::connect(s3.settings()).expect("a client");
    (root, s3, files)
}

#[tokio::test]
async fn a_presigned_put_uploads_and_a_presigned_get_fetches() {
    let (_root, _s3, files) = started().await;
    let http = reqwest::Client::new();

    let upload = files
        .upload_url("images/a.png", "image/png", MINUTE)
        .await
        .expect("an upload URL");
    let put = http
        .put(&upload)
        .header("content-type", "image/png")
        .body(b"\x89PNG\r\n\x1a\n and the rest".to_vec())
        .send()
        .await
        .expect("an answer");
    assert!(put.status().is_success(), "{}", put.status());

    let (size, start) = files
        .peek("images/a.png", 8)
        .await
        .expect("a peek")
        .expect("the file");
    assert_eq!(size, 21);
    assert_eq!(&start[..], b"\x89PNG\r\n\x1a\n");
    let download = files
        .download_url("images/a.png", MINUTE)
        .await
        .expect("a download URL");
    let got = http.get(&download).send().await.expect("an answer");
    assert_eq!(got.status(), 200);
    assert_eq!(
        got.bytes().await.expect("a body").len(),
        21,
        "the whole file"
    );

    files.delete("images/a.png").await.expect("deleted");
    assert_eq!(files.peek("images/a.png", 8).await.expect("a peek"), None);
    files
        .delete("images/a.png")
        .await
        .expect("deleting twice is fine");
}

#[tokio::test]
async fn a_presigned_url_refuses_another_type_another_key_or_a_forged_signature() {
    let (_root, _s3, files) = started().await;
    let http = reqwest::Client::new();
    let upload = files
        .upload_url("images/b.png", "image/png", MINUTE)
        .await
        .expect("an upload URL");

    let other_type = http
        .put(&upload)
        .header("content-type", "text/html")
        .body("<script>")
        .send()
        .await
        .expect("an answer");
    let other_key = http
        .put(upload.replace("images/b.png", "images/c.png"))
        .header("content-type", "image/png")
        .body("x")
        .send()
        .await
        .expect("an answer");
    // The signature with its first hex digit changed.
    let at = upload.find("X-Amz-Signature=").expect("a signature") + "X-Amz-Signature=".len();
    let flipped = if &upload[at..=at] == "0" { "1" } else { "0" };
    let forged = http
        .put(format!("{}{flipped}{}", &upload[..at], &upload[at + 1..]))
        .header("content-type", "image/png")
        .body("x")
        .send()
        .await
        .expect("an answer");

    assert_eq!(other_type.status(), 403);
    assert_eq!(other_key.status(), 403);
    assert_eq!(forged.status(), 403);
    assert_eq!(files.peek("images/b.png", 8).await.expect("a peek"), None);
    assert_eq!(files.peek("images/c.png", 8).await.expect("a peek"), None);
}

#[tokio::test]
async fn a_page_on_another_origin_may_upload() {
    let (_root, s3, _files) = started().await;

    let preflight = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{}/makrx/images/d.png", s3.addr()),
        )
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("an answer");

    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "*",
        "{:?}",
        preflight.headers()
    );
}
