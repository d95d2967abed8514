//! `--types-only`: the schemas and the operations' parameter, response and error types, for
//! webhooks, queues and storage; no `Client`, no methods, no mocks. (That such a crate needs
//! neither reqwest nor tokio is checked on a standalone crate by
//! `scripts/check-standalone-crate.sh`, where no other crate turns the runtime's client on.)

mod notes {
    include!(concat!(env!("OUT_DIR"), "/operations_types_only.rs"));
}
mod events {
    include!(concat!(env!("OUT_DIR"), "/datetimes_types_only_time.rs"));
}

#[test]
fn the_types_decode_and_encode_as_with_a_client() {
    let json = r#"{"id":7,"text":"hello","pinned":true}"#;
    let note: notes::types::Note = serde_json::from_str(json).expect("decodes");
    assert_eq!(note.id, 7);
    assert_eq!(serde_json::to_string(&note).expect("encodes"), json);
    let event = r#"{"at":"2023-01-01T12:34:56","seen":["2023-06-01T08:00:00Z"]}"#;
    let decoded: events::types::Event = serde_json::from_str(event).expect("decodes");
    assert_eq!(
        decoded.at.get().ok().and_then(|at| at.as_local()).copied(),
        Some(time::macros::datetime!(2023-01-01 12:34:56))
    );
    assert_eq!(serde_json::to_string(&decoded).expect("encodes"), event);
}

#[test]
fn operations_keep_their_parameter_response_and_error_types() {
    let params = notes::types::GetNoteParams::default();
    assert_eq!(params.verbose, None);
    let error: notes::types::GetNoteError = serde_json::from_str::<notes::types::Problem>("{}")
        .map(notes::types::GetNoteError::NotFound)
        .expect("decodes");
    assert!(matches!(error, notes::types::GetNoteError::NotFound(_)));
}

#[test]
fn there_is_no_client() {
    let code = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/operations_types_only.rs"))
        .expect("generated");
    for absent in [
        "pub struct Client",
        "impl Client",
        "mock_items!",
        "DEFAULT_BASE_URL",
        "runtime::Error<",
    ] {
        assert!(!code.contains(absent), "`{absent}` in types-only output");
    }
}
