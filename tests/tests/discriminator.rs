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
    assert_eq!(generator_tests::check_examples(api::EXAMPLES), Ok(2));
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
