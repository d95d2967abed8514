//! OpenAPI 3.1 forms (`specs/openapi31_forms.yaml`): type arrays with `null`, `anyOf`/`oneOf`
//! with a `null` branch, `const`, numeric exclusive bounds, `examples` arrays, `$ref` with a
//! sibling `description`, and a document without `paths`.

mod api {
    include!(concat!(env!("OUT_DIR"), "/openapi31_forms.rs"));
    include!(concat!(env!("OUT_DIR"), "/openapi31_forms_examples.rs"));
}

use api::runtime::Validate;
use api::types::{Owner, Pet, PetChip, PetKind, Species, Tag};
use serde_json::{Value, json};

fn decode(json: &str) -> Pet {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("decoding {json}: {err}"))
}

fn encode(pet: &Pet) -> Value {
    serde_json::to_value(pet).unwrap_or_else(|err| panic!("encoding {pet:?}: {err}"))
}

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        // One example on each of `Species`, `Owner` and `Pet`, each given as an `examples` array.
        Ok(count) => assert_eq!(count, 3, "expected an example for Species, Owner and Pet"),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn required_type_array_with_null_accepts_null_and_a_value() {
    let pet = decode(r#"{"name":"Rex","nickname":null,"kind":"pet","species":"dog","owner":null}"#);
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.owner, None);
    // A required nullable field is written out as `null`, not left out.
    let encoded = encode(&pet);
    assert_eq!(encoded.get("nickname"), Some(&Value::Null));
    assert_eq!(encoded.get("owner"), Some(&Value::Null));

    let pet =
        decode(r#"{"name":"Tom","nickname":"Tommy","kind":"pet","species":"cat","owner":null}"#);
    assert_eq!(pet.nickname.as_deref(), Some("Tommy"));
}

#[test]
fn optional_type_array_with_null_accepts_null_and_absent() {
    let absent =
        decode(r#"{"name":"Rex","nickname":null,"kind":"pet","species":"dog","owner":null}"#);
    let null = decode(
        r#"{"name":"Rex","nickname":null,"age":null,"tag":null,"chip":null,"kind":"pet","species":"dog","owner":null}"#,
    );
    assert_eq!(absent.age, None);
    assert_eq!(null.age, None);
    assert_eq!(null.tag, None);
    assert_eq!(null.chip, None);
    assert_eq!(absent, null);
    let aged = decode(
        r#"{"name":"Rex","nickname":null,"age":4,"kind":"pet","species":"dog","owner":null}"#,
    );
    assert_eq!(aged.age, Some(4));
}

#[test]
fn a_type_array_with_null_rejects_other_types() {
    let wrong = r#"{"name":"Rex","nickname":5,"kind":"pet","species":"dog","owner":null}"#;
    assert!(
        serde_json::from_str::<Pet>(wrong).is_err(),
        "a number is not a `[string, null]`"
    );
}

#[test]
fn any_of_ref_or_null_is_an_optional_ref() {
    let pet = decode(
        r#"{"name":"Tom","nickname":"T","kind":"pet","species":"cat","owner":{"name":"Alice"}}"#,
    );
    assert_eq!(
        pet.owner,
        Some(Owner {
            unknown_fields: Default::default(),
            name: "Alice".to_owned()
        })
    );
    let pet = decode(
        r#"{"name":"Tom","nickname":"T","kind":"pet","species":"cat","owner":null,"tag":{"label":"indoor"}}"#,
    );
    assert_eq!(
        pet.tag,
        Some(Tag {
            unknown_fields: Default::default(),
            label: "indoor".to_owned()
        })
    );
}

#[test]
fn one_of_with_null_and_two_types_is_an_optional_union() {
    let pet = decode(
        r#"{"name":"K","nickname":null,"kind":"pet","species":"cat","owner":null,"chip":"A-17"}"#,
    );
    assert_eq!(pet.chip, Some(PetChip::String("A-17".to_owned())));
    let pet = decode(
        r#"{"name":"K","nickname":null,"kind":"pet","species":"cat","owner":null,"chip":981020000123456}"#,
    );
    assert_eq!(pet.chip, Some(PetChip::Integer(981_020_000_123_456)));
    assert_eq!(encode(&pet)["chip"], json!(981_020_000_123_456_i64));
}

#[test]
fn const_is_a_one_value_enum() {
    let pet = decode(r#"{"name":"Rex","nickname":null,"kind":"pet","species":"dog","owner":null}"#);
    assert_eq!(pet.kind, PetKind::Pet);
    assert_eq!(PetKind::Pet.as_str(), "pet");
    assert_eq!(encode(&pet)["kind"], json!("pet"));
}

#[test]
fn ref_with_a_sibling_description_keeps_the_referenced_type() {
    let pet = decode(r#"{"name":"Rex","nickname":null,"kind":"pet","species":"cat","owner":null}"#);
    let species: Species = pet.species;
    assert_eq!(species, Species::Cat);
}

#[test]
fn ref_with_a_sibling_description_documents_the_field() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/openapi31_forms.yaml");
    let code = specwright::generate_file(&spec)
        .unwrap_or_else(|err| panic!("{err}"))
        .code;
    let documented = "/// The species of this pet (a description beside a `$ref`).\n        pub species: Species,";
    assert!(
        code.contains(documented),
        "the `$ref` sibling description is not the field's doc"
    );
}

#[test]
fn numeric_exclusive_bounds_are_exclusive() {
    let mut pet =
        decode(r#"{"name":"Rex","nickname":null,"kind":"pet","species":"dog","owner":null}"#);
    assert_eq!(pet.validate("pet"), Ok(()));
    pet.weight = Some(0.5);
    pet.age = Some(1);
    assert_eq!(pet.validate("pet"), Ok(()));

    pet.weight = Some(0.0);
    let error = pet.validate("pet").err().map(|err| err.path);
    assert_eq!(
        error.as_deref(),
        Some("pet.weight"),
        "0 is not greater than 0"
    );
    pet.weight = Some(100.0);
    let error = pet.validate("pet").err().map(|err| err.path);
    assert_eq!(
        error.as_deref(),
        Some("pet.weight"),
        "100 is not less than 100"
    );
    pet.weight = Some(99.5);
    pet.age = Some(0);
    let error = pet.validate("pet").err().map(|err| err.path);
    assert_eq!(error.as_deref(), Some("pet.age"), "0 is not greater than 0");
}

#[test]
fn a_document_without_paths_has_a_client_without_operations() {
    let client = api::Client::builder()
        .base_url("http://localhost:1")
        .build();
    let base_url = client
        .map(|c| c.base_url().to_owned())
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(base_url.starts_with("http://localhost:1"), "{base_url}");
    assert_eq!(api::DEFAULT_BASE_URL, "", "the document names no server");
}

#[test]
fn every_entry_of_an_examples_array_is_listed() {
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/openapi31_examples.yaml");
    let examples = specwright::spec_examples(&spec).unwrap_or_else(|err| panic!("{err}"));
    let locations: Vec<&str> = examples.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(examples.len(), 7, "examples listed: {locations:?}");
}
