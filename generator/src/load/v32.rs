//! What OpenAPI 3.2 adds, rewritten into what `openapiv3` keeps (its fixed fields, and `x-`
//! keys in each object's `extensions`), for the model to read:
//!
//! | 3.2                                                 | read as                                              |
//! |-----------------------------------------------------|------------------------------------------------------|
//! | a tag's `summary`, `parent`, `kind`                 | [`SUMMARY_EXTENSION`], [`TAG_PARENT_EXTENSION`], [`TAG_KIND_EXTENSION`] |
//! | a response's `summary`                              | [`SUMMARY_EXTENSION`] (a missing `description`, optional in 3.2, is filled by `repair`) |
//! | `in: querystring`                                   | `in: query` marked [`QUERYSTRING_EXTENSION`], named `query` if it has no name |
//! | oauth2's `oauth2MetadataUrl`                        | [`OAUTH2_METADATA_EXTENSION`]                        |
//! | oauth2's `flows.deviceAuthorization`                | `flows.`[`DEVICE_AUTHORIZATION_EXTENSION`]           |
//! | an `additionalOperations` entry `openapiv3` cannot send | left out                                         |
//!
//! [`super::repair`] reads the path items' fields here, [`super::normalize`] the rest.
//! Elsewhere: `query` and `additionalOperations` are read with the path items ([`super::paths`]),
//! a media type's `itemSchema` by [`super::normalize`], `$ref`s into `components.mediaTypes` by
//! [`super::refs`] and `$self` by [`super::external`]. A 3.0 or 3.1 document that uses a 3.2
//! field gets it read the same way, with a warning, as 3.1 forms in a 3.0 document are.

use serde_json::{Map, Value};

use super::parse::Dialect;
use super::paths::{ADDITIONAL_OPERATIONS, METHODS};
use crate::diagnostics::{Diagnostic, pointer_push};

/// Where a tag's or a response's `summary` is kept.
pub const SUMMARY_EXTENSION: &str = "x-specwright-summary";
/// Where a tag's `parent` (the name of the tag it is nested under) is kept.
pub const TAG_PARENT_EXTENSION: &str = "x-specwright-parent";
/// Where a tag's `kind` (`nav`, `badge`, `audience`, ...) is kept.
pub const TAG_KIND_EXTENSION: &str = "x-specwright-kind";
/// Marks an `in: query` parameter that was `in: querystring`: the whole query string.
pub const QUERYSTRING_EXTENSION: &str = "x-specwright-querystring";
/// Where an oauth2 scheme's `oauth2MetadataUrl` is kept.
pub const OAUTH2_METADATA_EXTENSION: &str = "x-specwright-oauth2-metadata-url";
/// Where, in an oauth2 scheme's `flows`, its `deviceAuthorization` flow is kept.
pub const DEVICE_AUTHORIZATION_EXTENSION: &str = "x-specwright-device-authorization";

/// The 3.2 rewrites of one walk over the document.
pub struct Reader<'w> {
    pub dialect: Dialect,
    pub warnings: &'w mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Warns about a 3.2 field at `pointer` in an older document.
    pub fn read_field(&mut self, pointer: &str, field: &str) {
        let version = match self.dialect {
            Dialect::V3_0 => "3.0",
            Dialect::V3_1 => "3.1",
            Dialect::V3_2 => return,
        };
        self.warnings.push(Diagnostic::warning(
            pointer,
            format!("`{field}` is an OpenAPI 3.2 field in a {version} document; read as 3.2"),
        ));
    }

    /// Moves `field` of `object` (at `pointer`) to the extension key `to`.
    fn keep_as(&mut self, object: &mut Map<String, Value>, pointer: &str, field: &str, to: &str) {
        if let Some(value) = object.remove(field) {
            self.read_field(&pointer_push(pointer, field), field);
            object.insert(to.to_owned(), value);
        }
    }

    /// The document's `tags`.
    pub fn tags(&mut self, tags: &mut Value) {
        let Some(tags) = tags.as_array_mut() else {
            return;
        };
        for (index, tag) in tags.iter_mut().enumerate() {
            let Some(tag) = tag.as_object_mut() else {
                continue;
            };
            let pointer = pointer_push("/tags", &index.to_string());
            self.keep_as(tag, &pointer, "summary", SUMMARY_EXTENSION);
            self.keep_as(tag, &pointer, "parent", TAG_PARENT_EXTENSION);
            self.keep_as(tag, &pointer, "kind", TAG_KIND_EXTENSION);
        }
    }

    /// `components.securitySchemes`: the oauth2 schemes' 3.2 fields.
    pub fn security_schemes(&mut self, schemes: &mut Value) {
        let Some(schemes) = schemes.as_object_mut() else {
            return;
        };
        for (key, scheme) in schemes.iter_mut() {
            let Some(scheme) = scheme.as_object_mut() else {
                continue;
            };
            if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
                continue;
            }
            let pointer = pointer_push("/components/securitySchemes", key);
            self.keep_as(
                scheme,
                &pointer,
                "oauth2MetadataUrl",
                OAUTH2_METADATA_EXTENSION,
            );
            let Some(flows) = scheme.get_mut("flows").and_then(Value::as_object_mut) else {
                continue;
            };
            let pointer = pointer_push(&pointer, "flows");
            let flow_pointer = pointer_push(&pointer, "deviceAuthorization");
            if let Some(flow) = flows.get("deviceAuthorization") {
                for url in ["deviceAuthorizationUrl", "tokenUrl"] {
                    if flow.get(url).and_then(Value::as_str).is_none() {
                        self.warnings.push(Diagnostic::warning(
                            &flow_pointer,
                            format!("the device authorization flow needs `{url}`, a URL"),
                        ));
                    }
                }
            }
            self.keep_as(
                flows,
                &pointer,
                "deviceAuthorization",
                DEVICE_AUTHORIZATION_EXTENSION,
            );
        }
    }

    /// A path item's `query` and `additionalOperations`, whose entries that cannot be sent as
    /// they are written are dropped: a method a fixed field holds, or a name HTTP does not
    /// allow.
    pub fn path_item(&mut self, item: &mut Map<String, Value>, pointer: &str) {
        if item.contains_key("query") {
            self.read_field(&pointer_push(pointer, "query"), "query");
        }
        let Some(more) = item.get_mut(ADDITIONAL_OPERATIONS) else {
            return;
        };
        let pointer = pointer_push(pointer, ADDITIONAL_OPERATIONS);
        self.read_field(&pointer, ADDITIONAL_OPERATIONS);
        let Some(more) = more.as_object_mut() else {
            self.warnings.push(Diagnostic::warning(
                pointer,
                "`additionalOperations` must map method names to operations; ignored",
            ));
            return;
        };
        more.retain(|method, _| {
            let at = pointer_push(&pointer, method);
            // Methods are case-sensitive, but one that differs from a fixed field's only in
            // case is that field written wrongly far more often than another method.
            if let Some(field) = METHODS.iter().find(|m| m.eq_ignore_ascii_case(method)) {
                self.warnings.push(Diagnostic::warning(
                    at,
                    format!(
                        "`{method}` is the method of the path item's `{field}` field, which must \
                         hold it instead; skipped"
                    ),
                ));
                return false;
            }
            if !is_token(method) {
                self.warnings.push(Diagnostic::warning(
                    at,
                    format!("`{method}` is not an HTTP method name (a token, RFC 9110); skipped"),
                ));
                return false;
            }
            true
        });
    }

    /// A response object (not a `$ref`).
    pub fn response(&mut self, response: &mut Map<String, Value>, pointer: &str) {
        self.keep_as(response, pointer, "summary", SUMMARY_EXTENSION);
    }

    /// A parameter object (not a `$ref`, nor a header).
    pub fn parameter(&mut self, parameter: &mut Map<String, Value>, pointer: &str) {
        if parameter.get("in").and_then(Value::as_str) != Some("querystring") {
            return;
        }
        self.read_field(&pointer_push(pointer, "in"), "in: querystring");
        parameter.insert("in".to_owned(), Value::String("query".to_owned()));
        parameter.insert(QUERYSTRING_EXTENSION.to_owned(), Value::Bool(true));
        // `name` plays no part in a query string; 3.2's own examples leave it out.
        parameter
            .entry("name")
            .or_insert_with(|| Value::String("query".to_owned()));
    }
}

/// Whether `name` is an HTTP token (RFC 9110, 5.6.2), as a method name must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::load::normalize::normalize;
    use crate::load::repair::repair;

    fn read(mut document: Value, dialect: Dialect) -> (Value, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        repair(&mut document, dialect, &mut warnings);
        normalize(&mut document, dialect, &mut warnings);
        (document, warnings)
    }

    #[test]
    fn fields_openapiv3_drops_are_kept_in_extensions() {
        let (document, warnings) = read(
            json!({
                "tags": [{"name": "cats", "summary": "Cats", "parent": "pets", "kind": "nav"}],
                "components": {
                    "securitySchemes": {"device": {
                        "type": "oauth2",
                        "oauth2MetadataUrl": "https://a/meta",
                        "flows": {"deviceAuthorization": {
                            "deviceAuthorizationUrl": "https://a/device",
                            "tokenUrl": "https://a/token",
                            "scopes": {}
                        }}
                    }},
                    "responses": {"Gone": {"summary": "Gone"}},
                    "parameters": {"Q": {"in": "querystring", "content": {"text/plain": {}}}}
                }
            }),
            Dialect::V3_2,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            document["tags"][0],
            json!({"name": "cats", SUMMARY_EXTENSION: "Cats", TAG_PARENT_EXTENSION: "pets",
                   TAG_KIND_EXTENSION: "nav"})
        );
        let scheme = &document["components"]["securitySchemes"]["device"];
        assert_eq!(scheme[OAUTH2_METADATA_EXTENSION], json!("https://a/meta"));
        assert_eq!(
            scheme["flows"][DEVICE_AUTHORIZATION_EXTENSION]["tokenUrl"],
            json!("https://a/token")
        );
        assert_eq!(scheme["flows"].get("deviceAuthorization"), None);
        assert_eq!(
            document["components"]["responses"]["Gone"],
            json!({SUMMARY_EXTENSION: "Gone", "description": ""})
        );
        assert_eq!(
            document["components"]["parameters"]["Q"],
            json!({"in": "query", "content": {"text/plain": {}}, QUERYSTRING_EXTENSION: true,
                   "name": "query"})
        );
    }

    #[test]
    fn additional_operations_that_cannot_be_sent_are_dropped() {
        let (document, warnings) = read(
            json!({"paths": {"/a": {"additionalOperations": {
                "POST": {}, "query": {}, "": {}, "A B": {},
                "PURGE": {"responses": {}}, "link": {"responses": {}}, "M-SEARCH": {"responses": {}}
            }}}}),
            Dialect::V3_2,
        );
        let kept: Vec<&str> = document["paths"]["/a"][ADDITIONAL_OPERATIONS]
            .as_object()
            .map(|more| more.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(kept, ["PURGE", "link", "M-SEARCH"]);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/additionalOperations/POST",
                "/paths/~1a/additionalOperations/query",
                "/paths/~1a/additionalOperations/",
                "/paths/~1a/additionalOperations/A B"
            ]
        );
    }

    #[test]
    fn older_documents_are_read_as_3_2_with_a_warning() {
        let (document, warnings) = read(
            json!({
                "tags": [{"name": "t", "summary": "T"}],
                "paths": {"/a": {
                    "query": {"responses": {}},
                    "additionalOperations": {"PURGE": {"responses": {}}}
                }}
            }),
            Dialect::V3_1,
        );
        assert_eq!(document["tags"][0][SUMMARY_EXTENSION], json!("T"));
        let messages: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.pointer.as_str(), w.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "/paths/~1a/query",
                    "`query` is an OpenAPI 3.2 field in a 3.1 document; read as 3.2"
                ),
                (
                    "/paths/~1a/additionalOperations",
                    "`additionalOperations` is an OpenAPI 3.2 field in a 3.1 document; read as 3.2"
                ),
                (
                    "/tags/0/summary",
                    "`summary` is an OpenAPI 3.2 field in a 3.1 document; read as 3.2"
                ),
            ]
        );
    }
}
