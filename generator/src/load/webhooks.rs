//! The requests an API sends to its users: OpenAPI 3.1's `webhooks`, and the `x-webhooks`
//! extension that 3.0 documents carry for the same (GitHub's lists hundreds). Each is a path
//! item keyed by the event's name, taken out of the document like its paths and converted the
//! same way.

use openapiv3::ReferenceOr;
use serde_json::Value;

use super::paths::{Item, convert_at, each_operation};
use crate::diagnostics::{Diagnostic, pointer_push};

/// OpenAPI 3.1's section of webhooks.
pub const WEBHOOKS: &str = "webhooks";

/// The extension that carries webhooks in documents older than 3.1.
pub const WEBHOOKS_EXTENSION: &str = "x-webhooks";

/// One webhook as the spec declares it.
pub struct WebhookItem {
    /// Its key: the name of the event.
    pub name: String,
    /// The pointer of its path item.
    pub pointer: String,
    /// The path item, or where it does not fit the OpenAPI types.
    pub item: Result<ReferenceOr<Item>, Diagnostic>,
}

/// Takes both sections out of the document (3.1's first), so that `openapiv3` neither reads
/// the extension as one nor meets 3.1's section.
pub fn take(document: &mut Value) -> Vec<WebhookItem> {
    let Some(root) = document.as_object_mut() else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for section in [WEBHOOKS, WEBHOOKS_EXTENSION] {
        let Some(Value::Object(entries)) = root.remove(section) else {
            continue;
        };
        let base = pointer_push("", section);
        for (name, mut item) in entries {
            let pointer = pointer_push(&base, &name);
            if let Some(fields) = item.as_object_mut() {
                // What the receiver answers is not described to any use here, and `openapiv3`
                // requires it of an operation.
                each_operation(fields, &pointer, |operation, _| {
                    operation
                        .entry("responses")
                        .or_insert_with(|| Value::Object(serde_json::Map::new()));
                });
            }
            let item = convert_at(&pointer, &item);
            items.push(WebhookItem {
                name,
                pointer,
                item,
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_sections_are_taken_in_order_without_responses() {
        let mut document = json!({
            "x-webhooks": {"push": {"post": {"requestBody": {"content": {}}}}},
            "webhooks": {"ping": {"post": {}}, "bad": {"post": {"parameters": 5}}},
            "paths": {},
        });
        let items = take(&mut document);
        assert_eq!(document, json!({"paths": {}}));
        let seen: Vec<(&str, &str, bool)> = items
            .iter()
            .map(|w| (w.name.as_str(), w.pointer.as_str(), w.item.is_ok()))
            .collect();
        assert_eq!(
            seen,
            [
                ("ping", "/webhooks/ping", true),
                ("bad", "/webhooks/bad", false),
                ("push", "/x-webhooks/push", true),
            ]
        );
        let fault = items.get(1).and_then(|w| w.item.as_ref().err());
        assert_eq!(
            fault.map(|d| d.pointer.as_str()),
            Some("/webhooks/bad/post/parameters")
        );
    }
}
