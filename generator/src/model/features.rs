//! One Cargo feature per tag, and which features each operation and type needs.
//!
//! An operation is compiled in by any of its tags' features; a type by any feature of an
//! operation that uses it, directly or through other types. The schemas no operation uses
//! are compiled by the feature [`ALL_SCHEMAS`], and so is what they refer to; webhook payloads
//! by [`WEBHOOKS`]. Types that an untagged operation uses, and what they refer to, are always
//! compiled, so that nothing always compiled can refer to something that is not. A crate with
//! only some features on compiles only the types its operations reach.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use super::analysis::{all_targets as targets, reachable_ids as reachable};
use super::{Operation, ResponseHeaders, Tag, TypeDef, TypeId, TypeRef, Webhooks};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::load::{SUMMARY_EXTENSION, TAG_KIND_EXTENSION, TAG_PARENT_EXTENSION};

pub fn assign(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    header_types: &mut [ResponseHeaders],
    webhooks: &Webhooks,
) -> Vec<String> {
    let names = feature_names(operations);
    if names.is_empty() {
        // Nothing is gated, but the runtime's signature checks still wait to be asked for.
        return match webhooks.events.is_empty() {
            true => Vec::new(),
            false => vec![WEBHOOKS.to_owned()],
        };
    }
    // Per type: the features that need it; `None` once it must always be compiled.
    let mut needed: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); types.len()];
    let mut reached = vec![false; types.len()];
    let mut header_needs: Vec<Option<BTreeSet<String>>> =
        vec![Some(BTreeSet::new()); header_types.len()];
    for operation in operations.iter_mut() {
        let features: Option<BTreeSet<String>> = if operation.tags.is_empty() {
            None
        } else {
            Some(
                operation
                    .tags
                    .iter()
                    .filter_map(|tag| names.get(tag).cloned())
                    .collect(),
            )
        };
        let mut roots = Vec::new();
        operation_roots(operation, types, header_types, &mut roots);
        for id in reachable(types, roots) {
            if let (Some(need), Some(flag)) = (needed.get_mut(id), reached.get_mut(id)) {
                *flag = true;
                add(need, features.as_ref());
            }
        }
        for response in &operation.responses {
            if let Some(need) = response.headers.and_then(|i| header_needs.get_mut(i)) {
                add(need, features.as_ref());
            }
        }
        operation.features = features.map(|set| set.into_iter().collect());
    }
    let mut payloads = Vec::new();
    for payload in webhooks
        .events
        .iter()
        .filter_map(|event| event.payload.as_ref())
    {
        targets(payload, &mut payloads);
    }
    payloads.retain(|id| *id < types.len());
    let has_webhooks = !webhooks.events.is_empty();
    let webhook_feature = BTreeSet::from([WEBHOOKS.to_owned()]);
    for id in reachable(types, payloads) {
        if let (Some(need), Some(flag)) = (needed.get_mut(id), reached.get_mut(id)) {
            *flag = true;
            add(need, Some(&webhook_feature));
        }
    }
    let unused: Vec<TypeId> = (0..types.len())
        .filter(|&id| !reached.get(id).copied().unwrap_or(true))
        .collect();
    let has_unused = !unused.is_empty();
    let all_schemas = BTreeSet::from([ALL_SCHEMAS.to_owned()]);
    for id in reachable(types, unused) {
        if let Some(need) = needed.get_mut(id) {
            add(need, Some(&all_schemas));
        }
    }
    // Everything an always-compiled type uses is always compiled.
    let always: Vec<TypeId> = (0..types.len())
        .filter(|&id| needed.get(id).is_some_and(Option::is_none))
        .collect();
    for id in reachable(types, always) {
        if let Some(need) = needed.get_mut(id) {
            *need = None;
        }
    }
    for (def, need) in types.iter_mut().zip(needed) {
        def.features = need.map(|set| set.into_iter().collect());
    }
    for (headers, need) in header_types.iter_mut().zip(header_needs) {
        headers.features = need.map(|set| set.into_iter().collect());
    }
    let mut all: Vec<String> = names.into_values().collect();
    all.extend(has_unused.then(|| ALL_SCHEMAS.to_owned()));
    all.extend(has_webhooks.then(|| WEBHOOKS.to_owned()));
    all.sort();
    all.dedup();
    all
}

/// The document's tags for the docs, with their features (when `per_tag_features`), when any
/// has a summary, a parent or a kind to show (OpenAPI 3.2); else none, as a flat list of names
/// says nothing the features do not. A parent that names no tag, or that leads back to the
/// tag, is a warning, and the tag is shown at the top.
pub fn tags(
    document: &OpenAPI,
    operations: &[Operation],
    per_tag_features: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Tag> {
    let text = |tag: &openapiv3::Tag, key: &str| {
        tag.extensions
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let shown = [SUMMARY_EXTENSION, TAG_PARENT_EXTENSION, TAG_KIND_EXTENSION];
    if !document
        .tags
        .iter()
        .any(|tag| shown.iter().any(|key| tag.extensions.contains_key(*key)))
    {
        return Vec::new();
    }
    let features = match per_tag_features {
        true => feature_names(operations),
        false => BTreeMap::new(),
    };
    let position = |name: &str| document.tags.iter().position(|tag| tag.name == name);
    let mut tags: Vec<Tag> = Vec::new();
    for (index, tag) in document.tags.iter().enumerate() {
        let pointer = pointer_push(&pointer_push("/tags", &index.to_string()), "parent");
        let parent = text(tag, TAG_PARENT_EXTENSION).and_then(|parent| {
            let found = position(&parent);
            if found.is_none() {
                diagnostics.push(Diagnostic::warning(
                    &pointer,
                    format!("the parent tag `{parent}` is not declared in `tags`; ignored"),
                ));
            }
            found
        });
        tags.push(Tag {
            name: tag.name.clone(),
            summary: text(tag, SUMMARY_EXTENSION),
            parent,
            kind: text(tag, TAG_KIND_EXTENSION),
            feature: features.get(&tag.name).cloned(),
        });
    }
    // A chain of parents longer than the list has come round: the tag where it started is
    // put at the top, which breaks the loop for the others too.
    for index in 0..tags.len() {
        let mut at = tags.get(index).and_then(|tag| tag.parent);
        for _ in 0..tags.len() {
            match at {
                Some(parent) if parent == index => break,
                Some(parent) => at = tags.get(parent).and_then(|tag| tag.parent),
                None => break,
            }
        }
        let Some(tag) = tags.get_mut(index).filter(|_| at == Some(index)) else {
            continue;
        };
        tag.parent = None;
        diagnostics.push(Diagnostic::warning(
            pointer_push(&pointer_push("/tags", &index.to_string()), "parent"),
            format!(
                "the tag `{}` is nested under itself through its parents; shown at the top",
                tag.name
            ),
        ));
    }
    tags
}

fn add(need: &mut Option<BTreeSet<String>>, features: Option<&BTreeSet<String>>) {
    match (need.as_mut(), features) {
        (Some(set), Some(features)) => set.extend(features.iter().cloned()),
        (Some(_), None) => *need = None,
        (None, _) => {}
    }
}

/// The feature that compiles the schemas no operation uses, and everything they refer to.
pub const ALL_SCHEMAS: &str = "all-schemas";

/// The feature that compiles the `webhooks` module and the payloads only it uses, with the
/// runtime's signature checks.
pub const WEBHOOKS: &str = "webhooks";

/// Features a generated crate declares for itself: Cargo's `default`, [`ALL_SCHEMAS`],
/// [`WEBHOOKS`], and the runtime's `mock`, `tracing` and `middleware`, passed through. A tag
/// of one of these names gets `tag-` in front.
const RESERVED: [&str; 6] = [
    "default",
    ALL_SCHEMAS,
    WEBHOOKS,
    "mock",
    "tracing",
    "middleware",
];

/// Each tag's feature name: kebab case, ASCII letters, digits and `-`, starting with a letter.
fn feature_names(operations: &[Operation]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for tag in operations.iter().flat_map(|op| &op.tags) {
        let kebab: String = heck::ToKebabCase::to_kebab_case(tag.as_str())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let kebab = kebab.trim_matches('-').to_owned();
        let name = if kebab.starts_with(|c: char| c.is_ascii_alphabetic())
            && !RESERVED.contains(&kebab.as_str())
        {
            kebab
        } else {
            format!("tag-{kebab}").trim_end_matches('-').to_owned()
        };
        names.entry(tag.clone()).or_insert(name);
    }
    names
}

/// The types an operation names directly, in its parameters, bodies and response headers.
fn operation_roots(
    operation: &Operation,
    types: &[TypeDef],
    header_types: &[ResponseHeaders],
    roots: &mut Vec<TypeId>,
) {
    let mut push = |ty: &TypeRef| targets(ty, roots);
    operation.params.iter().for_each(|p| push(&p.ty));
    if let Some(body) = &operation.body {
        push(&body.ty);
    }
    for response in &operation.responses {
        if let Some(body) = &response.body {
            push(body);
        }
        let headers = response.headers.and_then(|index| header_types.get(index));
        headers
            .into_iter()
            .flat_map(|h| &h.fields)
            .for_each(|f| push(&f.ty));
    }
    if let Some(pagination) = &operation.pagination {
        targets(&pagination.page, roots);
        targets(&pagination.item, roots);
    }
    roots.retain(|id| *id < types.len());
}
