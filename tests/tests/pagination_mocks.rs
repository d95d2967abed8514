//! The generated `mock::{operation}_pages` of every paging scheme of `specs/pagination.yaml`:
//! the client's own stream reads the pages a test gives, each once and in order, whatever the
//! scheme; and a client that asks for a page the mock's pages do not lead to gets an error.

mod api {
    include!(concat!(env!("OUT_DIR"), "/pagination.rs"));
}

use api::types::{
    ListByCursorParams, ListByLastIdParams, ListByNextUrlParams, ListByOffsetParams,
    ListByPageParams, ListDropshotParams, ListOrgReposParams, ListSpeakeasyParams,
};
use api::{Client, Error, mock};
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use specwright_runtime::mock::Pages;
use wiremock::MockServer;

fn items(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

/// A page of the type `T`, written as JSON.
fn page<T: DeserializeOwned>(body: Value) -> T {
    serde_json::from_value(body).expect("a page of the spec's type")
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client")
}

/// The ids read, and the error that ended the stream, if any.
async fn read<T, E: std::fmt::Debug>(
    stream: impl futures_util::Stream<Item = Result<T, Error<E>>>,
    id: impl Fn(&T) -> String,
) -> (Vec<String>, Option<String>) {
    let mut ids = Vec::new();
    let mut stream = std::pin::pin!(stream);
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => ids.push(id(&item)),
            Err(err) => return (ids, Some(err.to_string())),
        }
    }
    (ids, None)
}

/// Mounts `pages`, expecting exactly `requests` requests.
async fn serve(server: &MockServer, pages: Pages, requests: u64) {
    pages.mock().expect(requests).mount(server).await;
}

const ALL: [&str; 5] = ["1", "2", "3", "4", "5"];

#[tokio::test]
async fn a_cursor_mock_serves_each_page_to_its_cursor() {
    let server = MockServer::start().await;
    let pages = mock::list_by_cursor_pages([
        page(json!({"data": items(&["1", "2"]), "next_cursor": "a"})),
        // An empty page in the middle: its cursor still leads on.
        page(json!({"data": [], "next_cursor": "b"})),
        page(json!({"data": items(&["3", "4", "5"]), "next_cursor": null})),
    ]);
    serve(&server, pages, 3).await;
    let params = ListByCursorParams {
        limit: Some(2),
        ..Default::default()
    };
    let (ids, error) = read(client(&server).list_by_cursor_stream(params), |item| {
        item.id.clone()
    })
    .await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
}

#[tokio::test]
async fn a_link_mock_writes_the_link_headers_itself() {
    let server = MockServer::start().await;
    let pages = mock::list_org_repos_pages([
        page(items(&["1", "2"])),
        page(items(&["3", "4"])),
        page(items(&["5"])),
    ]);
    // Read twice: as items, then as pages.
    serve(&server, pages, 6).await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_org_repos_stream("acme", ListOrgReposParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
    // The links keep the first request's path argument and query, and move `page` on.
    let pages: Vec<_> = client
        .list_org_repos_pages(
            "acme",
            ListOrgReposParams {
                per_page: Some(2),
                ..Default::default()
            },
        )
        .collect()
        .await;
    let links: Vec<Option<String>> = pages
        .iter()
        .map(|page| {
            let page = page.as_ref().ok()?;
            let link = page.headers.get("link")?.to_str().ok()?;
            Some(link.replace(&server.uri(), ""))
        })
        .collect();
    assert_eq!(
        links,
        [
            Some(r#"</orgs/acme/repos?per_page=2&page=2>; rel="next""#.to_owned()),
            Some(r#"</orgs/acme/repos?per_page=2&page=3>; rel="next""#.to_owned()),
            None
        ]
    );
}

#[tokio::test]
async fn a_next_url_mock_serves_each_page_at_the_url_before_it() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let pages = mock::list_by_next_url_pages([
        page(
            json!({"items": items(&["1", "2"]), "links": {"next": format!("{uri}/url-items?after=2")}}),
        ),
        // A relative URL, resolved against the page's own.
        page(json!({"items": items(&["3", "4"]), "links": {"next": "/url-items?after=4"}})),
        page(json!({"items": items(&["5"]), "links": {}})),
    ]);
    serve(&server, pages, 3).await;
    let (ids, error) = read(
        client(&server).list_by_next_url_stream(ListByNextUrlParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
}

#[tokio::test]
async fn a_last_id_mock_serves_each_page_after_the_last_id_before_it() {
    let server = MockServer::start().await;
    let body = |ids: &[&str], more: bool| {
        page(json!({"object": "list", "data": items(ids), "has_more": more}))
    };
    let pages = mock::list_by_last_id_pages([
        body(&["1", "2"], true),
        body(&["3", "4"], true),
        body(&["5"], false),
    ]);
    serve(&server, pages, 3).await;
    let (ids, error) = read(
        client(&server).list_by_last_id_stream(ListByLastIdParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
}

#[tokio::test]
async fn offset_and_page_number_mocks_count_as_the_client_does() {
    let server = MockServer::start().await;
    let body = |ids: &[&str]| page(json!({"results": items(ids), "total": 5}));
    let offsets = mock::list_by_offset_pages([body(&["1", "2"]), body(&["3", "4"]), body(&["5"])]);
    serve(&server, offsets, 3).await;
    let body = |ids: &[&str]| page(json!({"entries": items(ids)}));
    let numbers = mock::list_by_page_pages([
        body(&["1", "2"]),
        body(&["3", "4"]),
        body(&["5"]),
        body(&[]),
    ]);
    serve(&server, numbers, 4).await;
    let client = client(&server);
    // The first page also answers its own position sent explicitly.
    let params = ListByOffsetParams {
        offset: Some(0),
        limit: Some(2),
    };
    let (ids, error) = read(client.list_by_offset_stream(params), |item| item.id.clone()).await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
    let (ids, error) = read(
        client.list_by_page_stream(ListByPageParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!((ids, error), (ALL.map(String::from).to_vec(), None));
}

#[tokio::test]
async fn declared_schemes_mock_as_they_page() {
    let server = MockServer::start().await;
    let dropshot = mock::list_dropshot_pages([
        page(json!({"items": items(&["1"]), "next_page": "t1"})),
        page(json!({"items": items(&["2"]), "next_page": null})),
    ]);
    serve(&server, dropshot, 2).await;
    let speakeasy = mock::list_speakeasy_pages([
        page(json!({"records": items(&["x"]), "meta": {"continue_with": "k"}})),
        page(json!({"records": items(&["y"]), "meta": {}})),
    ]);
    serve(&server, speakeasy, 2).await;
    let client = client(&server);
    let (ids, _) = read(
        client.list_dropshot_stream(ListDropshotParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2"]);
    let (ids, _) = read(
        client.list_speakeasy_stream(ListSpeakeasyParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["x", "y"]);
}

#[tokio::test]
async fn a_last_page_that_says_more_follows_ends_with_the_mocks_answer() {
    let server = MockServer::start().await;
    let pages = mock::list_by_cursor_pages([
        page(json!({"data": items(&["1"]), "next_cursor": "a"})),
        page(json!({"data": items(&["2"]), "next_cursor": "b"})),
    ]);
    serve(&server, pages, 3).await;
    let client = client(&server);
    let mut stream = std::pin::pin!(client.list_by_cursor_stream(Default::default()));
    let mut ids = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(item)) => ids.push(item.id),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the mock's answer"),
        }
    };
    assert_eq!(ids, ["1", "2"]);
    let Error::UnexpectedStatus(answer) = error else {
        panic!("not the mock's answer: {error}");
    };
    assert_eq!(answer.status.as_u16(), 404);
    let text = String::from_utf8_lossy(&answer.body);
    assert!(text.contains("no page at `cursor=b`"), "{text}");
    assert!(stream.next().await.is_none());
}
