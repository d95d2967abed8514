//! String enums (`specs/enums.yaml`): values that collide after case conversion, the empty
//! value, a leading digit, a value called `unknown`, an inline enum, and values the spec does
//! not list.

mod api {
    include!(concat!(env!("OUT_DIR"), "/enums.rs"));
    include!(concat!(env!("OUT_DIR"), "/enums_examples.rs"));
}

use api::types::{Order, OrderFlagsItem, OrderStatus, Plain, Tricky};
use generator_tests::encode;
use serde_json::json;

/// Every value `Tricky` lists, with the variant it must decode to.
fn tricky_values() -> Vec<(&'static str, Tricky)> {
    vec![
        ("a-b", Tricky::AB),
        ("a_b", Tricky::AB2),
        ("A B", Tricky::AB3),
        ("", Tricky::Empty),
        ("1st", Tricky::V1st),
        ("unknown", Tricky::Unknown),
    ]
}

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        Ok(count) => assert_eq!(count, 3, "expected examples for Tricky, Plain and Order"),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn known_values_decode_to_their_own_variants() {
    for (wire, variant) in tricky_values() {
        let decoded: Tricky = serde_json::from_value(json!(wire))
            .unwrap_or_else(|err| panic!("decoding {wire:?}: {err}"));
        assert_eq!(decoded, variant, "{wire:?}");
        assert_eq!(
            serde_json::to_value(&decoded).ok(),
            Some(json!(wire)),
            "{wire:?}"
        );
    }
    let distinct: std::collections::HashSet<Tricky> = tricky_values()
        .into_iter()
        .map(|(_, variant)| variant)
        .collect();
    assert_eq!(
        distinct.len(),
        tricky_values().len(),
        "two values share a variant"
    );
}

#[test]
fn as_str_and_display_give_the_wire_value() {
    for (wire, variant) in tricky_values() {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(variant.to_string(), wire);
        assert_eq!(encode(&variant), json!(wire));
        assert_eq!(Tricky::from(wire), variant);
    }
    assert_eq!(Plain::InReview.as_str(), "in_review");
    assert_eq!(OrderStatus::Delivered.to_string(), "delivered");
}

#[test]
fn a_value_called_unknown_is_known() {
    let decoded: Tricky =
        serde_json::from_value(json!("unknown")).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(decoded, Tricky::Unknown);
    assert!(!matches!(decoded, Tricky::UnknownValue(_)));
}

#[test]
fn unknown_values_are_kept_as_received() {
    for wire in ["a b", "A-B", "zzz", " ", "UNKNOWN"] {
        let decoded: Tricky = serde_json::from_value(json!(wire))
            .unwrap_or_else(|err| panic!("decoding {wire:?}: {err}"));
        assert_eq!(decoded, Tricky::UnknownValue(wire.to_owned()), "{wire:?}");
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(serde_json::to_value(&decoded).ok(), Some(json!(wire)));
    }
    let plain: Plain =
        serde_json::from_value(json!("archived")).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(plain, Plain::Unknown("archived".to_owned()));
}

#[test]
fn enums_reject_non_strings() {
    assert!(serde_json::from_value::<Plain>(json!(1)).is_err());
    assert!(serde_json::from_value::<Plain>(json!(null)).is_err());
}

#[test]
fn inline_enum_on_a_property_gets_a_type_named_after_it() {
    let json = r#"{"id":1,"status":"shipped","priority":"a-b","history":["draft","archived"]}"#;
    let order: Order = serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(order.status, OrderStatus::Shipped);
    assert_eq!(order.priority, Some(Tricky::AB));
    assert_eq!(
        order.history,
        Some(vec![Plain::Draft, Plain::Unknown("archived".to_owned())])
    );
    let encoded = serde_json::to_value(&order).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        encoded,
        serde_json::from_str::<serde_json::Value>(json).unwrap_or_default()
    );

    let order: Order =
        serde_json::from_str(r#"{"id":2,"status":"lost"}"#).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(order.status, OrderStatus::Unknown("lost".to_owned()));
}

#[test]
fn inline_enum_as_array_items_gets_a_type_named_after_the_items() {
    let json = r#"{"id":3,"status":"placed","flags":["fragile","perishable","gift"]}"#;
    let order: Order = serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}"));
    let expected = vec![
        OrderFlagsItem::Fragile,
        OrderFlagsItem::Unknown("perishable".to_owned()),
        OrderFlagsItem::Gift,
    ];
    assert_eq!(order.flags, Some(expected));
    let encoded = serde_json::to_value(&order).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(encoded["flags"], json!(["fragile", "perishable", "gift"]));
}

#[test]
fn symbol_values_get_descriptive_variant_names() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/enum_symbols.yaml");
    let code = specwright::generate_file(&spec)
        .unwrap_or_else(|err| panic!("{err}"))
        .code;
    for (wire, variant) in [
        ("-", "Minus"),
        ("+1", "Plus1"),
        ("-1", "Minus1"),
        ("1", "V1"),
    ] {
        let declared = format!("#[value = {wire:?}]\n        {variant},");
        assert!(
            code.contains(&declared),
            "expected `{declared}` in the generated enum"
        );
    }
}
