//! The document's path items, kept as JSON until the model takes them, one at a time.
//!
//! In a big spec nearly all the bytes are under `paths` (18 of Microsoft Graph's 20 MB), and as
//! `openapiv3` values they take over ten times their size in memory. Converted one at a time,
//! and dropped once their operations are modelled, they are never all held at once.

use std::sync::mpsc;
use std::thread::JoinHandle;

use openapiv3::{Operation, Parameter, PathItem, ReferenceOr};
use serde_json::{Map, Value};

use super::parse::path_to_pointer;
use crate::diagnostics::{Diagnostic, pointer_push};

/// The fixed fields of a path item that hold operations, in the order [`PathItems::into_items`]
/// gives them: `openapiv3::PathItem::iter`'s, then 3.2's `query`, which `PathItem` lacks.
pub(super) const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// How many of [`METHODS`] `openapiv3::PathItem` reads itself.
const PATH_ITEM_METHODS: usize = 8;

/// 3.2's map of a path item's other operations, by the method name each is sent with.
pub(super) const ADDITIONAL_OPERATIONS: &str = "additionalOperations";

/// Calls `visit` with each operation of a path item as JSON and its pointer (the item's is
/// `pointer`): the fixed fields in the order of [`METHODS`], then `additionalOperations`.
pub(super) fn each_operation(
    item: &mut Map<String, Value>,
    pointer: &str,
    mut visit: impl FnMut(&mut Map<String, Value>, &str),
) {
    for method in METHODS {
        if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
            visit(operation, &pointer_push(pointer, method));
        }
    }
    if let Some(more) = item
        .get_mut(ADDITIONAL_OPERATIONS)
        .and_then(Value::as_object_mut)
    {
        let base = pointer_push(pointer, ADDITIONAL_OPERATIONS);
        for (method, operation) in more.iter_mut() {
            if let Some(operation) = operation.as_object_mut() {
                visit(operation, &pointer_push(&base, method));
            }
        }
    }
}

/// The operations a path item lists, as `(key, additional, operation)`, in the order of
/// [`each_operation`]; `null` stands for none, as `openapiv3` reads it.
fn listed_operations(item: &Value) -> impl Iterator<Item = (&str, bool, &Value)> {
    let fixed = METHODS
        .into_iter()
        .filter_map(move |method| Some((method, false, item.get(method)?)));
    let more = item
        .get(ADDITIONAL_OPERATIONS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(method, operation)| (method.as_str(), true, operation));
    fixed
        .chain(more)
        .filter(|(_, _, operation)| !operation.is_null())
}

/// The path items of a document, in document order, not yet converted.
#[derive(Default)]
pub struct PathItems {
    items: Vec<(String, Value)>,
}

/// One operation as the spec lists it, before anything is converted.
pub struct ListedOperation<'p> {
    pub path: &'p str,
    /// Its key in the path item: a fixed field (`get`, `query`) or the method name of an
    /// `additionalOperations` entry.
    pub method: &'p str,
    pub operation_id: Option<&'p str>,
}

/// A path item converted to `openapiv3` types, with the operations `openapiv3` does not read.
#[derive(Debug)]
pub struct Item {
    /// The parameters of every operation of the item.
    pub parameters: Vec<ReferenceOr<Parameter>>,
    /// In the order [`PathItems::operations`] lists them.
    pub operations: Vec<ItemOperation>,
}

/// One operation of a path item.
#[derive(Debug)]
pub struct ItemOperation {
    /// Its key in the path item, as [`ListedOperation::method`].
    pub key: String,
    /// An entry of `additionalOperations`, whose key is the method as sent.
    pub additional: bool,
    pub operation: Operation,
}

impl ItemOperation {
    /// The method the request is sent with: a fixed field's in upper case; an
    /// `additionalOperations` key as written, since 3.2 makes its capitalization the one sent.
    pub fn method(&self) -> String {
        match self.additional {
            true => self.key.clone(),
            false => self.key.to_ascii_uppercase(),
        }
    }

    /// Its pointer, the path item's being `item`.
    pub fn pointer(&self, item: &str) -> String {
        operation_pointer(item, &self.key, self.additional)
    }
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
                listed_operations(item)
                    .map(|(method, _, operation)| ListedOperation {
                        path,
                        method,
                        operation_id: operation.get("operationId").and_then(Value::as_str),
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
pub type ConvertedItem = (String, Result<ReferenceOr<Item>, Diagnostic>);

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

fn convert(path: &str, item: &Value) -> Result<ReferenceOr<Item>, Diagnostic> {
    convert_at(&pointer_push("/paths", path), item)
}

/// The path item at `base` as `openapiv3` types; a webhook's is converted the same way.
pub(super) fn convert_at(base: &str, item: &Value) -> Result<ReferenceOr<Item>, Diagnostic> {
    if let Some(reference) = reference(item) {
        return Ok(ReferenceOr::Reference {
            reference: reference.to_owned(),
        });
    }
    // Read from a reference, so that a fault can be located in the same value afterwards.
    let mut fixed = deserialize_located::<PathItem>(item, base, "path item")?;
    let parameters = std::mem::take(&mut fixed.parameters);
    let mut operations: Vec<ItemOperation> = fixed
        .into_iter()
        .map(|(key, operation)| ItemOperation {
            key: key.to_owned(),
            additional: false,
            operation,
        })
        .collect();
    let read_by_path_item = METHODS.get(..PATH_ITEM_METHODS).unwrap_or_default();
    for (key, additional, operation) in listed_operations(item) {
        if !additional && read_by_path_item.contains(&key) {
            continue;
        }
        let at = operation_pointer(base, key, additional);
        operations.push(ItemOperation {
            key: key.to_owned(),
            additional,
            operation: deserialize_located(operation, &at, "operation")?,
        });
    }
    Ok(ReferenceOr::Item(Item {
        parameters,
        operations,
    }))
}

/// The pointer of an operation of the path item at `item`.
fn operation_pointer(item: &str, key: &str, additional: bool) -> String {
    match additional {
        true => pointer_push(&pointer_push(item, ADDITIONAL_OPERATIONS), key),
        false => pointer_push(item, key),
    }
}

/// `value` as a `T`, or a located error saying it is not a valid `what`.
fn deserialize_located<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
    what: &str,
) -> Result<T, Diagnostic> {
    T::deserialize(value).map_err(|_| match serde_path_to_error::deserialize::<_, T>(value) {
        Err(err) => Diagnostic::error(
            format!("{base}{}", path_to_pointer(err.path())),
            format!("not a valid {what}: {}", err.inner()),
        ),
        Ok(_) => Diagnostic::error(base, format!("not a valid {what}")),
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
            let id = item.as_ref().ok().and_then(|item| {
                item.as_item()?
                    .operations
                    .first()?
                    .operation
                    .operation_id
                    .clone()
            });
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

    /// 3.2's `query` and `additionalOperations` come after the operations `openapiv3` reads,
    /// listed and converted in the same order, each with its method and pointer.
    #[test]
    fn query_and_additional_operations_follow_the_fixed_ones() {
        let mut document = json!({"paths": {"/a": {
            "additionalOperations": {
                "PURGE": {"operationId": "purge", "responses": {}},
                "link": {"responses": {}}
            },
            "query": {"operationId": "search", "responses": {}},
            "post": {"operationId": "make", "responses": {}},
            "trace": null,
        }}});
        let paths = PathItems::take(&mut document);
        let listed: Vec<(&str, Option<&str>)> = paths.operations()[0]
            .iter()
            .map(|o| (o.method, o.operation_id))
            .collect();
        assert_eq!(
            listed,
            [
                ("post", Some("make")),
                ("query", Some("search")),
                ("PURGE", Some("purge")),
                ("link", None)
            ]
        );
        let mut items = paths.into_items();
        let Some((_, Ok(ReferenceOr::Item(item)))) = items.next() else {
            panic!("converts");
        };
        let converted: Vec<(String, String)> = item
            .operations
            .iter()
            .map(|o| (o.method(), o.pointer("/paths/~1a")))
            .collect();
        assert_eq!(
            converted,
            [
                ("POST".to_owned(), "/paths/~1a/post".to_owned()),
                ("QUERY".to_owned(), "/paths/~1a/query".to_owned()),
                (
                    "PURGE".to_owned(),
                    "/paths/~1a/additionalOperations/PURGE".to_owned()
                ),
                (
                    "link".to_owned(),
                    "/paths/~1a/additionalOperations/link".to_owned()
                ),
            ]
        );
        let mut document =
            json!({"paths": {"/a": {"additionalOperations": {"LINK": {"parameters": 5}}}}});
        let mut items = PathItems::take(&mut document).into_items();
        let Some((_, Err(fault))) = items.next() else {
            panic!("expected a fault");
        };
        assert_eq!(
            fault.pointer,
            "/paths/~1a/additionalOperations/LINK/parameters"
        );
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
