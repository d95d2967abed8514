//! Bytes to `serde_json::Value`, and `Value` to `openapiv3::OpenAPI`.

use serde::Deserialize as _;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, pointer_push};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    V3_0,
    V3_1,
}

pub fn parse_document(bytes: &[u8]) -> Result<Value, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|err| Diagnostic::error("", format!("the spec is not UTF-8 text: {err}")))?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("", "the spec is empty"));
    }
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<JsonValue>(text)
            .map(|value| value.0)
            .map_err(|err| {
                Diagnostic::error("", format!("invalid JSON: {err}")).at_line(
                    err.line(),
                    err.column(),
                    text,
                )
            });
    }
    serde_yaml::from_str::<JsonValue>(text)
        .map(|value| value.0)
        .map_err(|err| {
            let diagnostic = Diagnostic::error("", format!("invalid YAML: {err}"));
            match err.location() {
                Some(at) => diagnostic.at_line(at.line(), at.column(), text),
                None => diagnostic,
            }
        })
}

/// YAML (and JSON) read straight into JSON's data model. YAML allows more than JSON: integer
/// and boolean keys (`200:`) become strings; integers beyond 64 bits become floats, as JSON
/// readers treat them. In both, duplicate keys are refused rather than silently resolved.
struct JsonValue(Value);

impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonValue)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value that JSON can represent")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Value, E> {
        match i64::try_from(value) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => self.visit_f64(value as f64),
        }
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Value, E> {
        match u64::try_from(value) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => self.visit_f64(value as f64),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {value} has no JSON form")))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        let mut object = Map::new();
        while let Some(JsonValue(key)) = map.next_key()? {
            let key = match key {
                Value::String(key) => key,
                Value::Null => "null".to_owned(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                _ => return Err(A::Error::custom("a mapping key must be a scalar")),
            };
            let JsonValue(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

pub fn check_version(value: &Value) -> Result<Dialect, Diagnostic> {
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            "",
            "no `openapi` version field: this is not an OpenAPI document (the top level is not a mapping)",
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Diagnostic::error(
            "/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are supported. \
                 Convert it first, e.g. with `npx swagger2openapi`",
                display_scalar(swagger)
            ),
        ));
    }
    match object.get("openapi") {
        None => Err(Diagnostic::error(
            "",
            "no `openapi` version field: this is not an OpenAPI document",
        )),
        Some(Value::String(version)) if version.starts_with("3.0") => Ok(Dialect::V3_0),
        Some(Value::String(version)) if version.starts_with("3.1") => Ok(Dialect::V3_1),
        Some(other) => Err(Diagnostic::error(
            "/openapi",
            format!(
                "unsupported OpenAPI version {}; expected 3.0.x or 3.1.x",
                display_scalar(other)
            ),
        )),
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The document as `openapiv3` types, or `None` when it does not fit them (then
/// [`locate_openapi_error`] says where). The value is consumed: each part of it is freed once
/// converted, so the document is never held twice over.
///
/// `components.schemas`, most of a large document, is read by [`super::schemas`] on a second
/// thread while serde converts the rest on this one.
pub fn into_openapi(mut value: Value) -> Option<openapiv3::OpenAPI> {
    let mut schemas = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let (document, schemas) = crate::parallel::join(
        || openapiv3::OpenAPI::deserialize(value).ok(),
        || super::schemas::read_all(std::mem::take(&mut schemas)),
    );
    let (mut document, schemas) = (document?, schemas?);
    if let Some(components) = &mut document.components {
        components.schemas = schemas;
    }
    Some(document)
}

/// Where and why a document does not fit the `openapiv3` types. Tracking the path costs on
/// every value, so it is paid only once a conversion has failed.
pub fn locate_openapi_error(value: Value) -> Diagnostic {
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value) {
        Err(err) => Diagnostic::error(
            path_to_pointer(err.path()),
            format!("not a valid OpenAPI object: {}", err.inner()),
        ),
        // Read again with its path tracked, the document converts: the first attempt did not
        // fail on the document.
        Ok(_) => Diagnostic::error(
            "",
            "internal error: the document converts when read again; please report it",
        ),
    }
}

pub(super) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer = pointer_push(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        })
    }

    /// The schemas are read apart from the rest of the document: they come back whole and in
    /// document order, and a fault in any one of them is a failure.
    #[test]
    fn schemas_read_apart_keep_their_order() {
        let deep = json!({"type": "object", "properties": {"a": {"type": "object",
            "properties": {"b": {"type": "array", "items": {"type": "string"}}}}}});
        let schemas: Map<String, Value> = (0..9)
            .map(|index| {
                let schema = match index {
                    0 | 5 => deep.clone(),
                    _ => json!({"type": "integer"}),
                };
                (format!("S{index}"), schema)
            })
            .collect();
        let converted = into_openapi(document(Value::Object(schemas)));
        let keys: Vec<String> = converted
            .and_then(|openapi| openapi.components)
            .map(|components| components.schemas.into_keys().collect())
            .unwrap_or_default();
        let expected: Vec<String> = (0..9).map(|index| format!("S{index}")).collect();
        assert_eq!(keys, expected);

        for faulty in ["S0", "S8"] {
            let mut schemas = Map::new();
            for index in 0..9 {
                let key = format!("S{index}");
                let schema = match key == faulty {
                    true => json!({"type": "object", "properties": 5}),
                    false => json!({"type": "string"}),
                };
                schemas.insert(key, schema);
            }
            assert!(
                into_openapi(document(Value::Object(schemas))).is_none(),
                "{faulty}"
            );
        }
    }
}
