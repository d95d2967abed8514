//! `repos_list_for_org_stream` of the client generated from GitHub's own spec, paging by the
//! `Link` header through a local server that serves GitHub's own example page (each page's
//! repository numbered apart) with GitHub's own example `Link` header, its origin and path
//! made the local server's.

use futures_util::StreamExt as _;
use github::Client;
use github::types::ReposListForOrgParams;
use serde_json::Value;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// GitHub's spec, as `scripts/github-pages.sh` names it.
fn spec() -> Value {
    let path = std::env::var("GITHUB_SPEC")
        .expect("GITHUB_SPEC names GitHub's spec (run scripts/github-pages.sh)");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The example page of `GET /orgs/{org}/repos`, and the example `Link` header it refers to.
fn examples(spec: &Value) -> (Vec<Value>, String) {
    let response = &spec["paths"]["/orgs/{org}/repos"]["get"]["responses"]["200"];
    let pointer = |reference: &Value| {
        let reference = reference.as_str().expect("a $ref");
        reference.trim_start_matches('#').to_owned()
    };
    let example = &response["content"]["application/json"]["examples"]["default"]["$ref"];
    let page = spec
        .pointer(&format!("{}/value", pointer(example)))
        .and_then(Value::as_array)
        .expect("GitHub's example page")
        .clone();
    let link = spec
        .pointer(&format!(
            "{}/example",
            pointer(&response["headers"]["Link"]["$ref"])
        ))
        .and_then(Value::as_str)
        .expect("GitHub's example Link header")
        .to_owned();
    (page, link)
}

/// GitHub's example page with its repositories' ids moved on by `page`, so that each page's
/// items are told apart.
fn numbered(page: &[Value], number: u64) -> Vec<Value> {
    page.iter()
        .map(|repository| {
            let mut repository = repository.clone();
            let id = repository["id"].as_u64().unwrap_or_default();
            repository["id"] = (id + number).into();
            repository
        })
        .collect()
}

/// The ids of three numbered pages, in order.
fn expected_ids(page: &[Value]) -> Vec<i64> {
    (1..=3)
        .flat_map(|number| {
            page.iter()
                .map(move |repository| repository["id"].as_i64().unwrap_or_default() + number)
        })
        .collect()
}

#[tokio::test]
async fn repos_list_for_org_stream_pages_through_githubs_own_example_pages() {
    let spec = spec();
    let (page, link) = examples(&spec);
    assert!(!page.is_empty(), "GitHub's example page has repositories");
    assert!(link.contains("rel=\"next\""), "{link}");
    let server = MockServer::start().await;
    // GitHub's example links, to this server's list of the org's repositories.
    let here = format!("{}/orgs/octo-org/repos", server.uri());
    let links = link.replace("https://api.github.com/resource", &here);
    let last_page = links
        .replace("page=2>; rel=\"next\"", "page=1>; rel=\"first\"")
        .replace("page=5", "page=3");
    let pages = [
        (None, links.replace("page=5", "page=3")),
        (
            Some("2"),
            links
                .replace("page=2", "page=3")
                .replace("page=5", "page=3"),
        ),
        (Some("3"), last_page),
    ];
    for (number, (page_param, link)) in (1..).zip(pages) {
        let mock = Mock::given(method("GET")).and(path("/orgs/octo-org/repos"));
        let mock = match page_param {
            Some(value) => mock.and(query_param("page", value)),
            None => mock.and(query_param_is_missing("page")),
        };
        let body = ResponseTemplate::new(200)
            .set_body_json(numbered(&page, number))
            .insert_header("link", link.as_str());
        mock.respond_with(body).expect(1).mount(&server).await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client");
    let read: Vec<_> = client
        .repos_list_for_org_stream("octo-org", ReposListForOrgParams::default())
        .collect()
        .await;
    let ids: Vec<i64> = read
        .iter()
        .map(|repository| {
            repository
                .as_ref()
                .map(|r| r.id)
                .map_err(ToString::to_string)
        })
        .collect::<Result<_, _>>()
        .expect("every page read");
    assert_eq!(ids, expected_ids(&page));
    // Each repository as GitHub's example gives it, but for its id.
    let repository = read[0].as_ref().expect("a repository");
    assert_eq!(
        repository.full_name,
        page[0]["full_name"].as_str().unwrap_or_default()
    );
}

#[tokio::test]
async fn the_generated_mock_serves_githubs_example_pages_in_githubs_scheme() {
    let spec = spec();
    let (page, _) = examples(&spec);
    let server = MockServer::start().await;
    let typed = |number| {
        serde_json::from_value(Value::Array(numbered(&page, number)))
            .expect("GitHub's example is a page")
    };
    github::mock::repos_list_for_org_pages([typed(1), typed(2), typed(3)])
        .mock()
        .expect(3)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client");
    let ids: Vec<i64> = client
        .repos_list_for_org_stream(
            "octo-org",
            ReposListForOrgParams {
                per_page: Some(1),
                ..Default::default()
            },
        )
        .map(|repository| repository.map(|r| r.id).map_err(|err| err.to_string()))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("every page read");
    assert_eq!(ids, expected_ids(&page));
}
