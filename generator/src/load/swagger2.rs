//! Swagger 2.0 read natively: the document, as JSON, rewritten into the OpenAPI 3.0 forms that
//! the rest of the pipeline reads, with every diagnostic still pointing into the user's own file.
//!
//! The rules are swagger2openapi's (Mermade/oas-kit, `packages/swagger2openapi/index.js`, version
//! 7.0.8, and its `docs/extensions.md`), the converter most 2.0 users would otherwise run:
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | one server per scheme, `{scheme}://{host}{basePath}` (no trailing `/`); `//{host}{basePath}` without schemes; `basePath` alone without a host |
//! | `definitions`, `parameters`, `responses`, `securityDefinitions` | `components.schemas`, `.parameters`, `.responses`, `.securitySchemes`, every `$ref` rewritten |
//! | a `#/parameters` entry `in: body` | `components.requestBodies` (the global `consumes`); an operation that consumes the same refers to it, another gets a copy with its own media types |
//! | a `#/parameters` entry `in: formData` | copied into each operation's form body that refers to it |
//! | `in: body` | `requestBody`: `description`, `required`, the schema under each media type the operation consumes (default `application/json`), the parameter's `x-` keys |
//! | `in: formData` | one object schema of all of them, a property each; `multipart/form-data` when the operation consumes it, else `application/x-www-form-urlencoded`; `type: file` is `{type: string, format: binary}` |
//! | other parameters | `type`, `format`, `items`, `enum`, `default` and the other validation keywords under `schema`; `x-example` is `example` |
//! | `collectionFormat` of a query array | `csv` (the default): `style: form, explode: false`; `ssv`: `spaceDelimited`; `pipes`: `pipeDelimited`; `multi`: `style: form, explode: true` |
//! | `collectionFormat` of a path or header array | `style: simple` (comma-separated; another format is sent so, with a warning); a response header's `multi` is `explode: true` |
//! | `consumes`, `produces` (the operation's, else the document's) | the media types of request and response bodies |
//! | a response's `schema` | `content`, the schema under each media type the operation produces; `type: file` is `{type: string, format: binary}` |
//! | a response's `examples` (by media type) | that media type's `example` |
//! | a response's `headers` | each header's type keywords under `schema` |
//! | `basic` | `{type: http, scheme: basic}` |
//! | `oauth2` with `flow` `implicit`, `password`, `application`, `accessCode` | `flows.implicit`, `.password`, `.clientCredentials`, `.authorizationCode` with the URLs and `scopes` |
//! | `x-nullable` on a schema | `nullable` |
//! | `discriminator: property` | `discriminator: {propertyName: property}` |
//! | `type: file` in a schema, `allowEmptyValue` in a schema | `{type: string, format: binary}`; dropped |
//! | `x-ms-paths` | read as paths (swagger2openapi converts them as paths but leaves them under `x-ms-paths`): `/a?op=b` is `/a` with a required query parameter `op` of the one value `b`; an operation whose method the path has already is left out with a warning, since 3.0 has one operation per path and method |
//!
//! Where this reading differs from swagger2openapi's, it is on purpose, for the client:
//! - no `produces` anywhere means `application/json` (swagger2openapi writes `*/*`, which reads
//!   as bytes), and a `type: file` response whose media types are all JSON is
//!   `application/octet-stream`;
//! - a formData `type: file` parameter makes the body `multipart/form-data` whatever the
//!   operation consumes (a file cannot be sent in a URL-encoded form);
//! - a form with a required field is a required body (swagger2openapi leaves it optional,
//!   which would let a client send no form at all);
//! - an example for a media type the operation does not produce adds that media type with the
//!   response's schema (Docker documents its JSON errors this way beside a stream), where
//!   swagger2openapi adds it without one;
//! - `x-isnullable` is read like `x-nullable`, and either beside a `$ref` is
//!   `allOf: [{$ref}]` with `nullable: true` (swagger2openapi drops the siblings of a `$ref`);
//! - `tsv`, which OpenAPI 3.0 has no style for, is read as `csv` with a warning
//!   (swagger2openapi warns and leaves the 3.0 default, `multi`);
//! - inline request bodies are not gathered into `components.requestBodies` when several
//!   operations share one (the model names a body by its operation either way);
//! - component names are kept as they are (swagger2openapi replaces characters outside
//!   `[A-Za-z0-9_.-]`): the model makes its own Rust names from them;
//! - a schema `$ref` to a definition the document does not have is read as any JSON value,
//!   with a warning at the `$ref` (swagger2openapi writes it on, and the 3.0 reading would
//!   refuse the document for it): 2.0 documents generated from code (Temporal's) have them;
//! - a path template's parameter patterns (go-restful's `{name:[a-z]+}`) are dropped, with a
//!   warning, and a path parameter the template names but no parameter declares is declared
//!   as a string, with a warning (swagger2openapi keeps both as written, which 3.0 refuses);
//! - the Azure extensions that change types are read: `x-ms-discriminator-value` (a subtype's
//!   tag, written into its base's discriminator `mapping`) and `x-ms-enum` (its values' `name`s
//!   name the variants, as `x-enum-varnames` does, and an inline enum with a `name` becomes the
//!   component of that name). `modelAsString` needs nothing: every string enum of the model
//!   keeps values the spec does not list.
//!
//! Diagnostics. This module's own warnings carry the pointer of the 2.0 document. The stages
//! after it report pointers into the converted document; [`Origins`] maps each back: it records,
//! for every node the conversion moved, the converted pointer and the 2.0 one (a schema under
//! `#/components/schemas/X` is at `#/definitions/X`, a parameter's `schema` is the parameter
//! itself, a request body is its body parameter, a response's `content/{type}/schema` is its
//! `schema`), and a pointer below a moved node keeps its rest. Nodes that did not move keep their
//! pointers.
//!
//! `$ref`s inside extensions and examples are not references to read: before other files are
//! followed, [`hide_opaque_refs`] rewrites the local ones to where their targets move and takes
//! those subtrees out of the walk, so that a reference there to a file that is not at hand (as
//! Azure's `x-ms-examples` have) is not followed.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::paths::METHODS;
use super::percent_decode;
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::media_type::essence;

type Object = Map<String, Value>;

/// The version of OpenAPI a converted document declares.
const CONVERTED_VERSION: &str = "3.0.3";

/// How the later stages' messages name the document they read, which for a converted one is
/// not the user's.
const CONVERTED_DOCUMENT: &str = "in a 3.0 document";

/// Where each section of a 2.0 document goes.
const SECTIONS: [(&str, &str); 3] = [
    ("/definitions/", "/components/schemas/"),
    ("/parameters/", "/components/parameters/"),
    ("/responses/", "/components/responses/"),
];

/// The keywords of a 2.0 non-body parameter, header or `items` that describe its value; in 3.0
/// they are under `schema`. The extensions among them act on the value's type.
const VALUE_KEYWORDS: [&str; 23] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "title",
    "x-nullable",
    "x-isnullable",
    "x-ms-enum",
    "x-enum-varnames",
    "x-enumNames",
    "x-enum-descriptions",
];

/// Converted pointers of the nodes the conversion moved, each with its pointer in the 2.0
/// document.
#[derive(Debug, Default)]
pub struct Origins {
    moved: HashMap<String, String>,
}

impl Origins {
    fn record(&mut self, converted: String, original: &str) {
        if converted != original {
            self.moved.insert(converted, original.to_owned());
        }
    }

    /// The pointer in the 2.0 document of what is at `pointer` in the converted one, when it
    /// moved: the nearest moved node at or above it, with the rest of the pointer kept.
    fn original(&self, pointer: &str) -> Option<String> {
        if self.moved.is_empty() {
            return None;
        }
        let mut end = pointer.len();
        while end > 0 {
            let (prefix, rest) = pointer.split_at(end);
            if let Some(original) = self.moved.get(prefix) {
                return Some(format!("{original}{rest}"));
            }
            end = prefix.rfind('/')?;
        }
        None
    }

    /// Points each diagnostic, found in the converted document, back into the 2.0 one: its
    /// location, and the pointers its message names (`... but #/components/schemas/A/allOf/0
    /// requires ...`), which would otherwise name places the user's document does not have.
    pub fn point_back(&self, diagnostics: &mut [Diagnostic]) {
        if self.moved.is_empty() {
            return;
        }
        for diagnostic in diagnostics {
            if let Some(original) = self.original(&diagnostic.pointer) {
                diagnostic.pointer = original;
            }
            if diagnostic.message.contains("#/") {
                diagnostic.message = self.message_back(&diagnostic.message);
            }
            // The later stages read the conversion as 3.0 and may say so; the user wrote 2.0.
            if diagnostic.message.contains(CONVERTED_DOCUMENT) {
                diagnostic.message = diagnostic
                    .message
                    .replace(CONVERTED_DOCUMENT, "in a Swagger 2.0 document");
            }
        }
    }

    /// A message with each `#/...` pointer in it pointed back. A pointer ends where prose
    /// does: at white space, a quote or bracket, or punctuation that ends it.
    fn message_back(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(start) = rest.find("#/") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after
                .find(|c: char| c.is_whitespace() || "`'\"),;".contains(c))
                .unwrap_or(after.len());
            let pointer = after[..end].trim_end_matches([':', '.']);
            match self.original(pointer) {
                Some(original) => {
                    out.push('#');
                    out.push_str(&original);
                }
                None => {
                    out.push('#');
                    out.push_str(pointer);
                }
            }
            rest = &after[pointer.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// Whether a document is Swagger 2.0 (`swagger: "2.0"`, or `2.0` as a YAML number).
pub fn is_version(value: &Value) -> bool {
    match value {
        Value::String(text) => text == "2.0",
        Value::Number(number) => number.as_f64() == Some(2.0),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// References inside extensions and examples.

/// Subtrees of the document taken out while other files are followed, by pointer.
pub struct Hidden(Vec<(String, Value)>);

impl Hidden {
    /// Puts the subtrees back. Following other files replaces `$ref` objects where they are
    /// and adds schemas under `#/components/schemas`, so each subtree's pointer still leads
    /// to the place it was taken from.
    pub fn restore(self, document: &mut Value) {
        for (pointer, value) in self.0 {
            if let Some(slot) = document.pointer_mut(&pointer) {
                *slot = value;
            }
        }
    }
}

/// What a member of a 2.0 object holds, as far as references go.
#[derive(Clone, Copy)]
enum Kind {
    Root,
    Paths,
    PathItem,
    Operation,
    /// A list (an operation's) or a map (the document's) of parameters.
    Parameters,
    Parameter,
    /// A non-body parameter's or a header's `items`, and a header.
    Items,
    /// An operation's responses, keyed by status, where `x-` keys are extensions.
    Responses,
    /// The document's responses, keyed by name.
    NamedResponses,
    Response,
    Headers,
    Schema,
    /// `properties`, `definitions`: schemas by name.
    Schemas,
    /// `allOf` and the like: schemas in a list.
    SchemaList,
}

/// What a member holds: a part of the description, a `$ref`'s own text, or something the
/// description does not read (an extension, an example, a description's text).
enum Member {
    Part(Kind),
    Reference,
    Opaque,
}

fn member(kind: Kind, key: &str, value: &Value) -> Member {
    use Kind::*;
    let part = match (kind, key) {
        (_, "$ref") if !matches!(kind, Root | Paths | Schemas | Parameters | NamedResponses) => {
            return Member::Reference;
        }
        (Root, "paths" | "x-ms-paths") => Paths,
        (Root, "definitions") | (Schema, "properties" | "patternProperties") => Schemas,
        (Schemas, _) => Schema,
        (Root, "parameters") | (PathItem | Operation, "parameters") => Parameters,
        (Root, "responses") => NamedResponses,
        (Paths, path) if path.starts_with('/') => PathItem,
        (PathItem, method) if METHODS.contains(&method) => Operation,
        (Parameters, _) => Parameter,
        (Parameter | Response, "schema") => Schema,
        (Parameter | Items, "items") => Items,
        (Operation, "responses") => Responses,
        (Responses, status) if !status.starts_with("x-") => Response,
        (NamedResponses, _) => Response,
        (Response, "headers") => Headers,
        (Headers, _) => Items,
        (Schema, "allOf" | "anyOf" | "oneOf") | (SchemaList, _) => SchemaList,
        (Schema, "items") if value.is_array() => SchemaList,
        (Schema, "items" | "additionalProperties" | "not") => Schema,
        _ => return Member::Opaque,
    };
    // A list kind's members are of the kind it lists.
    Member::Part(match (part, value) {
        (SchemaList, Value::Array(_)) => SchemaList,
        (SchemaList, _) => Schema,
        (part, _) => part,
    })
}

/// Rewrites the local `$ref`s inside extensions and examples to where their targets are in the
/// converted document, warns about those that lead nowhere or to other files, and takes the
/// subtrees that hold any out of the document until [`Hidden::restore`].
pub fn hide_opaque_refs(document: &mut Value, warnings: &mut Vec<Diagnostic>) -> Hidden {
    let mut found = Vec::new();
    find_opaque(document, Kind::Root, &mut String::new(), &mut found);
    // Rewritten while the whole document is there to look targets up in, then taken out.
    let mut hidden = Vec::new();
    for pointer in found {
        let mut subtree = document.pointer(&pointer).cloned().unwrap_or_default();
        rewrite_opaque(&mut subtree, document, &pointer, warnings);
        hidden.push((pointer, subtree));
    }
    for (pointer, _) in &hidden {
        if let Some(slot) = document.pointer_mut(pointer) {
            *slot = Value::Null;
        }
    }
    Hidden(hidden)
}

fn find_opaque(value: &Value, kind: Kind, pointer: &mut String, found: &mut Vec<String>) {
    let mut visit = |key: &str, child: &Value, pointer: &mut String| {
        let length = crate::diagnostics::pointer_enter(pointer, key);
        match member(kind, key, child) {
            Member::Part(kind) => find_opaque(child, kind, pointer, found),
            Member::Opaque if holds_ref(child) => found.push(pointer.clone()),
            Member::Opaque | Member::Reference => {}
        }
        pointer.truncate(length);
    };
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                visit(key, child, pointer);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                visit(&index.to_string(), child, pointer);
            }
        }
        _ => {}
    }
}

fn holds_ref(value: &Value) -> bool {
    match value {
        Value::Object(object) => object
            .iter()
            .any(|(key, child)| key == "$ref" || holds_ref(child)),
        Value::Array(items) => items.iter().any(holds_ref),
        _ => false,
    }
}

/// Where a local `$ref` of a 2.0 document leads in it, and its text in the converted document.
/// A 2.0 document that already writes `#/components/schemas/X` (Bungie's does, in an extension)
/// means its definition `X`.
fn local_target(reference: &str) -> Option<(String, String)> {
    let fragment = reference.strip_prefix('#')?;
    for (old, new) in SECTIONS {
        if let Some(rest) = fragment.strip_prefix(old) {
            return Some((format!("{old}{rest}"), format!("#{new}{rest}")));
        }
        if let Some(rest) = fragment.strip_prefix(new) {
            return Some((format!("{old}{rest}"), reference.to_owned()));
        }
    }
    Some((fragment.to_owned(), reference.to_owned()))
}

fn rewrite_opaque(
    value: &mut Value,
    document: &Value,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                let at = pointer_push(pointer, "$ref");
                match local_target(reference) {
                    Some((original, converted)) => {
                        if document.pointer(&percent_decode(&original)).is_some() {
                            object.insert("$ref".into(), Value::String(converted));
                        } else {
                            warnings.push(Diagnostic::warning(
                                at,
                                format!("`$ref: {reference}` inside an extension or example points to nothing; it is left out"),
                            ));
                            object.shift_remove("$ref");
                        }
                    }
                    None => warnings.push(Diagnostic::warning(
                        at,
                        format!("`$ref: {reference}` is inside an extension or example, which the generator does not read; not followed"),
                    )),
                }
            }
            for (key, child) in object.iter_mut() {
                rewrite_opaque(child, document, &pointer_push(pointer, key), warnings);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                rewrite_opaque(
                    child,
                    document,
                    &pointer_push(pointer, &index.to_string()),
                    warnings,
                );
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The conversion.

/// Rewrites a Swagger 2.0 document into OpenAPI 3.0 in place; returns where each moved node
/// was. Warnings carry pointers into the 2.0 document.
pub fn convert(document: &mut Value, warnings: &mut Vec<Diagnostic>) -> Origins {
    let Value::Object(root) = std::mem::take(document) else {
        return Origins::default();
    };
    let mut own = Vec::new();
    let mut converter = Converter::new(&root, &mut own);
    let converted = converter.document(root);
    let origins = converter.origins;
    *document = Value::Object(converted);
    // A schema copied under several media types is converted once for each.
    let mut seen = HashSet::new();
    warnings.extend(
        own.into_iter()
            .filter(|d| seen.insert((d.pointer.clone(), d.message.clone()))),
    );
    origins
}

struct Converter<'w> {
    /// The names of `#/definitions`, and of the schemas brought in from other files.
    schema_names: HashSet<String>,
    /// The document's `#/parameters`, as written: the body and form parameters that operations
    /// refer to are copied into them.
    parameters: Object,
    /// The document's `consumes` and `produces`.
    consumes: Option<Vec<String>>,
    produces: Option<Vec<String>>,
    /// Discriminator mappings, by base definition, from `x-ms-discriminator-value`.
    mappings: HashMap<String, Object>,
    /// Inline enums that `x-ms-enum` names, made components, in the order met.
    named_enums: Vec<(String, Value)>,
    origins: Origins,
    warnings: &'w mut Vec<Diagnostic>,
}

/// What an operation takes from its path item.
struct Shared<'s> {
    /// The path, `{name}` for each parameter.
    template: &'s str,
    /// The item's parameters that go into each operation, as written, with their pointers.
    inherited: &'s [(Value, String)],
    /// The names of the path parameters the item keeps for all its operations.
    declared: &'s [String],
    /// Query parameters fixed by an `x-ms-paths` key.
    fixed: &'s [(String, String)],
}

/// A path item to convert: its path, the item as written, its pointer, and the query
/// parameters its `x-ms-paths` key fixes.
type Source = (String, Value, String, Vec<(String, String)>);

/// A parameter of an operation, sorted by where it goes.
enum Sorted {
    /// A 3.0 parameter, converted.
    Parameter(Value),
    /// A body parameter: the component it is (when it is one), and the parameter as written.
    Body(Option<String>, Object),
    /// A form field, as written.
    Form(Object),
}

impl<'w> Converter<'w> {
    fn new(root: &Object, warnings: &'w mut Vec<Diagnostic>) -> Self {
        let mut schema_names: HashSet<String> = HashSet::new();
        let brought_in = root.get("components").and_then(|c| c.get("schemas"));
        for schemas in [root.get("definitions"), brought_in].into_iter().flatten() {
            if let Value::Object(schemas) = schemas {
                schema_names.extend(schemas.keys().cloned());
            }
        }
        let parameters = match root.get("parameters") {
            Some(Value::Object(parameters)) => parameters.clone(),
            _ => Object::new(),
        };
        let mut converter = Self {
            schema_names,
            parameters,
            consumes: None,
            produces: None,
            mappings: HashMap::new(),
            named_enums: Vec::new(),
            origins: Origins::default(),
            warnings,
        };
        converter.consumes = converter.media_types(root.get("consumes"), "/consumes");
        converter.produces = converter.media_types(root.get("produces"), "/produces");
        if let Some(Value::Object(definitions)) = root.get("definitions") {
            converter.mappings = discriminator_mappings(definitions);
        }
        converter
    }

    /// A `consumes` or `produces` list; a single string is read as a list of one.
    fn media_types(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        match value? {
            Value::String(one) => Some(vec![one.clone()]),
            Value::Array(items) => {
                let mut types: Vec<String> = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(text) if !types.iter().any(|t| t == text) => types.push(text.into()),
                        Some(_) => {}
                        None => self.warnings.push(Diagnostic::warning(
                            pointer,
                            format!("a media type must be a string; `{item}` is ignored"),
                        )),
                    }
                }
                Some(types)
            }
            other => {
                self.warnings.push(Diagnostic::warning(
                    pointer,
                    format!("a list of media types was expected, not `{other}`; ignored"),
                ));
                None
            }
        }
    }

    fn document(&mut self, root: Object) -> Object {
        let mut out = Object::new();
        out.insert("openapi".into(), Value::String(CONVERTED_VERSION.into()));
        if let Some(info) = root.get("info") {
            out.insert("info".into(), info.clone());
        }
        if let Some(servers) = self.servers(&root) {
            out.insert("servers".into(), servers);
        }
        let mut components = Components::default();
        let mut rest = Object::new();
        let mut paths = None;
        let mut ms_paths = None;
        for (key, value) in root {
            match key.as_str() {
                "swagger" | "info" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
                "paths" => paths = Some(value),
                "x-ms-paths" => ms_paths = Some(value),
                "definitions" => self.definitions(value, &mut components),
                "parameters" => self.component_parameters(value, &mut components),
                "responses" => self.component_responses(value, &mut components),
                "securityDefinitions" => self.security_schemes(value, &mut components),
                // Schemas brought in from other files, under the 3.0 section already.
                "components" => self.brought_in(value, &mut components),
                _ => {
                    rest.insert(key, value);
                }
            }
        }
        out.insert("paths".into(), self.paths(paths, ms_paths));
        components
            .schemas
            .extend(std::mem::take(&mut self.named_enums));
        if let Some(components) = components.into_value() {
            out.insert("components".into(), components);
        }
        out.extend(rest);
        out
    }

    // --- servers -----------------------------------------------------------------------------

    fn servers(&mut self, root: &Object) -> Option<Value> {
        let base_path = match root.get("basePath") {
            Some(Value::String(path)) => path.trim_end_matches('/').to_owned(),
            _ => String::new(),
        };
        let urls: Vec<String> = match root.get("host") {
            Some(Value::String(host)) => {
                let schemes: Vec<&str> = match root.get("schemes") {
                    Some(Value::Array(schemes)) => {
                        schemes.iter().filter_map(Value::as_str).collect()
                    }
                    _ => Vec::new(),
                };
                if schemes.is_empty() {
                    // The scheme is the one the description was fetched with, unknown here.
                    vec![format!("//{host}{base_path}")]
                } else {
                    schemes
                        .iter()
                        .map(|scheme| format!("{scheme}://{host}{base_path}"))
                        .collect()
                }
            }
            _ if root.contains_key("basePath") => vec![match base_path.is_empty() {
                true => "/".to_owned(),
                false => base_path,
            }],
            _ => return None,
        };
        let origin = if root.contains_key("host") {
            "/host"
        } else {
            "/basePath"
        };
        self.origins.record("/servers".into(), origin);
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    // --- components --------------------------------------------------------------------------

    fn definitions(&mut self, definitions: Value, components: &mut Components) {
        let Value::Object(definitions) = definitions else {
            self.warnings.push(Diagnostic::warning(
                "/definitions",
                "`definitions` must be a mapping; ignored",
            ));
            return;
        };
        for (name, mut schema) in definitions {
            let original = pointer_push("/definitions", &name);
            self.origins
                .record(pointer_push("/components/schemas", &name), &original);
            if let (Some(mapping), Value::Object(object)) =
                (self.mappings.remove(&name), &mut schema)
                && let Some(Value::String(property)) = object.get("discriminator")
            {
                let property = property.clone();
                object.insert(
                    "discriminator".into(),
                    json!({"propertyName": property, "mapping": mapping}),
                );
            }
            self.schema(&mut schema, &original, true);
            components.schemas.insert(name, schema);
        }
    }

    fn brought_in(&mut self, value: Value, components: &mut Components) {
        let Value::Object(value) = value else {
            return;
        };
        for (key, entries) in value {
            match (key.as_str(), entries) {
                ("schemas", Value::Object(entries)) => {
                    for (name, mut schema) in entries {
                        let pointer = pointer_push("/components/schemas", &name);
                        self.schema(&mut schema, &pointer, true);
                        components.schemas.insert(name, schema);
                    }
                }
                (_, entries) => {
                    components.other.insert(key, entries);
                }
            }
        }
    }

    fn component_parameters(&mut self, parameters: Value, components: &mut Components) {
        let Value::Object(parameters) = parameters else {
            return;
        };
        let consumes = self.consumes.clone();
        for (name, parameter) in parameters {
            let original = pointer_push("/parameters", &name);
            match self.sort(parameter, &original) {
                Sorted::Parameter(converted) => {
                    self.origins
                        .record(pointer_push("/components/parameters", &name), &original);
                    let converted_pointer = pointer_push("/components/parameters", &name);
                    self.origins
                        .record(pointer_push(&converted_pointer, "schema"), &original);
                    components.parameters.insert(name, converted);
                }
                Sorted::Body(_, body) => {
                    let at = pointer_push("/components/requestBodies", &name);
                    let converted = self.request_body(&body, consumes.as_deref(), &at, &original);
                    components.request_bodies.insert(name, converted);
                }
                // Copied into each operation's form body that names it.
                Sorted::Form(_) => {}
            }
        }
    }

    fn component_responses(&mut self, responses: Value, components: &mut Components) {
        let Value::Object(responses) = responses else {
            return;
        };
        let produces = self.produces.clone();
        for (name, response) in responses {
            let original = pointer_push("/responses", &name);
            let at = pointer_push("/components/responses", &name);
            let converted = self.response(response, produces.as_deref(), &at, &original);
            components.responses.insert(name, converted);
        }
    }

    fn security_schemes(&mut self, schemes: Value, components: &mut Components) {
        let Value::Object(schemes) = schemes else {
            return;
        };
        for (name, scheme) in schemes {
            let original = pointer_push("/securityDefinitions", &name);
            let at = pointer_push("/components/securitySchemes", &name);
            self.origins.record(at.clone(), &original);
            let converted = self.security_scheme(scheme, &at, &original);
            components.security_schemes.insert(name, converted);
        }
    }

    fn security_scheme(&mut self, scheme: Value, at: &str, original: &str) -> Value {
        let Value::Object(scheme) = scheme else {
            return scheme;
        };
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                let mut out = Object::new();
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
                out.extend(scheme.into_iter().filter(|(key, _)| key != "type"));
                Value::Object(out)
            }
            Some("oauth2") => self.oauth2(scheme, at, original),
            _ => Value::Object(scheme),
        }
    }

    fn oauth2(&mut self, scheme: Object, at: &str, original: &str) -> Value {
        let flow = scheme
            .get("flow")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let (name, needs): (Option<&str>, &[&str]) = match flow.as_str() {
            "implicit" => (Some("implicit"), &["authorizationUrl"]),
            "password" => (Some("password"), &["tokenUrl"]),
            "application" => (Some("clientCredentials"), &["tokenUrl"]),
            "accessCode" => (Some("authorizationCode"), &["authorizationUrl", "tokenUrl"]),
            _ => (None, &[]),
        };
        let mut out = Object::new();
        out.insert("type".into(), "oauth2".into());
        let mut flow_object = Object::new();
        for (key, value) in scheme {
            match key.as_str() {
                "type" | "flow" => {}
                "authorizationUrl" | "tokenUrl" | "scopes" => {
                    flow_object.insert(key, value);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        let mut flows = Object::new();
        match name {
            Some(name) => {
                for url in needs {
                    if !flow_object.contains_key(*url) {
                        self.warnings.push(Diagnostic::warning(
                            original,
                            format!("the OAuth 2 flow `{flow}` needs `{url}`; read as \"\""),
                        ));
                        flow_object.insert((*url).into(), Value::String(String::new()));
                    }
                }
                flow_object
                    .entry("scopes")
                    .or_insert_with(|| Value::Object(Object::new()));
                self.origins
                    .record(format!("{at}/flows/{name}"), original);
                flows.insert(name.into(), Value::Object(flow_object));
            }
            None => self.warnings.push(Diagnostic::warning(
                pointer_push(original, "flow"),
                "an OAuth 2 scheme needs a `flow` of `implicit`, `password`, `application` or `accessCode`; it has none here",
            )),
        }
        out.insert("flows".into(), Value::Object(flows));
        Value::Object(out)
    }

    // --- paths -------------------------------------------------------------------------------

    /// `paths`, with `x-ms-paths` read into them: `/foo?op=bar` is the path `/foo`, and each of
    /// its operations gets the query parameter `op`, required and fixed to `bar`. Operations
    /// that come to share a path keep their own path-level parameters.
    fn paths(&mut self, paths: Option<Value>, ms_paths: Option<Value>) -> Value {
        let mut sources: Vec<Source> = Vec::new();
        let mut extensions = Object::new();
        for (section_key, value) in [("/paths", paths), ("/x-ms-paths", ms_paths)] {
            let Some(value) = value else {
                continue;
            };
            let Value::Object(items) = value else {
                if section_key == "/paths" {
                    // Left for the 3.0 reading to report where it is.
                    return value;
                }
                continue;
            };
            for (key, item) in items {
                let pointer = pointer_push(section_key, &key);
                if !key.starts_with('/') {
                    if section_key == "/paths" {
                        extensions.insert(key, item);
                    }
                    continue;
                }
                let (path, query) = key.split_once('?').unwrap_or((&key, ""));
                let path = self.plain_template(path, &pointer);
                let fixed = query
                    .split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| {
                        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                        (percent_decode(name), percent_decode(value))
                    })
                    .collect();
                sources.push((path, item, pointer, fixed));
            }
        }
        let mut shared: HashMap<String, usize> = HashMap::new();
        for (path, ..) in &sources {
            *shared.entry(path.clone()).or_default() += 1;
        }
        let mut out = Object::new();
        for (path, item, original, fixed) in sources {
            let at = pointer_push("/paths", &path);
            let alone = shared.get(&path) == Some(&1) && fixed.is_empty();
            let taken: Vec<String> = match out.get(&path) {
                Some(Value::Object(item)) => item.keys().cloned().collect(),
                _ => Vec::new(),
            };
            if alone {
                self.origins.record(at.clone(), &original);
            }
            let converted = self.path_item(item, &path, &original, !alone, &fixed, &taken);
            match out.get_mut(&path) {
                Some(Value::Object(existing)) => {
                    if let Value::Object(converted) = converted {
                        for (key, value) in converted {
                            existing.entry(key).or_insert(value);
                        }
                    }
                }
                _ => {
                    out.insert(path, converted);
                }
            }
        }
        out.extend(extensions);
        Value::Object(out)
    }

    /// A path template without the patterns go-restful writes into its parameters
    /// (`{namespace:[a-z0-9][a-z0-9\-]*}`), which no URL template holds and whose names no
    /// parameter declares.
    fn plain_template(&mut self, path: &str, original: &str) -> String {
        let mut plain = String::with_capacity(path.len());
        let mut rest = path;
        let mut changed = false;
        while let Some(open) = rest.find('{') {
            let (before, from_open) = rest.split_at(open);
            plain.push_str(before);
            let inner = &from_open[1..];
            let name_end = inner.find([':', '}']).unwrap_or(inner.len());
            let name = &inner[..name_end];
            if inner[name_end..].starts_with(':') {
                // The pattern may hold braces of its own (`[a-z]{3}`): up to the brace that
                // closes the parameter.
                let mut depth = 1usize;
                let mut close = None;
                for (index, c) in inner.char_indices().skip(name_end) {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(index);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(close) = close {
                    plain.push('{');
                    plain.push_str(name);
                    plain.push('}');
                    rest = &inner[close + 1..];
                    changed = true;
                    continue;
                }
            }
            plain.push('{');
            rest = inner;
        }
        plain.push_str(rest);
        if changed {
            self.warnings.push(Diagnostic::warning(
                original,
                format!("the path template `{path}` gives its parameters patterns, which a URL template cannot hold; read as `{plain}`"),
            ));
        }
        plain
    }

    /// A path item. With `push_down`, its path-level parameters go into each of its operations
    /// (it shares its path with another item); `fixed` are query parameters each operation
    /// gets; the methods in `taken` are another item's already, and are left out.
    fn path_item(
        &mut self,
        item: Value,
        path: &str,
        original: &str,
        push_down: bool,
        fixed: &[(String, String)],
        taken: &[String],
    ) -> Value {
        let Value::Object(item) = item else {
            return item;
        };
        let at = &pointer_push("/paths", path);
        // Body and form parameters always go into the operations: 3.0 has no request body
        // shared by a path's operations.
        let mut inherited: Vec<(Value, String)> = Vec::new();
        let mut kept = Vec::new();
        if let Some(Value::Array(parameters)) = item.get("parameters") {
            let base = pointer_push(original, "parameters");
            for (index, parameter) in parameters.iter().enumerate() {
                let pointer = pointer_push(&base, &index.to_string());
                if push_down || self.is_body_or_form(parameter) {
                    inherited.push((parameter.clone(), pointer));
                } else {
                    kept.push((parameter.clone(), pointer));
                }
            }
        }
        let declared: Vec<String> = kept
            .iter()
            .filter_map(|(parameter, _)| self.identity(parameter))
            .filter(|(_, location)| location == "path")
            .map(|(name, _)| name)
            .collect();
        let shared = Shared {
            template: path,
            inherited: &inherited,
            declared: &declared,
            fixed,
        };
        let mut out = Object::new();
        for (key, value) in item {
            match key.as_str() {
                "parameters" if value.is_array() => {
                    if !kept.is_empty() {
                        let converted = self.parameter_list(std::mem::take(&mut kept), at);
                        out.insert(key, Value::Array(converted));
                    }
                }
                method if METHODS.contains(&method) => {
                    let method_at = pointer_push(at, method);
                    let method_original = pointer_push(original, method);
                    if taken.iter().any(|t| t == method) {
                        self.warnings.push(Diagnostic::warning(
                            method_original,
                            format!(
                                "another `{method}` operation of the path `{path}` comes first; this one is left out"
                            ),
                        ));
                        continue;
                    }
                    self.origins.record(method_at.clone(), &method_original);
                    let operation = self.operation(value, &method_at, &method_original, &shared);
                    out.insert(key, operation);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        Value::Object(out)
    }

    /// Whether a parameter, or the one its `$ref` names, is a body or form parameter.
    fn is_body_or_form(&self, parameter: &Value) -> bool {
        let resolved = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.parameter_component(reference).map(|(_, p)| p),
            None => parameter.as_object(),
        };
        resolved
            .and_then(|p| p.get("in"))
            .and_then(Value::as_str)
            .is_some_and(|location| location == "body" || location == "formData")
    }

    /// The `#/parameters` entry a `$ref` names, with its name.
    fn parameter_component(&self, reference: &str) -> Option<(String, &Object)> {
        let name = reference.strip_prefix("#/parameters/")?;
        let name = percent_decode(name).replace("~1", "/").replace("~0", "~");
        let parameter = self.parameters.get(&name)?.as_object()?;
        Some((name, parameter))
    }

    /// Converts the non-body parameters of a list, recording where each was.
    fn parameter_list(&mut self, parameters: Vec<(Value, String)>, holder: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (parameter, original) in parameters {
            if let Sorted::Parameter(converted) = self.sort(parameter, &original) {
                let at = pointer_push(&pointer_push(holder, "parameters"), &out.len().to_string());
                self.origins.record(pointer_push(&at, "schema"), &original);
                self.origins.record(at, &original);
                out.push(converted);
            }
        }
        out
    }

    fn sort(&mut self, parameter: Value, original: &str) -> Sorted {
        let Value::Object(parameter) = parameter else {
            return Sorted::Parameter(parameter);
        };
        if let Some(Value::String(reference)) = parameter.get("$ref") {
            let reference = reference.clone();
            if let Some((name, target)) = self.parameter_component(&reference) {
                match target.get("in").and_then(Value::as_str) {
                    Some("body") => return Sorted::Body(Some(name), target.clone()),
                    Some("formData") => return Sorted::Form(target.clone()),
                    _ => {}
                }
            }
            let converted = match reference.strip_prefix("#/parameters/") {
                Some(rest) => format!("#/components/parameters/{rest}"),
                None => reference,
            };
            return Sorted::Parameter(json!({ "$ref": converted }));
        }
        match parameter.get("in").and_then(Value::as_str) {
            Some("body") => Sorted::Body(None, parameter),
            Some("formData") => Sorted::Form(parameter),
            _ => Sorted::Parameter(self.parameter(parameter, original)),
        }
    }

    /// A non-body parameter: its value's keywords under `schema`, `collectionFormat` as
    /// `style` and `explode`.
    fn parameter(&mut self, parameter: Object, original: &str) -> Value {
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let (mut schema, rest) = split_value_keywords(parameter);
        let mut out = Object::new();
        let mut collection_format = None;
        for (key, value) in rest {
            match key.as_str() {
                "collectionFormat" => collection_format = Some(value),
                "x-example" => {
                    out.insert("example".into(), value);
                }
                // 3.0 allows it on query parameters only.
                "allowEmptyValue" if location != "query" => {}
                _ => {
                    out.insert(key, value);
                }
            }
        }
        // A 3.0 `schema` written in a 2.0 parameter: read as the parameter's value.
        if let Some(Value::Object(given)) = out.shift_remove("schema")
            && schema.is_empty()
        {
            schema = given;
        }
        if !schema.contains_key("type") && !schema.contains_key("$ref") {
            self.warnings.push(Diagnostic::warning(
                original,
                "a parameter that is not `in: body` needs a `type`; read as a string",
            ));
            schema.insert("type".into(), "string".into());
        }
        let array = schema.get("type").and_then(Value::as_str) == Some("array");
        if let Some((style, explode)) =
            self.collection_format(collection_format.as_ref(), array, &location, original)
        {
            if let Some(style) = style {
                out.insert("style".into(), style.into());
            }
            if let Some(explode) = explode {
                out.insert("explode".into(), explode.into());
            }
        }
        let mut schema = Value::Object(schema);
        self.schema(&mut schema, original, false);
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    /// The `style` and `explode` of an array parameter in `location` written in
    /// `collectionFormat` (`csv` when absent).
    fn collection_format(
        &mut self,
        format: Option<&Value>,
        array: bool,
        location: &str,
        original: &str,
    ) -> Option<(Option<&'static str>, Option<bool>)> {
        let at = pointer_push(original, "collectionFormat");
        if !array {
            if format.is_some() {
                self.warnings.push(Diagnostic::warning(
                    at,
                    "`collectionFormat` applies to arrays only; ignored",
                ));
            }
            return None;
        }
        let written = match format {
            None => "csv",
            Some(Value::String(text)) => text.as_str(),
            Some(other) => {
                self.warnings.push(Diagnostic::warning(
                    at.clone(),
                    format!("`collectionFormat` must be a string, not `{other}`; read as `csv`"),
                ));
                "csv"
            }
        };
        let known = matches!(written, "csv" | "ssv" | "tsv" | "pipes" | "multi");
        if !known {
            self.warnings.push(Diagnostic::warning(
                at.clone(),
                format!("`collectionFormat: {written}` is not one of csv, ssv, tsv, pipes and multi; read as `csv`"),
            ));
        }
        match location {
            "query" => Some(match written {
                "ssv" => (Some("spaceDelimited"), None),
                "pipes" => (Some("pipeDelimited"), None),
                "multi" => (Some("form"), Some(true)),
                "tsv" => {
                    self.warnings.push(Diagnostic::warning(
                        at,
                        "`collectionFormat: tsv` has no OpenAPI 3 style; the items are sent comma-separated, as `csv` does",
                    ));
                    (Some("form"), Some(false))
                }
                _ => (Some("form"), Some(false)),
            }),
            "path" | "header" => {
                if written != "csv" && known {
                    self.warnings.push(Diagnostic::warning(
                        at,
                        format!("`collectionFormat: {written}` has no OpenAPI 3 style for a {location} parameter; the items are sent comma-separated, as `csv` does"),
                    ));
                }
                Some((Some("simple"), None))
            }
            _ => None,
        }
    }

    fn operation(
        &mut self,
        operation: Value,
        at: &str,
        original: &str,
        shared: &Shared<'_>,
    ) -> Value {
        let Value::Object(operation) = operation else {
            return operation;
        };
        let consumes = match operation.get("consumes") {
            Some(value) => self.media_types(Some(value), &pointer_push(original, "consumes")),
            None => self.consumes.clone(),
        };
        let produces = match operation.get("produces") {
            Some(value) => self.media_types(Some(value), &pointer_push(original, "produces")),
            None => self.produces.clone(),
        };
        // The operation's own parameters, then the path's that it does not override.
        let mut listed: Vec<(Value, String)> = Vec::new();
        if let Some(Value::Array(parameters)) = operation.get("parameters") {
            let base = pointer_push(original, "parameters");
            for (index, parameter) in parameters.iter().enumerate() {
                listed.push((parameter.clone(), pointer_push(&base, &index.to_string())));
            }
        }
        let own: Vec<(String, String)> = listed
            .iter()
            .filter_map(|(p, _)| self.identity(p))
            .collect();
        for (parameter, pointer) in shared.inherited {
            if self.identity(parameter).is_none_or(|id| !own.contains(&id)) {
                listed.push((parameter.clone(), pointer.clone()));
            }
        }
        let mut declared: Vec<String> = shared.declared.to_vec();
        declared.extend(
            listed
                .iter()
                .filter_map(|(parameter, _)| self.identity(parameter))
                .filter(|(_, location)| location == "path")
                .map(|(name, _)| name),
        );
        for name in template_names(shared.template) {
            if !declared.contains(&name) {
                // A parameter the spec forgot (kubevirt's `deleteCollection` operations).
                self.warnings.push(Diagnostic::warning(
                    original,
                    format!("the path template names `{{{name}}}`, but the operation declares no path parameter `{name}`; read as a string"),
                ));
                declared.push(name.clone());
                listed.push((
                    json!({"name": name, "in": "path", "required": true, "type": "string"}),
                    original.to_owned(),
                ));
            }
        }
        let mut parameters = Vec::new();
        let mut bodies: Vec<(Option<String>, Object, String)> = Vec::new();
        let mut forms: Vec<(Object, String)> = Vec::new();
        for (parameter, pointer) in listed {
            match self.sort(parameter, &pointer) {
                Sorted::Parameter(converted) => {
                    let index = pointer_push(
                        &pointer_push(at, "parameters"),
                        &parameters.len().to_string(),
                    );
                    self.origins
                        .record(pointer_push(&index, "schema"), &pointer);
                    self.origins.record(index, &pointer);
                    parameters.push(converted);
                }
                Sorted::Body(component, body) => bodies.push((component, body, pointer)),
                Sorted::Form(form) => forms.push((form, pointer)),
            }
        }
        for (name, value) in shared.fixed {
            let declared = parameters.iter().any(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("query")
            });
            if !declared {
                let index = pointer_push(
                    &pointer_push(at, "parameters"),
                    &parameters.len().to_string(),
                );
                // The `x-ms-paths` key that fixes it.
                let key = original.rsplit_once('/').map_or(original, |(item, _)| item);
                self.origins.record(index, key);
                parameters.push(json!({
                    "name": name, "in": "query", "required": true,
                    "schema": {"type": "string", "enum": [value]}
                }));
            }
        }
        let body_at = pointer_push(at, "requestBody");
        let body = self.operation_body(bodies, forms, consumes.as_deref(), &body_at);
        let mut out = Object::new();
        for (key, value) in operation {
            match key.as_str() {
                "consumes" | "produces" | "schemes" | "parameters" => {}
                "responses" => {
                    let responses = self.responses(value, produces.as_deref(), at, original);
                    out.insert(key, responses);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        Value::Object(out)
    }

    /// The name and location of a parameter, or of the one its `$ref` names.
    fn identity(&self, parameter: &Value) -> Option<(String, String)> {
        let parameter = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.parameter_component(reference)?.1,
            None => parameter.as_object()?,
        };
        Some((
            parameter.get("name")?.as_str()?.to_owned(),
            parameter.get("in")?.as_str()?.to_owned(),
        ))
    }

    /// The request body of an operation's body parameter, or of its form fields.
    fn operation_body(
        &mut self,
        bodies: Vec<(Option<String>, Object, String)>,
        forms: Vec<(Object, String)>,
        consumes: Option<&[String]>,
        at: &str,
    ) -> Option<Value> {
        let mut bodies = bodies.into_iter();
        if let Some((component, body, original)) = bodies.next() {
            for (_, _, extra) in bodies {
                self.warnings.push(Diagnostic::warning(
                    extra,
                    "an operation has one body parameter; this one is left out",
                ));
            }
            for (_, extra) in &forms {
                self.warnings.push(Diagnostic::warning(
                    extra.as_str(),
                    "an operation with a body parameter sends no form fields; this one is left out",
                ));
            }
            self.origins.record(at.to_owned(), &original);
            // A body component was made with the document's media types.
            if let Some(name) = component
                .as_ref()
                .filter(|_| consumes == self.consumes.as_deref())
            {
                return Some(json!({
                    "$ref": format!("#/components/requestBodies/{}", escape(name))
                }));
            }
            let original = match &component {
                Some(name) => pointer_push("/parameters", name),
                None => original,
            };
            return Some(self.request_body(&body, consumes, at, &original));
        }
        if forms.is_empty() {
            return None;
        }
        Some(self.form_body(forms, consumes, at))
    }

    /// A body parameter as a request body, its schema under each media type of `consumes`.
    fn request_body(
        &mut self,
        body: &Object,
        consumes: Option<&[String]>,
        at: &str,
        original: &str,
    ) -> Value {
        self.origins.record(at.to_owned(), original);
        let schema_original = pointer_push(original, "schema");
        let mut schema = match body.get("schema") {
            Some(schema) => schema.clone(),
            None => {
                self.warnings.push(Diagnostic::warning(
                    original,
                    "a body parameter needs a `schema`; read as any JSON value",
                ));
                json!({})
            }
        };
        self.schema(&mut schema, &schema_original, false);
        let default = [String::from("application/json")];
        let types = match consumes {
            Some(types) if !types.is_empty() => types,
            _ => &default,
        };
        let mut content = Object::new();
        for media_type in types {
            let media_at = pointer_push(&pointer_push(at, "content"), media_type);
            self.origins
                .record(pointer_push(&media_at, "schema"), &schema_original);
            self.origins.record(media_at, original);
            content.insert(media_type.clone(), json!({ "schema": schema.clone() }));
        }
        let mut out = Object::new();
        for key in ["description", "required"] {
            if let Some(value) = body.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        out.insert("content".into(), Value::Object(content));
        for (key, value) in body.iter().filter(|(key, _)| key.starts_with("x-")) {
            out.insert(key.clone(), value.clone());
        }
        Value::Object(out)
    }

    /// Form fields as one object schema, a property each.
    fn form_body(
        &mut self,
        forms: Vec<(Object, String)>,
        consumes: Option<&[String]>,
        at: &str,
    ) -> Value {
        let file = forms
            .iter()
            .any(|(form, _)| form.get("type").and_then(Value::as_str) == Some("file"));
        let multipart = file
            || consumes
                .into_iter()
                .flatten()
                .any(|media_type| essence(media_type) == "multipart/form-data");
        let media_type = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_at = pointer_push(
            &pointer_push(&pointer_push(at, "content"), media_type),
            "schema",
        );
        if let Some((_, first)) = forms.first() {
            self.origins.record(at.to_owned(), first);
        }
        let mut properties = Object::new();
        let mut required = Vec::new();
        for (form, original) in forms {
            let Some(name) = form.get("name").and_then(Value::as_str).map(str::to_owned) else {
                self.warnings.push(Diagnostic::warning(
                    original,
                    "a form parameter needs a `name`; left out",
                ));
                continue;
            };
            if form.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
            }
            let array = form.get("type").and_then(Value::as_str) == Some("array");
            let format = form.get("collectionFormat").and_then(Value::as_str);
            if array && format != Some("multi") {
                self.warnings.push(Diagnostic::warning(
                    original.as_str(),
                    format!(
                        "form fields are sent as repeated fields, as `collectionFormat: multi` says; `{}` is not supported yet",
                        format.unwrap_or("csv")
                    ),
                ));
            }
            let (mut property, rest) = split_value_keywords(form);
            for (key, value) in rest {
                if key == "description" || key.starts_with("x-") {
                    property.insert(key, value);
                }
            }
            let mut property = Value::Object(property);
            self.schema(&mut property, &original, false);
            self.origins.record(
                pointer_push(&pointer_push(&schema_at, "properties"), &name),
                &original,
            );
            properties.insert(name, property);
        }
        let mut schema = Object::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut content = Object::new();
        content.insert(media_type.into(), json!({ "schema": schema }));
        let mut out = Object::new();
        if any_required {
            out.insert("required".into(), true.into());
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    // --- responses ---------------------------------------------------------------------------

    fn responses(
        &mut self,
        responses: Value,
        produces: Option<&[String]>,
        operation_at: &str,
        operation_original: &str,
    ) -> Value {
        let Value::Object(responses) = responses else {
            return responses;
        };
        let at = pointer_push(operation_at, "responses");
        let original = pointer_push(operation_original, "responses");
        let mut out = Object::new();
        for (status, response) in responses {
            let converted = if status.starts_with("x-") {
                response
            } else {
                self.response(
                    response,
                    produces,
                    &pointer_push(&at, &status),
                    &pointer_push(&original, &status),
                )
            };
            out.insert(status, converted);
        }
        Value::Object(out)
    }

    fn response(
        &mut self,
        response: Value,
        produces: Option<&[String]>,
        at: &str,
        original: &str,
    ) -> Value {
        let Value::Object(mut response) = response else {
            return response;
        };
        self.origins.record(at.to_owned(), original);
        if let Some(Value::String(reference)) = response.get("$ref") {
            let reference = reference.clone();
            if let Some(name) = reference.strip_prefix("#/responses/") {
                return json!({ "$ref": format!("#/components/responses/{name}") });
            }
            if reference.starts_with("#/definitions/") {
                self.warnings.push(Diagnostic::warning(
                    pointer_push(original, "$ref"),
                    format!("`$ref: {reference}` names a schema where a response belongs; read as a response with that schema"),
                ));
                response = Object::new();
                response.insert("description".into(), Value::String(String::new()));
                response.insert("schema".into(), json!({ "$ref": reference }));
            } else {
                return Value::Object(response);
            }
        }
        let mut out = Object::new();
        let schema = response.shift_remove("schema");
        let examples = response.shift_remove("examples");
        for (key, value) in response {
            match key.as_str() {
                "headers" => {
                    let headers = self.headers(
                        value,
                        &pointer_push(at, "headers"),
                        &pointer_push(original, "headers"),
                    );
                    out.insert(key, headers);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        let content = self.content(schema, examples, produces, at, original);
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    /// A response's `content`: its schema under each media type it is produced in, and each
    /// example under its own media type.
    fn content(
        &mut self,
        schema: Option<Value>,
        examples: Option<Value>,
        produces: Option<&[String]>,
        at: &str,
        original: &str,
    ) -> Object {
        let mut content = Object::new();
        let schema_original = pointer_push(original, "schema");
        let schema = schema.map(|mut schema| {
            self.schema(&mut schema, &schema_original, false);
            schema
        });
        let content_at = pointer_push(at, "content");
        let place =
            |converter: &mut Self, content: &mut Object, media_type: &str, schema: &Value| {
                let media_at = pointer_push(&content_at, media_type);
                converter
                    .origins
                    .record(pointer_push(&media_at, "schema"), &schema_original);
                converter.origins.record(media_at, &schema_original);
                content.insert(media_type.to_owned(), json!({ "schema": schema.clone() }));
            };
        if let Some(schema) = &schema {
            let binary = schema.get("format").and_then(Value::as_str) == Some("binary")
                && schema.get("type").and_then(Value::as_str) == Some("string");
            let mut types: Vec<&str> = produces
                .unwrap_or_default()
                .iter()
                .map(String::as_str)
                .filter(|media_type| !binary || !is_json(media_type))
                .collect();
            if types.is_empty() {
                types.push(if binary {
                    "application/octet-stream"
                } else {
                    "application/json"
                });
            }
            for media_type in types {
                place(self, &mut content, media_type, schema);
            }
        }
        let Some(examples) = examples else {
            return content;
        };
        let Value::Object(examples) = examples else {
            self.warnings.push(Diagnostic::warning(
                pointer_push(original, "examples"),
                "a response's `examples` must map media types to examples; ignored",
            ));
            return content;
        };
        for (media_type, example) in examples {
            // Without a schema there is nothing for an example to be checked against.
            let Some(schema) = &schema else {
                continue;
            };
            if !content.contains_key(&media_type) {
                place(self, &mut content, &media_type, schema);
            }
            let example_at = pointer_push(&pointer_push(&content_at, &media_type), "example");
            self.origins.record(
                example_at,
                &pointer_push(&pointer_push(original, "examples"), &media_type),
            );
            if let Some(Value::Object(media)) = content.get_mut(&media_type) {
                media.insert("example".into(), example);
            }
        }
        content
    }

    fn headers(&mut self, headers: Value, at: &str, original: &str) -> Value {
        let Value::Object(headers) = headers else {
            return headers;
        };
        let mut out = Object::new();
        for (name, header) in headers {
            let header_original = pointer_push(original, &name);
            let header_at = pointer_push(at, &name);
            let converted = match header {
                Value::Object(header) if !header.contains_key("$ref") => {
                    self.origins
                        .record(pointer_push(&header_at, "schema"), &header_original);
                    self.header(header, &header_original)
                }
                other => other,
            };
            out.insert(name, converted);
        }
        Value::Object(out)
    }

    fn header(&mut self, header: Object, original: &str) -> Value {
        let (schema, rest) = split_value_keywords(header);
        let array = schema.get("type").and_then(Value::as_str) == Some("array");
        let mut out = Object::new();
        for (key, value) in rest {
            match key.as_str() {
                "collectionFormat" => {
                    if value.as_str() == Some("multi") && array {
                        out.insert("explode".into(), true.into());
                    } else if let Some((Some(style), _)) =
                        self.collection_format(Some(&value), array, "header", original)
                    {
                        out.insert("style".into(), style.into());
                    }
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        let mut schema = Value::Object(schema);
        self.schema(&mut schema, original, false);
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    // --- schemas -----------------------------------------------------------------------------

    /// A 2.0 schema in its 3.0 form; `original` is its pointer in the 2.0 document, and `named`
    /// says it is a component of its own (which an `x-ms-enum` name does not make another).
    fn schema(&mut self, schema: &mut Value, original: &str, named: bool) {
        let Value::Object(object) = schema else {
            return;
        };
        let nullable = take_nullable(object);
        if let Some(Value::String(reference)) = object.get("$ref") {
            let reference = reference.clone();
            match self.schema_ref(&reference) {
                Some(converted) => {
                    object.insert("$ref".into(), Value::String(converted));
                }
                None => {
                    self.warnings.push(Diagnostic::warning(
                        pointer_push(original, "$ref"),
                        format!("`$ref: {reference}` names no definition; read as any JSON value"),
                    ));
                    *schema = json!({});
                    return;
                }
            }
            if nullable == Some(true) {
                // A `$ref`'s siblings are not read; under `allOf`, `nullable` is.
                let reference = object.shift_remove("$ref").unwrap_or_default();
                object.insert("allOf".into(), json!([{ "$ref": reference }]));
                object.insert("nullable".into(), true.into());
            }
            return;
        }
        if let Some(nullable) = nullable {
            object.insert("nullable".into(), nullable.into());
        }
        match object.get("discriminator") {
            Some(Value::String(property)) => {
                let property = property.clone();
                object.insert("discriminator".into(), json!({ "propertyName": property }));
            }
            Some(Value::Object(_)) | None => {}
            Some(other) => {
                self.warnings.push(Diagnostic::warning(
                    pointer_push(original, "discriminator"),
                    format!("a discriminator is the name of a property, not `{other}`; ignored"),
                ));
                object.shift_remove("discriminator");
            }
        }
        if object.get("type").and_then(Value::as_str) == Some("file") {
            object.insert("type".into(), "string".into());
            object.insert("format".into(), "binary".into());
        }
        object.shift_remove("allowEmptyValue");
        self.children(object, original);
        enum_names(object);
        if !named {
            self.name_enum(schema, original);
        }
    }

    fn children(&mut self, object: &mut Object, original: &str) {
        let mut required_here = Vec::new();
        for (key, value) in object.iter_mut() {
            let at = pointer_push(original, key);
            match (key.as_str(), value) {
                ("properties" | "patternProperties", Value::Object(properties)) => {
                    for (name, property) in properties.iter_mut() {
                        let property_at = pointer_push(&at, name);
                        // `required: true` on a property is a mistake of 2.0 specs for the
                        // object's `required` list.
                        let flag = property.get("required").and_then(Value::as_bool);
                        if key == "properties"
                            && let (Some(required), Value::Object(property)) =
                                (flag, &mut *property)
                        {
                            property.shift_remove("required");
                            self.warnings.push(Diagnostic::warning(
                                pointer_push(&property_at, "required"),
                                "`required` of a property belongs in its object's `required` list; read so",
                            ));
                            if required {
                                required_here.push(Value::String(name.clone()));
                            }
                        }
                        self.schema(property, &property_at, false);
                    }
                }
                ("allOf" | "anyOf" | "oneOf", Value::Array(members)) => {
                    for (index, member) in members.iter_mut().enumerate() {
                        self.schema(member, &pointer_push(&at, &index.to_string()), false);
                    }
                }
                ("items", items @ Value::Array(_)) => {
                    // A list of item schemas (a tuple in JSON Schema drafts) is read as any of them.
                    let Value::Array(list) = std::mem::take(items) else {
                        continue;
                    };
                    let mut list: Vec<Value> = list;
                    for (index, member) in list.iter_mut().enumerate() {
                        self.schema(member, &pointer_push(&at, &index.to_string()), false);
                    }
                    *items = match list.len() {
                        0 => json!({}),
                        1 => list.remove(0),
                        _ => json!({ "anyOf": list }),
                    };
                }
                ("items" | "additionalProperties" | "not", child @ Value::Object(_)) => {
                    self.schema(child, &at, false);
                }
                _ => {}
            }
        }
        if !required_here.is_empty() {
            match object.get_mut("required") {
                Some(Value::Array(list)) => list.extend(required_here),
                _ => {
                    object.insert("required".into(), Value::Array(required_here));
                }
            }
        }
    }

    /// A schema `$ref` as 3.0 writes it, or `None` when it names no definition.
    fn schema_ref(&self, reference: &str) -> Option<String> {
        let Some((original, converted)) = local_target(reference) else {
            // To another file: brought in before this conversion, so left as it is.
            return Some(reference.to_owned());
        };
        let Some(rest) = original.strip_prefix("/definitions/") else {
            return Some(converted);
        };
        let name = percent_decode(rest.split('/').next().unwrap_or_default())
            .replace("~1", "/")
            .replace("~0", "~");
        self.schema_names.contains(&name).then_some(converted)
    }

    /// An inline enum that `x-ms-enum` names becomes the component of that name, shared by
    /// every enum of that name with the same values; what the use says of itself beside the
    /// values (its description, default, nullability) stays where it is.
    fn name_enum(&mut self, schema: &mut Value, original: &str) {
        let Value::Object(object) = schema else {
            return;
        };
        let Some(name) = object
            .get("x-ms-enum")
            .and_then(|e| e.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return;
        };
        if !object.contains_key("enum") {
            return;
        }
        let is_definition = |key: &str| ENUM_KEYWORDS.contains(&key);
        let definition: Object = object
            .iter()
            .filter(|(key, _)| is_definition(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let definition = Value::Object(definition);
        let known = self
            .named_enums
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, schema)| schema == &definition);
        let shared = match known {
            Some(same) => same,
            None if self.schema_names.contains(&name) => false,
            None => {
                self.origins
                    .record(pointer_push("/components/schemas", &name), original);
                self.named_enums.push((name.clone(), definition));
                true
            }
        };
        if !shared {
            self.warnings.push(Diagnostic::warning(
                pointer_push(&pointer_push(original, "x-ms-enum"), "name"),
                format!("another schema is named `{name}`; this enum keeps a name of its own"),
            ));
            return;
        }
        object.retain(|key, _| !is_definition(key));
        let reference = json!({ "$ref": format!("#/components/schemas/{}", escape(&name)) });
        if object.is_empty() {
            *schema = reference;
        } else {
            object.insert("allOf".into(), json!([reference]));
        }
    }
}

/// The keywords of an enum that `x-ms-enum` names: what its component holds.
const ENUM_KEYWORDS: [&str; 5] = ["type", "format", "enum", "x-ms-enum", "x-enum-varnames"];

/// The parameter names of a path template, in order.
fn template_names(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, next)) = after.split_once('}') else {
            break;
        };
        names.push(name.to_owned());
        rest = next;
    }
    names
}

/// `x-nullable` (or `x-isnullable`, which some generators write) taken out of a schema.
fn take_nullable(object: &mut Object) -> Option<bool> {
    let nullable = object.shift_remove("x-nullable");
    let isnullable = object.shift_remove("x-isnullable");
    nullable.or(isnullable).and_then(|value| value.as_bool())
}

/// The variant names an `x-ms-enum` gives its values, as `x-enum-varnames` (which the model
/// reads), when it names every value.
fn enum_names(object: &mut Object) {
    if object.contains_key("x-enum-varnames") {
        return;
    }
    let (Some(Value::Array(values)), Some(Value::Array(named))) = (
        object.get("enum"),
        object.get("x-ms-enum").and_then(|e| e.get("values")),
    ) else {
        return;
    };
    let names: Option<Vec<Value>> = values
        .iter()
        .map(|value| {
            named
                .iter()
                .find(|entry| entry.get("value") == Some(value))
                .and_then(|entry| entry.get("name"))
                .filter(|name| name.is_string())
                .cloned()
        })
        .collect();
    if let Some(names) = names {
        object.insert("x-enum-varnames".into(), Value::Array(names));
    }
}

/// Splits a non-body parameter, header or form field into the keywords of its value (a
/// schema, with `items` converted likewise) and the rest.
fn split_value_keywords(object: Object) -> (Object, Object) {
    let mut schema = Object::new();
    let mut rest = Object::new();
    for (key, value) in object {
        if VALUE_KEYWORDS.contains(&key.as_str()) {
            let value = match (key.as_str(), value) {
                ("items", Value::Object(items)) => {
                    // `collectionFormat` of nested items: 3.0 has no way to say it.
                    let (items, _) = split_value_keywords(items);
                    Value::Object(items)
                }
                (_, value) => value,
            };
            schema.insert(key, value);
        } else {
            rest.insert(key, value);
        }
    }
    (schema, rest)
}

/// Discriminator mappings from `x-ms-discriminator-value`: for each definition with a
/// discriminator, the values its subtypes (through `allOf`, however deep) give, each to its
/// subtype. A subtype without one is told by its name, as 2.0 says.
fn discriminator_mappings(definitions: &Object) -> HashMap<String, Object> {
    let parents = |name: &str| -> Vec<String> {
        let Some(Value::Array(members)) = definitions.get(name).and_then(|d| d.get("allOf")) else {
            return Vec::new();
        };
        members
            .iter()
            .filter_map(|member| member.get("$ref")?.as_str()?.strip_prefix("#/definitions/"))
            .map(|rest| percent_decode(rest).replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let mut mappings: HashMap<String, Object> = HashMap::new();
    for (name, definition) in definitions {
        let Some(Value::String(value)) = definition.get("x-ms-discriminator-value") else {
            continue;
        };
        let mut pending = parents(name);
        let mut seen: HashSet<String> = HashSet::from([name.clone()]);
        while let Some(parent) = pending.pop() {
            if !seen.insert(parent.clone()) {
                continue;
            }
            let is_base = definitions
                .get(&parent)
                .and_then(|d| d.get("discriminator"))
                .is_some_and(Value::is_string);
            if is_base {
                mappings.entry(parent.clone()).or_default().insert(
                    value.clone(),
                    Value::String(format!("#/components/schemas/{}", escape(name))),
                );
            }
            pending.extend(parents(&parent));
        }
    }
    mappings
}

/// The sections of `components`, filled as the 2.0 sections are read.
#[derive(Default)]
struct Components {
    schemas: Object,
    parameters: Object,
    request_bodies: Object,
    responses: Object,
    security_schemes: Object,
    /// Sections of a `components` already there, other than `schemas`.
    other: Object,
}

impl Components {
    fn into_value(self) -> Option<Value> {
        let mut out = Object::new();
        for (name, section) in [
            ("schemas", self.schemas),
            ("parameters", self.parameters),
            ("requestBodies", self.request_bodies),
            ("responses", self.responses),
            ("securitySchemes", self.security_schemes),
        ] {
            if !section.is_empty() {
                out.insert(name.into(), Value::Object(section));
            }
        }
        out.extend(self.other);
        (!out.is_empty()).then_some(Value::Object(out))
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// A component name as a `$ref` writes it (RFC 6901 escapes).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(document: Value) -> (Value, Vec<Diagnostic>, Origins) {
        let mut document = document;
        let mut warnings = Vec::new();
        let origins = convert(&mut document, &mut warnings);
        (document, warnings, origins)
    }

    fn document(rest: Value) -> Value {
        let mut base =
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        if let (Value::Object(base), Value::Object(rest)) = (&mut base, rest) {
            base.extend(rest);
        }
        base
    }

    #[test]
    fn host_base_path_and_schemes_are_servers() {
        let (out, ..) = converted(document(json!({
            "host": "api.example.com", "basePath": "/v1/", "schemes": ["https", "http"]
        })));
        assert_eq!(
            out["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        let (out, ..) = converted(document(json!({"host": "api.example.com"})));
        assert_eq!(out["servers"], json!([{"url": "//api.example.com"}]));
        let (out, ..) = converted(document(json!({"basePath": "/v2"})));
        assert_eq!(out["servers"], json!([{"url": "/v2"}]));
        assert_eq!(out["openapi"], json!(CONVERTED_VERSION));
    }

    #[test]
    fn collection_formats_are_styles() {
        let parameter = |name: &str, format: &str| {
            json!({"name": name, "in": "query", "type": "array", "items": {"type": "string"},
                   "collectionFormat": format})
        };
        let (out, warnings, _) = converted(document(json!({"paths": {"/a": {"get": {
            "parameters": [parameter("c", "csv"), parameter("s", "ssv"), parameter("p", "pipes"),
                           parameter("m", "multi"), parameter("t", "tsv")],
            "responses": {"200": {"description": "ok"}}
        }}}})));
        let parameters = &out["paths"]["/a"]["get"]["parameters"];
        let style = |index: usize| {
            (
                parameters[index]["style"].clone(),
                parameters[index]["explode"].clone(),
            )
        };
        assert_eq!(style(0), (json!("form"), json!(false)));
        assert_eq!(style(1), (json!("spaceDelimited"), Value::Null));
        assert_eq!(style(2), (json!("pipeDelimited"), Value::Null));
        assert_eq!(style(3), (json!("form"), json!(true)));
        assert_eq!(style(4), (json!("form"), json!(false)));
        assert_eq!(
            parameters[0]["schema"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].pointer,
            "/paths/~1a/get/parameters/4/collectionFormat"
        );
    }

    #[test]
    fn body_and_form_parameters_are_request_bodies() {
        let (out, _, origins) = converted(document(json!({
            "consumes": ["application/json", "text/json"],
            "paths": {"/a": {
                "post": {
                    "parameters": [{"name": "b", "in": "body", "required": true,
                                    "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}}
                },
                "put": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [
                        {"name": "f", "in": "formData", "type": "file", "required": true},
                        {"name": "n", "in": "formData", "type": "integer"}
                    ],
                    "responses": {"200": {"description": "ok"}}
                }
            }}
        })));
        let post = &out["paths"]["/a"]["post"]["requestBody"];
        assert_eq!(post["required"], json!(true));
        assert_eq!(
            post["content"]["text/json"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            post["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        // A file cannot be sent URL-encoded, whatever the operation consumes.
        let put = &out["paths"]["/a"]["put"]["requestBody"]["content"];
        assert_eq!(
            put["multipart/form-data"]["schema"],
            json!({"type": "object", "required": ["f"], "properties": {
                "f": {"type": "string", "format": "binary"}, "n": {"type": "integer"}}})
        );
        assert_eq!(
            origins.original("/paths/~1a/post/requestBody/content/text~1json/schema/type"),
            Some("/paths/~1a/post/parameters/0/schema/type".to_owned())
        );
        assert_eq!(
            origins.original(
                "/paths/~1a/put/requestBody/content/multipart~1form-data/schema/properties/n"
            ),
            Some("/paths/~1a/put/parameters/1".to_owned())
        );
    }

    #[test]
    fn security_definitions_are_security_schemes() {
        let (out, ..) = converted(document(json!({"securityDefinitions": {
            "b": {"type": "basic"},
            "k": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "i": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {}},
            "p": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {}},
            "c": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "a": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
                  "tokenUrl": "https://t", "scopes": {"s": "a scope"}}
        }})));
        let schemes = &out["components"]["securitySchemes"];
        assert_eq!(schemes["b"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(
            schemes["k"],
            json!({"type": "apiKey", "in": "header", "name": "X-Key"})
        );
        assert_eq!(
            schemes["i"]["flows"]["implicit"]["authorizationUrl"],
            json!("https://a")
        );
        assert_eq!(
            schemes["p"]["flows"]["password"]["tokenUrl"],
            json!("https://t")
        );
        assert_eq!(
            schemes["c"]["flows"]["clientCredentials"]["tokenUrl"],
            json!("https://t")
        );
        assert_eq!(
            schemes["a"]["flows"]["authorizationCode"],
            json!({"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"s": "a scope"}})
        );
    }

    #[test]
    fn nullable_discriminators_and_ms_enums_are_read() {
        let (out, ..) = converted(document(json!({"definitions": {
            "Pet": {"type": "object", "discriminator": "kind", "required": ["kind"],
                    "properties": {"kind": {"type": "string"},
                                   "owner": {"$ref": "#/definitions/Owner", "x-nullable": true},
                                   "tag": {"type": "string", "x-isnullable": true},
                                   "size": {"type": "string", "enum": ["s", "l"],
                                            "x-ms-enum": {"name": "Size", "modelAsString": true,
                                                          "values": [{"value": "s", "name": "Small"},
                                                                     {"value": "l", "name": "Large"}]}}}},
            "Dog": {"x-ms-discriminator-value": "doggo",
                    "allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object"}]},
            "Owner": {"type": "object"}
        }})));
        let schemas = &out["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["discriminator"],
            json!({"propertyName": "kind", "mapping": {"doggo": "#/components/schemas/Dog"}})
        );
        let properties = &schemas["Pet"]["properties"];
        assert_eq!(
            properties["owner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
        );
        assert_eq!(
            properties["tag"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            properties["size"],
            json!({"$ref": "#/components/schemas/Size"})
        );
        assert_eq!(
            schemas["Size"]["x-enum-varnames"],
            json!(["Small", "Large"])
        );
        assert_eq!(
            schemas["Dog"]["allOf"][0],
            json!({"$ref": "#/components/schemas/Pet"})
        );
    }

    #[test]
    fn responses_take_the_media_types_produced() {
        let (out, ..) = converted(document(json!({
            "produces": ["application/json"],
            "responses": {"Gone": {"description": "gone", "schema": {"type": "string"}}},
            "paths": {"/a": {"get": {"responses": {
                "200": {"description": "ok", "schema": {"type": "file"}},
                "default": {"description": "error", "schema": {"type": "string"},
                            "headers": {"X-Rate": {"type": "integer"}},
                            "examples": {"application/json": "oops"}},
                "410": {"$ref": "#/responses/Gone"}
            }}}}
        })));
        let responses = &out["paths"]["/a"]["get"]["responses"];
        // A file is bytes: not in a JSON media type.
        assert_eq!(
            responses["200"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(
            responses["default"]["content"]["application/json"]["example"],
            json!("oops")
        );
        assert_eq!(
            responses["default"]["headers"]["X-Rate"],
            json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            responses["410"],
            json!({"$ref": "#/components/responses/Gone"})
        );
        assert_eq!(
            out["components"]["responses"]["Gone"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn diagnostics_and_their_messages_point_back() {
        let (_, _, origins) =
            converted(document(json!({"definitions": {"A": {"type": "object"}}})));
        let mut diagnostics = vec![Diagnostic::warning(
            "/components/schemas/A/properties/x",
            "like #/components/schemas/A/allOf/0: and `#/components/schemas/B` (#/info)",
        )];
        origins.point_back(&mut diagnostics);
        assert_eq!(diagnostics[0].pointer, "/definitions/A/properties/x");
        assert_eq!(
            diagnostics[0].message,
            "like #/definitions/A/allOf/0: and `#/components/schemas/B` (#/info)"
        );
    }

    #[test]
    fn references_in_extensions_are_not_followed() {
        let mut document = document(json!({
            "definitions": {"A": {"type": "object"}},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}},
                "x-ms-examples": {"one": {"$ref": "./examples/one.json"}},
                "x-schema": {"$ref": "#/definitions/A"}}}}
        }));
        let mut warnings = Vec::new();
        let hidden = hide_opaque_refs(&mut document, &mut warnings);
        assert_eq!(document["paths"]["/a"]["get"]["x-ms-examples"], Value::Null);
        hidden.restore(&mut document);
        assert_eq!(
            document["paths"]["/a"]["get"]["x-schema"],
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("not followed"), "{warnings:?}");
    }
}
