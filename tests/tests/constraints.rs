//! Validation before sending (`specs/constraints.yaml`): string lengths, inclusive and
//! exclusive numeric bounds, array sizes, and constraints on nested objects and array items.

mod api {
    include!(concat!(env!("OUT_DIR"), "/constraints.rs"));
    include!(concat!(env!("OUT_DIR"), "/constraints_examples.rs"));
}

use api::runtime::Validate;
use api::types::{Part, WidgetCreate, WidgetCreateNested};

fn valid() -> WidgetCreate {
    WidgetCreate {
        unknown_fields: Default::default(),
        name: "knob".to_owned(),
        count: 3,
        ratio: Some(0.5),
        tags: vec!["red".to_owned()],
        nested: WidgetCreateNested {
            unknown_fields: Default::default(),
            name: "abc".to_owned(),
        },
        parts: Some(vec![Part {
            unknown_fields: Default::default(),
            code: "P1".to_owned(),
        }]),
    }
}

/// The path of the first broken constraint, or `None` when `body` is valid.
fn broken(body: &WidgetCreate) -> Option<String> {
    body.validate("body").err().map(|err| {
        assert!(!err.message.is_empty(), "no message for {}", err.path);
        err.path
    })
}

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(api::EXAMPLES) {
        // `Part`, the request body and the 201 response.
        Ok(count) => assert_eq!(count, 3),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn the_documented_request_example_is_valid() {
    let body: WidgetCreate =
        serde_json::from_str(api::EXAMPLES[1].1).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(body, valid());
    assert_eq!(broken(&body), None);
}

#[test]
fn values_on_the_bounds_are_valid() {
    for body in [
        WidgetCreate {
            name: "ab".to_owned(),
            ..valid()
        },
        WidgetCreate {
            name: "abcde".to_owned(),
            ..valid()
        },
        WidgetCreate {
            count: 1,
            ..valid()
        },
        WidgetCreate {
            count: 10,
            ..valid()
        },
        WidgetCreate {
            ratio: None,
            ..valid()
        },
        WidgetCreate {
            ratio: Some(0.999),
            ..valid()
        },
        WidgetCreate {
            tags: vec!["a".to_owned(), "b".to_owned()],
            ..valid()
        },
        WidgetCreate {
            parts: None,
            ..valid()
        },
        WidgetCreate {
            parts: Some(vec![]),
            ..valid()
        },
    ] {
        assert_eq!(body.validate("body"), Ok(()), "{body:?}");
    }
}

#[test]
fn string_lengths() {
    assert_eq!(
        broken(&WidgetCreate {
            name: "a".to_owned(),
            ..valid()
        })
        .as_deref(),
        Some("body.name")
    );
    assert_eq!(
        broken(&WidgetCreate {
            name: "abcdef".to_owned(),
            ..valid()
        })
        .as_deref(),
        Some("body.name")
    );
    // Lengths count characters, not bytes.
    assert_eq!(
        broken(&WidgetCreate {
            name: "ééééé".to_owned(),
            ..valid()
        }),
        None
    );
}

#[test]
fn inclusive_numeric_bounds() {
    assert_eq!(
        broken(&WidgetCreate {
            count: 0,
            ..valid()
        })
        .as_deref(),
        Some("body.count")
    );
    assert_eq!(
        broken(&WidgetCreate {
            count: 11,
            ..valid()
        })
        .as_deref(),
        Some("body.count")
    );
}

#[test]
fn exclusive_numeric_bounds() {
    assert_eq!(
        broken(&WidgetCreate {
            ratio: Some(0.0),
            ..valid()
        })
        .as_deref(),
        Some("body.ratio")
    );
    assert_eq!(
        broken(&WidgetCreate {
            ratio: Some(1.0),
            ..valid()
        })
        .as_deref(),
        Some("body.ratio")
    );
    assert_eq!(
        broken(&WidgetCreate {
            ratio: Some(-0.5),
            ..valid()
        })
        .as_deref(),
        Some("body.ratio")
    );
}

#[test]
fn array_sizes() {
    let three = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
    assert_eq!(
        broken(&WidgetCreate {
            tags: three,
            ..valid()
        })
        .as_deref(),
        Some("body.tags")
    );
    assert_eq!(
        broken(&WidgetCreate {
            tags: vec![],
            ..valid()
        })
        .as_deref(),
        Some("body.tags")
    );
}

#[test]
fn nested_object_fields() {
    let body = WidgetCreate {
        nested: WidgetCreateNested {
            unknown_fields: Default::default(),
            name: "abcd".to_owned(),
        },
        ..valid()
    };
    assert_eq!(broken(&body).as_deref(), Some("body.nested.name"));
}

#[test]
fn array_items() {
    let parts = vec![
        Part {
            unknown_fields: Default::default(),
            code: "P1".to_owned(),
        },
        Part {
            unknown_fields: Default::default(),
            code: "P22".to_owned(),
        },
    ];
    let body = WidgetCreate {
        parts: Some(parts),
        ..valid()
    };
    assert_eq!(broken(&body).as_deref(), Some("body.parts[1].code"));
}

#[test]
fn the_error_names_the_path_and_the_rule() {
    let error = WidgetCreate {
        count: 11,
        ..valid()
    }
    .validate("body")
    .err();
    let text = error.map(|err| err.to_string()).unwrap_or_default();
    assert!(
        text.contains("body.count") && text.contains("10"),
        "unhelpful message: {text}"
    );
}
