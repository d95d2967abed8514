//! Query parameter styles (form with and without explode, space- and pipe-delimited,
//! deepObject) and cookie parameters, as the server receives them.

mod api {
    include!(concat!(env!("OUT_DIR"), "/query_styles.rs"));
}

use api::types::{SearchFilter, SearchParams, SearchPoint, SearchTheme};
use api::{Client, Error};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_style_writes_lists_and_objects_its_own_way() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("cookie", "session=s-1; theme=dark"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    let params = SearchParams {
        tags: Some(vec!["a".into(), "b c".into()]),
        ids: Some(vec![1, 2, 3]),
        words: Some(vec!["big".into(), "red".into()]),
        codes: Some(vec!["x".into(), "y".into()]),
        filter: Some(SearchFilter {
            unknown_fields: Default::default(),
            color: Some("blue".into()),
            size: Some(4),
        }),
        point: Some(SearchPoint {
            unknown_fields: Default::default(),
            x: Some(1),
            y: Some(2),
        }),
        session: Some("s-1".into()),
        theme: Some(SearchTheme::Dark),
    };
    client.search(&params).await.expect("sent");
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert_eq!(
        query,
        "tags=a&tags=b+c&ids=1%2C2%2C3&words=big+red&codes=x%7Cy\
         &filter%5Bcolor%5D=blue&filter%5Bsize%5D=4&point=x%2C1%2Cy%2C2"
    );
}

#[tokio::test]
async fn cookie_values_cannot_break_the_header() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    let params = SearchParams {
        session: Some("a; admin=1".into()),
        ..Default::default()
    };
    let err = client.search(&params).await.expect_err("refused");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "session"),
        "{err:?}"
    );
}
