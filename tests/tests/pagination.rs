//! Every paging scheme of `specs/pagination.yaml` against a local server: three pages read
//! once each, in order, and nothing after the last; a cursor, URL or last id that comes back
//! ends with an error, not a loop; an empty page in the middle is read past where the scheme
//! allows and ends the list where it does not (an error where the page says there is more);
//! a next URL on another origin is refused, in the body or a `Link` header; each page is
//! retried and bounded as any call is; `.take(n)` fetches no page more than it needs; a page
//! stream gives each page's headers; and the declarations and names of
//! real APIs (GitHub's lists beside a 304, Twitter's tokens, Datadog's `x-pagination`) page,
//! a guess being said to be one.

mod api {
    include!(concat!(env!("OUT_DIR"), "/pagination.rs"));
}

use std::path::Path;

use api::types::{
    ListByCursorParams, ListByLastIdParams, ListByNextUrlParams, ListByOffsetParams,
    ListByPageParams, ListDashboardsParams, ListDropshotParams, ListIssuesParams,
    ListMonitorsParams, ListOrgReposParams, ListSpeakeasyParams, ListTweetsParams,
    SearchTweetsParams,
};
use api::{Client, Error};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn items(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Answers `response` once, to a GET of `route` whose query has `key=value` (or no `key`).
async fn page(
    server: &MockServer,
    route: &str,
    key: &str,
    value: Option<&str>,
    response: ResponseTemplate,
) {
    let mock = Mock::given(method("GET")).and(path(route));
    let mock = match value {
        Some(value) => mock.and(query_param(key, value)),
        None => mock.and(query_param_is_missing(key)),
    };
    mock.respond_with(response).expect(1).mount(server).await;
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

#[tokio::test]
async fn a_cursor_in_the_body_goes_back_as_the_parameter() {
    let server = MockServer::start().await;
    let route = "/cursor-items";
    page(
        &server,
        route,
        "cursor",
        None,
        ok(json!({"data": items(&["1", "2"]), "next_cursor": "a"})),
    )
    .await;
    // An empty page in the middle: its cursor is followed.
    page(
        &server,
        route,
        "cursor",
        Some("a"),
        ok(json!({"data": [], "next_cursor": "b"})),
    )
    .await;
    page(
        &server,
        route,
        "cursor",
        Some("b"),
        ok(json!({"data": items(&["3"]), "next_cursor": null})),
    )
    .await;
    let client = client(&server);
    let params = ListByCursorParams {
        limit: Some(2),
        ..Default::default()
    };
    let (ids, error) = read(client.list_by_cursor_stream(params), |item| item.id.clone()).await;
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(error, None);
    // The first page's other parameters stay on every page.
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests
            .iter()
            .all(|r| r.url.query().unwrap_or_default().contains("limit=2"))
    );
}

#[tokio::test]
async fn a_cursor_that_comes_back_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let route = "/cursor-items";
    page(
        &server,
        route,
        "cursor",
        None,
        ok(json!({"data": items(&["1"]), "next_cursor": "a"})),
    )
    .await;
    page(
        &server,
        route,
        "cursor",
        Some("a"),
        ok(json!({"data": items(&["2"]), "next_cursor": "b"})),
    )
    .await;
    page(
        &server,
        route,
        "cursor",
        Some("b"),
        ok(json!({"data": items(&["3"]), "next_cursor": "a"})),
    )
    .await;
    let (ids, error) = read(
        client(&server).list_by_cursor_stream(Default::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(
        error.as_deref(),
        Some("the list did not end: the page at `a` was read before")
    );
}

#[tokio::test]
async fn the_link_header_is_followed_as_given_with_the_path_argument() {
    let server = MockServer::start().await;
    let route = "/orgs/acme/repos";
    let linked = |body: Value, link: &str| ok(body).insert_header("link", link);
    let uri = server.uri();
    page(
        &server,
        route,
        "page",
        None,
        linked(items(&["1", "2"]), &format!(r#"<{uri}/orgs/acme/repos?per_page=2&page=2>; rel="next", <{uri}/orgs/acme/repos?per_page=2&page=3>; rel="last""#)),
    )
    .await;
    // A relative link, as RFC 8288 allows.
    page(
        &server,
        route,
        "page",
        Some("2"),
        linked(
            items(&["3", "4"]),
            r#"</orgs/acme/repos?per_page=2&page=3>; rel="next""#,
        ),
    )
    .await;
    page(
        &server,
        route,
        "page",
        Some("3"),
        linked(
            items(&["5"]),
            r#"</orgs/acme/repos?per_page=2&page=2>; rel="prev""#,
        ),
    )
    .await;
    let client = client(&server);
    let params = ListOrgReposParams {
        per_page: Some(2),
        ..Default::default()
    };
    let (ids, error) = read(client.list_org_repos_stream("acme", params), |item| {
        item.id.clone()
    })
    .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(error, None);
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_refused() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({"items": []})))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let route = "/url-items";
    let next = format!("{}/url-items?after=1", server.uri());
    page(
        &server,
        route,
        "after",
        None,
        ok(json!({"items": items(&["1"]), "links": {"next": next}})),
    )
    .await;
    let stolen = format!("{}/url-items?after=2", elsewhere.uri());
    page(
        &server,
        route,
        "after",
        Some("1"),
        ok(json!({"items": items(&["2"]), "links": {"next": stolen}})),
    )
    .await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_by_next_url_stream(ListByNextUrlParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2"]);
    let error = error.expect("refused");
    assert!(error.contains("another origin"), "{error}");
}

#[tokio::test]
async fn the_last_id_goes_back_while_has_more() {
    let server = MockServer::start().await;
    let route = "/stripe-items";
    let body = |ids: &[&str], more: bool| {
        ok(json!({"object": "list", "data": items(ids), "has_more": more}))
    };
    page(
        &server,
        route,
        "starting_after",
        None,
        body(&["a", "b"], true),
    )
    .await;
    page(
        &server,
        route,
        "starting_after",
        Some("b"),
        body(&["c", "d"], true),
    )
    .await;
    page(
        &server,
        route,
        "starting_after",
        Some("d"),
        body(&["e"], false),
    )
    .await;
    let (ids, error) = read(
        client(&server).list_by_last_id_stream(ListByLastIdParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(error, None);
}

#[tokio::test]
async fn an_offset_moves_on_by_the_items_read_and_stops_at_the_total() {
    let server = MockServer::start().await;
    let route = "/offset-items";
    let body = |ids: &[&str]| ok(json!({"results": items(ids), "total": 5}));
    page(&server, route, "offset", None, body(&["1", "2"])).await;
    page(&server, route, "offset", Some("2"), body(&["3", "4"])).await;
    page(&server, route, "offset", Some("4"), body(&["5"])).await;
    let params = ListByOffsetParams {
        limit: Some(2),
        ..Default::default()
    };
    let (ids, error) = read(client(&server).list_by_offset_stream(params), |item| {
        item.id.clone()
    })
    .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(error, None);
}

#[tokio::test]
async fn a_page_number_counts_up_and_an_empty_page_is_the_end() {
    let server = MockServer::start().await;
    let route = "/page-items";
    let body = |ids: &[&str]| ok(json!({"entries": items(ids)}));
    page(&server, route, "page", None, body(&["1", "2"])).await;
    page(&server, route, "page", Some("2"), body(&["3", "4"])).await;
    page(&server, route, "page", Some("3"), body(&[])).await;
    let (ids, error) = read(
        client(&server).list_by_page_stream(ListByPageParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(error, None);
}

#[tokio::test]
async fn dropshot_and_speakeasy_declarations_are_read_exactly() {
    let server = MockServer::start().await;
    let route = "/dropshot-items";
    page(
        &server,
        route,
        "page_token",
        None,
        ok(json!({"items": items(&["1"]), "next_page": "t1"})),
    )
    .await;
    page(
        &server,
        route,
        "page_token",
        Some("t1"),
        ok(json!({"items": items(&["2"]), "next_page": null})),
    )
    .await;
    let route = "/speakeasy-items";
    page(
        &server,
        route,
        "token",
        None,
        ok(json!({"records": items(&["x"]), "meta": {"continue_with": "k"}})),
    )
    .await;
    page(
        &server,
        route,
        "token",
        Some("k"),
        ok(json!({"records": items(&["y"]), "meta": {}})),
    )
    .await;
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
async fn pages_carry_their_headers_and_a_limit_fetches_no_more() {
    let server = MockServer::start().await;
    let route = "/cursor-items";
    page(
        &server,
        route,
        "cursor",
        None,
        ok(json!({"data": items(&["1"]), "next_cursor": "a"})).insert_header("x-page", "first"),
    )
    .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_by_cursor_pages(Default::default())
        .take(1)
        .collect()
        .await;
    let first = pages[0].as_ref().expect("a page");
    assert_eq!(
        first.headers.get("x-page").map(|v| v.as_bytes()),
        Some(&b"first"[..])
    );
    assert_eq!(first.data.len(), 1);
    // `expect(1)`: the second page was never asked for.
}

#[tokio::test]
async fn a_link_header_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(items(&["stolen"])))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let stolen = format!(
        r#"<{}/orgs/acme/repos?page=2>; rel="next""#,
        elsewhere.uri()
    );
    page(
        &server,
        "/orgs/acme/repos",
        "page",
        None,
        ok(items(&["1"])).insert_header("link", stolen.as_str()),
    )
    .await;
    let (ids, error) = read(
        client(&server).list_org_repos_stream("acme", ListOrgReposParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1"]);
    let error = error.expect("refused");
    assert!(error.contains("another origin"), "{error}");
}

/// GitHub's lists document a 301 or a 304 beside the page: they page all the same, and a
/// success holding no page ends the list with an error naming it, never as its end.
#[tokio::test]
async fn a_list_that_documents_a_304_and_a_301_pages_by_its_link_header() {
    let server = MockServer::start().await;
    let route = "/repos/r/issues";
    let uri = server.uri();
    page(
        &server,
        route,
        "page",
        None,
        ok(items(&["1", "2"])).insert_header(
            "link",
            format!(r#"<{uri}{route}?page=2>; rel="next""#).as_str(),
        ),
    )
    .await;
    page(
        &server,
        route,
        "page",
        Some("2"),
        ok(items(&["3"])).insert_header(
            "link",
            format!(r#"<{uri}{route}?page=3>; rel="next""#).as_str(),
        ),
    )
    .await;
    page(&server, route, "page", Some("3"), ok(items(&["4"]))).await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_issues_stream("r", ListIssuesParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(error, None);
    let server = MockServer::start().await;
    page(&server, route, "page", None, ResponseTemplate::new(304)).await;
    let (ids, error) = read(
        api::Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client")
            .list_issues_stream("r", ListIssuesParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert!(ids.is_empty());
    let error = error.expect("not a page");
    assert!(error.contains("304 Not Modified"), "{error}");
}

/// Twitter's `pagination_token` and `next_token` both come back as `meta.next_token`.
#[tokio::test]
async fn twitter_tokens_go_back_from_meta_next_token() {
    let server = MockServer::start().await;
    let body = |ids: &[&str], next: Option<&str>| {
        ok(json!({"data": items(ids), "meta": {"result_count": ids.len(), "next_token": next}}))
    };
    let route = "/tweets";
    page(
        &server,
        route,
        "pagination_token",
        None,
        body(&["1"], Some("t1")),
    )
    .await;
    page(
        &server,
        route,
        "pagination_token",
        Some("t1"),
        body(&["2"], Some("t2")),
    )
    .await;
    page(
        &server,
        route,
        "pagination_token",
        Some("t2"),
        body(&["3"], None),
    )
    .await;
    let route = "/tweets/search";
    page(&server, route, "next_token", None, body(&["a"], Some("s1"))).await;
    page(&server, route, "next_token", Some("s1"), body(&["b"], None)).await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_tweets_stream(ListTweetsParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(
        (ids, error),
        (vec!["1".to_owned(), "2".into(), "3".into()], None)
    );
    let (ids, error) = read(
        client.search_tweets_stream(SearchTweetsParams {
            query: "q".to_owned(),
            next_token: None,
        }),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!((ids, error), (vec!["a".to_owned(), "b".into()], None));
}

/// Datadog's `x-pagination`: `pageOffsetParam` moves on by the items read, `pageParam` counts
/// pages from 0, `limitParam` is the page size (a short page ends the list) and `resultsPath`
/// names the items, over a `data` field the heuristics would take.
#[tokio::test]
async fn datadog_x_pagination_is_read_exactly() {
    let server = MockServer::start().await;
    let route = "/dashboards";
    let body = |ids: &[&str]| ok(json!({"data": ["not", "these"], "dashboards": items(ids)}));
    page(&server, route, "start", None, body(&["1", "2"])).await;
    page(&server, route, "start", Some("2"), body(&["3", "4"])).await;
    // Shorter than `count`: the end.
    page(&server, route, "start", Some("4"), body(&["5"])).await;
    let route = "/monitors";
    page(&server, route, "page", None, ok(items(&["a", "b"]))).await;
    page(&server, route, "page", Some("1"), ok(items(&["c", "d"]))).await;
    page(&server, route, "page", Some("2"), ok(items(&[]))).await;
    let client = client(&server);
    let params = ListDashboardsParams {
        count: Some(2),
        ..Default::default()
    };
    let (ids, error) = read(client.list_dashboards_stream(params), |item| {
        item.id.clone()
    })
    .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(error, None);
    let (ids, error) = read(
        client.list_monitors_stream(ListMonitorsParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(error, None);
}

/// A `Link` paginator the spec never documents is a guess, and said to be one: a warning at
/// the operation and its explanation. A bare list taking an item's id (Letta's `after`) is not
/// guessed to page by `Link`; one documenting `Link` without a list is explained.
#[test]
fn a_guessed_link_is_warned_about_and_an_id_cursor_is_not_guessed() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/pagination.yaml");
    let generated = specwright::generate_file(&spec).expect("generated");
    let note = |id: &str| {
        generated
            .paging
            .iter()
            .find(|(operation, _)| operation == id)
            .map(|(_, note)| note.clone())
            .unwrap_or_default()
    };
    assert!(
        note("listEvents").starts_with(
            "`Link` header, rel=\"next\", guessed: the spec documents no `Link` header"
        ),
        "{}",
        note("listEvents")
    );
    assert!(note("listIssues").starts_with("`Link` header, rel=\"next\": `list_issues_stream`"));
    assert!(note("getReadme").starts_with("not paged: its response documents a `Link` header"));
    assert!(
        note("listTweets").starts_with("cursor: `meta.next_token` sent back as `pagination_token`")
    );
    assert!(note("listDashboards").starts_with("offset `start` with limit `count`"));
    assert!(note("listMonitors").starts_with("page number `page` with page size `page_size`"));
    let warned = |pointer: &str| {
        generated
            .warnings
            .iter()
            .any(|w| w.pointer == pointer && w.message.contains("a guess"))
    };
    assert!(warned("/paths/~1events/get"));
    // `listAlmost` pages by `Link` as `listOrgRepos` documents it: a guess too.
    assert!(warned("/paths/~1almost-items/get"));
    let letta = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/archives": {"get": {"operationId": "listArchives", "parameters": [
            {"name": "after", "in": "query", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
          "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "array", "items": {"type": "string"}}}}}}}}}}"#;
    let generated = specwright::generate_bytes(letta, "letta.json").expect("generated");
    assert!(!generated.code.contains("list_archives_stream"));
    assert!(
        generated.warnings.iter().any(|w| w
            .message
            .contains("takes `after`, but no field of its response gives the next one")),
        "{:?}",
        generated.warnings
    );
}

/// Each scheme's empty middle page and repeated position, as it says: a next URL and a `Link`
/// lead past an empty page, and one that comes back ends the list with an error.
#[tokio::test]
async fn a_next_url_or_link_that_comes_back_is_an_error_and_an_empty_page_is_read_past() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let route = "/url-items";
    let at = |after: &str| format!("{uri}{route}?after={after}");
    page(
        &server,
        route,
        "after",
        None,
        ok(json!({"items": items(&["1"]), "links": {"next": at("1")}})),
    )
    .await;
    page(
        &server,
        route,
        "after",
        Some("1"),
        ok(json!({"items": [], "links": {"next": at("2")}})),
    )
    .await;
    page(
        &server,
        route,
        "after",
        Some("2"),
        ok(json!({"items": items(&["2"]), "links": {"next": at("1")}})),
    )
    .await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_by_next_url_stream(ListByNextUrlParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2"]);
    let error = error.expect("a loop refused");
    assert!(error.contains("was read before"), "{error}");

    let route = "/orgs/acme/repos";
    let link = |page: &str| format!(r#"<{uri}{route}?page={page}>; rel="next""#);
    page(
        &server,
        route,
        "page",
        None,
        ok(items(&["a"])).insert_header("link", link("2").as_str()),
    )
    .await;
    page(
        &server,
        route,
        "page",
        Some("2"),
        ok(items(&[])).insert_header("link", link("3").as_str()),
    )
    .await;
    page(
        &server,
        route,
        "page",
        Some("3"),
        ok(items(&["b"])).insert_header("link", link("2").as_str()),
    )
    .await;
    let (ids, error) = read(
        client.list_org_repos_stream("acme", ListOrgReposParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["a", "b"]);
    let error = error.expect("a loop refused");
    assert!(error.contains("was read before"), "{error}");
}

/// The last id: an id that comes back is a loop; a page that says it has more but holds no
/// item gives nothing to continue after, and ends the list with an error, not as its end.
#[tokio::test]
async fn a_last_id_that_comes_back_or_an_empty_page_with_more_is_an_error() {
    let body = |ids: &[&str]| ok(json!({"object": "list", "data": items(ids), "has_more": true}));
    let server = MockServer::start().await;
    let route = "/stripe-items";
    page(&server, route, "starting_after", None, body(&["a"])).await;
    page(&server, route, "starting_after", Some("a"), body(&["b"])).await;
    page(&server, route, "starting_after", Some("b"), body(&["a"])).await;
    let (ids, error) = read(
        client(&server).list_by_last_id_stream(ListByLastIdParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["a", "b", "a"]);
    let error = error.expect("a loop refused");
    assert!(error.contains("`a` was read before"), "{error}");

    let server = MockServer::start().await;
    page(&server, route, "starting_after", None, body(&["a"])).await;
    page(&server, route, "starting_after", Some("a"), body(&[])).await;
    let (ids, error) = read(
        client(&server).list_by_last_id_stream(ListByLastIdParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["a"]);
    let error = error.expect("not the end");
    assert!(error.contains("no item to continue after"), "{error}");
}

/// An offset's empty page is its end: nothing is asked for after it (a request that no mock
/// answers would be a 404, and an error).
#[tokio::test]
async fn an_empty_offset_page_is_the_end() {
    let server = MockServer::start().await;
    let route = "/offset-items";
    page(
        &server,
        route,
        "offset",
        None,
        ok(json!({"results": items(&["1", "2"])})),
    )
    .await;
    page(
        &server,
        route,
        "offset",
        Some("2"),
        ok(json!({"results": []})),
    )
    .await;
    let (ids, error) = read(
        client(&server).list_by_offset_stream(ListByOffsetParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(error, None);
}

/// The declared schemes, read exactly: three pages of Dropshot's with an empty one in the
/// middle, and a token that comes back; Speakeasy's cursor the same way.
#[tokio::test]
async fn declared_schemes_read_past_an_empty_page_and_refuse_a_loop() {
    let server = MockServer::start().await;
    let route = "/dropshot-items";
    let body =
        |ids: &[&str], next: Option<&str>| ok(json!({"items": items(ids), "next_page": next}));
    page(&server, route, "page_token", None, body(&["1"], Some("t1"))).await;
    page(
        &server,
        route,
        "page_token",
        Some("t1"),
        body(&[], Some("t2")),
    )
    .await;
    page(
        &server,
        route,
        "page_token",
        Some("t2"),
        body(&["2"], Some("t3")),
    )
    .await;
    page(&server, route, "page_token", Some("t3"), body(&["3"], None)).await;
    let client = client(&server);
    let (ids, error) = read(
        client.list_dropshot_stream(ListDropshotParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(error, None);

    let route = "/speakeasy-items";
    let body = |ids: &[&str], next: &str| {
        ok(json!({"records": items(ids), "meta": {"continue_with": next}}))
    };
    page(&server, route, "token", None, body(&["x"], "k1")).await;
    page(&server, route, "token", Some("k1"), body(&[], "k2")).await;
    page(&server, route, "token", Some("k2"), body(&["y"], "k1")).await;
    let (ids, error) = read(
        client.list_speakeasy_stream(ListSpeakeasyParams::default()),
        |item| item.id.clone(),
    )
    .await;
    assert_eq!(ids, ["x", "y"]);
    let error = error.expect("a loop refused");
    assert!(error.contains("`k1` was read before"), "{error}");
}

/// Each page is a call like any other: a rate-limited page is asked for again after the
/// server's `Retry-After`, and a page past the client's body limit ends the list with that
/// error, after the items read before it.
#[tokio::test]
async fn each_page_is_retried_and_bounded_as_a_call() {
    let server = MockServer::start().await;
    let route = "/cursor-items";
    page(
        &server,
        route,
        "cursor",
        None,
        ok(json!({"data": items(&["1"]), "next_cursor": "a"})),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("cursor", "a"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    page(
        &server,
        route,
        "cursor",
        Some("a"),
        ok(json!({"data": items(&["2"]), "next_cursor": "b"})),
    )
    .await;
    let huge = "x".repeat(64 * 1024);
    page(
        &server,
        route,
        "cursor",
        Some("b"),
        ok(json!({"data": [{"id": huge}], "next_cursor": null})),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_body_size(16 * 1024)
        .build()
        .expect("a client");
    let mut ids = Vec::new();
    let mut stream = std::pin::pin!(client.list_by_cursor_stream(Default::default()));
    let mut last = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => ids.push(item.id),
            Err(error) => last = Some(error),
        }
    }
    assert_eq!(ids, ["1", "2"]);
    assert!(matches!(last, Some(Error::BodyTooLarge { .. })), "{last:?}");
}

/// `.take(n)` on the items fetches the pages those items are on, and no more.
#[tokio::test]
async fn taking_items_fetches_no_more_pages_than_they_need() {
    let server = MockServer::start().await;
    let route = "/cursor-items";
    page(
        &server,
        route,
        "cursor",
        None,
        ok(json!({"data": items(&["1", "2", "3"]), "next_cursor": "a"})),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("cursor", "a"))
        .respond_with(ok(json!({"data": items(&["4"]), "next_cursor": null})))
        .expect(0)
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .list_by_cursor_stream(Default::default())
        .take(2)
        .map(|item| item.expect("an item").id)
        .collect()
        .await;
    assert_eq!(ids, ["1", "2"]);
}
