//! A Swagger 2.0 document read natively (`specs/swagger2.yaml`), against a local HTTP server:
//! what 2.0 writes its own way goes out as the API expects it. A `multi` array is repeated
//! fields, a form with a `type: file` field is multipart with the file as a part, `basic` is an
//! `Authorization: Basic` header, and an `x-ms-enum` value the spec does not list comes back
//! and goes out unchanged.

mod api {
    include!(concat!(env!("OUT_DIR"), "/swagger2.rs"));
    include!(concat!(env!("OUT_DIR"), "/swagger2_examples.rs"));
}

use std::path::{Path, PathBuf};

use api::runtime::File;
use api::types::{
    AdoptPetAction, AdoptPetParams, Cat, ListPetsError, ListPetsOkHeaders, ListPetsParams, Owner,
    Pet, PhotoShape, RenamePetRequest, Size, UploadPhotoRequest,
};
// The spec's `Error` schema is `types::Error`; the runtime's is not re-exported beside it.
use api::Client;
use api::runtime::Error;
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k3y")
        .basic_auth("Aladdin", "open sesame")
        .access_code("c0de")
        .base_url(server.uri())
        .build()
        .expect("builds")
}

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/swagger2.yaml")
}

async fn sent(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .pop()
        .expect("a request was sent")
}

#[test]
fn examples_round_trip() {
    let count = generator_tests::check_examples(api::EXAMPLES)
        .unwrap_or_else(|failures| panic!("{failures}"));
    // The list of pets a response's `examples` gives for `application/json`.
    assert!(count >= 1, "{count}");
}

/// The one warning is the one 3.0 cannot say: `tsv` has no style, and is sent as `csv`.
#[test]
fn the_spec_reads_with_one_warning_at_its_own_line() {
    let generated = specwright::generate_file(&spec()).unwrap_or_else(|err| panic!("{err}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("`collectionFormat: tsv`")
            && warnings[0].contains("#/paths/~1pets/get/parameters/4/collectionFormat"),
        "{warnings:#?}"
    );
}

/// `host`, `basePath` (its trailing `/` dropped) and the first of `schemes`.
#[test]
fn the_server_is_host_base_path_and_scheme() {
    assert_eq!(api::DEFAULT_BASE_URL, "https://pets.example.com/v2");
}

/// `multi` repeats the field, `csv` joins with commas, `ssv` with spaces, `pipes` with `|`;
/// the global `apiKey` goes in its header.
#[tokio::test]
async fn collection_formats_go_out_as_2_0_writes_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(header("x-api-key", "k3y"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-total-count", "12")
                .set_body_json(json!([{"id": 1, "name": "Tom", "kind": "Cat", "colour": "tabby"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let params = ListPetsParams {
        id: Some(vec![1, 2]),
        tags: Some(vec!["a".into(), "b".into()]),
        names: Some(vec!["Tom".into(), "Kit".into()]),
        sizes: Some(vec!["s".into(), "l".into()]),
        x_request_id: Some(vec!["a".into(), "b".into()]),
        ..Default::default()
    };
    let pets = client(&server).list_pets(&params).await.expect("listed");
    assert!(
        matches!(&pets[..], [Pet::Cat(cat)] if cat.name == "Tom" && cat.colour.as_deref() == Some("tabby")),
        "{pets:?}"
    );
    assert_eq!(
        ListPetsOkHeaders::from_headers(&pets.headers),
        Ok(ListPetsOkHeaders {
            x_total_count: Some(12)
        })
    );
    let request = sent(&server).await;
    // A header array is comma-separated (`csv`, `style: simple`).
    assert_eq!(
        request
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("a,b")
    );
    assert_eq!(
        request.url.query(),
        Some("id=1&id=2&tags=a%2Cb&names=Tom+Kit&sizes=s%7Cl"),
        "{}",
        request.url
    );
}

/// The `default` response is the error of every status the spec does not list.
#[tokio::test]
async fn the_default_response_is_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"code": 7, "message": "no"})))
        .mount(&server)
        .await;
    let err = Client::builder()
        .api_key("k3y")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("builds")
        .list_pets(&ListPetsParams::default())
        .await
        .expect_err("503");
    assert!(
        matches!(&err, Error::Api(refused) if matches!(&refused.body, ListPetsError::Default(e) if e.code == Some(7))),
        "{err:?}"
    );
}

/// `in: body` is the JSON body; `basic` sends the user and password as RFC 7617 says; a
/// subtype's `x-ms-discriminator-value` is its tag.
#[tokio::test]
async fn a_body_parameter_with_basic_credentials() {
    let server = MockServer::start().await;
    // "Aladdin:open sesame" is RFC 7617's example.
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(header(
            "authorization",
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"name": "Rex", "kind": "doggo", "good": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let cat = Cat {
        owner: Some(None),
        nickname: Some(Some("Tiddles".into())),
        ..Cat::new("Tom".into(), "Cat".into())
    };
    let created = client(&server)
        .create_pet(&Pet::Cat(cat))
        .await
        .expect("created");
    assert!(
        matches!(&*created, Pet::Dog(dog) if dog.good == Some(true)),
        "{created:?}"
    );
    let request = sent(&server).await;
    // `x-nullable` beside a `$ref` still lets `owner` be null.
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).expect("JSON"),
        json!({"name": "Tom", "kind": "Cat", "nickname": "Tiddles", "owner": null})
    );
    assert!(!request.headers.contains_key("x-api-key"));
}

/// A form without a file is URL-encoded, its `multi` array repeated; an OAuth 2 `accessCode`
/// token is a bearer token.
#[tokio::test]
async fn a_form_goes_out_url_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/pets/7"))
        .and(header("authorization", "Bearer c0de"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=Tom+Cat&nicknames=T&nicknames=C"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = RenamePetRequest {
        nicknames: Some(vec!["T".into(), "C".into()]),
        ..RenamePetRequest::new("Tom Cat".into())
    };
    client(&server).rename_pet(7, &body).await.expect("renamed");
}

/// A form with a `type: file` field is `multipart/form-data`: the file is a part with its
/// file name and content type, the other fields parts of their own.
#[tokio::test]
async fn a_file_upload_is_multipart_with_the_file_as_a_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7/photo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"bytes": 4, "shape": "round"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let png = b"\x89PNG".to_vec();
    let body = UploadPhotoRequest {
        caption: Some("Tom asleep".into()),
        ..UploadPhotoRequest::new(
            File::new(png.clone())
                .file_name("tom.png")
                .content_type("image/png"),
        )
    };
    let photo = client(&server)
        .upload_photo(7, &body)
        .await
        .expect("stored");
    // `modelAsString: false` still keeps a value the spec does not list.
    assert_eq!(photo.shape, Some(PhotoShape::Unknown("round".into())));
    let request = sent(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let text = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = text.split(&format!("--{boundary}")).collect();
    assert!(
        parts.iter().any(|part| part
            .to_ascii_lowercase()
            .contains("content-disposition: form-data; name=\"caption\"")
            && part.contains("Tom asleep")),
        "{text}"
    );
    let file_part = parts
        .iter()
        .find(|part| part.to_ascii_lowercase().contains("name=\"photo\""))
        .unwrap_or_else(|| panic!("no photo part in {text}"));
    let lower = file_part.to_ascii_lowercase();
    assert!(lower.contains("filename=\"tom.png\""), "{file_part}");
    assert!(lower.contains("content-type: image/png"), "{file_part}");
    assert!(
        request.body.windows(png.len()).any(|window| window == png),
        "the file's bytes are sent as they are"
    );
}

/// A `type: file` response is the body's bytes.
#[tokio::test]
async fn a_file_response_is_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7/photo"))
        .and(header("accept", "image/png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"\x89PNG".to_vec(), "image/png"))
        .expect(1)
        .mount(&server)
        .await;
    let photo = client(&server).download_photo(7).await.expect("fetched");
    assert_eq!(&photo[..], b"\x89PNG");
}

/// `x-ms-enum` names the variants; with `modelAsString`, a value the spec does not list
/// decodes, and goes out again as it came.
#[tokio::test]
async fn an_unlisted_ms_enum_value_decodes_and_encodes_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sizes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["small", "huge"])))
        .expect(1)
        .mount(&server)
        .await;
    let sizes = client(&server).list_sizes().await.expect("listed");
    assert_eq!(&sizes[..], &[Size::Little, Size::Unknown("huge".into())]);
    assert_eq!(
        serde_json::to_value(&*sizes).expect("encodes"),
        json!(["small", "huge"])
    );
    assert_eq!(Size::Big.as_str(), "large");
}

/// An `x-ms-paths` key's query is a required parameter of its one value, and the path item's
/// parameters are the operation's.
#[tokio::test]
async fn an_ms_path_sends_its_fixed_query() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7"))
        .and(query_param("action", "adopt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "Tom", "kind": "Cat"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let params = AdoptPetParams {
        action: AdoptPetAction::Adopt,
    };
    let pet = client(&server)
        .adopt_pet(7, &params)
        .await
        .expect("adopted");
    assert!(matches!(&*pet, Pet::Cat(_)), "{pet:?}");
}

/// `x-isnullable` is read as `x-nullable` is.
#[test]
fn x_isnullable_is_nullable() {
    let owner: Owner = serde_json::from_value(json!({"phone": null})).expect("decodes");
    assert_eq!(owner.phone, Some(None));
}
