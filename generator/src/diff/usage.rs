//! Which way each type travels: sent in requests, received in responses, or both. The wire
//! verdict of a change to a type depends on it.

use crate::model::{Api, TypeId, TypeKind, TypeRef};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The old client sends values of the type (in a parameter or a request body).
    pub sent: bool,
    /// The old client decodes values of the type (in a response body or header).
    pub received: bool,
}

/// The usage of every type of `api`, by id: every type reachable from an operation's
/// parameters and body is sent, every type reachable from a response is received.
pub fn of(api: &Api) -> Vec<Usage> {
    let mut usage = vec![Usage::default(); api.types.len()];
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for operation in &api.operations {
        for param in &operation.params {
            named_in(&param.ty, &mut sent);
        }
        if let Some(body) = &operation.body {
            named_in(&body.ty, &mut sent);
        }
        for response in &operation.responses {
            if let Some(body) = &response.body {
                named_in(body, &mut received);
            }
        }
    }
    for headers in &api.header_types {
        for field in &headers.fields {
            named_in(&field.ty, &mut received);
        }
    }
    mark(api, sent, &mut usage, |usage| &mut usage.sent);
    mark(api, received, &mut usage, |usage| &mut usage.received);
    usage
}

/// Marks every type reachable from `roots`, iteratively (types may contain themselves).
fn mark(
    api: &Api,
    mut pending: Vec<TypeId>,
    usage: &mut [Usage],
    flag: impl Fn(&mut Usage) -> &mut bool,
) {
    while let Some(id) = pending.pop() {
        let Some(seen) = usage.get_mut(id).map(&flag) else {
            continue;
        };
        if *seen {
            continue;
        }
        *seen = true;
        let Some(def) = api.types.get(id) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    named_in(&field.ty, &mut pending);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    named_in(&variant.ty, &mut pending);
                }
            }
            TypeKind::Alias(target) => named_in(target, &mut pending),
            TypeKind::Enum { .. } | TypeKind::External(_) => {}
        }
    }
}

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, out)
        }
        TypeRef::Primitive(_) => {}
    }
}
