//! Helpers shared by the test files.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `json` into `T`, or fails the test naming the input.
pub fn decode<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("decoding {json}: {err}"))
}

/// Encodes `value` as JSON, or fails the test naming the value.
pub fn encode<T: Serialize + std::fmt::Debug>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|err| panic!("encoding {value:?}: {err}"))
}

/// Decodes `json` into `T`, encodes it again, and checks that nothing was lost or changed.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value = serde_json::from_str(json).map_err(|err| err.to_string())?;
    let decoded: T = serde_json::from_str(json).map_err(|err| format!("decode: {err}"))?;
    let encoded = serde_json::to_value(&decoded).map_err(|err| format!("encode: {err}"))?;
    if same_json(&original, &encoded) {
        Ok(())
    } else {
        Err(format!(
            "re-encoded differently:\n  sent {original}\n  got  {encoded}"
        ))
    }
}

/// JSON equality, where numbers compare by value (`0` and `0.0` are one JSON number), and a
/// property that is `null` on one side may be absent on the other (an optional field that is
/// `None` is left out, whichever of the two was received).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            let covers = |xs: &serde_json::Map<String, Value>,
                          ys: &serde_json::Map<String, Value>| {
                xs.iter().all(|(key, x)| match ys.get(key) {
                    Some(y) => same_json(x, y),
                    None => x.is_null(),
                })
            };
            covers(xs, ys) && covers(ys, xs)
        }
        _ => a == b,
    }
}

/// One documented example: where it sits, its JSON text, and the round trip through its type.
pub type Example = (&'static str, &'static str, fn(&str) -> Result<(), String>);

/// Runs every check of an `EXAMPLES` table and reports all failures at once.
pub fn check_examples(examples: &[Example]) -> Result<usize, String> {
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|(location, json, check)| {
            check(json).err().map(|err| format!("{location}: {err}"))
        })
        .collect();
    if failures.is_empty() {
        Ok(examples.len())
    } else {
        Err(failures.join("\n"))
    }
}
