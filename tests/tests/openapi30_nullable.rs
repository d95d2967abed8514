//! OpenAPI 3.0 nullability (`specs/openapi30_nullable.yaml`): `nullable: true` scalars, a
//! nullable `$ref` under `allOf`, a nullable component, and enums that list `null`.

mod api {
    include!(concat!(env!("OUT_DIR"), "/openapi30_nullable.rs"));
    include!(concat!(env!("OUT_DIR"), "/openapi30_nullable_examples.rs"));
}

use api::types::{Address, Color, Customer, CustomerStatus, CustomerUpdate};
use serde_json::{Value, json};

use generator_tests::{decode, encode};

const MINIMAL: &str = r#"{"id":7,"email":null,"billing":null,"status":null}"#;

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        // Address, PastAddresses, Customer, the update body and the update response.
        Ok(count) => assert_eq!(count, 5),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn required_nullable_scalars_take_null_and_are_sent_as_null() {
    let customer: Customer = decode(MINIMAL);
    assert_eq!(customer.email, None);
    assert_eq!(customer.status, None);
    let encoded = encode(&customer);
    assert!(
        generator_tests::same_json(&encoded, &decode::<Value>(MINIMAL)),
        "got {encoded}"
    );

    let customer: Customer = decode(r#"{"id":7,"email":"a@b.c","billing":null,"status":"closed"}"#);
    assert_eq!(customer.email.as_deref(), Some("a@b.c"));
    assert_eq!(customer.status, Some(CustomerStatus::Closed));
}

#[test]
fn optional_nullable_scalars_take_null_and_absent() {
    let absent: Customer = decode(MINIMAL);
    let null: Customer = decode(
        r#"{"id":7,"email":null,"billing":null,"status":null,"phone":null,"score":null,"active":null,"shipping":null,"color":null}"#,
    );
    assert_eq!(null, absent);
    assert_eq!((null.phone, null.score, null.active), (None, None, None));
    let set: Customer = decode(
        r#"{"id":7,"email":null,"billing":null,"status":null,"phone":"1","score":0.5,"active":false}"#,
    );
    assert_eq!(set.phone.as_deref(), Some("1"));
    assert_eq!(set.score, Some(0.5));
    assert_eq!(set.active, Some(false));
}

#[test]
fn non_nullable_fields_reject_null() {
    let result = serde_json::from_str::<Customer>(
        r#"{"id":null,"email":null,"billing":null,"status":null}"#,
    );
    assert!(result.is_err(), "`id` is not nullable");
}

#[test]
fn nullable_ref_under_all_of_is_an_optional_ref() {
    let customer: Customer =
        decode(r#"{"id":1,"email":null,"billing":{"street":"1 Main St"},"status":null}"#);
    let billing: Option<Address> = customer.billing;
    assert_eq!(
        billing.map(|address| address.street).as_deref(),
        Some("1 Main St")
    );
}

#[test]
fn a_nullable_component_is_optional_where_it_is_used() {
    let customer: Customer = decode(
        r#"{"id":1,"email":null,"billing":null,"status":null,"shipping":{"street":"2 Side St","city":null}}"#,
    );
    let shipping = customer
        .shipping
        .as_ref()
        .map(|address| (address.street.as_str(), &address.city));
    assert_eq!(shipping, Some(("2 Side St", &Some(None))));
    let customer: Customer =
        decode(r#"{"id":1,"email":null,"billing":null,"status":null,"shipping":null}"#);
    assert_eq!(customer.shipping, None);
}

#[test]
fn enums_listing_null_take_null_values_and_unknown_values() {
    let customer: Customer =
        decode(r#"{"id":1,"email":null,"billing":null,"status":"active","color":"red"}"#);
    assert_eq!(customer.status, Some(CustomerStatus::Active));
    assert_eq!(customer.color, Some(Color::Red));
    let customer: Customer =
        decode(r#"{"id":1,"email":null,"billing":null,"status":"frozen","color":null}"#);
    assert_eq!(
        customer.status,
        Some(CustomerStatus::Unknown("frozen".to_owned()))
    );
    assert_eq!(customer.color, None);
    assert_eq!(encode(&customer)["status"], json!("frozen"));
    // `null` is not a variant: it is the `None` of the field.
    assert_eq!(Color::from("null"), Color::Unknown("null".to_owned()));
}

#[test]
fn request_bodies_tell_absent_from_null() {
    let update = CustomerUpdate {
        unknown_fields: Default::default(),
        email: Some(None),
        phone: Some(Some("+1 555 0100".to_owned())),
        billing: None,
        color: Some(Some(Color::Green)),
    };
    assert_eq!(
        encode(&update),
        json!({"email": null, "phone": "+1 555 0100", "color": "green"})
    );
    assert_eq!(encode(&CustomerUpdate::default()), json!({}));

    let decoded: CustomerUpdate = decode(r#"{"email":null,"billing":{"street":"x"}}"#);
    assert_eq!(decoded.email, Some(None));
    assert_eq!(decoded.phone, None);
    assert_eq!(
        decoded.billing.flatten().map(|a| a.street).as_deref(),
        Some("x")
    );
}

#[test]
fn a_union_with_a_nullable_branch_holds_null() {
    let past: api::types::PastAddresses =
        generator_tests::decode(r#"[null, {"street": "2 Side St"}, {"note": 1}]"#);
    assert_eq!(past.len(), 3);
    assert!(past[0].is_none());
    assert_eq!(
        generator_tests::encode(&past),
        serde_json::json!([null, {"street": "2 Side St"}, {"note": 1}])
    );
}
