//! Whether the values a schema writes down (`default`, `enum`, `const`) are of the type it
//! declares.
//!
//! A value of the wrong type is a mistake in the spec, but one that published APIs make often
//! (`default: "false"` for a boolean, `default: null` without `nullable`, an integer `default`
//! of `"20 - incident_summary"`), and the generated types follow the declared `type`, which is
//! what servers send: so it is a warning (`--strict` makes it an error), and a default of the
//! wrong type is dropped rather than documented. Checked here, on the raw document, because
//! `openapiv3` reads `default: null` as no default at all.

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, pointer_push};

/// Checks one schema object as the spec writes it, before any rewriting, so that each finding
/// points at what is in the file: `type` may be a 3.1 list (`[T, "null"]`), and `const` is
/// checked under its own name.
pub fn check(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    // Every schema with an `enum`, `const` or `default` passes here: nothing is allocated unless
    // a value is wrong.
    let types: &[Value] = match object.get("type") {
        Some(typ @ Value::String(_)) => std::slice::from_ref(typ),
        Some(Value::Array(types)) => types,
        _ => return,
    };
    let names = || types.iter().filter_map(Value::as_str);
    let enumeration = object.get("enum").and_then(Value::as_array);
    let nullable = object.get("nullable") == Some(&Value::Bool(true))
        || names().any(|typ| typ == "null")
        || enumeration.is_some_and(|values| values.iter().any(Value::is_null));
    let allowed =
        |value: &Value| (value.is_null() && nullable) || names().any(|typ| fits(typ, value));
    // "an integer", "a string or an integer".
    let expected = || {
        let named: Vec<String> = names().filter(|typ| *typ != "null").map(article).collect();
        named.join(" or ")
    };
    let wrong_enum = enumeration
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, value)| !allowed(value));
    if let Some((position, value)) = wrong_enum {
        warnings.push(Diagnostic::warning(
            pointer_push(&pointer_push(pointer, "enum"), &position.to_string()),
            format!("enum value `{value}` is not {}", expected()),
        ));
    }
    if let Some(value) = object.get("const").filter(|value| !allowed(value)) {
        warnings.push(Diagnostic::warning(
            pointer_push(pointer, "const"),
            format!("`const: {value}` is not {}", expected()),
        ));
    }
    let wrong_default = object
        .get("default")
        .filter(|value| !allowed(value))
        .map(|value| {
            format!(
                "`default: {value}` is not {}; it is left out of the documentation",
                expected()
            )
        });
    if let Some(message) = wrong_default {
        warnings.push(Diagnostic::warning(
            pointer_push(pointer, "default"),
            message,
        ));
        object.remove("default");
    }
}

fn fits(typ: &str, value: &Value) -> bool {
    match typ {
        "string" => value.is_string(),
        "null" => value.is_null(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        // An unknown `type` is reported where the schema is typed.
        _ => true,
    }
}

fn article(typ: &str) -> String {
    match typ {
        "integer" | "object" | "array" => format!("an {typ}"),
        _ => format!("a {typ}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checked(schema: Value) -> (Value, Vec<String>) {
        let mut schema = schema;
        let mut warnings = Vec::new();
        if let Some(object) = schema.as_object_mut() {
            check(object, "/S", &mut warnings);
        }
        let messages = warnings
            .iter()
            .map(|w| format!("{}: {}", w.pointer, w.message))
            .collect();
        (schema, messages)
    }

    #[test]
    fn values_fit_their_json_type() {
        assert!(fits("integer", &json!(3)));
        assert!(fits("integer", &json!(3.0)));
        assert!(!fits("integer", &json!(2.5)));
        assert!(!fits("integer", &json!("3")));
        assert!(!fits("integer", &json!(false)));
        assert!(fits("number", &json!(3)));
        assert!(!fits("boolean", &json!("false")));
        assert!(!fits("string", &json!(["auto"])));
        assert!(fits("object", &json!({})));
    }

    #[test]
    fn a_default_of_the_wrong_type_is_reported_and_dropped() {
        let (schema, warnings) = checked(json!({"type": "integer", "default": "amongus"}));
        assert_eq!(schema, json!({"type": "integer"}));
        assert_eq!(
            warnings,
            [
                r#"/S/default: `default: "amongus"` is not an integer; it is left out of the documentation"#
            ]
        );
    }

    #[test]
    fn null_is_a_value_only_of_nullable_schemas() {
        let (schema, warnings) = checked(json!({"type": "integer", "default": null}));
        assert_eq!(schema, json!({"type": "integer"}));
        assert_eq!(warnings.len(), 1);
        let nullable = json!({"type": "integer", "nullable": true, "default": null});
        assert_eq!(checked(nullable.clone()), (nullable, vec![]));
        let null_in_enum = json!({"type": "string", "enum": ["a", null], "default": null});
        assert_eq!(checked(null_in_enum.clone()), (null_in_enum, vec![]));
    }

    #[test]
    fn the_first_enum_value_of_the_wrong_type_is_reported() {
        let schema = json!({"type": "integer", "enum": [1, "2", "3"]});
        let (kept, warnings) = checked(schema.clone());
        assert_eq!(kept, schema);
        assert_eq!(
            warnings,
            [r#"/S/enum/1: enum value `"2"` is not an integer"#]
        );
    }

    #[test]
    fn type_lists_and_const_are_read_as_written() {
        let listed = json!({"type": ["integer", "null"], "default": null, "enum": [1, null]});
        assert_eq!(checked(listed.clone()), (listed, vec![]));
        let (_, warnings) = checked(json!({"type": ["integer", "string"], "default": true}));
        assert_eq!(
            warnings,
            [
                "/S/default: `default: true` is not an integer or a string; it is left out of the documentation"
            ]
        );
        let (_, warnings) = checked(json!({"type": "integer", "const": "1"}));
        assert_eq!(warnings, [r#"/S/const: `const: "1"` is not an integer"#]);
    }

    #[test]
    fn untyped_schemas_are_not_checked() {
        let schema = json!({"default": "x", "enum": [1, "x"]});
        assert_eq!(checked(schema.clone()), (schema, vec![]));
    }
}
