//! `$ref`s to other files (`common.yaml#/components/schemas/Pet`, `pet.json`), followed
//! relative to the file that holds them and brought into the root document.
//!
//! A schema is added to `#/components/schemas` under the key of its last pointer segment (or
//! file stem), once however often it is referenced, and the reference is pointed at it, so
//! recursive schemas across files work. Anything else (a parameter, a response) is copied in
//! place. References inside a brought-in file are read relative to that file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::parse::{self, nesting_message};
use crate::diagnostics::{Diagnostic, pointer_enter, pointer_push};

/// How deep copies of references to references may nest before it is called a cycle.
const MAX_NESTING: usize = 64;

pub fn resolve_external_refs(
    document: &mut Value,
    root: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut resolver = Resolver {
        root: root.map(|root| std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())),
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

fn existing_schema_keys(document: &Value) -> Vec<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

struct Resolver<'d> {
    root: Option<PathBuf>,
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

    /// What replaces the object holding `reference`, or `None` to leave it as it is.
    fn reference(
        &mut self,
        reference: &str,
        object: &Map<String, Value>,
        base: Option<&Path>,
        pointer: &str,
    ) -> Option<Value> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let in_root = base == self.root.as_deref();
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
            let Some(dir) = base.or(self.root.as_deref()).and_then(Path::parent) else {
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
    matches!(last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(
            parent,
            "properties"
                | "allOf"
                | "anyOf"
                | "oneOf"
                | "prefixItems"
                | "patternProperties"
                | "$defs"
                | "definitions"
        )
        || (parent == "schemas" && grandparent == "components")
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
