//! Integer enums (and names given by `x-enum-varnames`/`x-enumNames`) keep unknown values too.

mod api {
    include!(concat!(env!("OUT_DIR"), "/integer_enums.rs"));
    include!(concat!(env!("OUT_DIR"), "/integer_enums_examples.rs"));
}

use api::types::{Action, Level, Priority, Status, Task};
use generator_tests::{decode, encode};
use serde_json::json;

#[test]
fn examples_round_trip() {
    assert_eq!(generator_tests::check_examples(api::EXAMPLES), Ok(3));
}

#[test]
fn integer_values_decode_to_named_variants() {
    let task: Task = decode(r#"{"priority": -1, "level": 20, "status": "active"}"#);
    assert_eq!(task.priority, Priority::Minus1);
    assert_eq!(task.level, Some(Level::High));
    assert_eq!(task.status, Some(Status::Running));
    assert_eq!(Priority::V2.as_i64(), 2);
    assert_eq!(Level::Off.to_string(), "0");
}

#[test]
fn unknown_integers_are_kept_and_sent_back() {
    let task: Task = decode(r#"{"priority": 42, "level": 15}"#);
    assert_eq!(task.priority, Priority::Unknown(42));
    assert_eq!(task.level, Some(Level::Unknown(15)));
    assert_eq!(encode(&task), json!({"priority": 42, "level": 15}));
    assert!(
        serde_json::from_str::<Task>(r#"{"priority": "high"}"#).is_err(),
        "not an integer"
    );
}

#[test]
fn a_one_of_of_titled_consts_is_an_enum() {
    let action: Action = decode("5");
    assert_eq!(action, Action::JoinRequest);
    assert_eq!(decode::<Action>("9"), Action::Unknown(9));
    assert_eq!(encode(&Action::Spectate), json!(2));
}
