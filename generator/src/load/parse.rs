//! Bytes to `serde_json::Value`, and `Value` to `openapiv3::OpenAPI`.

use std::cell::RefCell;

use serde::Deserialize as _;
use serde::de::DeserializeSeed as _;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, pointer_push};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    V3_0,
    V3_1,
    /// Read with the 3.1 rules for schemas; what 3.2 adds is read by [`super::v32`].
    V3_2,
}

/// What a document declares itself to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0, read through [`super::swagger2`] as OpenAPI 3.0.
    Swagger2,
    OpenApi(Dialect),
}

/// How deep mappings and sequences may nest in a document. A schema nested as deep as the model
/// takes (`model::schemas::MAX_DEPTH`) needs two or three of them a level; every walk over the
/// document, model and code is safe this deep on the stack the pipeline runs on
/// (`parallel::STACK_SIZE`).
pub const MAX_NESTING: usize = 1024;

pub fn parse_document(bytes: &[u8]) -> Result<Value, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|err| Diagnostic::error("", format!("the spec is not UTF-8 text: {err}")))?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("", "the spec is empty"));
    }
    let trail = RefCell::new(None);
    if text.trim_start().starts_with('{') {
        // serde_json's own limit is 128 levels; `Nested` keeps to `MAX_NESTING` instead.
        let mut deserializer = serde_json::Deserializer::from_str(text);
        deserializer.disable_recursion_limit();
        return Nested::root(&trail)
            .deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|err| {
                let diagnostic = match too_deep(&trail) {
                    Some(pointer) => Diagnostic::error(pointer, nesting_message()),
                    None => Diagnostic::error("", format!("invalid JSON: {err}")),
                };
                diagnostic.at_line(err.line(), err.column(), text)
            });
    }
    match Nested::root(&trail).deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(value) => Ok(value),
        // serde_yaml stops at 128 levels, a limit it does not let be changed; a document that
        // goes deeper is read again by a reader with no limit of its own.
        Err(err) if err.to_string().starts_with("recursion limit exceeded") => {
            super::yaml::read(text)
        }
        Err(err) => {
            let diagnostic = Diagnostic::error("", format!("invalid YAML: {err}"));
            Err(match err.location() {
                Some(at) => diagnostic.at_line(at.line(), at.column(), text),
                None => diagnostic,
            })
        }
    }
}

/// The message for a document nested deeper than [`MAX_NESTING`].
pub fn nesting_message() -> String {
    format!(
        "mappings and sequences (objects and arrays) nested more than {MAX_NESTING} levels deep \
         are not supported"
    )
}

/// The pointer of where the document went too deep, when that is why reading it failed.
fn too_deep(trail: &RefCell<Option<Vec<String>>>) -> Option<String> {
    let segments = trail.borrow_mut().take()?;
    Some(
        segments
            .iter()
            .rev()
            .fold(String::new(), |pointer, segment| {
                pointer_push(&pointer, segment)
            }),
    )
}

/// YAML (and JSON) read straight into JSON's data model. YAML allows more than JSON: integer
/// and boolean keys (`200:`) become strings; integers beyond 64 bits become floats, as JSON
/// readers treat them. In both, duplicate keys are refused rather than silently resolved.
///
/// Mappings and sequences deeper than [`MAX_NESTING`] are refused. As that error unwinds, each
/// level adds its key or index to `trail` (innermost first): the error names where the document
/// went too deep without every value paying to track its path.
#[derive(Clone, Copy)]
struct Nested<'t> {
    depth: usize,
    trail: &'t RefCell<Option<Vec<String>>>,
}

impl<'t> Nested<'t> {
    fn root(trail: &'t RefCell<Option<Vec<String>>>) -> Self {
        Self { depth: 0, trail }
    }

    /// The reader of a mapping's or sequence's members, or the error when they would be too
    /// deep.
    fn inner<E: serde::de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_NESTING {
            *self.trail.borrow_mut() = Some(Vec::new());
            return Err(E::custom(nesting_message()));
        }
        Ok(Self {
            depth: self.depth + 1,
            trail: self.trail,
        })
    }

    /// Adds `segment` to the trail of a nesting error unwinding through this level.
    fn unwinding<E>(self, segment: impl FnOnce() -> String) -> impl FnOnce(E) -> E {
        move |err| {
            if let Some(trail) = self.trail.borrow_mut().as_mut() {
                trail.push(segment());
            }
            err
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Nested<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Nested<'_> {
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
        let inner = self.inner()?;
        let mut items = Vec::new();
        while let Some(item) = seq
            .next_element_seed(inner)
            .map_err(self.unwinding(|| items.len().to_string()))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        let inner = self.inner()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(inner)? {
            let key = match key {
                Value::String(key) => key,
                Value::Null => "null".to_owned(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                _ => return Err(A::Error::custom("a mapping key must be a scalar")),
            };
            let value = map
                .next_value_seed(inner)
                .map_err(self.unwinding(|| key.clone()))?;
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

pub fn check_version(value: &Value) -> Result<Version, Diagnostic> {
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            "",
            "no `openapi` version field: this is not an OpenAPI document (the top level is not a mapping)",
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        if super::swagger2::is_version(swagger) {
            return Ok(Version::Swagger2);
        }
        return Err(Diagnostic::error(
            "/swagger",
            format!(
                "unsupported Swagger version {}; expected 2.0 (or an OpenAPI 3.0.x, 3.1.x or \
                 3.2.x document)",
                display_scalar(swagger)
            ),
        ));
    }
    match object.get("openapi") {
        None => Err(Diagnostic::error(
            "",
            "no `openapi` version field: this is not an OpenAPI document",
        )),
        Some(Value::String(version)) if version.starts_with("3.0") => {
            Ok(Version::OpenApi(Dialect::V3_0))
        }
        Some(Value::String(version)) if version.starts_with("3.1") => {
            Ok(Version::OpenApi(Dialect::V3_1))
        }
        Some(Value::String(version)) if version.starts_with("3.2") => {
            Ok(Version::OpenApi(Dialect::V3_2))
        }
        Some(other) => Err(Diagnostic::error(
            "/openapi",
            format!(
                "unsupported OpenAPI version {}; expected 3.0.x, 3.1.x or 3.2.x",
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

    #[test]
    fn versions_3_0_to_3_2_are_read_and_others_named() {
        for (version, dialect) in [
            ("3.0.3", Dialect::V3_0),
            ("3.1.1", Dialect::V3_1),
            ("3.2.0", Dialect::V3_2),
        ] {
            assert_eq!(
                check_version(&json!({"openapi": version})),
                Ok(Version::OpenApi(dialect))
            );
        }
        assert_eq!(
            check_version(&json!({"swagger": "2.0"})),
            Ok(Version::Swagger2)
        );
        let refused = check_version(&json!({"openapi": "4.0.0"})).expect_err("not read");
        assert!(refused.message.contains("3.2.x"), "{}", refused.message);
        // Another Swagger version is named with every version that is read.
        let refused = check_version(&json!({"swagger": "1.2"})).expect_err("not read");
        for accepted in ["2.0", "3.0.x", "3.1.x", "3.2.x"] {
            assert!(refused.message.contains(accepted), "{}", refused.message);
        }
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
