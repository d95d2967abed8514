//! Webhooks to [`Webhook`]s: each event's payload, read as a request body is, and what in the
//! request says which event it is.
//!
//! A receiver gets a request and must tell the event before it can decode it. Real specs say
//! it in one of two ways, and often both:
//! - a header that names the event, documented on every webhook with its value (GitHub's
//!   `X-GitHub-Event: check_run`);
//! - a payload property that each event fixes to one value (OpenAI's `type:
//!   batch.completed`), or that tells apart the events sharing a header value (GitHub's
//!   `action: completed`).
//!
//! Neither is guessed: the header counts only when every webhook gives its value, and a
//! property only when every event it must tell apart fixes it to a value of its own.

use openapiv3::{Parameter, ReferenceOr};
use serde_json::Value;

use super::OperationBuilder;
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::load::WebhookItem;
use crate::model::names::{self, Namespace};
use crate::model::{BodyKind, TypeDef, TypeKind, TypeRef, Webhook, Webhooks};

/// Header names that name the event, as their endings: `X-GitHub-Event`, `X-Gitlab-Event`,
/// Bitbucket's `X-Event-Key`.
const EVENT_HEADER_ENDINGS: [&str; 4] = ["-event", "-event-type", "-event-key", "-event-name"];

/// Payload properties tried first as the event's tag, before the others in field order.
const PREFERRED_TAGS: [&str; 5] = ["type", "event", "event_type", "action", "kind"];

impl<'a> OperationBuilder<'a, '_> {
    pub(super) fn webhooks(&mut self, items: Vec<WebhookItem>) -> Webhooks {
        let mut variants = Namespace::with_reserved(&["Unknown"], "Event");
        let mut events = Vec::new();
        // Per event, the header values it documents, by lower-case header name.
        let mut headers: Vec<Vec<(String, String, String)>> = Vec::new();
        let mut signature_headers: Vec<String> = Vec::new();
        for webhook in items {
            let item = match webhook.item {
                Ok(ReferenceOr::Item(item)) => item,
                Ok(ReferenceOr::Reference { reference }) => {
                    self.types.diagnostics.push(Diagnostic::warning(
                        &webhook.pointer,
                        format!(
                            "webhooks given by `$ref` ({reference}) are not supported; skipped"
                        ),
                    ));
                    continue;
                }
                Err(fault) => {
                    self.types.diagnostics.push(Diagnostic::warning(
                        fault.pointer,
                        format!("{}; the webhook is skipped", fault.message),
                    ));
                    continue;
                }
            };
            let several = item.operations.len() > 1;
            for listed in &item.operations {
                let pointer = listed.pointer(&webhook.pointer);
                let name = match several {
                    true => format!("{} {}", webhook.name, listed.key),
                    false => webhook.name.clone(),
                };
                let variant = variants.claim(&names::type_name(&name, "Event"));
                let operation = &listed.operation;
                let body = operation.request_body.as_ref().and_then(|body| {
                    let hint = format!("{variant}Payload");
                    self.body(body, &hint, &pointer_push(&pointer, "requestBody"))
                });
                let (payload, examples, schema_pointer) = match body {
                    Some(body) if body.kind == BodyKind::Json => {
                        (Some(body.ty), body.examples, body.schema_pointer)
                    }
                    Some(body) => {
                        if matches!(body.kind, BodyKind::Form | BodyKind::Multipart) {
                            self.types.diagnostics.push(Diagnostic::warning(
                                &body.schema_pointer,
                                format!(
                                    "a `{}` webhook payload is not decoded; the event keeps \
                                     its body as bytes",
                                    body.media_type
                                ),
                            ));
                        }
                        (None, Vec::new(), String::new())
                    }
                    None => (None, Vec::new(), String::new()),
                };
                let mut documented = Vec::new();
                let sources = [
                    (item.parameters.as_slice(), webhook.pointer.clone()),
                    (operation.parameters.as_slice(), pointer.clone()),
                ];
                for (list, base) in sources {
                    for (index, parameter) in list.iter().enumerate() {
                        let at =
                            pointer_push(&pointer_push(&base, "parameters"), &index.to_string());
                        let entries = self.document.components.as_ref().map(|c| &c.parameters);
                        let Some((Parameter::Header { parameter_data, .. }, _)) =
                            self.component(parameter, at, "parameters", "a parameter", entries)
                        else {
                            continue;
                        };
                        let lower = parameter_data.name.to_ascii_lowercase();
                        if lower.contains("signature")
                            && !signature_headers
                                .iter()
                                .any(|known| known.eq_ignore_ascii_case(&lower))
                        {
                            signature_headers.push(parameter_data.name.clone());
                        }
                        if let Some(value) = header_value(parameter_data) {
                            documented.push((lower, parameter_data.name.clone(), value));
                        }
                    }
                }
                headers.push(documented);
                events.push(Webhook {
                    name: webhook.name.clone(),
                    variant,
                    summary: operation.summary.clone(),
                    description: operation.description.clone(),
                    deprecated: operation.deprecated,
                    payload,
                    header_value: None,
                    tag_value: None,
                    examples,
                    schema_pointer,
                });
            }
        }
        let event_header = headers
            .first()
            .into_iter()
            .flatten()
            .filter(|(lower, _, _)| EVENT_HEADER_ENDINGS.iter().any(|end| lower.ends_with(end)))
            .find(|(lower, _, _)| {
                headers
                    .iter()
                    .all(|documented| documented.iter().any(|(other, _, _)| other == lower))
            })
            .map(|(lower, spelled, _)| (lower.clone(), spelled.clone()));
        if let Some((lower, _)) = &event_header {
            for (event, documented) in events.iter_mut().zip(&headers) {
                event.header_value = documented
                    .iter()
                    .find(|(other, _, _)| other == lower)
                    .map(|(_, _, value)| value.clone());
            }
        }
        Webhooks {
            events,
            event_header: event_header.map(|(_, spelled)| spelled),
            tag: None,
            signature_headers,
        }
    }
}

/// The one value a header parameter documents: its example, its schema's only `enum` value,
/// or its schema's default.
fn header_value(data: &openapiv3::ParameterData) -> Option<String> {
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        _ => None,
    };
    if let Some(example) = data.example.as_ref().and_then(text) {
        return Some(example);
    }
    let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format
    else {
        return None;
    };
    if let openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) = &schema.schema_kind {
        if let [Some(only)] = string.enumeration.as_slice() {
            return Some(only.clone());
        }
    }
    schema.schema_data.default.as_ref().and_then(text)
}

/// Chooses the payload property that tells the events apart where the event header does not
/// (or all of them, without one), and records each event's value of it.
pub fn tell_webhooks_apart(webhooks: &mut Webhooks, types: &[TypeDef]) {
    let fixed: Vec<Vec<(String, String)>> = webhooks
        .events
        .iter()
        .map(|event| fixed_properties(event.payload.as_ref(), types))
        .collect();
    let by_header = webhooks.event_header.is_some();
    // The events that only a tag can tell apart: all of them, or those sharing a header value.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, event) in webhooks.events.iter().enumerate() {
        // Without a header, a body that is not JSON says nothing; such an event is named only.
        if !by_header && event.payload.is_none() {
            continue;
        }
        let group = groups.iter_mut().find(|group| {
            by_header
                && group
                    .first()
                    .and_then(|&first| webhooks.events.get(first))
                    .is_some_and(|first| first.header_value == event.header_value)
        });
        match group {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    if by_header {
        groups.retain(|group| group.len() > 1);
    }
    if groups.is_empty() {
        return;
    }
    let mut candidates: Vec<&str> = Vec::new();
    for (name, _) in fixed.iter().flatten() {
        if !candidates.contains(&name.as_str()) {
            candidates.push(name);
        }
    }
    candidates.sort_by_key(|name| {
        PREFERRED_TAGS
            .iter()
            .position(|preferred| preferred == name)
            .unwrap_or(PREFERRED_TAGS.len())
    });
    let value_of = |index: usize, property: &str| {
        fixed
            .get(index)
            .and_then(|fixed| fixed.iter().find(|(name, _)| name == property))
            .map(|(_, value)| value.clone())
    };
    let tells = |property: &str| {
        groups.iter().all(|group| {
            let mut seen = std::collections::HashSet::new();
            group
                .iter()
                .all(|&index| value_of(index, property).is_some_and(|value| seen.insert(value)))
        })
    };
    let Some(tag) = candidates.into_iter().find(|property| tells(property)) else {
        return;
    };
    let tag = tag.to_owned();
    for (index, event) in webhooks.events.iter_mut().enumerate() {
        event.tag_value = value_of(index, &tag);
    }
    webhooks.tag = Some(tag);
}

/// The payload's properties that its schema fixes to one string (an `enum` of one value), by
/// wire name, in field order; of a union, those that every branch fixes to the same value
/// (GitHub's `pull_request` `review_requested` event is one of two shapes).
fn fixed_properties(payload: Option<&TypeRef>, types: &[TypeDef]) -> Vec<(String, String)> {
    fixed_within(payload, types, 0)
}

/// Unions nested this deep are not looked into (a union can hold itself).
const UNION_DEPTH: usize = 4;

fn fixed_within(
    payload: Option<&TypeRef>,
    types: &[TypeDef],
    depth: usize,
) -> Vec<(String, String)> {
    let fields = match payload.and_then(|ty| kind(ty, types)) {
        Some(TypeKind::Struct(fields)) => fields,
        Some(TypeKind::Union { variants, .. }) if depth < UNION_DEPTH => {
            let mut branches = variants
                .iter()
                .map(|variant| fixed_within(Some(&variant.ty), types, depth + 1));
            let Some(mut common) = branches.next() else {
                return Vec::new();
            };
            for branch in branches {
                common.retain(|fixed| branch.contains(fixed));
            }
            return common;
        }
        _ => return Vec::new(),
    };
    fields
        .iter()
        .filter_map(|field| match kind(&field.ty, types)? {
            TypeKind::Enum {
                variants,
                integer: false,
                ..
            } => match variants.as_slice() {
                [only] => Some((field.wire_name.clone(), only.wire_value.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// What a reference names, through aliases.
fn kind<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> Option<&'t TypeKind> {
    let mut ty = ty;
    // An alias chain is never longer than the types there are.
    for _ in 0..=types.len() {
        let TypeRef::Named(id) = ty else {
            return None;
        };
        match &types.get(*id)?.kind {
            TypeKind::Alias(target) => ty = target,
            other => return Some(other),
        }
    }
    None
}
