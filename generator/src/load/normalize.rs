//! Rewrites OpenAPI 3.1 forms into the OpenAPI 3.0 forms that `openapiv3` 2.x reads.
//!
//! `openapiv3` fails on type arrays and numeric exclusive bounds, and silently drops `const` and
//! the siblings of a `$ref`. Each rewrite keeps the meaning of the schema:
//!
//! | 3.1                                   | 3.0                                        |
//! |---------------------------------------|--------------------------------------------|
//! | `type: [T, "null"]`                   | `type: T, nullable: true`                  |
//! | `type: [A, B]`                        | `anyOf: [{type: A}, {type: B}]`            |
//! | `anyOf`/`oneOf` with `{type: "null"}` | the other branches, `nullable: true`       |
//! | `const: v`                            | `enum: [v]`                                |
//! | `exclusiveMinimum: n`                 | `minimum: n, exclusiveMinimum: true`       |
//! | `examples: [a, ...]`                  | `example: a`, all kept in an `x-` key      |
//! | `$ref` with sibling keywords          | `allOf: [{$ref}]` with the siblings        |
//! //!
//! The same walk drops the keywords a schema's `type` makes meaningless ([`applicable`]) and
//! checks the values schemas write down ([`values`]). A 3.2 media type's `itemSchema` is walked
//! as its `schema` is, and kept under [`ITEM_SCHEMA_EXTENSION`].
//!
//! Only positions that hold schemas are rewritten, so a property that happens to be called
//! `type` or `const` is never mistaken for a keyword.

use serde_json::{Map, Value, json};

use super::applicable;
use super::parse::Dialect;
use super::paths::each_operation;
use super::v32;
use super::values;
use super::webhooks::{WEBHOOKS, WEBHOOKS_EXTENSION};
use crate::diagnostics::{Diagnostic, pointer_push};

/// Where a 3.1 schema's `examples` array is kept; `x-` keys survive `openapiv3`.
pub const EXAMPLES_EXTENSION: &str = "x-generator-examples";

/// Where a 3.2 media type's `itemSchema` (the schema of each item of a sequential media type,
/// such as `text/event-stream` or `application/jsonl`) is kept, normalized as its `schema` is.
pub const ITEM_SCHEMA_EXTENSION: &str = "x-specwright-item-schema";

/// Rewrites a 3.1 or 3.2 document as the table above says, and what 3.2 adds as [`v32`]
/// says. A 3.0 document is left as it is, except for 3.1 forms written by mistake (type
/// arrays, numeric exclusive bounds, `const`), which are rewritten the same way with a warning
/// each, since real 3.0 specs contain them.
pub fn normalize(document: &mut Value, dialect: Dialect, warnings: &mut Vec<Diagnostic>) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let (mut paths, mut components) = (None, None);
    // The requests the API sends, whose payload schemas are read like request bodies'.
    let mut webhooks = Vec::new();
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "paths" => paths = value.as_object_mut(),
            WEBHOOKS | WEBHOOKS_EXTENSION => {
                if let Some(items) = value.as_object_mut() {
                    webhooks.push((key.as_str(), items));
                }
            }
            "components" => components = value.as_object_mut(),
            "tags" => v32::Reader {
                dialect,
                warnings: &mut *warnings,
            }
            .tags(value),
            _ => {}
        }
    }
    // The two walks share nothing; the components are walked on a second thread.
    let (from_paths, from_components) = crate::parallel::join(
        || {
            Walker::collecting(dialect, |walker| {
                for (path, item) in paths.into_iter().flat_map(|paths| paths.iter_mut()) {
                    walker.path_item(item, &pointer_push("/paths", path));
                }
                for (section, items) in webhooks {
                    let base = pointer_push("", section);
                    for (name, item) in items.iter_mut() {
                        walker.path_item(item, &pointer_push(&base, name));
                    }
                }
            })
        },
        || {
            Walker::collecting(dialect, |walker| {
                if let Some(components) = components.as_deref_mut() {
                    walker.components(components);
                }
            })
        },
    );
    warnings.extend(from_paths);
    warnings.extend(from_components);
}

/// What a sub-schema keyword's value holds.
#[derive(Clone, Copy)]
enum Holds {
    Map,
    List,
    One,
}

/// The keywords whose values are schemas, in the order they are walked.
const SUBSCHEMA_KEYWORDS: [(&str, Holds); 15] = [
    ("properties", Holds::Map),
    ("patternProperties", Holds::Map),
    ("$defs", Holds::Map),
    ("definitions", Holds::Map),
    ("allOf", Holds::List),
    ("anyOf", Holds::List),
    ("oneOf", Holds::List),
    ("prefixItems", Holds::List),
    ("items", Holds::One),
    ("additionalProperties", Holds::One),
    ("not", Holds::One),
    ("contains", Holds::One),
    ("propertyNames", Holds::One),
    ("unevaluatedProperties", Holds::One),
    ("unevaluatedItems", Holds::One),
];

/// The keywords that the checks and rewrites after a schema's children act on, `type` aside.
const REWRITTEN_KEYWORDS: [&str; 10] = [
    "enum",
    "const",
    "default",
    "allOf",
    "anyOf",
    "oneOf",
    "$ref",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "examples",
];

/// What a schema object holds that its walk acts on, found in one pass over its keys: most
/// schemas are leaves with a plain `type`, and a hashed lookup of each keyword (the document's
/// maps hash with SipHash) would cost more than the pass.
struct Held {
    /// Bit `i` for each of [`SUBSCHEMA_KEYWORDS`]`[i]` present.
    subschemas: u32,
    /// Whether any check or rewrite after the children has something to act on: each acts only
    /// on a keyword of [`REWRITTEN_KEYWORDS`] or a `type` that is a list or `null` (a new one
    /// acting on another keyword must add it there).
    checked_or_rewritten: bool,
    /// Whether a keyword that applies to one JSON type only is present beside a `type`: the
    /// `type` may make it meaningless ([`applicable`]).
    type_specific: bool,
}

impl Held {
    /// Walking the children changes their values, never the schema's own keys or `type`, so
    /// what is found before the walk holds after it.
    fn of(object: &Map<String, Value>) -> Self {
        let mut held = Held {
            subschemas: 0,
            checked_or_rewritten: false,
            type_specific: false,
        };
        let mut specific = false;
        for (key, value) in object {
            specific |= applicable::is_type_specific(key);
            if let Some(index) = SUBSCHEMA_KEYWORDS
                .iter()
                .position(|(keyword, _)| keyword == key)
            {
                held.subschemas |= 1 << index;
            }
            held.checked_or_rewritten |= match key.as_str() {
                "type" => value.as_str().is_none_or(|typ| typ == "null"),
                key => REWRITTEN_KEYWORDS.contains(&key),
            };
        }
        held.type_specific = specific && object.contains_key("type");
        held
    }
}

struct Walker<'a> {
    dialect: Dialect,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Walker<'_> {
    /// The warnings of one walk, done by `walk`.
    fn collecting(dialect: Dialect, walk: impl FnOnce(&mut Walker<'_>)) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        walk(&mut Walker {
            dialect,
            warnings: &mut warnings,
        });
        warnings
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        if let Some(schemes) = components.get_mut("securitySchemes") {
            self.v32().security_schemes(schemes);
        }
        for section in [
            "schemas",
            "parameters",
            "headers",
            "requestBodies",
            "responses",
        ] {
            let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) else {
                continue;
            };
            let base = pointer_push("/components", section);
            for (name, entry) in entries.iter_mut() {
                let pointer = pointer_push(&base, name);
                match section {
                    "schemas" => self.schema(entry, &pointer),
                    "parameters" => self.parameter(entry, &pointer),
                    "headers" => self.header(entry, &pointer),
                    "requestBodies" => self.content_holder(entry, &pointer),
                    _ => self.response(entry, &pointer),
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        self.parameters(item, pointer);
        each_operation(item, pointer, |operation, pointer| {
            self.parameters(operation, pointer);
            if let Some(body) = operation.get_mut("requestBody") {
                self.content_holder(body, &pointer_push(pointer, "requestBody"));
            }
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                let base = pointer_push(pointer, "responses");
                for (status, response) in responses.iter_mut() {
                    self.response(response, &pointer_push(&base, status));
                }
            }
        });
    }

    /// The 3.2 rewrites, with this walk's dialect and warnings.
    fn v32(&mut self) -> v32::Reader<'_> {
        v32::Reader {
            dialect: self.dialect,
            warnings: &mut *self.warnings,
        }
    }

    fn parameters(&mut self, holder: &mut Map<String, Value>, pointer: &str) {
        if let Some(parameters) = holder.get_mut("parameters").and_then(Value::as_array_mut) {
            let base = pointer_push(pointer, "parameters");
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &pointer_push(&base, &index.to_string()));
            }
        }
    }

    fn parameter(&mut self, parameter: &mut Value, pointer: &str) {
        if let Some(object) = parameter
            .as_object_mut()
            .filter(|p| !p.contains_key("$ref"))
        {
            self.v32().parameter(object, pointer);
        }
        self.header(parameter, pointer);
    }

    /// Headers, like parameters, hold a `schema` or a `content` map.
    fn header(&mut self, header: &mut Value, pointer: &str) {
        if let Some(schema) = header.get_mut("schema") {
            self.schema(schema, &pointer_push(pointer, "schema"));
        }
        self.content_holder(header, pointer);
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        if let Some(object) = response.as_object_mut().filter(|r| !r.contains_key("$ref")) {
            self.v32().response(object, pointer);
        }
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            let base = pointer_push(pointer, "headers");
            for (name, header) in headers.iter_mut() {
                self.header(header, &pointer_push(&base, name));
            }
        }
        self.content_holder(response, pointer);
    }

    fn content_holder(&mut self, holder: &mut Value, pointer: &str) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        let base = pointer_push(pointer, "content");
        for (media_type, media) in content.iter_mut() {
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            let at = pointer_push(&base, media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &pointer_push(&at, "schema"));
            }
            // Kept for the model to read from the media type's extensions; the pointer stays
            // the one written, so that warnings about it point into the spec.
            if let Some(mut item_schema) = media.remove("itemSchema") {
                let pointer = pointer_push(&at, "itemSchema");
                self.v32().read_field(&pointer, "itemSchema");
                self.schema(&mut item_schema, &pointer);
                media.insert(ITEM_SCHEMA_EXTENSION.to_owned(), item_schema);
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        if let (Value::Bool(allowed), Dialect::V3_1 | Dialect::V3_2) = (&schema, self.dialect) {
            // JSON Schema's `true` accepts anything, `false` nothing.
            *schema = if *allowed {
                json!({})
            } else {
                json!({"not": {}})
            };
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let held = Held::of(object);
        if held.type_specific {
            // Before the children: a dropped `properties` holds nothing worth a warning.
            applicable::drop_inapplicable(object, pointer, self.warnings);
        }
        self.children(object, held.subschemas, pointer);
        if !held.checked_or_rewritten {
            return;
        }
        values::check(object, pointer, self.warnings);
        fold_annotation_members(object);
        if self.dialect == Dialect::V3_0 {
            self.repair_3_0(object, pointer);
        } else {
            wrap_ref_with_siblings(object);
            self.type_array(object, pointer);
            remove_null_branches(object, "anyOf");
            remove_null_branches(object, "oneOf");
            rewrite_const(object);
            rewrite_exclusive_bound(object, "exclusiveMinimum", "minimum");
            rewrite_exclusive_bound(object, "exclusiveMaximum", "maximum");
            rewrite_examples(object);
        }
    }

    fn repair_3_0(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let mistakes = [
            ("type", object.get("type").is_some_and(Value::is_array)),
            (
                "exclusiveMinimum",
                object.get("exclusiveMinimum").is_some_and(Value::is_number),
            ),
            (
                "exclusiveMaximum",
                object.get("exclusiveMaximum").is_some_and(Value::is_number),
            ),
            ("const", object.contains_key("const")),
        ];
        for (keyword, present) in mistakes {
            if present {
                self.warnings.push(Diagnostic::warning(
                    pointer_push(pointer, keyword),
                    format!("`{keyword}` is written in its OpenAPI 3.1 form in a 3.0 document; read as 3.1"),
                ));
            }
        }
        self.type_array(object, pointer);
        rewrite_const(object);
        rewrite_exclusive_bound(object, "exclusiveMinimum", "minimum");
        rewrite_exclusive_bound(object, "exclusiveMaximum", "maximum");
    }

    /// Walks the sub-schemas under the keywords whose bits `held` has.
    fn children(&mut self, object: &mut Map<String, Value>, held: u32, pointer: &str) {
        for (index, (key, holds)) in SUBSCHEMA_KEYWORDS.into_iter().enumerate() {
            if held & (1 << index) == 0 {
                continue;
            }
            match (holds, object.get_mut(key)) {
                (Holds::Map, Some(Value::Object(map))) => {
                    let base = pointer_push(pointer, key);
                    for (name, child) in map.iter_mut() {
                        self.schema(child, &pointer_push(&base, name));
                    }
                }
                (Holds::List, Some(Value::Array(items))) => {
                    let base = pointer_push(pointer, key);
                    for (position, child) in items.iter_mut().enumerate() {
                        self.schema(child, &pointer_push(&base, &position.to_string()));
                    }
                }
                // `openapiv3` reads `additionalProperties: false` as it is.
                (Holds::One, Some(Value::Bool(_))) if key.ends_with("Properties") => {}
                (Holds::One, Some(child)) => self.schema(child, &pointer_push(pointer, key)),
                _ => {}
            }
        }
    }

    fn type_array(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(types)) = object.get("type") else {
            if object.get("type").and_then(Value::as_str) == Some("null") {
                object.remove("type");
                object.insert("nullable".into(), Value::Bool(true));
                object.insert("enum".into(), json!([null]));
            }
            return;
        };
        let mut names = Vec::new();
        let mut nullable = false;
        for entry in types {
            match entry.as_str() {
                Some("null") => nullable = true,
                Some(name) => names.push(name.to_owned()),
                None => self.warnings.push(Diagnostic::warning(
                    pointer_push(pointer, "type"),
                    format!("ignored a `type` entry that is not a string: {entry}"),
                )),
            }
        }
        object.remove("type");
        if nullable {
            object.insert("nullable".into(), Value::Bool(true));
        }
        match names.as_slice() {
            [] => {}
            [single] => {
                object.insert("type".into(), Value::String(single.clone()));
            }
            _ => {
                let branches = names.iter().map(|name| json!({ "type": name })).collect();
                object.insert("anyOf".into(), Value::Array(branches));
            }
        }
    }
}

fn wrap_ref_with_siblings(object: &mut Map<String, Value>) {
    if object.len() < 2 {
        return;
    }
    if let Some(reference) = object.remove("$ref") {
        let mut target = Map::new();
        target.insert("$ref".into(), reference);
        object.insert("allOf".into(), json!([Value::Object(target)]));
    }
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(name)) => name == "null",
        // Children were normalized first, so `{type: 'null'}` now reads `enum: [null]`.
        None => schema.get("enum") == Some(&json!([null])),
        _ => false,
    }
}

fn remove_null_branches(object: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(branches)) = object.get_mut(keyword) else {
        return;
    };
    let before = branches.len();
    branches.retain(|branch| !is_null_schema(branch));
    if branches.len() == before {
        return;
    }
    object.insert("nullable".into(), Value::Bool(true));
    let Some(Value::Array(branches)) = object.remove(keyword) else {
        return;
    };
    let mut branches = branches;
    match branches.len() {
        0 => {}
        1 if !object.contains_key("allOf") => {
            let branch = branches.remove(0);
            merge_single_branch(object, branch);
        }
        _ => {
            object.insert(keyword.into(), Value::Array(branches));
        }
    }
}

/// `anyOf: [X, null]` becomes X itself: a `$ref` goes under `allOf` so that the parent's title,
/// description and default stay beside it; an inline schema is merged, the parent's keys winning.
fn merge_single_branch(object: &mut Map<String, Value>, branch: Value) {
    match branch {
        Value::Object(branch) if branch.contains_key("$ref") => {
            object.insert("allOf".into(), json!([Value::Object(branch)]));
        }
        Value::Object(branch) => {
            for (key, value) in branch {
                object.entry(key).or_insert(value);
            }
        }
        other => {
            object.insert("allOf".into(), json!([other]));
        }
    }
}

fn rewrite_const(object: &mut Map<String, Value>) {
    if let Some(value) = object.remove("const") {
        object.entry("enum").or_insert_with(|| json!([value]));
    }
}

fn rewrite_exclusive_bound(object: &mut Map<String, Value>, keyword: &str, inclusive: &str) {
    if let Some(Value::Number(bound)) = object.get(keyword).cloned() {
        object.insert(inclusive.into(), Value::Number(bound));
        object.insert(keyword.into(), Value::Bool(true));
    }
}

/// `openapiv3` reads only `example`; every entry is kept under [`EXAMPLES_EXTENSION`] for
/// the model, and the first also becomes `example`.
fn rewrite_examples(object: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = object.remove("examples") {
        if let Some(first) = examples.first() {
            object.entry("example").or_insert_with(|| first.clone());
        }
        object.insert(EXAMPLES_EXTENSION.into(), Value::Array(examples));
    }
}

/// Keywords that say something about a schema without constraining its values.
const ANNOTATIONS: [&str; 11] = [
    "description",
    "title",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "externalDocs",
    "$comment",
];

/// `allOf: [{$ref: X}, {description: ..., nullable: true}]` is how many specs annotate a
/// reference. Members that only annotate are folded into the schema itself (its own keywords
/// win), so that the merge sees just the members that say what a value is.
fn fold_annotation_members(object: &mut Map<String, Value>) {
    let annotates = |member: &Value| {
        member.as_object().is_some_and(|member| {
            !member.is_empty()
                && member
                    .keys()
                    .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
        })
    };
    let Some(Value::Array(members)) = object.get("allOf") else {
        return;
    };
    if !members.iter().any(annotates) {
        return;
    }
    let Some(Value::Array(members)) = object.remove("allOf") else {
        return;
    };
    let (annotations, kept): (Vec<Value>, Vec<Value>) = members.into_iter().partition(annotates);
    for annotation in annotations {
        if let Value::Object(annotation) = annotation {
            for (key, value) in annotation {
                object.entry(key).or_insert(value);
            }
        }
    }
    if !kept.is_empty() {
        object.insert("allOf".to_owned(), Value::Array(kept));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Dialect, Held, ITEM_SCHEMA_EXTENSION, REWRITTEN_KEYWORDS, normalize};

    fn normalize_3_1(document: &mut Value, warnings: &mut Vec<crate::diagnostics::Diagnostic>) {
        normalize(document, Dialect::V3_1, warnings);
    }

    fn schema_after(schema: Value) -> Value {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema}}
        });
        normalize_3_1(&mut document, &mut Vec::new());
        document["components"]["schemas"]["S"].take()
    }

    /// Each keyword that a check or rewrite acts on is seen; a schema with none of them, and a
    /// plain `type`, is left as it is without looking further.
    #[test]
    fn only_schemas_with_checked_or_rewritten_keywords_are_looked_at() {
        let needs = |schema: Value| Held::of(schema.as_object().unwrap()).checked_or_rewritten;
        for keyword in REWRITTEN_KEYWORDS {
            assert!(needs(json!({"type": "string", keyword: 1})), "{keyword}");
        }
        assert!(needs(json!({"type": ["string", "null"]})));
        assert!(needs(json!({"type": "null"})));
        let plain = json!({"type": "string", "nullable": true, "format": "x", "x-a": 1,
                           "description": "d", "$comment": "c", "maxLength": 3});
        assert!(!needs(plain.clone()));
        assert_eq!(schema_after(plain.clone()), plain);
    }

    #[test]
    fn annotation_members_of_all_of_fold_into_the_schema() {
        assert_eq!(
            schema_after(json!({"allOf": [
                {"$ref": "#/components/schemas/X"},
                {"description": "the X", "nullable": true, "x-internal": 1}
            ]})),
            json!({"description": "the X", "nullable": true, "x-internal": 1,
                   "allOf": [{"$ref": "#/components/schemas/X"}]})
        );
        // Members with a type or properties stay, and the schema's own keywords win.
        assert_eq!(
            schema_after(json!({"description": "own", "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"description": "member"}
            ]})),
            json!({"description": "own",
                   "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]})
        );
    }

    #[test]
    fn type_arrays_become_nullable_or_any_of() {
        assert_eq!(
            schema_after(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"maxLength": 3, "nullable": true, "type": "string"})
        );
        assert_eq!(
            schema_after(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn null_branches_leave_any_of() {
        assert_eq!(
            schema_after(
                json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}], "description": "d"})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            schema_after(
                json!({"anyOf": [{"type": "string", "maxLength": 500}, {"type": "null"}], "title": "Reason"})
            ),
            json!({"title": "Reason", "nullable": true, "type": "string", "maxLength": 500})
        );
        assert_eq!(
            schema_after(
                json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
            ),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_bounds_examples_and_ref_siblings() {
        assert_eq!(schema_after(json!({"const": "x"})), json!({"enum": ["x"]}));
        assert_eq!(
            schema_after(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            schema_after(json!({"examples": [1, 2]})),
            json!({"example": 1, "x-generator-examples": [1, 2]})
        );
        assert_eq!(
            schema_after(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn nested_schemas_are_reached_and_property_names_are_not_keywords() {
        let normalized = schema_after(json!({
            "type": "object",
            "properties": {
                "type": {"type": ["integer", "null"]},
                "const": {"items": {"const": 1}, "type": "array"}
            }
        }));
        assert_eq!(
            normalized["properties"]["type"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            normalized["properties"]["const"]["items"],
            json!({"enum": [1]})
        );
    }

    #[test]
    fn boolean_schemas_become_objects() {
        assert_eq!(schema_after(json!(true)), json!({}));
        assert_eq!(schema_after(json!(false)), json!({"not": {}}));
        let normalized = schema_after(json!({"type": "object", "additionalProperties": false}));
        assert_eq!(normalized["additionalProperties"], json!(false));
    }

    /// A 3.2 media type's `itemSchema` moves to its extension key, normalized as a `schema`
    /// is, wherever media types sit: a response, a request body, a component.
    #[test]
    fn item_schemas_are_kept_normalized_in_an_extension() {
        let item = json!({"type": "object", "properties": {
            "id": {"type": ["integer", "null"]},
            "kind": {"const": "tick"}
        }});
        let normalized = json!({"type": "object", "properties": {
            "id": {"type": "integer", "nullable": true},
            "kind": {"enum": ["tick"]}
        }});
        let media = json!({"text/event-stream": {"itemSchema": item}});
        let mut document = json!({
            "openapi": "3.2.0",
            "paths": {"/events": {"get": {
                "requestBody": {"content": media},
                "responses": {"200": {"description": "", "content": media}}
            }}},
            "components": {"responses": {"Events": {"description": "", "content": media}}}
        });
        let mut warnings = Vec::new();
        normalize(&mut document, Dialect::V3_2, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        let expected = json!({"text/event-stream": {ITEM_SCHEMA_EXTENSION: normalized}});
        let operation = &document["paths"]["/events"]["get"];
        assert_eq!(operation["requestBody"]["content"], expected);
        assert_eq!(operation["responses"]["200"]["content"], expected);
        assert_eq!(
            document["components"]["responses"]["Events"]["content"],
            expected
        );
        // Beside a `schema`, each is normalized on its own; in a 3.1 document, with a warning.
        let mut document = json!({"paths": {"/e": {"get": {"responses": {"200": {
            "description": "",
            "content": {"application/jsonl": {
                "schema": {"type": ["string", "null"]},
                "itemSchema": {"$ref": "#/components/schemas/E", "description": "one"}
            }}
        }}}}}});
        normalize(&mut document, Dialect::V3_1, &mut warnings);
        let media =
            &document["paths"]["/e"]["get"]["responses"]["200"]["content"]["application/jsonl"];
        assert_eq!(media["schema"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            media[ITEM_SCHEMA_EXTENSION],
            json!({"description": "one", "allOf": [{"$ref": "#/components/schemas/E"}]})
        );
        assert_eq!(media.get("itemSchema"), None);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].pointer,
            "/paths/~1e/get/responses/200/content/application~1jsonl/itemSchema"
        );
    }

    #[test]
    fn mistaken_3_1_forms_in_3_0_are_repaired_with_a_warning() {
        let mut document = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"S": {"type": "integer", "exclusiveMinimum": 0}, "T": {"type": "string", "nullable": true}}}
        });
        let mut warnings = Vec::new();
        normalize(&mut document, Dialect::V3_0, &mut warnings);
        assert_eq!(
            document["components"]["schemas"]["S"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            document["components"]["schemas"]["T"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].pointer,
            "/components/schemas/S/exclusiveMinimum"
        );
    }
}
