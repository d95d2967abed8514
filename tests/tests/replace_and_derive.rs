//! `--replace Money=crate::money::Money` and `--derive` on `option-specs/billing.yaml`.

use std::collections::HashSet;

/// The user's own type: serde's traits and nothing else, not even `Debug` or `Clone`.
pub mod money {
    #[derive(serde::Serialize, serde::Deserialize)]
    pub struct Money {
        pub amount: String,
        pub currency: String,
    }
}

mod replaced {
    include!(concat!(env!("OUT_DIR"), "/billing_replaced.rs"));
}
mod derived {
    include!(concat!(env!("OUT_DIR"), "/billing_derived.rs"));
}
mod with_schemas {
    include!(concat!(env!("OUT_DIR"), "/billing_schemars.rs"));
}

const INVOICE: &str = r#"{"id":"in_1","total":{"amount":"19.99","currency":"EUR"},"lines":[{"sku":"a","quantity":2,"price":{"amount":"9.995","currency":"EUR"}}],"status":"paid"}"#;

#[test]
fn every_use_of_a_replaced_schema_is_the_users_type() {
    let invoice: replaced::types::Invoice = serde_json::from_str(INVOICE).expect("decodes");
    let total: &money::Money = &invoice.total;
    assert_eq!(total.amount, "19.99");
    let lines = invoice.lines.as_deref().unwrap_or_default();
    let price: Option<&money::Money> = lines[0].price.as_ref();
    assert_eq!(price.map(|p| p.amount.as_str()), Some("9.995"));
    assert_eq!(serde_json::to_string(&invoice).expect("encodes"), INVOICE);
}

#[test]
fn a_replaced_schema_is_not_generated() {
    let code = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/billing_replaced.rs"))
        .expect("generated");
    assert!(!code.contains("pub struct Money"), "Money was generated");
    assert!(code.contains("pub total: crate::money::Money,"), "{code}");
}

/// The client, the mock and the error type work with a replaced type that has no `Debug`,
/// `Clone` or `PartialEq`.
#[tokio::test]
async fn a_call_returns_the_users_type() {
    let server = specwright_runtime::mock::MockServer::start().await;
    let invoice: replaced::types::Invoice = serde_json::from_str(INVOICE).expect("decodes");
    replaced::mock::get_invoice()
        .id("in_1")
        .respond_ok(&invoice)
        .mount(&server)
        .await;
    let client = replaced::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the client builds");
    let fetched = client.get_invoice("in_1").await.expect("fetched");
    assert_eq!(fetched.total.currency, "EUR");
}

#[test]
fn derives_reach_the_named_type_and_the_types_it_holds() {
    let one: derived::types::Invoice = serde_json::from_str(INVOICE).expect("decodes");
    let two: derived::types::Invoice = serde_json::from_str(INVOICE).expect("decodes");
    // `Hash` and `Eq` on Invoice (and through it Money, Line, Status): a set dedups them.
    let set: HashSet<derived::types::Invoice> = [one, two].into_iter().collect();
    assert_eq!(set.len(), 1);
    fn is_eq<T: Eq>() {}
    is_eq::<derived::types::Problem>();
}

/// `--attribute Status:#[derive(PartialOrd, Ord)]`: the statuses sort in the spec's order.
#[test]
fn attributes_reach_the_types_they_name() {
    use derived::types::Status;
    assert!(Status::Draft < Status::Paid);
    let code = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/billing_derived.rs"))
        .expect("generated");
    assert_eq!(code.matches("#[derive(PartialOrd, Ord)]").count(), 1);
    assert!(
        code.matches("#[doc(alias = \"billing\")]").count() >= 5,
        "on every type"
    );
}

/// `--derive schemars::JsonSchema`: the runtime's types have schemas too (feature `schemars`),
/// and the schema says what goes on the wire.
#[test]
fn json_schemas_describe_the_wire() {
    let schema = serde_json::to_value(schemars::schema_for!(with_schemas::types::Invoice))
        .expect("a schema");
    let properties = &schema["properties"];
    assert_eq!(properties["id"]["type"], "string", "{schema}");
    assert_eq!(properties["total"]["$ref"], "#/$defs/Money", "{schema}");
    assert_eq!(
        schema["required"],
        serde_json::json!(["id", "total"]),
        "{schema}"
    );
    assert_eq!(schema["additionalProperties"], true, "{schema}");
}

fn generate(options: &specwright::Options) -> Result<specwright::Generated, String> {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/option-specs/billing.yaml");
    specwright::generate_file_with(std::path::Path::new(spec), options)
        .map_err(|err| err.to_string())
}

fn derive(text: &str) -> specwright::Options {
    specwright::Options {
        derives: vec![text.parse().expect("a derive")],
        ..specwright::Options::default()
    }
}

#[test]
fn a_derive_that_cannot_hold_is_refused_naming_the_type() {
    let message = generate(&derive("Tag:Hash")).err().unwrap_or_default();
    assert!(
        message.contains("`Hash` cannot be derived for `Tag`: its field `weight` is an `f64`")
            && message.contains("billing.yaml:"),
        "{message}"
    );
    let message = generate(&derive("Status:Default"))
        .err()
        .unwrap_or_default();
    assert!(
        message.contains("`Status`: an enum has no default value"),
        "{message}"
    );
}

#[test]
fn a_derive_for_every_type_warns_and_leaves_out_those_it_cannot_hold_for() {
    let generated = generate(&derive("Eq")).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`Eq` cannot be derived for `Tag`") && w.contains("left out")),
        "{warnings:?}"
    );
    let derives_of = |item: &str| {
        let at = generated.code.find(item).unwrap_or_default();
        let list = generated.code[..at]
            .rsplit("#[derive(")
            .next()
            .unwrap_or_default();
        let list = list.split(")]").next().unwrap_or_default();
        list.split(", ").map(str::to_owned).collect::<Vec<_>>()
    };
    let invoice = derives_of("pub struct Invoice");
    assert!(invoice.iter().any(|d| d == "Eq"), "{invoice:?}");
    let tag = derives_of("pub struct Tag");
    assert!(!tag.iter().any(|d| d == "Eq"), "{tag:?}");
}

#[test]
fn replacing_a_schema_that_does_not_exist_is_an_error() {
    let options = specwright::Options {
        replacements: vec!["Dollars=my::Dollars".parse().expect("a replacement")],
        ..specwright::Options::default()
    };
    let message = generate(&options).err().unwrap_or_default();
    assert!(
        message.contains("there is no schema `Dollars`"),
        "{message}"
    );
}

/// `Eq` on a type that holds a replaced one brings the `PartialEq` it builds on, which such a
/// type otherwise goes without.
#[test]
fn eq_brings_partial_eq_where_standard_derives_are_dropped() {
    let options = specwright::Options {
        replacements: vec!["Money=crate::money::Money".parse().expect("a replacement")],
        derives: vec!["Invoice:Eq".parse().expect("a derive")],
        ..specwright::Options::default()
    };
    let code = generate(&options).expect("generates").code;
    let at = code.find("pub struct Invoice").unwrap_or_default();
    let derive = code[..at].rsplit("#[derive(").next().unwrap_or_default();
    // serde's traits come from the runtime's derive, as for every struct.
    assert!(
        derive.starts_with("runtime::Object, PartialEq, Eq)]"),
        "{derive}"
    );
}

/// A derive that cannot hold for what an alias stands for cannot hold for its holders either.
#[test]
fn derive_checks_see_through_aliases() {
    let dir = std::env::temp_dir().join(format!("specwright-alias-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let spec = dir.join("alias.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
         Weight: {type: number}\n    Crate:\n      type: object\n      properties:\n        \
         weight: {$ref: '#/components/schemas/Weight'}\n",
    )
    .expect("written");
    let options = specwright::Options {
        derives: vec!["Crate:Hash".parse().expect("a derive")],
        ..specwright::Options::default()
    };
    let message = specwright::generate_file_with(&spec, &options)
        .err()
        .map(|err| err.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("`Hash` cannot be derived for `Crate`"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
