//! Bytes to `serde_json::Value`, and `Value` to `openapiv3::OpenAPI`.

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
        return serde_json::from_str(text).map_err(|err| {
            Diagnostic::error(
                "",
                format!(
                    "invalid JSON at line {}, column {}: {err}",
                    err.line(),
                    err.column()
                ),
            )
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|err| Diagnostic::error("", format!("invalid YAML: {err}")))?;
    yaml_to_json(yaml, "")
}

/// YAML allows keys and scalars that JSON does not (integer keys such as `200:`, `.inf`);
/// OpenAPI is defined over JSON, so keys become strings and the rest is refused with a location.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Diagnostic> {
    Ok(match yaml {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let float = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::error(pointer, format!("the number {n} has no JSON form"))
                    })?
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| yaml_to_json(item, &pointer_push(pointer, &index.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, item) in mapping {
                let key = yaml_key(key, pointer)?;
                let item = yaml_to_json(item, &pointer_push(pointer, &key))?;
                map.insert(key, item);
            }
            Value::Object(map)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

fn yaml_key(key: serde_yaml::Value, pointer: &str) -> Result<String, Diagnostic> {
    match key {
        serde_yaml::Value::String(s) => Ok(s),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        serde_yaml::Value::Bool(b) => Ok(b.to_string()),
        serde_yaml::Value::Null => Ok("null".to_owned()),
        other => Err(Diagnostic::error(
            pointer,
            format!("a mapping key must be a scalar, found {other:?}"),
        )),
    }
}

pub fn check_version(value: &Value) -> Result<Dialect, Diagnostic> {
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            "",
            "the spec must be a JSON object or YAML mapping at the top level",
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

pub fn into_openapi(value: Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = path_to_pointer(err.path());
        Diagnostic::error(
            pointer,
            format!("not a valid OpenAPI object: {}", err.inner()),
        )
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
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
