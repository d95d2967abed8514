//! Encoding and decoding of `oneOf`/`anyOf` unions.

use crate::Value;
use serde::{Serialize, Serializer};

/// Writes a union's variant whose type leaves the tag to the union: the tag property first,
/// then the variant's own fields.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{Error as _, SerializeMap as _};
    let Value::Object(fields) = serde_json::to_value(value).map_err(S::Error::custom)? else {
        return Err(S::Error::custom(
            "a tagged variant must be written as an object",
        ));
    };
    let own = || fields.iter().filter(|(key, _)| key.as_str() != property);
    let mut map = serializer.serialize_map(Some(own().count() + 1))?;
    map.serialize_entry(property, tag)?;
    for (key, field) in own() {
        map.serialize_entry(key, field)?;
    }
    map.end()
}

/// The object without the tag property, for a variant whose type leaves the tag to its union.
pub fn without_property(mut value: Value, property: &str) -> Value {
    if let Some(fields) = value.as_object_mut() {
        // The other keys keep their order (`remove` would swap the last one into its place).
        fields.shift_remove(property);
    }
    value
}

/// Decodes a union without a tag. serde's `untagged` takes the first variant that decodes, and
/// a struct whose fields are all optional decodes from any object. Here, for an object, the
/// variants whose declared properties leave the fewest of its keys undeclared (then: match
/// the most) are tried first, and those that take any keys (a map, a free-form value: `None`
/// in `declared`) last, since a struct keeps what it does not declare but a map forgets what
/// the struct would have typed; otherwise, and among equals, the variants' own order,
/// strictest first.
pub fn decode_untagged<T, E: serde::de::Error>(
    value: &Value,
    declared: &[Option<&[&str]>],
    decode: impl Fn(usize, &Value) -> Result<T, serde_json::Error>,
    type_name: &str,
) -> Result<T, E> {
    let mut order: Vec<usize> = (0..declared.len()).collect();
    if let Value::Object(fields) = value {
        let rank = |index: usize| match declared.get(index).copied().flatten() {
            None => (usize::MAX, 0),
            Some(names) => {
                let matched = fields
                    .keys()
                    .filter(|key| names.contains(&key.as_str()))
                    .count();
                (fields.len() - matched, usize::MAX - matched)
            }
        };
        order.sort_by_key(|index| (rank(*index), *index));
    }
    let mut first_error = None;
    for index in order {
        match decode(index, value) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    let reason = first_error.map_or_else(String::new, |err| format!(": {err}"));
    Err(E::custom(format!(
        "the value matches no variant of `{type_name}`{reason}"
    )))
}
