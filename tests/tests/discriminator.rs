//! `oneOf` with a discriminator: the tag picks the variant (explicit and implicit mapping),
//! and a tag no variant claims is kept rather than refused.

mod api {
    include!(concat!(env!("OUT_DIR"), "/discriminator.rs"));
    include!(concat!(env!("OUT_DIR"), "/discriminator_examples.rs"));
}

use api::types::{Cat, Dog, Home, Pet};
use generator_tests::{decode, encode};
use serde_json::json;

#[test]
fn examples_round_trip() {
    assert_eq!(generator_tests::check_examples(api::EXAMPLES), Ok(4));
}

#[test]
fn the_tag_picks_the_variant() {
    let cat: Pet = decode(r#"{"pet_type": "cat", "name": "Tom"}"#);
    assert!(
        matches!(&cat, Pet::Cat(Cat { name, .. }) if name == "Tom"),
        "{cat:?}"
    );
    let kitten: Pet = decode(r#"{"pet_type": "kitten", "name": "Kit"}"#);
    assert!(matches!(kitten, Pet::Cat(_)));
    // A dog with a `name`, which a `Lizard` would also accept: only the tag decides.
    let dog: Pet = decode(r#"{"pet_type": "dog", "name": "Rex"}"#);
    assert!(matches!(dog, Pet::Dog(Dog { .. })), "{dog:?}");
    let lizard: Pet = decode(r#"{"pet_type": "Lizard"}"#);
    assert!(
        matches!(lizard, Pet::Lizard(_)),
        "the component name is the implicit tag"
    );
}

#[test]
fn unknown_tags_are_kept_and_bad_variants_refused() {
    let fish: Pet = decode(r#"{"pet_type": "fish", "fins": 3}"#);
    assert_eq!(fish, Pet::Unknown(json!({"pet_type": "fish", "fins": 3})));
    assert_eq!(encode(&fish), json!({"pet_type": "fish", "fins": 3}));
    assert!(
        serde_json::from_str::<Pet>(r#"{"pet_type": "cat"}"#).is_err(),
        "a cat needs a name"
    );
    let home: Home = decode(r#"{"pets": [{"pet_type": "dog", "barks": false}]}"#);
    assert_eq!(
        encode(&home),
        json!({"pets": [{"pet_type": "dog", "barks": false}]})
    );
}

#[test]
fn a_property_each_branch_fixes_is_the_tag() {
    use api::types::{Polygon, PolygonKind, Shape, ShapeCircle, ShapeRectangle};
    let circle: Shape = decode(r#"{"kind": "circle", "radius": 2}"#);
    assert_eq!(circle, Shape::Circle(ShapeCircle::new(2.0)));
    assert_eq!(encode(&circle), json!({"kind": "circle", "radius": 2.0}));
    // The tag is not mistaken for one of the extra keys a rectangle keeps.
    let rectangle: Shape =
        decode(r#"{"kind": "rectangle", "width": 1, "height": 2, "fill": "red"}"#);
    let Shape::Rectangle(ShapeRectangle {
        additional_properties,
        ..
    }) = &rectangle
    else {
        panic!("{rectangle:?}");
    };
    assert_eq!(additional_properties.len(), 1);
    assert_eq!(
        encode(&rectangle),
        json!({"kind": "rectangle", "width": 1.0, "height": 2.0, "fill": "red"})
    );
    // A shared component keeps its own tag field.
    let polygon: Shape = decode(r#"{"kind": "polygon", "sides": 5}"#);
    assert_eq!(
        polygon,
        Shape::Polygon(Polygon::new(PolygonKind::Polygon, 5))
    );
    assert_eq!(encode(&polygon), json!({"kind": "polygon", "sides": 5}));
    let star: Shape = decode(r#"{"kind": "star", "points": 5}"#);
    assert_eq!(star, Shape::Unknown(json!({"kind": "star", "points": 5})));
    assert!(
        serde_json::from_str::<Shape>(r#"{"kind": "circle"}"#).is_err(),
        "a circle needs a radius, whatever else would fit"
    );
}

#[test]
fn an_explicit_discriminator_over_inline_branches_is_used() {
    use api::types::{Event, EventCreated, EventDeleted};
    let created: Event = decode(r#"{"type": "created", "id": "e1"}"#);
    assert_eq!(created, Event::Created(EventCreated::new("e1".to_owned())));
    assert_eq!(encode(&created), json!({"type": "created", "id": "e1"}));
    let deleted: Event = decode(r#"{"type": "deleted"}"#);
    assert_eq!(deleted, Event::Deleted(EventDeleted::default()));
}
