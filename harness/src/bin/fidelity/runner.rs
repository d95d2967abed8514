//! The round trip run inside each crate the fidelity harness builds: written verbatim into
//! the crate as `runner.rs`, beside the clients and a `main.rs` that dispatches on their types.
//! (The harness compiles it too, for its tests.)
//!
//! Standard input has one JSON array a line, `[module, type, json]`, where `json` is the
//! value's JSON text; standard output gets one object a line, in the same order:
//! `{"decoded": bool, "equal": bool, "error": text}`.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// What became of one value.
pub struct Outcome {
    pub decoded: bool,
    pub equal: bool,
    pub error: String,
}

impl Outcome {
    fn failed(decoded: bool, error: String) -> Self {
        Self {
            decoded,
            equal: false,
            error,
        }
    }
}

/// The round trip of `json` through `T` chosen by a module's name and a type's path, or
/// `None` when no such module or type was compiled in.
pub type Dispatch = fn(&str, &str, &str) -> Option<Outcome>;

/// Answers every line of standard input, on a thread with a stack deep enough for the
/// nesting `serde_json` allows (it stops at 128 levels).
#[cfg_attr(
    test,
    allow(dead_code, reason = "the crates' `main` calls it, the tests do not")
)]
pub fn serve(dispatch: Dispatch) {
    let served = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let output = std::io::BufWriter::new(std::io::stdout().lock());
            answer(dispatch, std::io::stdin().lock(), output)
        })
        .map(|thread| thread.join());
    if !matches!(served, Ok(Ok(Ok(())))) {
        eprintln!("the runner stopped early");
        std::process::exit(1);
    }
}

/// Writes to `output` the outcome of each line of `input`, in order.
fn answer(dispatch: Dispatch, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    for line in input.lines() {
        let outcome = match serde_json::from_str::<(String, String, String)>(&line?) {
            Ok((module, key, json)) => {
                // A panic is a finding like any other, and the values after it still count.
                std::panic::catch_unwind(|| dispatch(&module, &key, &json)).unwrap_or_else(|_| {
                    Some(Outcome::failed(false, "the round trip panicked".to_owned()))
                })
            }
            Err(err) => Some(Outcome::failed(false, format!("bad input line: {err}"))),
        };
        let outcome = outcome
            .unwrap_or_else(|| Outcome::failed(false, "no such type compiled in".to_owned()));
        let answer = serde_json::json!({
            "decoded": outcome.decoded,
            "equal": outcome.equal,
            "error": outcome.error,
        });
        writeln!(output, "{answer}")?;
    }
    output.flush()
}

/// Decodes `json` into `T` as a client decodes a response body, encodes the value again, and
/// compares the two (see [`difference`]).
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Outcome {
    let original: Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(err) => return Outcome::failed(false, format!("not JSON: {err}")),
    };
    let decoded: T =
        match serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json)) {
            Ok(decoded) => decoded,
            Err(err) => return Outcome::failed(false, format!("decode: {err}")),
        };
    let encoded = match serde_json::to_value(&decoded) {
        Ok(encoded) => encoded,
        Err(err) => return Outcome::failed(true, format!("encode: {err}")),
    };
    match difference(&original, &encoded, &mut String::new()) {
        None => Outcome {
            decoded: true,
            equal: true,
            error: String::new(),
        },
        Some(difference) => Outcome::failed(true, difference),
    }
}

/// The first place where `sent` and `got` differ as JSON, or `None`. Numbers compare by
/// value (`1` and `1.0` are one number), an object's key order does not count, and a key
/// whose value is `null` on one side and that is absent on the other is no difference (an
/// optional property may be either).
pub fn difference(sent: &Value, got: &Value, at: &mut String) -> Option<String> {
    let differs = |at: &str| {
        Some(format!(
            "at `{at}`: sent {}, got {}",
            short(sent),
            short(got)
        ))
    };
    match (sent, got) {
        (Value::Number(x), Value::Number(y)) => (!same_number(x, y)).then(|| differs(at)).flatten(),
        (Value::Array(xs), Value::Array(ys)) => {
            if xs.len() != ys.len() {
                return differs(at);
            }
            xs.iter().zip(ys).enumerate().find_map(|(index, (x, y))| {
                nested(at, &index.to_string(), |at| difference(x, y, at))
            })
        }
        (Value::Object(xs), Value::Object(ys)) => {
            let changed = xs.iter().find_map(|(key, x)| match ys.get(key) {
                Some(y) => nested(at, key, |at| difference(x, y, at)),
                None if x.is_null() => None,
                None => Some(format!(
                    "at `{}`: sent {}, got nothing",
                    child(at, key),
                    short(x)
                )),
            });
            changed.or_else(|| {
                let (key, y) = ys
                    .iter()
                    .find(|(key, y)| !y.is_null() && !xs.contains_key(*key))?;
                Some(format!(
                    "at `{}`: sent nothing, got {}",
                    child(at, key),
                    short(y)
                ))
            })
        }
        _ => (sent != got).then(|| differs(at)).flatten(),
    }
}

/// The JSON pointer `at` with `key` appended.
fn child(at: &str, key: &str) -> String {
    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Runs `inside` with `segment` pushed onto the JSON pointer `at`.
fn nested(
    at: &mut String,
    segment: &str,
    inside: impl FnOnce(&mut String) -> Option<String>,
) -> Option<String> {
    let length = at.len();
    *at = child(at, segment);
    let found = inside(at);
    at.truncate(length);
    found
}

/// Integers exactly (beyond 2^53 too), everything else as `f64`.
fn same_number(x: &Number, y: &Number) -> bool {
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(a), Some(b), _, _) => a == b,
        (_, _, Some(a), Some(b)) => a == b,
        _ => x.as_f64() == y.as_f64(),
    }
}

/// A value as text short enough for a line of a report.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn differs(sent: Value, got: Value) -> Option<String> {
        difference(&sent, &got, &mut String::new())
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(differs(json!(1), json!(1.0)), None);
        assert_eq!(differs(json!(u64::MAX), json!(u64::MAX)), None);
        assert!(
            differs(
                json!(9_007_199_254_740_993_u64),
                json!(9_007_199_254_740_992_u64)
            )
            .is_some()
        );
        assert!(differs(json!(0.1), json!(0.100_000_001_490_116_12)).is_some());
    }

    #[test]
    fn null_and_absent_are_one_in_objects_only() {
        assert_eq!(differs(json!({"a": null, "b": 1}), json!({"b": 1})), None);
        assert_eq!(differs(json!({"b": 1}), json!({"b": 1, "a": null})), None);
        assert!(differs(json!([null]), json!([])).is_some());
        assert!(differs(json!(null), json!({})).is_some());
    }

    #[test]
    fn differences_name_their_place() {
        assert_eq!(
            differs(
                json!({"a": [1, {"b/c": "x"}]}),
                json!({"a": [1, {"b/c": "y"}]})
            ),
            Some("at `/a/1/b~1c`: sent \"x\", got \"y\"".to_owned())
        );
        assert_eq!(
            differs(json!({"a": 1}), json!({})),
            Some("at `/a`: sent 1, got nothing".to_owned())
        );
        assert_eq!(
            differs(json!({}), json!({"a": 1})),
            Some("at `/a`: sent nothing, got 1".to_owned())
        );
    }

    #[test]
    fn each_line_gets_its_answer_in_order() {
        fn dispatch(module: &str, ty: &str, json: &str) -> Option<Outcome> {
            match (module, ty) {
                ("s0", "u8") => Some(round_trip::<u8>(json)),
                ("s0", "panics") => panic!("a bug in a generated type"),
                _ => None,
            }
        }
        let input = concat!(
            r#"["s0", "u8", "7"]"#,
            "\n",
            r#"["s0", "u8", "700"]"#,
            "\n",
            r#"["s0", "panics", "1"]"#,
            "\n",
            r#"["s1", "u8", "7"]"#,
            "\n",
            "not JSON\n",
        );
        let mut output = Vec::new();
        assert!(answer(dispatch, input.as_bytes(), &mut output).is_ok());
        let answers: Vec<Value> = String::from_utf8_lossy(&output)
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        let errors: Vec<&str> = answers.iter().filter_map(|a| a["error"].as_str()).collect();
        assert_eq!(answers.len(), 5);
        assert_eq!(answers[0]["equal"], true);
        assert!(
            errors[1].starts_with("decode: invalid value: integer `700`"),
            "{}",
            errors[1]
        );
        assert_eq!(
            errors[2..4],
            ["the round trip panicked", "no such type compiled in"]
        );
        assert!(errors[4].starts_with("bad input line"), "{}", errors[4]);
    }

    #[test]
    fn a_round_trip_reports_each_stage() {
        let kept = round_trip::<Value>(r#"{"a": [1, 2.5, "x"]}"#);
        assert!(kept.decoded && kept.equal, "{}", kept.error);
        let lost = round_trip::<std::collections::BTreeMap<String, u8>>(r#"{"a": 1, "b": 300}"#);
        assert!(
            !lost.decoded && lost.error.starts_with("decode: b: "),
            "{}",
            lost.error
        );
        let changed = round_trip::<f32>("0.1234567890123");
        assert!(changed.decoded && !changed.equal, "{}", changed.error);
    }
}
