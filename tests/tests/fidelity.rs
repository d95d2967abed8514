//! `specs/fidelity.yaml` and `specs/fidelity31.yaml`: payloads that are valid against their
//! schemas decode, keep every key, and re-encode to the same JSON.

mod api {
    include!(concat!(env!("OUT_DIR"), "/fidelity.rs"));
}

mod api31 {
    include!(concat!(env!("OUT_DIR"), "/fidelity31.rs"));
}

use api::types::{
    Contact, CreatedEvent, Event, EventsRequest, NullableColor, PageLinks, Palette, Scores, Tags,
    Timeline, Widget,
};
use generator_tests::{decode, encode, round_trip};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> api::Client {
    api::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds")
}

/// DigitalOcean's `links.pages` on page 2: all four keys, each declared by one branch of an
/// `anyOf` whose fields are all optional.
#[test]
fn an_any_of_of_optional_objects_keeps_every_branch_key() {
    let page_two = r#"{"pages": {"first": "f", "prev": "p", "last": "l", "next": "n"}}"#;
    round_trip::<PageLinks>(page_two).expect("round trip");
    let links: PageLinks = decode(page_two);
    let pages = links.pages.expect("pages");
    assert_eq!(
        (pages.first.as_deref(), pages.prev.as_deref()),
        (Some("f"), Some("p"))
    );
    assert_eq!(
        (pages.last.as_deref(), pages.next.as_deref()),
        (Some("l"), Some("n"))
    );
    assert!(pages.unknown_fields.is_empty(), "every key is typed");
    round_trip::<PageLinks>(r#"{"pages": {}}"#).expect("the empty branch");
}

/// 1Password's events API: `{"cursor": ...}` is a `Cursor`, even though `ResetCursor` (all
/// optional, listed first) would also decode it.
#[test]
fn a_one_of_picks_the_branch_that_accounts_for_the_keys() {
    let cursor = r#"{"cursor": "aGVsbG8"}"#;
    round_trip::<EventsRequest>(cursor).expect("round trip");
    assert!(
        matches!(decode::<EventsRequest>(cursor), EventsRequest::Cursor(c) if c.cursor == "aGVsbG8")
    );
    let reset = r#"{"limit": 10, "start_time": "2024-01-01T00:00:00Z"}"#;
    round_trip::<EventsRequest>(reset).expect("round trip");
    assert!(matches!(
        decode::<EventsRequest>(reset),
        EventsRequest::ResetCursor(r) if r.limit == Some(10)
    ));
}

#[test]
fn when_no_branch_fits_exactly_the_other_keys_are_kept() {
    let mixed = r#"{"cursor": "c", "limit": 5, "extra": [1, 2]}"#;
    round_trip::<EventsRequest>(mixed).expect("round trip");
    let EventsRequest::Cursor(cursor) = decode::<EventsRequest>(mixed) else {
        panic!("the branch with fewer undeclared keys");
    };
    assert_eq!(cursor.unknown_fields.get("limit"), Some(&json!(5)));
    assert_eq!(cursor.unknown_fields.get("extra"), Some(&json!([1, 2])));
}

#[test]
fn inline_branches_are_named_by_what_tells_them_apart() {
    let by_email = decode::<Contact>(r#"{"email": "a@b.c", "verified": true}"#);
    assert!(matches!(by_email, Contact::Email(ref e) if e.verified == Some(true)));
    assert!(matches!(
        decode::<Contact>(r#"{"phone": "123"}"#),
        Contact::Phone(_)
    ));
    assert!(matches!(
        decode::<Contact>(r#"{"street": "Main St"}"#),
        Contact::PostalAddress(_)
    ));
}

#[test]
fn nullable_items_and_map_values_decode() {
    round_trip::<Tags>(r#"["a", null]"#).expect("3.0 items");
    assert_eq!(decode::<Tags>(r#"["a", null]"#), [Some("a".into()), None]);
    round_trip::<Scores>(r#"{"a": 1, "b": null}"#).expect("3.0 map values");
    assert_eq!(decode::<Scores>(r#"{"b": null}"#).get("b"), Some(&None));
    round_trip::<api31::types::Tags>(r#"["a", null]"#).expect("3.1 items");
    round_trip::<api31::types::Scores>(r#"{"a": 1, "b": null}"#).expect("3.1 map values");
}

/// `NullableColor` admits `null` itself: every use of it is an `Option`, at the top level too.
#[test]
fn a_nullable_schema_decodes_null_wherever_it_is_used() {
    round_trip::<Option<NullableColor>>("null").expect("3.0 schema");
    round_trip::<Option<api31::types::NullableColor>>("null").expect("3.1 schema");
    let palette = r#"{"colors": ["red", null, "teal"], "primary": null}"#;
    round_trip::<Palette>(palette).expect("in a list and a field");
    let decoded: Palette = decode(palette);
    assert_eq!(
        decoded.colors,
        Some(vec![
            Some(NullableColor::Red),
            None,
            Some(NullableColor::Unknown("teal".into()))
        ])
    );
    round_trip::<api31::types::Palette>(r#"{"colors": ["red", null]}"#).expect("3.1 list");
}

/// OpenAPI 3.0 inheritance: `Event` is the base, `CreatedEvent` and `DeletedEvent` extend it.
#[test]
fn a_reference_to_a_discriminated_base_is_a_union_over_its_subtypes() {
    let created =
        r#"{"eventType": "created", "at": "2024-01-01T00:00:00Z", "payload": {"id": "7"}}"#;
    round_trip::<Event>(created).expect("round trip");
    let Event::CreatedEvent(event) = decode::<Event>(created) else {
        panic!("the mapping's tag selects the subtype");
    };
    assert_eq!(event.payload.and_then(|p| p.id).as_deref(), Some("7"));

    // A subtype the mapping leaves out is reached by its schema name.
    let deleted = r#"{"eventType": "DeletedEvent", "reason": "spam"}"#;
    round_trip::<Event>(deleted).expect("round trip");
    assert!(
        matches!(decode::<Event>(deleted), Event::DeletedEvent(d) if d.reason.as_deref() == Some("spam"))
    );

    // The tag is written once, by the subtype's own field.
    let built = Event::CreatedEvent(CreatedEvent::new("created".into()));
    assert_eq!(encode(&built), json!({"eventType": "created"}));

    // An unknown tag is kept as it was received, not refused.
    let future = r#"{"eventType": "archived", "at": "2024-01-01T00:00:00Z", "by": "me"}"#;
    round_trip::<Event>(future).expect("round trip");
    assert!(matches!(decode::<Event>(future), Event::Unknown(_)));

    round_trip::<Timeline>(&format!(r#"{{"latest": {created}}}"#)).expect("as a field");
}

/// A read-modify-write (GET, then PUT of the same object) sends back the properties the spec
/// does not declare, in the order the server sent them.
#[tokio::test]
async fn unknown_properties_survive_a_read_modify_write() {
    let server = MockServer::start().await;
    let stored = json!({"id": "w1", "name": "old", "owner": {"team": 7}, "labels": ["x"]});
    Mock::given(method("GET"))
        .and(path("/widgets/w1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&stored))
        .mount(&server)
        .await;
    let expected = json!({"id": "w1", "name": "new", "owner": {"team": 7}, "labels": ["x"]});
    Mock::given(method("PUT"))
        .and(path("/widgets/w1"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut widget: Widget = client.get_widget("w1").await.expect("get").into_body();
    let kept: Vec<&str> = widget.unknown_fields.iter().map(|(key, _)| key).collect();
    assert_eq!(kept, ["owner", "labels"]);
    widget.name = Some("new".into());
    let written = client.put_widget("w1", &widget).await.expect("put");
    assert_eq!(
        written.unknown_fields.get("owner"),
        Some(&json!({"team": 7}))
    );
    let text = serde_json::to_string(&widget).expect("encodes");
    assert!(
        text.find("owner") < text.find("labels"),
        "kept in order: {text}"
    );
}

#[tokio::test]
async fn a_nullable_response_body_decodes_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/color"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("null", "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);
    let color = client.get_color().await.expect("null is a valid body");
    assert_eq!(color.into_body(), None);
}

#[test]
fn a_subtype_that_adds_nothing_is_not_a_variant() {
    use api::types::Pet;
    round_trip::<Pet>(r#"{"petType": "Cat"}"#).expect("kept, not decoded forever");
    assert!(matches!(
        decode::<Pet>(r#"{"petType": "Dog", "barks": true}"#),
        Pet::Dog(dog) if dog.barks == Some(true)
    ));
}

#[test]
fn variants_that_take_any_keys_come_after_those_that_declare_them() {
    use api::types::{NoteOrEvent, When, WidgetOrFree};
    let widget = r#"{"id": "w1", "added_later": 1}"#;
    round_trip::<WidgetOrFree>(widget).expect("round trip");
    assert!(matches!(
        decode::<WidgetOrFree>(widget),
        WidgetOrFree::Widget(w) if w.id == "w1"
    ));
    // A tagged union takes only objects, so a string is the string variant.
    assert_eq!(
        decode::<NoteOrEvent>(r#""hi""#),
        NoteOrEvent::String("hi".into())
    );
    assert!(matches!(
        decode::<NoteOrEvent>(r#"{"eventType": "created"}"#),
        NoteOrEvent::Event(Event::CreatedEvent(_))
    ));
    // A name for a format is checked strictly where the format tells variants apart.
    assert_eq!(
        decode::<When>(r#""tomorrow""#),
        When::String("tomorrow".into())
    );
    assert!(matches!(
        decode::<When>(r#""2024-01-01T00:00:00Z""#),
        When::Timestamp(_)
    ));
}

#[test]
fn a_discriminated_union_with_a_list_among_its_variants_decodes_the_list() {
    use api::types::Content;
    let listing = r#"[{"type": "file", "size": 625}]"#;
    round_trip::<Content>(listing).expect("round trip");
    assert!(matches!(decode::<Content>(listing), Content::Listing(items) if items.len() == 1));
    assert!(matches!(
        decode::<Content>(r#"{"type": "FileEntry", "size": 1}"#),
        Content::FileEntry(_)
    ));
}
