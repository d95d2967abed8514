//! Names (`specs/names.yaml`): keyword and digit-led properties, properties and operation ids
//! that collide after case conversion, and schemas named like prelude types or the client.

mod api {
    include!(concat!(env!("OUT_DIR"), "/names.rs"));
    include!(concat!(env!("OUT_DIR"), "/names_examples.rs"));
}

mod exact {
    include!(concat!(env!("OUT_DIR"), "/names_exact.rs"));
}

use api::types::{GetItem2Params, Keywords, OptionSchema, ResultSchema, StringSchema};
use serde_json::{Value, json};

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        // Keywords, Option, string and Client.
        Ok(count) => assert_eq!(count, 4),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn renamed_fields_encode_with_their_wire_names() {
    let keywords = Keywords {
        unknown_fields: Default::default(),
        r#type: Some("t".to_owned()),
        self_: Some("s".to_owned()),
        r#match: Some("m".to_owned()),
        r#async: Some("a".to_owned()),
        crate_: Some("c".to_owned()),
        super_: Some("u".to_owned()),
        _1st: Some("first".to_owned()),
        foo_bar: Some("camel".to_owned()),
        foo_bar2: Some("kebab".to_owned()),
    };
    let encoded = serde_json::to_value(&keywords).unwrap_or_else(|err| panic!("{err}"));
    let expected = json!({
        "type": "t", "self": "s", "match": "m", "async": "a", "crate": "c", "super": "u",
        "1st": "first", "fooBar": "camel", "foo-bar": "kebab",
    });
    assert_eq!(encoded, expected);
}

#[test]
fn renamed_fields_decode_from_their_wire_names() {
    let json = r#"{"type":"t","self":"s","1st":"first","fooBar":"camel","foo-bar":"kebab"}"#;
    let keywords: Keywords = serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(keywords.r#type.as_deref(), Some("t"));
    assert_eq!(keywords.self_.as_deref(), Some("s"));
    assert_eq!(keywords._1st.as_deref(), Some("first"));
    assert_eq!(keywords.foo_bar.as_deref(), Some("camel"));
    assert_eq!(keywords.foo_bar2.as_deref(), Some("kebab"));
    assert_eq!(keywords.r#match, None);
    // The Rust names are not wire names: such keys are undeclared, and kept as they came.
    let rust_names: Keywords = serde_json::from_str(r#"{"self_":"x","_1st":"y","foo_bar":"z"}"#)
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(rust_names.r#self_, None);
    assert_eq!(rust_names.foo_bar, None);
    let kept: Vec<&str> = rust_names
        .unknown_fields
        .iter()
        .map(|(key, _)| key)
        .collect();
    assert_eq!(kept, ["self_", "_1st", "foo_bar"]);
}

#[test]
fn schemas_named_like_prelude_types_do_not_shadow_them() {
    let value: OptionSchema =
        serde_json::from_str(r#"{"value":"v","result":{"ok":true,"text":"plain"}}"#)
            .unwrap_or_else(|err| panic!("{err}"));
    let text: Option<&StringSchema> = value
        .result
        .as_ref()
        .and_then(|result| result.text.as_ref());
    assert_eq!(text.map(String::as_str), Some("plain"));
    assert_eq!(
        value.result.as_ref().and_then(|result| result.ok),
        Some(true)
    );
    let encoded = serde_json::to_value(ResultSchema {
        unknown_fields: Default::default(),
        ok: Some(false),
        text: None,
    })
    .ok();
    assert_eq!(encoded, Some(json!({"ok": false})));
}

#[test]
fn a_schema_named_client_is_a_type_beside_the_client() {
    let settings: api::types::Client =
        serde_json::from_str(r#"{"name":"settings"}"#).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(settings.name.as_deref(), Some("settings"));
    let client = api::Client::builder()
        .base_url("http://localhost:1")
        .build();
    assert!(client.is_ok(), "{:?}", client.err());
}

/// Compiles only if each operation has the method name and signature expected; never awaited.
async fn call_every_operation(client: &api::Client) -> Option<Value> {
    let item: Keywords = client.get_item("id-1").await.ok()?.into_body();
    let params = GetItem2Params {
        r#type: Some("t".to_owned()),
    };
    let settings: api::types::Client = client.get_item2(&params).await.ok()?.into_body();
    let types: OptionSchema = client.r#type().await.ok()?.into_body();
    serde_json::to_value((item, settings, types)).ok()
}

#[test]
fn operation_ids_that_are_keywords_or_collide_get_distinct_methods() {
    let client = api::Client::builder()
        .base_url("http://localhost:1")
        .build();
    let client = client.unwrap_or_else(|err| panic!("{err}"));
    // Creating the future sends nothing: it is dropped without being polled.
    let _unpolled = call_every_operation(&client);
    let errors: [&str; 3] = [
        std::any::type_name::<api::types::GetItemError>(),
        std::any::type_name::<api::types::GetItem2Error>(),
        std::any::type_name::<api::types::TypeError>(),
    ];
    assert!(
        errors.iter().all(|name| name.contains("::types::")),
        "{errors:?}"
    );
}

#[test]
fn exact_wire_names_keep_their_rust_name() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/names_exact.yaml");
    let code = specwright::generate_file(&spec)
        .unwrap_or_else(|err| panic!("{err}"))
        .code;
    // `fooBar` and `foo_bar` collide as Rust names: the one already snake case keeps it.
    let collide: exact::types::Collide =
        generator_tests::decode(r#"{"fooBar":"camel","foo_bar":"snake"}"#);
    assert_eq!(
        collide.foo_bar.as_deref(),
        Some("snake"),
        "`foo_bar` is renamed"
    );
    assert_eq!(
        collide.foo_bar2.as_deref(),
        Some("camel"),
        "`foo_bar2` is not `fooBar`"
    );
    let method = |name: &str| {
        let start = code.find(&format!("pub fn {name}(")).unwrap_or(code.len());
        let rest = &code[start..];
        &rest[..rest[1..].find("pub fn ").map_or(rest.len(), |end| end + 1)]
    };
    assert!(
        method("get_item").contains(r#"request.path("/items");"#),
        "`get_item` is not `get_item`"
    );
    assert!(
        method("get_item2").contains(r#""/items/""#),
        "`get_item2` is not `getItem`"
    );
    assert!(
        code.contains("pub struct V1Password {"),
        "`1Password` is not `V1Password`"
    );
}
