//! Local `$ref`s that point inside another object (`#/components/schemas/Tag/allOf/0`,
//! `#/paths/~1items/get/...`) are replaced by a copy of what they point to: the model resolves
//! references to whole components only, and a copy is named from where it now sits. So are
//! references to sections the model does not resolve, such as OpenAPI 3.2's
//! `#/components/mediaTypes/{name}`, which `openapiv3` cannot hold in a `content` map.

use serde_json::{Map, Value};

use super::parse::{MAX_NESTING, nesting_message};
use crate::diagnostics::{Diagnostic, pointer_enter};

/// Sections whose entries the model resolves by name.
const COMPONENT_SECTIONS: [&str; 6] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
    "examples",
];

/// Deeper chains of references to references are refused, which also stops cycles.
const MAX_CHAIN: usize = 32;

pub fn inline_deep_refs(document: &mut Value, warnings: &mut Vec<Diagnostic>) {
    // Most specs have no such references: look before paying for a copy of the document.
    if !has_inner_refs(document, &mut String::new()) {
        return;
    }
    let original = document.clone();
    let mut walk = Walk {
        original: &original,
        pointer: String::new(),
        expanding: Vec::new(),
        warnings,
    };
    walk.visit(document, 0);
}

fn has_inner_refs(value: &Value, pointer: &mut String) -> bool {
    match value {
        Value::Object(object) => {
            if deep_ref(object).is_some() || misplaced_ref(object, pointer).is_some() {
                return true;
            }
            object.iter().any(|(key, child)| {
                let length = pointer_enter(pointer, key);
                let found = has_inner_refs(child, pointer);
                pointer.truncate(length);
                found
            })
        }
        Value::Array(items) => items.iter().enumerate().any(|(index, child)| {
            let length = pointer_enter(pointer, &index.to_string());
            let found = has_inner_refs(child, pointer);
            pointer.truncate(length);
            found
        }),
        _ => false,
    }
}

/// Whether a reference names a whole component, which the model resolves itself.
pub fn is_component_ref(reference: &str) -> bool {
    let Some(rest) = reference.strip_prefix("#/components/") else {
        return false;
    };
    match rest.split_once('/') {
        Some((section, name)) => COMPONENT_SECTIONS.contains(&section) && !name.contains('/'),
        None => false,
    }
}

/// The component section a `$ref` at `pointer` must name, judged from where it sits.
fn expected_section(pointer: &str) -> Option<&'static str> {
    let mut segments = pointer.rsplit('/');
    let _own = segments.next()?;
    match segments.next()? {
        "responses" if !pointer.starts_with("/components/responses/") => Some("responses"),
        "requestBody" => Some("requestBodies"),
        _ => None,
    }
}

/// A whole-component reference into the wrong section (a request body where a response
/// belongs, as some specs have), which is read as what its position needs.
fn misplaced_ref(object: &Map<String, Value>, pointer: &str) -> Option<(String, &'static str)> {
    let reference = object.get("$ref")?.as_str()?;
    let expected = expected_section(pointer)?;
    let section = reference.strip_prefix("#/components/")?.split('/').next()?;
    (is_component_ref(reference) && section != expected).then(|| (reference.to_owned(), expected))
}

struct Walk<'o, 'w> {
    original: &'o Value,
    pointer: String,
    /// The inner references being copied in, outermost first.
    expanding: Vec<String>,
    warnings: &'w mut Vec<Diagnostic>,
}

impl Walk<'_, '_> {
    /// `depth` counts the mappings and sequences around `value`: copies can nest deeper than
    /// the document was read, and are refused past the same limit.
    fn visit(&mut self, value: &mut Value, depth: usize) {
        let pointer = self.pointer.as_str();
        match value {
            Value::Object(_) | Value::Array(_) if depth >= MAX_NESTING => {
                self.warnings.push(Diagnostic::error(
                    pointer,
                    format!("{}, counting what inner `$ref`s copy in", nesting_message()),
                ));
            }
            Value::Object(object) => {
                if let Some((reference, expected)) = misplaced_ref(object, pointer) {
                    // A component of the wrong section that is itself such a `$ref` would be
                    // copied in again and again.
                    if self.expanding.contains(&reference) || self.expanding.len() >= MAX_CHAIN {
                        self.warnings.push(Diagnostic::error(
                            pointer,
                            format!("`$ref: {reference}` refers to itself"),
                        ));
                        return;
                    }
                    if let Some(Value::Object(target)) = resolve(self.original, &reference) {
                        self.warnings.push(Diagnostic::warning(
                            pointer,
                            format!("`$ref: {reference}` is not in #/components/{expected}; its content is used here as it is"),
                        ));
                        let mut copy = target.clone();
                        if expected == "responses" {
                            copy.entry("description")
                                .or_insert_with(|| Value::String(String::new()));
                        }
                        *value = Value::Object(copy);
                        self.expanding.push(reference);
                        self.visit(value, depth);
                        self.expanding.pop();
                        return;
                    }
                }
                if let Some(reference) = deep_ref(object) {
                    if self.expanding.contains(&reference) || self.expanding.len() >= MAX_CHAIN {
                        self.warnings.push(Diagnostic::error(
                            pointer,
                            format!(
                                "`$ref: {reference}` refers to itself through inner references"
                            ),
                        ));
                        return;
                    }
                    let Some(target) = resolve(self.original, &reference) else {
                        self.warnings.push(Diagnostic::error(
                            pointer,
                            format!("`$ref: {reference}` points to nothing in this document"),
                        ));
                        return;
                    };
                    let mut replacement = target.clone();
                    if let (Value::Object(replacement), true) = (&mut replacement, object.len() > 1)
                    {
                        for (key, sibling) in object.iter().filter(|(key, _)| *key != "$ref") {
                            replacement.insert(key.clone(), sibling.clone());
                        }
                    }
                    *value = replacement;
                    self.expanding.push(reference);
                    self.visit(value, depth);
                    self.expanding.pop();
                    return;
                }
                for (key, child) in object.iter_mut() {
                    let length = pointer_enter(&mut self.pointer, key);
                    self.visit(child, depth + 1);
                    self.pointer.truncate(length);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    let length = pointer_enter(&mut self.pointer, &index.to_string());
                    self.visit(child, depth + 1);
                    self.pointer.truncate(length);
                }
            }
            _ => {}
        }
    }
}

fn deep_ref(object: &Map<String, Value>) -> Option<String> {
    let reference = object.get("$ref")?.as_str()?;
    (reference.starts_with("#/") && !is_component_ref(reference)).then(|| reference.to_owned())
}

fn resolve<'v>(document: &'v Value, reference: &str) -> Option<&'v Value> {
    let fragment = reference.strip_prefix('#')?;
    document.pointer(&percent_decode(fragment))
}

/// `$ref`s are URI fragments: `%7B` and the like may stand for characters of the pointer.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn deep_refs_are_copied_and_component_refs_kept() {
        let mut document = json!({
            "components": {"schemas": {
                "Tag": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}]},
                "Log": {"allOf": [{"$ref": "#/components/schemas/Tag/allOf/0"}, {"$ref": "#/components/schemas/Tag"}]}
            }}
        });
        let mut warnings = Vec::new();
        inline_deep_refs(&mut document, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            document["components"]["schemas"]["Log"]["allOf"],
            json!([
                {"type": "object", "properties": {"id": {"type": "string"}}},
                {"$ref": "#/components/schemas/Tag"}
            ])
        );
    }

    #[test]
    fn cycles_and_dangling_refs_are_reported() {
        let mut document = json!({"a": {"$ref": "#/a"}, "b": {"$ref": "#/nothing"}});
        let mut warnings = Vec::new();
        inline_deep_refs(&mut document, &mut warnings);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn a_request_body_used_as_a_response_is_copied() {
        let mut document = json!({
            "paths": {"/a": {"put": {"responses": {"200": {"$ref": "#/components/requestBodies/B"}}}}},
            "components": {"requestBodies": {"B": {"content": {}}}}
        });
        let mut warnings = Vec::new();
        inline_deep_refs(&mut document, &mut warnings);
        assert_eq!(
            document["paths"]["/a"]["put"]["responses"]["200"],
            json!({"content": {}, "description": ""})
        );
        assert_eq!(warnings.len(), 1);
    }

    /// A copy put where it nests past the limit is refused there, not walked into; on the
    /// pipeline's stack, as a test thread's is too small for documents this deep.
    #[test]
    fn copies_nesting_too_deep_are_refused() {
        let nested =
            |depth: usize, leaf: Value| (0..depth).fold(leaf, |inner, _| json!({"x": inner}));
        let warnings = crate::parallel::on_helper(|| {
            let mut document = json!({
                "a": nested(600, json!({"$ref": "#/b"})),
                "b": nested(600, json!(1)),
            });
            let mut warnings = Vec::new();
            inline_deep_refs(&mut document, &mut warnings);
            warnings
        });
        let messages: Vec<(&str, &str)> = warnings
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect();
        let pointer = format!("/a{}", "/x".repeat(MAX_NESTING - 1));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert_eq!(messages[0].0, pointer);
        assert!(
            messages[0]
                .1
                .ends_with("counting what inner `$ref`s copy in")
        );
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decode("/paths/~1a%7Bb%7D"), "/paths/~1a{b}");
        assert!(is_component_ref("#/components/schemas/A"));
        assert!(!is_component_ref("#/components/schemas/A/properties/b"));
    }
}
