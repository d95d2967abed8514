//! Free-form and keyed objects (`specs/maps.yaml`): `additionalProperties` with a schema,
//! `additionalProperties: true`, a bare `type: object`, and the empty schema.

mod api {
    include!(concat!(env!("OUT_DIR"), "/maps.rs"));
    include!(concat!(env!("OUT_DIR"), "/maps_examples.rs"));
}

mod with_properties {
    include!(concat!(env!("OUT_DIR"), "/maps_with_properties.rs"));
}

use api::types::{Inventory, InventoryLocationsValue, Item, Nested, Scores, Tree};
use serde_json::{Value, json};

use generator_tests::{decode, encode};

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        Ok(count) => assert_eq!(count, 2, "expected examples for Scores and Inventory"),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn additional_properties_with_a_primitive_schema() {
    let inventory: Inventory = decode(r#"{"counts":{"L-1":3,"weird key ü":0}}"#);
    let counts = inventory.counts.unwrap_or_default();
    assert_eq!(counts.get("L-1"), Some(&3));
    assert_eq!(counts.get("weird key ü"), Some(&0));
    assert_eq!(counts.len(), 2);
    assert!(serde_json::from_str::<Inventory>(r#"{"counts":{"L-1":"three"}}"#).is_err());
}

#[test]
fn additional_properties_with_a_ref_and_an_inline_object() {
    let inventory: Inventory = decode(
        r#"{"items":{"L-1":{"qty":3}},"locations":{"L-1":{"aisle":4,"shelf":"B"},"L-2":{"aisle":1}}}"#,
    );
    let items = inventory.items.unwrap_or_default();
    assert_eq!(
        items.get("L-1"),
        Some(&Item {
            unknown_fields: Default::default(),
            qty: 3
        })
    );
    let locations = inventory.locations.unwrap_or_default();
    assert_eq!(
        locations.get("L-1"),
        Some(&InventoryLocationsValue {
            unknown_fields: Default::default(),
            aisle: 4,
            shelf: Some("B".to_owned())
        })
    );
    assert_eq!(locations.get("L-2").map(|l| l.aisle), Some(1));
    assert!(serde_json::from_str::<Inventory>(r#"{"locations":{"L-1":{"shelf":"B"}}}"#).is_err());
}

#[test]
fn free_form_objects_keep_any_values() {
    let json = r#"{"labels":{"color":"red","fragile":true,"dims":[1,2,3],"none":null},"metadata":{"source":{"system":"erp"}}}"#;
    let inventory: Inventory = decode(json);
    let labels = inventory.labels.clone().unwrap_or_default();
    assert_eq!(labels.get("dims"), Some(&json!([1, 2, 3])));
    assert_eq!(labels.get("none"), Some(&Value::Null));
    let metadata = inventory.metadata.clone().unwrap_or_default();
    assert_eq!(metadata.get("source"), Some(&json!({"system": "erp"})));
    assert_eq!(encode(&inventory), decode::<Value>(json));
}

#[test]
fn free_form_objects_are_still_objects() {
    assert!(
        serde_json::from_str::<Inventory>(r#"{"metadata":5}"#).is_err(),
        "`type: object`"
    );
    assert!(
        serde_json::from_str::<Inventory>(r#"{"labels":[1]}"#).is_err(),
        "`additionalProperties: true`"
    );
}

#[test]
fn the_empty_schema_takes_any_json_value() {
    for value in [
        json!(1),
        json!("two"),
        json!([1, "two"]),
        json!({"three": 3}),
        json!(false),
    ] {
        let inventory: Inventory =
            serde_json::from_value(json!({"anything": value.clone(), "raw": value.clone()}))
                .unwrap_or_else(|err| panic!("decoding {value}: {err}"));
        assert_eq!(inventory.anything.as_ref(), Some(&value));
        assert_eq!(inventory.raw.as_ref(), Some(&value));
        assert_eq!(encode(&inventory), json!({"anything": value, "raw": value}));
    }
}

#[test]
fn a_component_map_is_a_map() {
    let scores: Scores = decode(r#"{"alice":3.5,"bob":7}"#);
    assert_eq!(scores.get("alice"), Some(&3.5));
    assert_eq!(scores.get("bob"), Some(&7.0));
    let inventory: Inventory = decode(r#"{"scores":{"carol":1}}"#);
    assert_eq!(
        inventory.scores.and_then(|s| s.get("carol").copied()),
        Some(1.0)
    );
}

/// Declared properties and typed extra keys side by side (`specs/maps_with_properties.yaml`):
/// the extra keys are read into the map, in any position, and written back after the others.
#[test]
fn properties_with_additional_properties_keep_extra_keys() {
    let labelled: with_properties::types::Labelled = decode(r#"{"color":"red","id":1,"size":"L"}"#);
    assert_eq!(labelled.id, 1);
    assert_eq!(
        labelled
            .additional_properties
            .get("color")
            .map(String::as_str),
        Some("red")
    );
    assert_eq!(
        encode(&labelled),
        json!({"id": 1, "color": "red", "size": "L"})
    );
    // A value of the wrong type for the extra keys is refused, as for a declared property.
    assert!(serde_json::from_str::<with_properties::types::Labelled>(r#"{"id":1,"n":2}"#).is_err());
}

#[test]
fn aliases_that_hold_themselves_are_wrapping_structs() {
    let nested: Nested = decode("[[], [[]]]");
    assert_eq!(
        nested,
        Nested(vec![Nested(vec![]), Nested(vec![Nested(vec![])])])
    );
    assert_eq!(encode(&nested), json!([[], [[]]]));
    let tree: Tree = decode(r#"{"a": {"b": {}}, "c": {}}"#);
    assert_eq!(tree.0["a"].0["b"], Tree::default());
    assert_eq!(encode(&tree), json!({"a": {"b": {}}, "c": {}}));
}
