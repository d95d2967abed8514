//! What OpenAPI 3.2 adds (`specs/openapi32.yaml`), against a local HTTP server: the QUERY
//! method and `additionalOperations`, `in: querystring`, `$self`, `components.mediaTypes`,
//! response summaries, tag summaries and parents, OAuth 2's device flow; and how a 3.2 document
//! that gets them wrong is told so.

mod api {
    include!(concat!(env!("OUT_DIR"), "/openapi32.rs"));
    include!(concat!(env!("OUT_DIR"), "/openapi32_examples.rs"));
}

use std::path::{Path, PathBuf};

use api::types::{ListPetsParams, LookupPetsParams, Pet, PetFilter, SearchPetsError, Species};
use api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .device("t0k")
        .base_url(server.uri())
        .sleep(|_| Box::pin(async {}))
        .build()
        .expect("builds")
}

fn filter() -> PetFilter {
    PetFilter {
        species: Some(Species::Cat),
        limit: Some(2),
        names: Some(vec!["Tom".to_owned(), "a b".to_owned()]),
        ..Default::default()
    }
}

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/openapi32.yaml")
}

#[test]
fn examples_round_trip() {
    let count = generator_tests::check_examples(api::EXAMPLES)
        .unwrap_or_else(|failures| panic!("{failures}"));
    // The schema's, the request body's, and the one in `components.mediaTypes`.
    assert!(count >= 3, "{count}");
}

/// The spec reads without a warning: its OAuth 2 device flow is no unsupported scheme, its
/// summary-only responses need no description.
#[test]
fn the_spec_reads_without_warnings() {
    let generated = specwright::generate_file(&spec()).unwrap_or_else(|err| panic!("{err}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// QUERY carries a body like POST, and is retried like GET: it is safe.
#[tokio::test]
async fn query_sends_its_body_and_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/pets/search"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("QUERY"))
        .and(path("/pets/search"))
        .and(body_json(
            json!({"species": "cat", "limit": 2, "names": ["Tom", "a b"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "name": "Tom"}])))
        .expect(1)
        .mount(&server)
        .await;
    let pets = client(&server)
        .search_pets(&filter())
        .await
        .expect("found after a retry");
    assert_eq!(pets.len(), 1);
    assert_eq!(pets[0].name, "Tom");
}

#[tokio::test]
async fn a_response_with_only_a_summary_is_a_documented_error() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .respond_with(ResponseTemplate::new(422))
        .mount(&server)
        .await;
    let err = client(&server)
        .search_pets(&filter())
        .await
        .expect_err("422");
    assert!(
        matches!(&err, Error::Api(refused) if matches!(refused.body, SearchPetsError::UnprocessableEntity)),
        "{err:?}"
    );
}

/// An `additionalOperations` method goes out as written; one HTTP does not call idempotent
/// is not retried.
#[tokio::test]
async fn additional_operations_send_their_own_method() {
    let server = MockServer::start().await;
    Mock::given(method("PURGE"))
        .and(path("/cache/a%20b"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("LINK"))
        .and(path("/cache/k"))
        .and(body_string("other"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.purge_cache("a b").await.expect_err("503, once");
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    client.link_cache("k", Some("other")).await.expect("linked");
}

/// A form query string is the object's fields as pairs; a list repeats its key.
#[tokio::test]
async fn a_form_query_string_is_the_objects_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("species", "cat"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListPetsParams { filter: filter() };
    client(&server).list_pets(&params).await.expect("listed");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests[0].url.query(),
        Some("species=cat&limit=2&names=Tom&names=a+b")
    );
}

/// A JSON query string is the value's JSON text, percent-encoded, and nothing else; absent,
/// there is no query at all.
#[tokio::test]
async fn a_json_query_string_is_the_encoded_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/lookup"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Felix"})))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let selector = PetFilter {
        species: Some(Species::Cat),
        ..Default::default()
    };
    let params = LookupPetsParams {
        selector: Some(selector),
    };
    let pet = client.lookup_pets(&params).await.expect("found");
    assert_eq!(pet.id, 7);
    client
        .lookup_pets(&LookupPetsParams::default())
        .await
        .expect("found");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests[0].url.query(),
        Some("%7B%22species%22%3A%22cat%22%7D")
    );
    assert_eq!(requests[1].url.query(), None);
}

/// The generated mocks match requests as the client writes them: an extension method, a
/// JSON query string.
#[tokio::test]
async fn the_mocks_match_what_the_client_sends() {
    let server = MockServer::start().await;
    let selector = PetFilter {
        limit: Some(1),
        ..Default::default()
    };
    let felix: Pet = serde_json::from_value(json!({"id": 7, "name": "Felix"})).expect("a pet");
    api::mock::lookup_pets()
        .selector(&selector)
        .respond_ok(&felix)
        .expect(1)
        .mount(&server)
        .await;
    api::mock::purge_cache()
        .key("k")
        .respond_no_content()
        .expect(1)
        .mount(&server)
        .await;
    api::mock::list_pets()
        .filter(&filter())
        .respond_ok(&vec![felix.clone()])
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let params = LookupPetsParams {
        selector: Some(selector),
    };
    assert_eq!(client.lookup_pets(&params).await.expect("mocked").id, 7);
    client.purge_cache("k").await.expect("mocked");
    let params = ListPetsParams { filter: filter() };
    assert_eq!(client.list_pets(&params).await.expect("mocked").len(), 1);
}

/// The generated code's docs: tags nested under their parents with their summaries, the
/// device flow's URLs on the credential, and a response's summary on its variant.
#[test]
fn tags_device_flow_and_summaries_are_documented() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/openapi32.rs"));
    assert!(
        code.contains(
            "/// # Tags\n///\n/// - `pets` (kind `nav`): Pets\n///   - `cats` (kind `nav`): \
             Cats, and only cats\n/// - `cache` (kind `audience`): The cache in front of the API\n"
        ),
        "{code}"
    );
    // Long doc lines are wrapped: a paragraph's lines joined again.
    let joined = code
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\n/// ", " ");
    assert!(joined.contains(
        "/// Obtain it with OAuth 2's device authorization flow (RFC 8628): device \
         authorization at `https://auth.example.com/device`, token at \
         `https://auth.example.com/token`."
    ));
    assert!(joined.contains(
        "/// The authorization server's metadata (RFC 8414): \
         `https://auth.example.com/.well-known/oauth-authorization-server`."
    ));
    assert!(code.contains("/// The filter cannot be read\n        UnprocessableEntity,"));
}

/// In a standalone crate, each tag's feature says what the tag is and where it nests.
#[test]
fn tag_features_carry_their_summary_and_parent() {
    let runtime = specwright::RuntimeDependency::default();
    let generated = specwright::generate_crate(&spec(), "pets", &runtime, &Default::default())
        .unwrap_or_else(|err| panic!("{err}"));
    let manifest = generated
        .files
        .iter()
        .find(|(path, _)| path == "Cargo.toml")
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    assert!(
        manifest.contains(
            "# cache: The cache in front of the API\ncache = []\n\
             # pets > cats: Cats, and only cats\ncats = []\n\
             # pets: Pets\npets = []\n"
        ),
        "{manifest}"
    );
    let code = generated
        .files
        .iter()
        .find(|(path, _)| path == "src/lib.rs")
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    assert!(code.contains("/// - `pets` (feature `pets`, kind `nav`): Pets\n"));
}

/// Writes `text` as a spec of its own and generates it.
fn generate(name: &str, text: &str) -> Result<specwright::Generated, specwright::Error> {
    let dir = std::env::temp_dir().join(format!("openapi32-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let file = dir.join("openapi.yaml");
    std::fs::write(&file, text).expect("written");
    let generated = specwright::generate_file(&file);
    let _ = std::fs::remove_dir_all(&dir);
    generated
}

/// Each `(pointer, line, part of the message)` is among `diagnostics`.
fn assert_reported(diagnostics: &[specwright::Diagnostic], expected: &[(&str, usize, &str)]) {
    for (pointer, line, message) in expected {
        assert!(
            diagnostics.iter().any(|d| d.pointer == *pointer
                && d.location.map(|at| at.line) == Some(*line)
                && d.message.contains(message)),
            "no `{message}` at {pointer} (line {line}) in {diagnostics:#?}"
        );
    }
}

const HEAD: &str = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n";

#[test]
fn operations_that_cannot_be_sent_are_skipped_with_a_warning() {
    let spec = format!(
        "{HEAD}  /a:
    additionalOperations:
      Get:
        responses: {{'200': {{description: ok}}}}
      BAD METHOD:
        responses: {{'200': {{description: ok}}}}
      PURGE:
        operationId: purge
        responses: {{'204': {{summary: gone}}}}
"
    );
    let generated = generate("methods", &spec).unwrap_or_else(|err| panic!("{err}"));
    assert_reported(
        &generated.warnings,
        &[
            (
                "/paths/~1a/additionalOperations/Get",
                6,
                "the path item's `get` field",
            ),
            (
                "/paths/~1a/additionalOperations/BAD METHOD",
                8,
                "not an HTTP method name",
            ),
        ],
    );
    assert_eq!(generated.operations, 1);
    let code = generated.code.replace(char::is_whitespace, "");
    assert!(code.contains("runtime::__private::Request::extension(\"PURGE\","));
}

#[test]
fn querystring_parameters_that_conflict_are_skipped_with_a_warning() {
    let spec = format!(
        "{HEAD}  /a:
    get:
      parameters:
        - {{name: q, in: query, schema: {{type: string}}}}
        - in: querystring
          content: {{application/json: {{schema: {{type: object}}}}}}
      responses: {{'200': {{description: ok}}}}
  /b:
    parameters:
      - {{in: querystring, name: one, content: {{text/plain: {{schema: {{type: string}}}}}}}}
    get:
      parameters:
        - {{in: querystring, name: two, content: {{text/plain: {{schema: {{type: string}}}}}}}}
      responses: {{'200': {{description: ok}}}}
  /c:
    get:
      parameters:
        - {{in: querystring, name: bin, content: {{image/png: {{}}}}}}
      responses: {{'200': {{description: ok}}}}
  /d:
    get:
      parameters:
        - {{in: querystring, name: plain, schema: {{type: string}}}}
      responses: {{'200': {{description: ok}}}}
"
    );
    let generated = generate("querystring", &spec).unwrap_or_else(|err| panic!("{err}"));
    assert_reported(
        &generated.warnings,
        &[
            (
                "/paths/~1a/get/parameters/1",
                8,
                "cannot be combined with `in: query` parameters",
            ),
            (
                "/paths/~1b/get/parameters/0",
                16,
                "may appear only once in an operation",
            ),
            (
                "/paths/~1c/get/parameters/0/content/image~1png",
                21,
                "cannot be written",
            ),
            (
                "/paths/~1d/get/parameters/0/schema",
                26,
                "described by `content`",
            ),
        ],
    );
    // The path item's querystring parameter is the one `/b` sends.
    assert!(generated.code.contains(
        "request.query_string(\"one\", &params.one, runtime::__private::QueryString::Text);"
    ));
}

#[test]
fn a_media_type_reference_to_nothing_is_a_located_error() {
    let spec = format!(
        "{HEAD}  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              $ref: '#/components/mediaTypes/Missing'
components:
  mediaTypes:
    Present: {{schema: {{type: string}}}}
"
    );
    let err = generate("media", &spec).expect_err("nothing to read the response as");
    assert_reported(
        &err.diagnostics,
        &[(
            "/paths/~1a/get/responses/200/content/application~1json",
            10,
            "`$ref: #/components/mediaTypes/Missing` points to nothing",
        )],
    );
}

/// `$self` is the document's own URI: a reference to it is a reference into the document,
/// one beside it is to the file beside the document, and one into the document that names
/// nothing there is an error.
#[test]
fn references_are_resolved_against_self() {
    let dir = std::env::temp_dir().join(format!("openapi32-{}-self", std::process::id()));
    std::fs::create_dir_all(dir.join("common")).expect("a scratch folder");
    std::fs::write(
        dir.join("common/pets.yaml"),
        "Pet: {type: object, properties: {name: {type: string}}}\n",
    )
    .expect("written");
    let spec = "openapi: 3.2.0
$self: https://example.com/api/openapi.yaml
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'https://example.com/api/common/pets.yaml#/Pet'}
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: 'https://example.com/api/openapi.yaml#/components/schemas/Owner'}
        '202':
          description: ok
          content:
            application/json:
              schema: {$ref: 'openapi.yaml#/components/schemas/Owner'}
components:
  schemas:
    Owner: {type: object, properties: {pet: {$ref: 'common/pets.yaml#/Pet'}}}
";
    let file = dir.join("spec.yaml");
    std::fs::write(&file, spec).expect("written");
    let generated = specwright::generate_file(&file);
    let broken = spec.replace("schemas/Owner'", "schemas/Nobody'");
    std::fs::write(&file, broken).expect("written");
    let err = specwright::generate_file(&file).expect_err("a reference to nothing");
    let _ = std::fs::remove_dir_all(&dir);
    let generated = generated.unwrap_or_else(|err| panic!("{err}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    assert!(generated.code.contains("pub struct Pet {"));
    assert!(generated.code.contains("pub struct Owner {"));
    assert!(
        !generated.code.contains("Pet2"),
        "one Pet, however it is named"
    );
    assert!(
        err.diagnostics
            .iter()
            .any(|d| d.message.contains("#/components/schemas/Nobody")),
        "{err}"
    );
}

/// A 3.1 document that uses what 3.2 adds gets it read as 3.2, each with a warning.
#[test]
fn fields_of_3_2_in_a_3_1_document_are_read_with_a_warning() {
    let spec = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    query:
      operationId: find
      parameters:
        - {in: querystring, name: q, content: {text/plain: {}}}
      responses: {'200': {description: ok, summary: found}}
";
    let generated = generate("older", spec).unwrap_or_else(|err| panic!("{err}"));
    assert_reported(
        &generated.warnings,
        &[
            (
                "/paths/~1a/query/parameters/0/in",
                8,
                "`in: querystring` is an OpenAPI 3.2 field in a 3.1 document",
            ),
            (
                "/paths/~1a/query/responses/200/summary",
                9,
                "`summary` is an OpenAPI 3.2 field in a 3.1 document",
            ),
        ],
    );
    assert!(generated.code.contains("runtime::Method::QUERY"));
}

#[test]
fn an_unknown_version_names_the_ones_read() {
    let err = specwright::generate_bytes(
        b"openapi: 3.3.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "v.yaml",
    )
    .expect_err("3.3 is not read");
    assert!(
        err.to_string().contains("expected 3.0.x, 3.1.x or 3.2.x"),
        "{err}"
    );
}

/// The device flow's token is the caller's, sent as a bearer token like any OAuth 2 token's;
/// the feed's JSON Lines records are typed by their `itemSchema`.
#[tokio::test]
async fn the_device_flows_token_is_sent_and_the_feeds_records_are_typed() {
    use futures_util::StreamExt as _;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/feed"))
        .and(wiremock::matchers::header("authorization", "Bearer t0k"))
        .and(wiremock::matchers::header("accept", "application/jsonl"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"id\":1,\"name\":\"Tom\"}\n{\"id\":2,\"name\":\"Kit\"}\n",
            "application/jsonl",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let records = client(&server).pet_feed().await.expect("the feed's head");
    let pets: Vec<Pet> = records
        .map(|record| record.expect("a pet").data)
        .collect()
        .await;
    assert_eq!(
        serde_json::to_value(&pets).expect("JSON"),
        json!([{"id": 1, "name": "Tom"}, {"id": 2, "name": "Kit"}])
    );
}
