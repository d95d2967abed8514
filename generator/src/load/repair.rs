//! Mends the small mistakes that real specs carry and that would otherwise stop `openapiv3`
//! from reading them at all: each repair is reported as a warning at its JSON pointer.

use serde_json::{Map, Value};

use super::parse::Dialect;
use super::paths::each_operation;
use super::v32;
use crate::diagnostics::{Diagnostic, pointer_push};

pub fn repair(document: &mut Value, dialect: Dialect, warnings: &mut Vec<Diagnostic>) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let mut repairs = Repairs { dialect, warnings };
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        for field in ["title", "version"] {
            repairs.default_string(info, field, "/info", "");
        }
    }
    if !root.contains_key("paths") {
        // Allowed in 3.1, and harmless in 3.0: a document of components only.
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    repairs.servers(root, "");
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let item_pointer = pointer_push("/paths", path);
            repairs.servers(item, &item_pointer);
            // First, so that an operation that is dropped is not mended too.
            v32::Reader {
                dialect,
                warnings: &mut *repairs.warnings,
            }
            .path_item(item, &item_pointer);
            each_operation(item, &item_pointer, |operation, pointer| {
                repairs.servers(operation, pointer);
                repairs.operation(operation, pointer);
            });
        }
    }
    if let Some(responses) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"))
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            repairs.response(response, &pointer_push("/components/responses", name));
        }
    }
}

struct Repairs<'w> {
    dialect: Dialect,
    warnings: &'w mut Vec<Diagnostic>,
}

impl Repairs<'_> {
    fn default_string(
        &mut self,
        object: &mut Map<String, Value>,
        field: &str,
        pointer: &str,
        value: &str,
    ) {
        if !object.contains_key(field) {
            self.warnings.push(Diagnostic::warning(
                pointer,
                format!("`{field}` is required; read as `{value:?}`"),
            ));
            object.insert(field.into(), Value::String(value.into()));
        }
    }

    fn operation(&mut self, operation: &mut Map<String, Value>, pointer: &str) {
        if !operation.contains_key("responses") {
            self.warnings.push(Diagnostic::warning(
                pointer,
                "the operation lists no `responses`",
            ));
            operation.insert("responses".into(), Value::Object(Map::new()));
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
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        let Some(response) = response.as_object_mut().filter(|r| !r.contains_key("$ref")) else {
            return;
        };
        if self.dialect == Dialect::V3_2 {
            // Optional since 3.2, where a `summary` may say all there is to say.
            response
                .entry("description")
                .or_insert_with(|| Value::String(String::new()));
        } else {
            self.default_string(response, "description", pointer, "");
        }
    }

    /// Server variables are strings; specs write ports and versions as numbers.
    fn servers(&mut self, holder: &mut Map<String, Value>, pointer: &str) {
        let Some(servers) = holder.get_mut("servers").and_then(Value::as_array_mut) else {
            return;
        };
        for (index, server) in servers.iter_mut().enumerate() {
            let Some(variables) = server.get_mut("variables").and_then(Value::as_object_mut) else {
                continue;
            };
            let base = pointer_push(
                &pointer_push(&pointer_push(pointer, "servers"), &index.to_string()),
                "variables",
            );
            for (name, variable) in variables.iter_mut() {
                let at = pointer_push(&base, name);
                if let Some(default) = variable.get_mut("default") {
                    self.stringify(default, &pointer_push(&at, "default"));
                }
                if let Some(values) = variable.get_mut("enum").and_then(Value::as_array_mut) {
                    for (position, value) in values.iter_mut().enumerate() {
                        self.stringify(
                            value,
                            &pointer_push(&pointer_push(&at, "enum"), &position.to_string()),
                        );
                    }
                }
            }
        }
    }

    fn stringify(&mut self, value: &mut Value, pointer: &str) {
        if matches!(value, Value::Number(_) | Value::Bool(_)) {
            self.warnings.push(Diagnostic::warning(
                pointer,
                format!("server variable values are strings; read `{value}` as one"),
            ));
            *value = Value::String(value.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::repair;
    use crate::load::parse::Dialect;

    #[test]
    fn mends_what_openapiv3_would_refuse() {
        let mut document = json!({
            "info": {"title": "t"},
            "servers": [{"url": "http://h:{port}", "variables": {"port": {"default": 80, "enum": [80, "443"]}}}],
            "paths": {"/a": {"get": {"responses": {"200": {}}}, "post": {}}}
        });
        let mut warnings = Vec::new();
        repair(&mut document, Dialect::V3_0, &mut warnings);
        assert_eq!(document["info"]["version"], json!(""));
        assert_eq!(
            document["servers"][0]["variables"]["port"],
            json!({"default": "80", "enum": ["80", "443"]})
        );
        assert_eq!(
            document["paths"]["/a"]["get"]["responses"]["200"],
            json!({"description": ""})
        );
        assert_eq!(document["paths"]["/a"]["post"], json!({"responses": {}}));
        assert_eq!(warnings.len(), 5);
    }
}
