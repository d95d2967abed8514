//! A schema's `type` wins over keywords meant for another type (`specs/type_wins.yaml`): the
//! values the server sends, which JSON Schema admits, decode and come back as they were, in
//! responses and request bodies alike; and `properties` without `type` is an object.

mod api {
    include!(concat!(env!("OUT_DIR"), "/type_wins.rs"));
    include!(concat!(env!("OUT_DIR"), "/type_wins_examples.rs"));
}

use api::types::{Code, Count, Images, Labels, Listing, Resource};
use generator_tests::{decode, encode, round_trip};
use serde_json::json;

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        Ok(count) => assert_eq!(count, 6, "every schema's and body's example"),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn an_array_with_object_keywords_is_an_array() {
    // The object keywords' property is not required of it: JSON Schema never applied it.
    let images: Images = decode(r#"["a.jpg", {"width": 640}, null, 3]"#);
    assert_eq!(images.len(), 4);
    assert_eq!(encode(&images), json!(["a.jpg", {"width": 640}, null, 3]));
    assert!(serde_json::from_str::<Images>(r#"{"imagem1.jpg": "x"}"#).is_err());
}

#[test]
fn the_other_combinations_keep_their_own_type() {
    let labels: Labels = decode(r#"{"colour": "red"}"#);
    assert_eq!(labels.get("colour").map(String::as_str), Some("red"));
    // Numeric bounds say nothing of a string, nor string bounds of an integer.
    let code: Code = decode(r#""5""#);
    assert_eq!(code, "5");
    let count: Count = decode("4");
    assert_eq!(count, 4);
    round_trip::<Listing>(
        r#"{"images": [], "code": "1000", "count": 1, "thumbnails": ["t.jpg"], "labels": {}}"#,
    )
    .expect("a listing round-trips");
}

#[test]
fn a_request_body_holding_them_sends_what_was_built() {
    let listing = Listing::new(vec![json!("a.jpg"), json!({"w": 1})], "5".to_owned());
    assert_eq!(
        encode(&listing),
        json!({"images": ["a.jpg", {"w": 1}], "code": "5"})
    );
}

#[test]
fn properties_without_a_type_are_an_object() {
    let resource: Resource = decode(r#"{"id": "r-1", "name": "first", "tags": {"env": "prod"}}"#);
    assert_eq!(resource.name.as_deref(), Some("first"));
    assert_eq!(
        resource
            .tags
            .as_ref()
            .and_then(|tags| tags.get("env"))
            .map(String::as_str),
        Some("prod")
    );
    // A bare string where the resource belongs is refused, as every generator's client does
    // (the fidelity harness judges such an example a fault of its spec).
    assert!(serde_json::from_str::<Resource>(r#""Accepted""#).is_err());
}
