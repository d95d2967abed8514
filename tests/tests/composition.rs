//! Composition (`specs/composition.yaml`): `allOf` merges, `oneOf` of objects, `anyOf` of
//! primitives, recursive and mutually recursive types, arrays of arrays and deep inline objects.

mod composition {
    include!(concat!(env!("OUT_DIR"), "/composition.rs"));
    include!(concat!(env!("OUT_DIR"), "/composition_examples.rs"));
}

use composition::types::{
    A, B, Cat, Contact, Dog, Gadget, Handle, Listing, ListingCode, Matrix, Named, Outer,
    OuterLevel1, OuterLevel1Level2, OuterLevel1Level2Level3, Pet, Plan, Product, StringOrInt, Tier,
    Tree,
};
use serde_json::{Value, json};

use generator_tests::{decode, encode};

#[test]
fn examples_round_trip() {
    match generator_tests::check_examples(composition::EXAMPLES) {
        Ok(count) => assert_eq!(count, 11),
        Err(failures) => panic!("{failures}"),
    }
}

#[test]
fn all_of_merges_refs_inline_members_and_own_properties() {
    let product: Product =
        decode(r#"{"name":"Lamp","created_at":"2024-05-01T10:00:00Z","price":19.5,"sku":"L-1"}"#);
    assert_eq!(product.name, "Lamp");
    assert_eq!(product.created_at.to_string(), "2024-05-01T10:00:00Z");
    assert_eq!(product.price, 19.5);
    assert_eq!(product.sku.as_deref(), Some("L-1"));
    // Required fields of every member stay required.
    for missing in ["name", "created_at", "price"] {
        let mut value = json!({"name": "Lamp", "created_at": "2024-05-01T10:00:00Z", "price": 1});
        value.as_object_mut().map(|object| object.remove(missing));
        assert!(
            serde_json::from_value::<Product>(value).is_err(),
            "`{missing}` is required"
        );
    }
}

#[test]
fn nested_all_of_merges_every_level() {
    let gadget: Gadget =
        decode(r#"{"name":"Radio","created_at":"2024-05-02T08:30:00Z","price":30,"voltage":230}"#);
    assert_eq!(
        (gadget.name.as_str(), gadget.price, gadget.voltage),
        ("Radio", 30.0, 230)
    );
    assert_eq!(gadget.sku, None);
    assert!(
        serde_json::from_str::<Gadget>(
            r#"{"name":"Radio","created_at":"2024-05-02T08:30:00Z","price":30}"#
        )
        .is_err()
    );
}

#[test]
fn one_of_objects_is_told_apart_by_required_fields() {
    let cat: Pet = decode(r#"{"meows":true,"name":"Tom"}"#);
    assert_eq!(
        cat,
        Pet::Cat(Cat {
            unknown_fields: Default::default(),
            meows: true,
            name: Some("Tom".to_owned())
        })
    );
    let dog: Pet = decode(r#"{"barks":false}"#);
    assert_eq!(
        dog,
        Pet::Dog(Dog {
            unknown_fields: Default::default(),
            barks: false,
            name: None
        })
    );
    assert_eq!(encode(&dog), json!({"barks": false}));
    assert!(
        serde_json::from_str::<Pet>(r#"{"name":"Nemo"}"#).is_err(),
        "neither a cat nor a dog"
    );
    let from: Pet = Dog {
        unknown_fields: Default::default(),
        barks: true,
        name: None,
    }
    .into();
    assert!(matches!(from, Pet::Dog(_)));
}

#[test]
fn any_of_primitives_keeps_the_json_type() {
    let text: StringOrInt = decode(r#""42""#);
    let number: StringOrInt = decode("42");
    assert_eq!(text, StringOrInt::String("42".to_owned()));
    assert_eq!(number, StringOrInt::Integer(42));
    assert_eq!(encode(&text), json!("42"));
    assert_eq!(encode(&number), json!(42));
    assert!(serde_json::from_str::<StringOrInt>("true").is_err());
    let code: ListingCode = decode("7");
    assert_eq!(code, ListingCode::Integer(7));
}

#[test]
fn recursive_types_nest() {
    let json = r#"{"value":1,"children":[{"value":2,"children":[{"value":4}]}],"parent":{"value":0,"parent":{"value":-1}}}"#;
    let tree: Tree = decode(json);
    let grandchild = tree
        .children
        .as_ref()
        .and_then(|c| c.first())
        .and_then(|c| c.children.as_ref())
        .and_then(|c| c.first());
    assert_eq!(grandchild.map(|node| node.value), Some(4));
    let grandparent = tree.parent.as_ref().and_then(|p| p.parent.as_ref());
    assert_eq!(grandparent.map(|node| node.value), Some(-1));
    assert_eq!(encode(&tree), decode::<Value>(json));

    let built = Tree {
        unknown_fields: Default::default(),
        value: 5,
        children: None,
        parent: Some(Box::new(Tree {
            unknown_fields: Default::default(),
            value: 6,
            children: Some(vec![]),
            parent: None,
        })),
    };
    assert_eq!(
        encode(&built),
        json!({"value": 5, "parent": {"value": 6, "children": []}})
    );
}

#[test]
fn mutually_recursive_types_nest() {
    let json = r#"{"a":{"name":"outer","b":{"a":{"name":"inner","b":{}}}}}"#;
    let b: B = decode(json);
    let inner: Option<&A> =
        b.a.as_ref()
            .and_then(|a| a.b.as_ref())
            .and_then(|b| b.a.as_deref());
    assert_eq!(inner.map(|a| a.name.as_str()), Some("inner"));
    assert_eq!(inner.and_then(|a| a.b.as_deref()), Some(&B::default()));
    assert_eq!(encode(&b), decode::<Value>(json));
}

#[test]
fn arrays_of_arrays() {
    let matrix: Matrix = decode(r#"{"rows":[[1,2],[],[3.5]],"cells":[["a",1],[2]]}"#);
    assert_eq!(matrix.rows, vec![vec![1.0, 2.0], vec![], vec![3.5]]);
    let cells = matrix.cells.unwrap_or_default();
    assert_eq!(
        cells,
        vec![
            vec![StringOrInt::String("a".to_owned()), StringOrInt::Integer(1)],
            vec![StringOrInt::Integer(2)],
        ]
    );
}

#[test]
fn inline_objects_are_named_from_their_location() {
    let outer: Outer = decode(r#"{"level1":{"level2":{"level3":{"leaf":"deep"}}}}"#);
    let expected = Outer {
        unknown_fields: Default::default(),
        level1: Some(OuterLevel1 {
            unknown_fields: Default::default(),
            level2: Some(OuterLevel1Level2 {
                unknown_fields: Default::default(),
                level3: Some(OuterLevel1Level2Level3 {
                    unknown_fields: Default::default(),
                    leaf: "deep".to_owned(),
                }),
            }),
        }),
    };
    assert_eq!(outer, expected);
    assert_eq!(decode::<Outer>("{}"), Outer::default());
}

#[test]
fn unions_inside_structs_and_arrays() {
    let listing: Listing =
        decode(r#"{"pets":[{"meows":true},{"barks":false,"name":"Fido"}],"code":"X-1"}"#);
    let pets = listing.pets.unwrap_or_default();
    assert!(
        matches!(pets.as_slice(), [Pet::Cat(_), Pet::Dog(Dog { name: Some(name), .. })] if name == "Fido")
    );
    assert_eq!(listing.code, Some(ListingCode::String("X-1".to_owned())));
}

#[test]
fn a_reference_annotated_through_all_of_keeps_its_type() {
    let product: Product = decode(
        r#"{"name": "Lamp", "created_at": "2024-05-01T10:00:00Z", "price": 1, "maker": {"name": "Ann"}}"#,
    );
    assert_eq!(
        product.maker,
        Some(Named {
            unknown_fields: Default::default(),
            name: "Ann".into()
        })
    );
    let unmade: Product = decode(
        r#"{"name": "Lamp", "created_at": "2024-05-01T10:00:00Z", "price": 1, "maker": null}"#,
    );
    assert_eq!(unmade.maker, None, "nullable");
}

#[test]
fn all_of_of_one_scalar_type_is_that_scalar() {
    let contact: Contact = decode(r#""ada@mail.example""#);
    assert_eq!(contact, "ada@mail.example");
    let handle: Handle = decode(r#""@ada""#);
    assert_eq!(encode(&handle), json!("@ada"));
    let plan: Plan = decode(r#""pro""#);
    assert_eq!(plan, Tier::Pro);
}
