//! Decimals (`option-specs/decimals.yaml`): `format: decimal` numbers and strings are
//! `rust_decimal::Decimal`s that come back digit for digit; with `--decimal` every
//! `type: number` is one too.

mod by_default {
    include!(concat!(env!("OUT_DIR"), "/decimals_default.rs"));
}
mod all_numbers {
    include!(concat!(env!("OUT_DIR"), "/decimals_all.rs"));
}

use rust_decimal::Decimal;
use specwright_runtime::{DecimalNumber, Validate};

fn client(server: &specwright_runtime::mock::MockServer) -> all_numbers::Client {
    all_numbers::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the client builds")
}

/// The issue's three values, and forms a decimal type writes otherwise (`1e3`, `1.50`).
const PRICE: &str = r#"{"amount":12345678901234567.89,"unit_amount_decimal":"0.1","tax_rate":19.99,"tiers":[0.1,19.99,1e3,1.50]}"#;

#[test]
fn decimals_come_back_digit_for_digit() {
    let price: all_numbers::types::Price = serde_json::from_str(PRICE).expect("decodes");
    assert_eq!(serde_json::to_string(&price).expect("encodes"), PRICE);
    let price: by_default::types::Price = serde_json::from_str(PRICE).expect("decodes");
    assert_eq!(serde_json::to_string(&price).expect("encodes"), PRICE);
}

#[test]
fn the_values_are_rust_decimals() {
    let price: all_numbers::types::Price = serde_json::from_str(PRICE).expect("decodes");
    let amount: &Decimal = price.amount.get().expect("a decimal");
    assert_eq!(amount.to_string(), "12345678901234567.89");
    let unit: &Decimal = price
        .unit_amount_decimal
        .as_ref()
        .expect("present")
        .get()
        .expect("a decimal");
    assert_eq!(*unit, Decimal::new(1, 1));
    let tax: &DecimalNumber = price.tax_rate.as_ref().expect("present");
    assert_eq!(tax.get().map(ToString::to_string).as_deref(), Ok("19.99"));
}

#[test]
fn a_plain_number_stays_an_f64_without_the_option() {
    let price: by_default::types::Price = serde_json::from_str(PRICE).expect("decodes");
    let tax: Option<f64> = price.tax_rate;
    assert_eq!(tax, Some(19.99));
}

#[test]
fn constraints_still_hold() {
    let negative: all_numbers::types::Price =
        serde_json::from_str(r#"{"amount":-0.01}"#).expect("decodes");
    let message = negative
        .validate("body")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("body.amount") && message.contains("at least 0"),
        "{message}"
    );
    let zero: all_numbers::types::Price = serde_json::from_str(r#"{"amount":0}"#).expect("decodes");
    assert!(zero.validate("body").is_ok());
}

/// Through the client: the request goes out and the response comes back with every digit.
#[tokio::test]
async fn a_call_keeps_every_digit() {
    let server = specwright_runtime::mock::MockServer::start().await;
    let price: all_numbers::types::Price = serde_json::from_str(PRICE).expect("decodes");
    all_numbers::mock::create_price()
        .body(&price)
        .respond_created(&price)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let stored = client.create_price(&price).await.expect("created");
    assert_eq!(serde_json::to_string(&*stored).expect("encodes"), PRICE);
}

/// A struct reads its declared fields streaming, as every struct does; what it does not declare
/// is still kept, in order, and a decimal inside it keeps its digits.
#[test]
fn unknown_properties_are_kept_beside_streamed_fields() {
    let json = r#"{"zeta":{"b":1,"a":2},"amount":0.30000000000000004441,"alpha":[1.5]}"#;
    let price: all_numbers::types::Price = serde_json::from_str(json).expect("decodes");
    assert_eq!(price.unknown_fields.len(), 2);
    assert_eq!(
        serde_json::to_string(&price).expect("encodes"),
        r#"{"amount":0.30000000000000004441,"zeta":{"b":1,"a":2},"alpha":[1.5]}"#
    );
}

/// A map of decimals (`additionalProperties`) keeps their digits too.
#[test]
fn a_map_of_decimals_keeps_their_digits() {
    let json = r#"{"base":"EUR","USD":1.08000000000000000001,"JPY":161.5}"#;
    let rates: all_numbers::types::Rates = serde_json::from_str(json).expect("decodes");
    // A typed map is kept in key order (`runtime::Map`), so the text is compared key by key.
    assert_eq!(
        serde_json::to_string(&rates).expect("encodes"),
        r#"{"base":"EUR","JPY":161.5,"USD":1.08000000000000000001}"#
    );
}

/// A decimal parameter goes out with every digit, as the mock expects it.
#[tokio::test]
async fn a_decimal_parameter_goes_out_with_every_digit() {
    let server = specwright_runtime::mock::MockServer::start().await;
    let amount: DecimalNumber = "12345678901234567.89".parse().expect("a decimal");
    let rates: all_numbers::types::Rates =
        serde_json::from_str(r#"{"base":"EUR"}"#).expect("decodes");
    all_numbers::mock::list_rates()
        .min_amount(&amount)
        .respond_ok(&rates)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let params = all_numbers::types::ListRatesParams {
        min_amount: Some(amount),
    };
    client.list_rates(&params).await.expect("listed");
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests
        .first()
        .and_then(|r| r.url.query().map(str::to_owned));
    assert_eq!(query.as_deref(), Some("min_amount=12345678901234567.89"));
}
