//! Responses are compressed for clients that accept it (gzip or Brotli),
//! except the event stream, whose events must leave at once.
use std::io::Read;

use sqlx::PgPool;

use crate::browser::signed_in;
use crate::helpers::TestApp;
use crate::users::org;

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_owned())
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn pages_and_json_are_compressed_for_clients_that_accept_it(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = signed_in(&app, "alice").await;
    for (accept, expected) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let response = alice
            .client
            .get(alice.url("/equipment"))
            .header("accept-encoding", accept)
            .send()
            .await
            .expect("page");
        assert_eq!(response.status(), 200, "{accept}");
        assert_eq!(
            header(&response, "content-encoding").as_deref(),
            expected,
            "{accept}"
        );
        assert!(
            header(&response, "vary").is_some_and(|v| v.to_lowercase().contains("accept-encoding")),
            "caches keep the encodings apart"
        );
        let body = response.bytes().await.expect("body");
        if accept == "gzip" {
            let mut html = String::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_string(&mut html)
                .expect("valid gzip");
            assert!(html.contains("</html>"), "the whole streamed page");
        }
    }
    let json = alice
        .client
        .get(alice.url("/api/v1/equipment"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("json");
    assert_eq!(header(&json, "content-encoding").as_deref(), Some("gzip"));

    let stream = alice
        .client
        .get(alice.url("/api/notifications/stream"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("stream");
    assert_eq!(stream.status(), 200);
    assert_eq!(
        header(&stream, "content-encoding"),
        None,
        "events leave at once"
    );
}
