//! `specs/untagged.yaml`: unions without a discriminator try their strictest variant first,
//! whatever order the spec lists them in.

mod api {
    include!(concat!(env!("OUT_DIR"), "/untagged.rs"));
}

use api::types::{Anything, KnownStatus, Named, Scalar, Shape, Status};
use generator_tests::{decode, round_trip};

#[test]
fn the_strictest_variant_wins() {
    assert!(matches!(
        decode::<Scalar>(r#""123e4567-e89b-12d3-a456-426614174000""#),
        Scalar::Uuid(_)
    ));
    assert_eq!(
        decode::<Scalar>(r#""plain""#),
        Scalar::String("plain".into())
    );
    assert_eq!(decode::<Scalar>("7"), Scalar::Integer(7));
    assert_eq!(decode::<Scalar>("7.5"), Scalar::Number(7.5));
    assert_eq!(decode::<Scalar>("true"), Scalar::Boolean(true));

    // Point accounts for more of the keys than Named; the one it does not declare is kept.
    let Shape::Point(point) = decode::<Shape>(r#"{"x": 1, "y": 2, "name": "p"}"#) else {
        panic!("not a point");
    };
    assert_eq!((point.x, point.y), (1.0, 2.0));
    assert_eq!(
        point.unknown_fields.get("name"),
        Some(&serde_json::json!("p"))
    );
    assert_eq!(
        decode::<Shape>(r#"{"name": "n"}"#),
        Shape::Named(Named {
            unknown_fields: Default::default(),
            name: "n".into()
        })
    );
    assert_eq!(
        decode::<Shape>(r#"{"note": "free"}"#),
        Shape::Anything(Anything {
            unknown_fields: Default::default(),
            note: Some("free".into())
        })
    );
    assert_eq!(
        decode::<Status>(r#""active""#),
        Status::KnownStatus(KnownStatus::Active)
    );
    for json in [r#""x""#, "1", "2.5", "false", r#"{"x": 1.5, "y": 2.5}"#] {
        round_trip::<Scalar>(json)
            .or_else(|_| round_trip::<Shape>(json))
            .unwrap_or_else(|err| panic!("{json}: {err}"));
    }
}
