//! `$ref`s to other files (`common.yaml#/components/schemas/Pet`, `pet.json`), followed
//! relative to the file that holds them and brought into the root document.
//!
//! A schema is added to `#/components/schemas` under the key of its last pointer segment (or
//! file stem), once however often it is referenced, and the reference is pointed at it, so
//! recursive schemas across files work. Anything else (a parameter, a response) is copied in
//! place. References inside a brought-in file are read relative to that file.
//!
//! A document with OpenAPI 3.2's `$self` names itself by that URI, which is also the base its
//! references are resolved against: a reference to `$self` (say
//! `https://example.com/api/openapi.yaml#/components/schemas/Pet`) is a reference into the
//! document itself, and one to a URI beside it is to the file at the same place beside the
//! document read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use url::Url;

use super::parse::{self, nesting_message};
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_push};

/// How deep copies of references to references may nest before it is called a cycle.
const MAX_NESTING: usize = 64;

pub fn resolve_external_refs(
    document: &mut Value,
    root: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let root = root.map(|root| std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
    let self_uri = self_uri(document, root.as_deref(), diagnostics);
    let mut resolver = Resolver {
        root,
        self_uri,
        files: HashMap::new(),
        hoisted: HashMap::new(),
        taken: existing_schema_keys(document),
        schemas: Vec::new(),
        diagnostics,
        nesting: 0,
        depth: 0,
    };
    let base = resolver.root.clone();
    resolver.visit(document, base.as_deref(), &mut String::new());
    if resolver.schemas.is_empty() {
        return;
    }
    let schemas = resolver.schemas;
    if let Some(root) = document.as_object_mut() {
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = components.as_object_mut() {
            let section = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(section) = section.as_object_mut() {
                section.extend(schemas);
            }
        }
    }
}

/// The document's `$self` as an absolute URI: a relative one is resolved against where the
/// document was read from (RFC 3986, 5.1), or against a stand-in base when it was not read from
/// a file, as only references to the document itself can then be followed.
fn self_uri(
    document: &Value,
    root: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Url> {
    let written = document.get("$self")?;
    let parsed = written.as_str().and_then(|written| {
        let base = root
            .and_then(|root| Url::from_file_path(root).ok())
            .or_else(|| Url::parse("specwright:/").ok())?;
        base.join(written).ok()
    });
    if parsed.is_none() {
        diagnostics.push(Diagnostic::warning(
            "/$self",
            format!("`$self` must be a URI reference, not {written}; ignored"),
        ));
    }
    parsed
}

/// Where a reference leads when resolved against `$self`.
enum Rebased {
    /// Into the document itself, at this fragment.
    Root(String),
    /// Into another file, at this path relative to the document's folder (percent-decoded), and
    /// this fragment.
    Beside(String, String),
}

/// The names schemas brought in must not take: a Swagger 2.0 document's `definitions` become
/// `#/components/schemas` beside them.
fn existing_schema_keys(document: &Value) -> Vec<String> {
    let section = match document.get("swagger") {
        Some(_) => "/definitions",
        None => "/components/schemas",
    };
    document
        .pointer(section)
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

struct Resolver<'d> {
    root: Option<PathBuf>,
    /// The root document's `$self`, resolved.
    self_uri: Option<Url>,
    /// Parsed files by canonical path; `None` for a file that could not be read.
    files: HashMap<PathBuf, Option<Value>>,
    /// Schema key given to each (file, fragment) already brought in.
    hoisted: HashMap<(PathBuf, String), String>,
    taken: Vec<String>,
    schemas: Vec<(String, Value)>,
    diagnostics: &'d mut Vec<Diagnostic>,
    nesting: usize,
    /// Mappings and sequences the walk is inside, in this document and the files it brought in.
    depth: usize,
}

impl Resolver<'_> {
    /// `base` is the file `value` was read from; `None` when it is the root document.
    /// `pointer` is one buffer for the whole walk: every node of the document is visited.
    fn visit(&mut self, value: &mut Value, base: Option<&Path>, pointer: &mut String) {
        match value {
            // Brought-in files nest inside what refers to them, and this walk with them.
            Value::Object(_) | Value::Array(_) if self.depth >= parse::MAX_NESTING => {
                self.diagnostics.push(Diagnostic::error(
                    pointer.as_str(),
                    format!(
                        "{}, counting what `$ref`s to other files bring in",
                        nesting_message()
                    ),
                ));
            }
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let reference = reference.clone();
                    if let Some(replacement) = self.reference(&reference, object, base, pointer) {
                        *value = replacement;
                    }
                    return;
                }
                self.depth += 1;
                for (key, child) in object.iter_mut() {
                    let length = pointer_enter(pointer, key);
                    self.visit(child, base, pointer);
                    pointer.truncate(length);
                }
                self.depth -= 1;
            }
            Value::Array(items) => {
                self.depth += 1;
                for (index, child) in items.iter_mut().enumerate() {
                    let length = pointer_enter(pointer, &index.to_string());
                    self.visit(child, base, pointer);
                    pointer.truncate(length);
                }
                self.depth -= 1;
            }
            _ => {}
        }
    }

    /// Where `reference` leads by `$self`, for a reference in the root document that names a
    /// document (not only a fragment) and for an absolute one anywhere; `None` when there is
    /// no `$self`, or it leads to neither the document nor a file beside it.
    fn rebase(&self, reference: &str, in_root: bool) -> Option<Rebased> {
        let self_uri = self.self_uri.as_ref()?;
        if reference.starts_with('#') || !(in_root || Url::parse(reference).is_ok()) {
            return None;
        }
        let mut target = self_uri.join(reference).ok()?;
        let fragment = target.fragment().unwrap_or_default().to_owned();
        target.set_fragment(None);
        let mut document = self_uri.clone();
        document.set_fragment(None);
        if target == document {
            return Some(Rebased::Root(fragment));
        }
        let relative = document.make_relative(&target)?;
        Some(Rebased::Beside(super::percent_decode(&relative), fragment))
    }

    /// What replaces the object holding `reference`, or `None` to leave it as it is.
    fn reference(
        &mut self,
        reference: &str,
        object: &Map<String, Value>,
        base: Option<&Path>,
        pointer: &str,
    ) -> Option<Value> {
        let in_root = base == self.root.as_deref();
        let (file, fragment) = match self.rebase(reference, in_root) {
            Some(Rebased::Root(fragment)) => {
                // Everything brought in ends up in the root document, where this now points.
                let mut local = object.clone();
                local.insert("$ref".into(), Value::String(format!("#{fragment}")));
                return Some(Value::Object(local));
            }
            Some(Rebased::Beside(file, fragment)) => (file, fragment),
            None => {
                let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                (file.to_owned(), fragment.to_owned())
            }
        };
        let (file, fragment) = (file.as_str(), fragment.as_str());
        if file.is_empty() && in_root {
            return None;
        }
        if file.contains("://") {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("`$ref: {reference}` is a remote reference; download the file and refer to it locally"),
            ));
            return None;
        }
        let target_file = if file.is_empty() {
            base?.to_path_buf()
        } else {
            // A file found by `$self` is beside the root document, wherever the reference is.
            let from = match self.self_uri.is_some() && Url::parse(reference).is_ok() {
                true => self.root.as_deref(),
                false => base.or(self.root.as_deref()),
            };
            let Some(dir) = from.and_then(Path::parent) else {
                self.diagnostics.push(Diagnostic::error(
                    pointer,
                    format!("`$ref: {reference}` names another file, but this spec was not read from a file"),
                ));
                return None;
            };
            dir.join(file)
        };
        let target_file = std::fs::canonicalize(&target_file).unwrap_or(target_file);
        let target = self.target(&target_file, fragment, reference, pointer)?;
        if self.nesting >= MAX_NESTING {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("`$ref: {reference}` leads back to itself"),
            ));
            return None;
        }
        let siblings: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| *key != "$ref")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut replacement = if is_schema_position(pointer) {
            let key = self.hoist(&target_file, fragment, target);
            let mut local = Map::new();
            local.insert(
                "$ref".into(),
                Value::String(format!("#/components/schemas/{}", escape(&key))),
            );
            Value::Object(local)
        } else {
            let mut copy = target;
            self.nesting += 1;
            self.visit(&mut copy, Some(&target_file), &mut pointer.to_owned());
            self.nesting -= 1;
            copy
        };
        if let Value::Object(replacement) = &mut replacement {
            replacement.extend(siblings);
        }
        Some(replacement)
    }

    fn target(
        &mut self,
        file: &Path,
        fragment: &str,
        reference: &str,
        pointer: &str,
    ) -> Option<Value> {
        if !self.files.contains_key(file) {
            let parsed = match std::fs::read(file) {
                Ok(bytes) => super::parse::parse_document(&bytes)
                    .map_err(|err| format!("cannot read `{}`: {}", file.display(), err.message)),
                Err(err) => Err(format!(
                    "the file `{}` cannot be read: {err}",
                    file.display()
                )),
            };
            let parsed = parsed
                .map_err(|message| {
                    self.diagnostics.push(Diagnostic::error(
                        pointer,
                        format!("`$ref: {reference}`: {message}"),
                    ));
                })
                .ok();
            self.files.insert(file.to_path_buf(), parsed);
        }
        let document = self.files.get(file)?.as_ref()?;
        let found = document.pointer(&super::percent_decode(fragment)).cloned();
        if found.is_none() {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!(
                    "`$ref: {reference}`: `#{fragment}` points to nothing in `{}`",
                    file.display()
                ),
            ));
        }
        found
    }

    /// The schema's key in `#/components/schemas`, adding it the first time.
    fn hoist(&mut self, file: &Path, fragment: &str, target: Value) -> String {
        let memo = (file.to_path_buf(), fragment.to_owned());
        if let Some(key) = self.hoisted.get(&memo) {
            return key.clone();
        }
        let stem = file
            .file_stem()
            .map_or_else(|| "External".into(), |s| s.to_string_lossy().into_owned());
        let wanted = fragment
            .rsplit('/')
            .next()
            .filter(|last| !last.is_empty())
            .map_or_else(
                || stem.clone(),
                |last| last.replace("~1", "/").replace("~0", "~"),
            );
        let mut key = wanted.clone();
        let mut counter = 2;
        while self.taken.contains(&key) {
            key = format!("{wanted}{counter}");
            counter += 1;
        }
        self.taken.push(key.clone());
        // Claimed before its content is read, so a schema that refers to itself finds its key.
        self.hoisted.insert(memo, key.clone());
        let mut schema = target;
        self.visit(
            &mut schema,
            Some(file),
            &mut pointer_push("/components/schemas", &key),
        );
        self.schemas.push((key.clone(), schema));
        key
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether a value at `pointer` is read as a schema.
fn is_schema_position(pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.split('/').collect();
    let last = segments.last().copied().unwrap_or_default();
    let parent = segments
        .len()
        .checked_sub(2)
        .and_then(|i| segments.get(i))
        .copied()
        .unwrap_or_default();
    let grandparent = segments
        .len()
        .checked_sub(3)
        .and_then(|i| segments.get(i))
        .copied()
        .unwrap_or_default();
    matches!(
        last,
        "schema" | "itemSchema" | "items" | "additionalProperties" | "not"
    ) || matches!(
        parent,
        "properties"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "prefixItems"
            | "patternProperties"
            | "$defs"
            | "definitions"
    ) || (parent == "schemas" && grandparent == "components")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn scratch(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "generator-external-{}-{}",
            std::process::id(),
            files.len()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, contents) in files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(path, contents);
        }
        dir
    }

    #[test]
    fn schemas_are_brought_in_once_and_refs_inside_follow_their_file() {
        let dir = scratch(&[
            (
                "common/pets.yaml",
                "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'people.yaml#/Person'}\n    friend: {$ref: '#/Pet'}\n",
            ),
            (
                "common/people.yaml",
                "Person: {type: object, properties: {name: {type: string}}}\n",
            ),
        ]);
        let mut document = json!({
            "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "common/pets.yaml#/Pet"}}}}}}}},
            "components": {"schemas": {"Other": {"type": "array", "items": {"$ref": "common/pets.yaml#/Pet"}}}}
        });
        let mut diagnostics = Vec::new();
        resolve_external_refs(&mut document, Some(&dir.join("api.yaml")), &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            document["components"]["schemas"]["Other"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        let pet = &document["components"]["schemas"]["Pet"];
        assert_eq!(
            pet["properties"]["friend"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            pet["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Person"})
        );
        assert_eq!(
            document["components"]["schemas"]["Person"]["properties"]["name"],
            json!({"type": "string"})
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// By `$self`, a reference to the document's own URI is local, and one beside it is a
    /// file beside the document; from a spec not read from a file, only the first can be
    /// followed.
    #[test]
    fn references_resolve_against_self() {
        // Three files, a scratch folder no other test uses.
        let dir = scratch(&[
            ("common/pets.yaml", "Pet: {type: string}\n"),
            ("unused-a.yaml", "{}\n"),
            ("unused-b.yaml", "{}\n"),
        ]);
        let document = json!({
            "$self": "https://example.com/api/openapi.yaml",
            "components": {"schemas": {
                "Own": {"$ref": "https://example.com/api/openapi.yaml#/components/schemas/B", "description": "d"},
                "Relative": {"$ref": "openapi.yaml#/components/schemas/B"},
                "Local": {"$ref": "#/components/schemas/B"},
                "Beside": {"$ref": "https://example.com/api/common/pets.yaml#/Pet"},
                "Elsewhere": {"$ref": "https://other.example.com/api/openapi.yaml#/B"},
                "B": {"type": "string"}
            }}
        });
        let mut from_file = document.clone();
        let mut diagnostics = Vec::new();
        resolve_external_refs(
            &mut from_file,
            Some(&dir.join("api.yaml")),
            &mut diagnostics,
        );
        let schemas = &from_file["components"]["schemas"];
        assert_eq!(
            schemas["Own"],
            json!({"$ref": "#/components/schemas/B", "description": "d"})
        );
        assert_eq!(
            schemas["Relative"],
            json!({"$ref": "#/components/schemas/B"})
        );
        assert_eq!(schemas["Local"], json!({"$ref": "#/components/schemas/B"}));
        assert_eq!(
            schemas["Beside"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(schemas["Pet"], json!({"type": "string"}));
        let messages: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect();
        assert!(
            matches!(messages.as_slice(), [("/components/schemas/Elsewhere", message)] if message.contains("remote")),
            "{messages:?}"
        );

        let mut from_bytes = document;
        let mut diagnostics = Vec::new();
        resolve_external_refs(&mut from_bytes, None, &mut diagnostics);
        assert_eq!(
            from_bytes["components"]["schemas"]["Relative"],
            json!({"$ref": "#/components/schemas/B"})
        );
        assert!(
            diagnostics
                .iter()
                .any(|d| d.pointer == "/components/schemas/Beside"
                    && d.message.contains("not read from a file")),
            "{diagnostics:?}"
        );

        let mut document = json!({"$self": 5, "components": {}});
        let mut diagnostics = Vec::new();
        resolve_external_refs(&mut document, None, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].pointer, "/$self");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn missing_files_and_targets_are_reported() {
        let dir = scratch(&[("a.yaml", "A: {type: string}\n")]);
        let mut document = json!({"components": {"schemas": {
            "X": {"$ref": "missing.yaml#/A"},
            "Y": {"$ref": "a.yaml#/Nope"},
            "Z": {"$ref": "https://example.com/s.json"}
        }}});
        let mut diagnostics = Vec::new();
        resolve_external_refs(&mut document, Some(&dir.join("api.yaml")), &mut diagnostics);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(diagnostics.len(), 3, "{messages:?}");
        assert!(messages[0].contains("missing.yaml") && messages[0].contains("cannot be read"));
        assert!(messages[1].contains("points to nothing"));
        assert!(messages[2].contains("remote"));
        assert_eq!(diagnostics[0].pointer, "/components/schemas/X");
        let _ = std::fs::remove_dir_all(dir);
    }
}
