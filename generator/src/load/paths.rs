//! The document's path items, kept as JSON until the model takes them, one at a time.
//!
//! In a big spec nearly all the bytes are under `paths` (18 of Microsoft Graph's 20 MB), and as
//! `openapiv3` values they take over ten times their size in memory. Converted one at a time,
//! and dropped once their operations are modelled, they are never all held at once.

use std::sync::mpsc;
use std::thread::JoinHandle;

use openapiv3::{PathItem, ReferenceOr};
use serde::Deserialize as _;
use serde_json::Value;

use super::parse::path_to_pointer;
use crate::diagnostics::{Diagnostic, pointer_push};

/// The HTTP methods of a path item, in the order `openapiv3::PathItem::iter` gives them (which
/// [`PathItems::operations`] must follow).
pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The path items of a document, in document order, not yet converted.
#[derive(Default)]
pub struct PathItems {
    items: Vec<(String, Value)>,
}

/// One operation as the spec lists it, before anything is converted.
pub struct ListedOperation<'p> {
    pub path: &'p str,
    pub method: &'static str,
    pub operation_id: Option<&'p str>,
}

impl PathItems {
    /// Takes `paths` out of the document, leaving it empty there. Like `openapiv3`, only keys
    /// that start with `/` are paths. A `paths` that is not an object stays, for the document's
    /// conversion to report.
    pub(super) fn take(document: &mut Value) -> Self {
        let Some(Value::Object(paths)) = document.get_mut("paths") else {
            return Self::default();
        };
        let items = std::mem::take(paths)
            .into_iter()
            .filter(|(path, _)| path.starts_with('/'))
            .collect();
        Self { items }
    }

    /// The operations of each path item (none for a `$ref`), in the order [`Self::into_items`]
    /// gives the items and `openapiv3` their operations.
    pub fn operations(&self) -> Vec<Vec<ListedOperation<'_>>> {
        self.items
            .iter()
            .map(|(path, item)| {
                if reference(item).is_some() {
                    return Vec::new();
                }
                METHODS
                    .into_iter()
                    .filter_map(|method| {
                        let operation = item.get(method).filter(|o| !o.is_null())?;
                        Some(ListedOperation {
                            path,
                            method,
                            operation_id: operation.get("operationId").and_then(Value::as_str),
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// The path items in order, each converted a little ahead of being reached, on a thread
    /// of its own while the model works on the ones before; one that does not fit the OpenAPI
    /// types is a located error.
    pub fn into_items(self) -> Box<dyn Iterator<Item = ConvertedItem>> {
        // The items reach the converter through a channel, not its closure, so that they are
        // still here to convert on this thread if no thread can be had.
        let (to_convert, waiting) = mpsc::channel::<(String, Value)>();
        let (converted, done) = mpsc::sync_channel(CONVERTED_AHEAD);
        let converter = crate::parallel::helper().spawn(move || {
            for entry in waiting {
                // The model has stopped taking items: nothing is left to convert for.
                if converted.send(convert_entry(entry)).is_err() {
                    break;
                }
            }
        });
        let Ok(converter) = converter else {
            return Box::new(self.items.into_iter().map(convert_entry));
        };
        for entry in self.items {
            // Fails only if the converter has panicked, which `Converted` passes on.
            let _ = to_convert.send(entry);
        }
        Box::new(Converted {
            done,
            converter: Some(converter),
        })
    }
}

/// The converter's output, in order; once it runs dry, a panic on the converter's thread goes
/// on here, as it would have without the thread, rather than ending the items early.
struct Converted {
    done: mpsc::Receiver<ConvertedItem>,
    converter: Option<JoinHandle<()>>,
}

impl Iterator for Converted {
    type Item = ConvertedItem;

    fn next(&mut self) -> Option<ConvertedItem> {
        if let Ok(item) = self.done.recv() {
            return Some(item);
        }
        if let Some(Err(panic)) = self.converter.take().map(JoinHandle::join) {
            std::panic::resume_unwind(panic);
        }
        None
    }
}

/// A path item's path, and the item as `openapiv3` types or where it does not fit them.
pub type ConvertedItem = (String, Result<ReferenceOr<PathItem>, Diagnostic>);

/// How many converted path items may wait for the model: a few keep the converter busy, and
/// converted items take ten times their JSON's memory.
const CONVERTED_AHEAD: usize = 16;

fn reference(item: &Value) -> Option<&str> {
    item.get("$ref").and_then(Value::as_str)
}

fn convert_entry((path, item): (String, Value)) -> ConvertedItem {
    let converted = convert(&path, &item);
    (path, converted)
}

fn convert(path: &str, item: &Value) -> Result<ReferenceOr<PathItem>, Diagnostic> {
    if let Some(reference) = reference(item) {
        return Ok(ReferenceOr::Reference {
            reference: reference.to_owned(),
        });
    }
    // Read from a reference, so that a fault can be located in the same value afterwards.
    PathItem::deserialize(item)
        .map(ReferenceOr::Item)
        .map_err(|_| {
            let base = pointer_push("/paths", path);
            match serde_path_to_error::deserialize::<_, PathItem>(item) {
                Err(err) => Diagnostic::error(
                    format!("{base}{}", path_to_pointer(err.path())),
                    format!("not a valid path item: {}", err.inner()),
                ),
                Ok(_) => Diagnostic::error(base, "not a valid path item"),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_listed_in_openapiv3_order_without_converting() {
        let mut document = json!({"paths": {
            "/b": {"post": {"operationId": "make"}, "get": {}},
            "x-note": 1,
            "/a": {"$ref": "#/components/pathItems/A"},
        }});
        let paths = PathItems::take(&mut document);
        assert_eq!(document, json!({"paths": {}}));
        let listed: Vec<Vec<(&str, &str, Option<&str>)>> = paths
            .operations()
            .iter()
            .map(|item| {
                item.iter()
                    .map(|o| (o.path, o.method, o.operation_id))
                    .collect()
            })
            .collect();
        assert_eq!(
            listed,
            [
                vec![("/b", "get", None), ("/b", "post", Some("make"))],
                vec![]
            ]
        );
    }

    /// More items than the converter may hold ahead, one of them faulty: all come back, in
    /// order, and the model may stop taking them at any point.
    #[test]
    fn items_come_back_in_order_however_far_ahead_they_are_converted() {
        let count = CONVERTED_AHEAD * 3 + 1;
        let paths: serde_json::Map<String, Value> = (0..count)
            .map(|index| {
                let item = if index == 7 {
                    json!({"get": {"responses": 5}})
                } else {
                    json!({"get": {"operationId": format!("op{index}"), "responses": {}}})
                };
                (format!("/p{index}"), item)
            })
            .collect();
        let mut document = json!({ "paths": paths });
        let items: Vec<_> = PathItems::take(&mut document).into_items().collect();
        assert_eq!(items.len(), count);
        for (index, (path, item)) in items.iter().enumerate() {
            assert_eq!(path, &format!("/p{index}"));
            let id = item
                .as_ref()
                .ok()
                .and_then(|item| item.as_item()?.get.as_ref()?.operation_id.clone());
            match index {
                7 => assert!(item.is_err(), "{item:?}"),
                _ => assert_eq!(id, Some(format!("op{index}"))),
            }
        }
        let mut document = json!({ "paths": paths_of(count) });
        let mut items = PathItems::take(&mut document).into_items();
        assert!(items.next().is_some());
        drop(items);
    }

    fn paths_of(count: usize) -> serde_json::Map<String, Value> {
        (0..count)
            .map(|index| (format!("/p{index}"), json!({"get": {}})))
            .collect()
    }

    #[test]
    fn a_path_item_that_does_not_fit_is_located() {
        let mut document = json!({"paths": {"/a/{id}": {"get": {"parameters": 5}}}});
        let mut items = PathItems::take(&mut document).into_items();
        let Some((path, Err(fault))) = items.next() else {
            panic!("expected a fault");
        };
        assert_eq!(path, "/a/{id}");
        assert_eq!(fault.pointer, "/paths/~1a~1{id}/get/parameters");
        assert!(
            fault.message.contains("expected a sequence"),
            "{}",
            fault.message
        );
    }
}
