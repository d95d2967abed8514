//! YAML nested deeper than serde_yaml reads (128 levels, fixed in that crate), read from
//! yaml-rust2's events into JSON's data model with a stack of open mappings and sequences, so
//! that no depth costs the call stack anything. Scalars are resolved by serde_yaml's rules
//! (YAML 1.2's core schema, as `parse.rs`'s reader receives them), so a document means the same
//! whichever reader took it.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use super::parse::{MAX_NESTING, nesting_message};
use crate::diagnostics::{Diagnostic, pointer_push};

/// How many values aliases may copy in, per byte of the document: serde_yaml's guard against
/// an alias of an alias of ... that would grow the document exponentially.
const ALIAS_COPIES_PER_BYTE: usize = 100;

pub fn read(text: &str) -> Result<Value, Diagnostic> {
    let mut reader = Reader {
        open: Vec::new(),
        anchors: Vec::new(),
        copies_left: text.len().saturating_mul(ALIAS_COPIES_PER_BYTE),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    let fault = |marker: Marker, message: String| {
        Diagnostic::error("", format!("invalid YAML: {message}")).at_line(
            marker.line(),
            marker.col() + 1,
            text,
        )
    };
    let scan_fault = |err: ScanError| match err.info() {
        // yaml-rust2 counts flow levels in a byte; block style has no such limit.
        "recursion limit exceeded" => Diagnostic::error(
            "",
            "YAML flow collections (`{...}`, `[...]`) nested more than 255 levels deep are not \
             supported; block style may nest deeper",
        )
        .at_line(err.marker().line(), err.marker().col() + 1, text),
        info => fault(*err.marker(), info.to_owned()),
    };
    loop {
        let (event, marker) = parser.next_token().map_err(scan_fault)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd => {
                let (next, marker) = parser.next_token().map_err(scan_fault)?;
                if next != Event::StreamEnd {
                    return Err(fault(
                        marker,
                        "deserializing from YAML containing more than one document is not supported"
                            .to_owned(),
                    ));
                }
                break;
            }
            event => {
                reader.event(event).map_err(|failure| match failure {
                    Failure::TooDeep => Diagnostic::error(reader.pointer(), nesting_message())
                        .at_line(marker.line(), marker.col() + 1, text),
                    Failure::Invalid(message) => fault(marker, message),
                })?
            }
        }
    }
    Ok(reader.root.unwrap_or(Value::Null))
}

enum Failure {
    TooDeep,
    Invalid(String),
}

/// A value with how many values it holds and how deep its mappings and sequences nest, which an
/// alias of it adds.
struct Sized {
    value: Value,
    count: usize,
    height: usize,
}

enum Open {
    Mapping {
        object: Map<String, Value>,
        /// The key whose value comes next; `None` while the key itself comes next.
        key: Option<String>,
    },
    Sequence(Vec<Value>),
}

/// An open mapping or sequence, the anchor it is to be kept under, and the count and height of
/// what it holds so far.
struct Frame {
    open: Open,
    anchor: usize,
    count: usize,
    height: usize,
}

struct Reader {
    open: Vec<Frame>,
    /// Anchored values by anchor id (ids count up from 1 in document order).
    anchors: Vec<Option<Sized>>,
    copies_left: usize,
    root: Option<Value>,
}

impl Reader {
    fn event(&mut self, event: Event) -> Result<(), Failure> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text, style, tag.as_ref())?;
                self.complete(
                    Sized {
                        value,
                        count: 1,
                        height: 0,
                    },
                    anchor,
                )
            }
            Event::Alias(anchor) => {
                let Some(Some(aliased)) = self.anchors.get(anchor) else {
                    return Err(Failure::Invalid("an alias names no anchor".to_owned()));
                };
                if self.open.len() + aliased.height > MAX_NESTING {
                    return Err(Failure::TooDeep);
                }
                self.copies_left = self
                    .copies_left
                    .checked_sub(aliased.count)
                    .ok_or_else(|| Failure::Invalid("aliases repeat too much".to_owned()))?;
                let copy = Sized {
                    value: aliased.value.clone(),
                    count: aliased.count,
                    height: aliased.height,
                };
                self.complete(copy, 0)
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                reject_local(tag.as_ref())?;
                if matches!(
                    self.open.last(),
                    Some(Frame {
                        open: Open::Mapping { key: None, .. },
                        ..
                    })
                ) {
                    return Err(Failure::Invalid(
                        "a mapping key must be a scalar".to_owned(),
                    ));
                }
                if self.open.len() >= MAX_NESTING {
                    return Err(Failure::TooDeep);
                }
                let open = match event {
                    Event::MappingStart(..) => Open::Mapping {
                        object: Map::new(),
                        key: None,
                    },
                    _ => Open::Sequence(Vec::new()),
                };
                self.open.push(Frame {
                    open,
                    anchor,
                    count: 1,
                    height: 1,
                });
                Ok(())
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.open.pop() else {
                    return Ok(());
                };
                let value = match frame.open {
                    Open::Mapping { object, .. } => Value::Object(object),
                    Open::Sequence(items) => Value::Array(items),
                };
                let sized = Sized {
                    value,
                    count: frame.count,
                    height: frame.height,
                };
                self.complete(sized, frame.anchor)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => Ok(()),
        }
    }

    /// Puts a finished value where it belongs: under its anchor, and in the open mapping (as a
    /// key or a value) or sequence, or as the document.
    fn complete(&mut self, sized: Sized, anchor: usize) -> Result<(), Failure> {
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize_with(anchor + 1, || None);
            }
            self.anchors[anchor] = Some(Sized {
                value: sized.value.clone(),
                count: sized.count,
                height: sized.height,
            });
        }
        let Some(parent) = self.open.last_mut() else {
            self.root = Some(sized.value);
            return Ok(());
        };
        parent.count += sized.count;
        parent.height = parent.height.max(sized.height + 1);
        match &mut parent.open {
            Open::Sequence(items) => items.push(sized.value),
            Open::Mapping { object, key } => match key.take() {
                None => {
                    *key = Some(match sized.value {
                        Value::String(text) => text,
                        Value::Null => "null".to_owned(),
                        scalar @ (Value::Bool(_) | Value::Number(_)) => scalar.to_string(),
                        Value::Array(_) | Value::Object(_) => {
                            return Err(Failure::Invalid(
                                "a mapping key must be a scalar".to_owned(),
                            ));
                        }
                    });
                }
                Some(key) => {
                    if object.contains_key(&key) {
                        return Err(Failure::Invalid(format!("duplicate key `{key}`")));
                    }
                    object.insert(key, sized.value);
                }
            },
        }
        Ok(())
    }

    /// Where the next value goes.
    fn pointer(&self) -> String {
        self.open
            .iter()
            .fold(String::new(), |pointer, frame| match &frame.open {
                Open::Mapping { key, .. } => pointer_push(&pointer, key.as_deref().unwrap_or("")),
                Open::Sequence(items) => pointer_push(&pointer, &items.len().to_string()),
            })
    }
}

/// The core schema's tags, as the parser resolves `!!` to.
const CORE: &str = "tag:yaml.org,2002:";

/// serde_yaml reads a local tag (`!Thing`) as an enum variant, which has no JSON form.
fn reject_local(tag: Option<&Tag>) -> Result<(), Failure> {
    match tag {
        Some(tag) if tag.handle.starts_with('!') => Err(Failure::Invalid(format!(
            "the tag `{}{}` has no JSON form",
            tag.handle, tag.suffix
        ))),
        _ => Ok(()),
    }
}

fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, Failure> {
    reject_local(tag)?;
    let invalid =
        |what: &str| Failure::Invalid(format!("invalid value: `{text}`, expected {what}"));
    match tag
        .filter(|tag| tag.handle == CORE)
        .map(|tag| tag.suffix.as_str())
    {
        Some("bool") => parse_bool(&text)
            .map(Value::Bool)
            .ok_or_else(|| invalid("a boolean")),
        Some("int") => parse_int(&text).ok_or_else(|| invalid("an integer")),
        Some("float") => parse_f64(&text)
            .ok_or_else(|| invalid("a float"))
            .and_then(float),
        Some("null") => match is_null(&text) {
            true => Ok(Value::Null),
            false => Err(invalid("null")),
        },
        None if tag.is_none() && style == TScalarStyle::Plain => untagged(text),
        _ => Ok(Value::String(text)),
    }
}

/// A plain scalar: null, a boolean, an integer, a float, or else text.
fn untagged(text: String) -> Result<Value, Failure> {
    if text.is_empty() || is_null(&text) {
        return Ok(Value::Null);
    }
    if let Some(boolean) = parse_bool(&text) {
        return Ok(Value::Bool(boolean));
    }
    if let Some(int) = parse_int(&text) {
        return Ok(int);
    }
    if !digits_but_not_number(&text) {
        if let Some(number) = parse_f64(&text) {
            return float(number);
        }
    }
    Ok(Value::String(text))
}

fn float(number: f64) -> Result<Value, Failure> {
    Number::from_f64(number)
        .map(Value::Number)
        .ok_or_else(|| Failure::Invalid(format!("the number {number} has no JSON form")))
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer as serde_yaml reads one (`0x`, `0o` and `0b` prefixes, a sign), beyond 64 bits
/// a float as `parse.rs` keeps it.
fn parse_int(text: &str) -> Option<Value> {
    if let Some(int) = parse_unsigned(text) {
        return match u64::try_from(int) {
            Ok(int) => Some(Value::from(int)),
            Err(_) => float(int as f64).ok(),
        };
    }
    let int = parse_negative(text)?;
    match i64::try_from(int) {
        Ok(int) => Some(Value::from(int)),
        Err(_) => float(int as f64).ok(),
    }
}

fn parse_unsigned(text: &str) -> Option<u128> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = u128::from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    unsigned.parse().ok()
}

fn parse_negative(text: &str) -> Option<i128> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(int) = i128::from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    text.parse().ok()
}

fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if let ".inf" | ".Inf" | ".INF" = unsigned {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = text {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = text {
        return Some(f64::NAN);
    }
    unsigned
        .parse::<f64>()
        .ok()
        .filter(|float| float.is_finite())
}

/// Leading zeros before digits make text in YAML 1.2, not a number.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each form reads as serde_yaml reads it, so that a document means the same whichever
    /// reader took it.
    #[test]
    fn scalars_and_structure_read_as_serde_yaml_reads_them() {
        let text = "a: 1\nb: -0x1F\nc: 0o17\nd: 1.5e3\ne: 007\nf: True\ng: ~\nh:\ni: '1'\n\
                    k: !!str 12\nl: !!int '12'\n200: x\nm: [1, {n: o}]\np: &x {q: r}\n\
                    s: *x\nt: 99999999999999999999\nu: |\n  text\n";
        let read = read(text).map_err(|d| d.message);
        let expected = super::super::parse::parse_document(text.as_bytes()).map_err(|d| d.message);
        assert_eq!(read, expected);
        assert_eq!(
            read.ok().map(|value| value["s"].clone()),
            Some(json!({"q": "r"}))
        );
    }

    #[test]
    fn faults_are_refused() {
        for (text, expected) in [
            ("a: 1\na: 2\n", "duplicate key `a`"),
            ("? [a]\n: b\n", "a mapping key must be a scalar"),
            ("a: !thing 1\n", "has no JSON form"),
            ("a: 1\n---\nb: 2\n", "more than one document"),
            ("a: [1\n", "invalid YAML"),
            ("a: &a [*a]\n", "alias"),
        ] {
            let message = read(text).err().map(|d| d.message).unwrap_or_default();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn depth_beyond_the_limit_is_located() {
        let text = format!("{}x\n", "- ".repeat(MAX_NESTING + 1));
        let fault = read(&text).err();
        assert_eq!(
            fault.map(|d| (d.pointer, d.location.map(|l| l.line))),
            Some(("/0".repeat(MAX_NESTING), Some(1)))
        );
        let text = format!("{}x\n", "- ".repeat(MAX_NESTING));
        assert!(read(&text).is_ok());
        let text = format!("a: {}x{}\n", "[".repeat(300), "]".repeat(300));
        let message = read(&text).err().map(|d| d.message).unwrap_or_default();
        assert!(message.contains("more than 255 levels"), "{message}");
    }
}
