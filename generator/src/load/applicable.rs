//! Keywords that a schema's `type` makes meaningless, dropped before anything is typed.
//!
//! JSON Schema applies `properties` only to objects, `items` only to arrays, `minLength` only to
//! strings and `minimum` only to numbers: beside another `type` they constrain nothing, and a
//! value of that type passes them. Real specs carry such leftovers (`type: array` with
//! `properties` and `required`, `type: string` with `minimum`), and a generator that reads the
//! keywords rather than the type writes a struct for what the server sends as an array. So the
//! type wins: each such keyword is removed from the document, with a warning at its pointer
//! that names it, and every later stage sees the schema the server's values actually follow.

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, pointer_push};

/// The JSON types a group of keywords applies to, and the keywords.
const GROUPS: [(&str, &[&str], &[&str]); 4] = [
    (
        "objects",
        &["object"],
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        ],
    ),
    (
        "arrays",
        &["array"],
        &[
            "items",
            "prefixItems",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
    ),
    (
        "strings",
        &["string"],
        &["minLength", "maxLength", "pattern"],
    ),
    (
        "numbers",
        &["number", "integer"],
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
];

/// Whether `key` is a keyword that applies to one JSON type only; the walk calls
/// [`drop_inapplicable`] only on schemas that have one.
pub fn is_type_specific(key: &str) -> bool {
    GROUPS
        .iter()
        .any(|(_, _, keywords)| keywords.contains(&key))
}

/// Removes from a schema object the keywords its `type` makes meaningless. `type` is read as
/// written: a name, or a 3.1 list of one name and `null`; a list of several names admits values
/// of each, so every keyword may apply and nothing is removed.
pub fn drop_inapplicable(
    object: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(typ) = single_type(object.get("type")).map(str::to_owned) else {
        return;
    };
    for (applies_to, types, keywords) in GROUPS {
        if types.contains(&typ.as_str()) {
            continue;
        }
        let found: Vec<&str> = keywords
            .iter()
            .copied()
            .filter(|keyword| object.contains_key(*keyword))
            .collect();
        let Some(&first) = found.first() else {
            continue;
        };
        let named: Vec<String> = found.iter().map(|keyword| format!("`{keyword}`")).collect();
        let (subject, verb) = match named.split_last() {
            Some((last, [])) => (last.clone(), "applies"),
            Some((last, rest)) => (format!("{} and {last}", rest.join(", ")), "apply"),
            None => continue,
        };
        warnings.push(Diagnostic::warning(
            pointer_push(pointer, first),
            format!(
                "{subject} {verb} only to {applies_to}, and this schema's `type` is `{typ}`: ignored"
            ),
        ));
        for keyword in found {
            object.remove(keyword);
        }
    }
}

fn single_type(typ: Option<&Value>) -> Option<&str> {
    match typ? {
        Value::String(name) => Some(name),
        Value::Array(names) => {
            let mut named = names
                .iter()
                .filter_map(Value::as_str)
                .filter(|name| *name != "null");
            let first = named.next()?;
            named.next().is_none().then_some(first)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn dropped(schema: Value) -> (Value, Vec<String>) {
        let mut schema = schema;
        let mut warnings = Vec::new();
        if let Some(object) = schema.as_object_mut() {
            drop_inapplicable(object, "/s", &mut warnings);
        }
        let warnings = warnings
            .into_iter()
            .map(|w| format!("{}: {}", w.pointer, w.message))
            .collect();
        (schema, warnings)
    }

    #[test]
    fn an_array_keeps_its_items_and_loses_object_keywords() {
        let (schema, warnings) = dropped(json!({
            "type": "array", "items": {},
            "properties": {"imagem1.jpg": {"type": "string"}}, "required": ["imagem1.jpg"]
        }));
        assert_eq!(schema, json!({"type": "array", "items": {}}));
        assert_eq!(
            warnings,
            [
                "/s/properties: `properties` and `required` apply only to objects, and this schema's `type` is `array`: ignored"
            ]
        );
    }

    #[test]
    fn every_type_loses_the_keywords_of_the_others() {
        let every = json!({
            "properties": {}, "required": ["a"], "additionalProperties": false, "minProperties": 1,
            "items": {}, "minItems": 1, "uniqueItems": true,
            "minLength": 1, "maxLength": 2, "pattern": "a",
            "minimum": 0, "maximum": 9, "exclusiveMinimum": true, "multipleOf": 2
        });
        let kept = |typ: &str| {
            let mut schema = every.clone();
            schema["type"] = json!(typ);
            let (schema, _) = dropped(schema);
            let mut keys: Vec<String> = schema.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys.join(",")
        };
        assert_eq!(
            kept("object"),
            "additionalProperties,minProperties,properties,required,type"
        );
        assert_eq!(kept("array"), "items,minItems,type,uniqueItems");
        assert_eq!(kept("string"), "maxLength,minLength,pattern,type");
        assert_eq!(
            kept("integer"),
            "exclusiveMinimum,maximum,minimum,multipleOf,type"
        );
        assert_eq!(
            kept("number"),
            "exclusiveMinimum,maximum,minimum,multipleOf,type"
        );
        assert_eq!(kept("boolean"), "type");
    }

    #[test]
    fn several_types_or_none_keep_every_keyword() {
        let schema = json!({"type": ["string", "integer"], "minLength": 1, "minimum": 0});
        assert_eq!(dropped(schema.clone()).0, schema);
        let schema = json!({"properties": {"a": {}}, "items": {}});
        assert_eq!(dropped(schema.clone()).0, schema);
        let (schema, warnings) = dropped(json!({"type": ["array", "null"], "required": ["a"]}));
        assert_eq!(schema, json!({"type": ["array", "null"]}));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn one_keyword_is_named_alone() {
        let (_, warnings) = dropped(json!({"type": "string", "minimum": 1}));
        assert_eq!(
            warnings,
            [
                "/s/minimum: `minimum` applies only to numbers, and this schema's `type` is `string`: ignored"
            ]
        );
    }
}
