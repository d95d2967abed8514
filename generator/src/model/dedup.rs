//! Types that are the same shape under different names become one.
//!
//! Specs repeat inline schemas: GitHub's webhooks spell the same repository object out in
//! hundreds of places, and each would otherwise be a struct of its own with its own impls. Two
//! types are the same when their kinds, field and variant names, wire names and flags match and
//! the types they refer to are the same in turn (partition refinement, as in DFA
//! minimization). The first type of each class is kept; the others become aliases of it, so
//! every name stays usable. References to inline types are pointed at the kept one; references
//! to components keep their names.

use foldhash::{HashMap, HashMapExt as _};
use std::fmt::Write as _;

use super::{
    EnumVariant, Field, Operation, ParamLocation, ResponseHeaders, TypeDef, TypeId, TypeKind,
    TypeRef, UnionVariant,
};

pub fn merge_identical(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    header_types: &mut [ResponseHeaders],
) {
    let representative = classes(types);
    if representative
        .iter()
        .enumerate()
        .all(|(id, rep)| id == *rep)
    {
        return;
    }
    // A reference to a component keeps the name the spec gave it (now an alias): a call that
    // returns an `Organization` says so, even when an `IpPool` has the same shape.
    let target: Vec<TypeId> = representative
        .iter()
        .zip(types.iter())
        .enumerate()
        .map(|(id, (rep, def))| {
            let component = def
                .origin
                .strip_prefix("/components/schemas/")
                .is_some_and(|key| !key.contains('/'));
            if component { id } else { *rep }
        })
        .collect();
    let redirect = |ty: &mut TypeRef| redirect(ty, &target);
    for (id, def) in types.iter_mut().enumerate() {
        let rep = representative.get(id).copied().unwrap_or(id);
        if rep != id {
            def.kind = TypeKind::Alias(TypeRef::Named(rep));
            continue;
        }
        match &mut def.kind {
            TypeKind::Struct(fields) => fields.iter_mut().for_each(|f| redirect(&mut f.ty)),
            TypeKind::Union { variants, .. } => {
                variants.iter_mut().for_each(|v| redirect(&mut v.ty));
            }
            TypeKind::Alias(ty) => redirect(ty),
            TypeKind::Enum { .. } | TypeKind::External(_) => {}
        }
    }
    for operation in operations {
        operation
            .params
            .iter_mut()
            .for_each(|p| redirect(&mut p.ty));
        if let Some(body) = &mut operation.body {
            redirect(&mut body.ty);
        }
        for response in &mut operation.responses {
            if let Some(body) = &mut response.body {
                redirect(body);
            }
        }
        if let Some(pagination) = &mut operation.pagination {
            redirect(&mut pagination.page);
            redirect(&mut pagination.item);
            // The structs a field path goes through are named by their representatives, whose
            // fields are the same.
            for path in pagination.field_paths_mut() {
                for step in &mut path.steps {
                    step.owner = representative
                        .get(step.owner)
                        .copied()
                        .unwrap_or(step.owner);
                }
            }
        }
    }
    for headers in header_types {
        headers.fields.iter_mut().for_each(|f| redirect(&mut f.ty));
    }
}

/// Operations whose parameter structs or error enums are the same (same fields or variants,
/// same types, compiled in by the same features) share the first one's: Microsoft Graph has
/// 11,438 error enums of 17 shapes. The others become aliases of it.
pub fn share_operation_types(operations: &mut [Operation]) {
    let mut params_seen: HashMap<String, String> = HashMap::new();
    // Per signature, the first operation with it: its index and its error enum.
    let mut errors_seen: HashMap<String, (usize, String)> = HashMap::new();
    // (the first operation, a later one that shares its error enum)
    let mut shared: Vec<(usize, String)> = Vec::new();
    for (index, operation) in operations.iter_mut().enumerate() {
        let features = format!("{:?}", operation.features);
        if let Some(name) = &operation.params_type {
            let mut signature = features.clone();
            for param in operation
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
            {
                let mut referred = Vec::new();
                let _ = write!(
                    signature,
                    "|{}:{:?}:{:?}:{}:{:?}:{:?}:{:?}:{:?}:",
                    param.name,
                    param.wire_name,
                    param.location,
                    param.required,
                    param.description,
                    param.constraints,
                    param.default,
                    param.pattern,
                );
                type_signature(&mut signature, &param.ty, &mut referred);
                let _ = write!(signature, "{referred:?}");
            }
            let first = params_seen.entry(signature).or_insert_with(|| name.clone());
            if first != name {
                operation.params_same_as = Some(first.clone());
            }
        }
        let mut signature = features;
        for response in operation
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
        {
            let mut referred = Vec::new();
            let _ = write!(
                signature,
                "|{}:{:?}:{:?}:{:?}:",
                response.variant, response.description, response.headers, response.kind
            );
            if let Some(body) = &response.body {
                type_signature(&mut signature, body, &mut referred);
            }
            let _ = write!(signature, "{referred:?}");
        }
        let (first, error_type) = errors_seen
            .entry(signature)
            .or_insert_with(|| (index, operation.error_type.clone()));
        if *first != index {
            operation.error_same_as = Some(error_type.clone());
            shared.push((*first, operation.name.clone()));
        }
    }
    for (first, name) in shared {
        if let Some(owner) = operations.get_mut(first) {
            owner.error_shared_by.push(name);
        }
    }
}

fn redirect(ty: &mut TypeRef, representative: &[TypeId]) {
    match ty {
        TypeRef::Named(id) => *id = representative.get(*id).copied().unwrap_or(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            redirect(inner, representative);
        }
        TypeRef::Primitive(_) => {}
    }
}

/// For each type, the first type of its class.
fn classes(types: &[TypeDef]) -> Vec<TypeId> {
    // What a type says itself never changes between rounds; only the classes of the types it
    // refers to do, so each round compares (own shape, classes referred to).
    let mut shapes: HashMap<String, usize> = HashMap::new();
    // Independent for each type, and GitHub's spec has 30,000: written on two threads.
    let local: Vec<(usize, Vec<TypeId>)> = crate::parallel::map_in_halves(types, |id, def| {
        let mut referred = Vec::new();
        let mut shape = signature(def, &mut referred);
        // An alias costs one line, and merging aliases could hide a cycle of references
        // from the report that names each of them: every alias stays its own.
        if matches!(def.kind, TypeKind::Alias(_)) {
            let _ = write!(shape, "#{id}");
        }
        (shape, referred)
    })
    .into_iter()
    .map(|(shape, referred)| {
        let fresh = shapes.len();
        (*shapes.entry(shape).or_insert(fresh), referred)
    })
    .collect();
    let mut class: Vec<usize> = local.iter().map(|(shape, _)| *shape).collect();
    let mut count = shapes.len();
    loop {
        let mut ids: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = local
            .iter()
            .map(|(shape, referred)| {
                let referred_classes = referred
                    .iter()
                    .map(|id| class.get(*id).copied().unwrap_or(usize::MAX))
                    .collect();
                let fresh = ids.len();
                *ids.entry((*shape, referred_classes)).or_insert(fresh)
            })
            .collect();
        // Refinement only ever splits classes, so an unchanged count means a fixed point.
        let stable = ids.len() == count;
        count = ids.len();
        class = next;
        if stable {
            break;
        }
    }
    let mut first: HashMap<usize, TypeId> = HashMap::new();
    class
        .iter()
        .enumerate()
        .map(|(id, class)| *first.entry(*class).or_insert(id))
        .collect()
}

/// Everything emission reads from a type except its name, docs and examples; the types it
/// refers to are written as `N` and listed, in order, in `referred`.
fn signature(def: &TypeDef, referred: &mut Vec<TypeId>) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}|{}|", def.nullable, def.multipart);
    match &def.kind {
        TypeKind::Struct(fields) => {
            out.push('S');
            for field in fields {
                field_signature(&mut out, field, referred);
            }
        }
        TypeKind::Enum {
            variants,
            other,
            integer,
        } => {
            let _ = write!(out, "E{integer}|{other}");
            for EnumVariant {
                name, wire_value, ..
            } in variants
            {
                let _ = write!(out, "|{name}={wire_value:?}");
            }
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            out.push('U');
            if let Some(discriminator) = discriminator {
                let _ = write!(out, "{:?}/{}", discriminator.property, discriminator.other);
            }
            for UnionVariant {
                name,
                ty,
                tags,
                tag_outside,
                ..
            } in variants
            {
                let _ = write!(out, "|{name}:{tags:?}:{tag_outside}:");
                type_signature(&mut out, ty, referred);
            }
        }
        TypeKind::Alias(ty) => {
            out.push('A');
            type_signature(&mut out, ty, referred);
        }
        TypeKind::External(path) => {
            let _ = write!(out, "X{path}");
        }
    }
    out
}

fn field_signature(out: &mut String, field: &Field, referred: &mut Vec<TypeId>) {
    let _ = write!(
        out,
        "|{}:{:?}:{}{}{}{}{}{}:{:?}:{:?}:{:?}:",
        field.name,
        field.wire_name,
        u8::from(field.required),
        u8::from(field.nullable),
        u8::from(field.flatten),
        u8::from(field.deprecated),
        u8::from(field.read_only),
        u8::from(field.write_only),
        field.constraints,
        field.default,
        field.pattern,
    );
    type_signature(out, &field.ty, referred);
}

fn type_signature(out: &mut String, ty: &TypeRef, referred: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            out.push('N');
            referred.push(*id);
        }
        TypeRef::Primitive(primitive) => {
            let _ = write!(out, "{primitive:?}");
        }
        TypeRef::Array(inner) => {
            out.push('[');
            type_signature(out, inner, referred);
            out.push(']');
        }
        TypeRef::Map(inner) => {
            out.push('{');
            type_signature(out, inner, referred);
            out.push('}');
        }
        TypeRef::Nullable(inner) => {
            out.push('?');
            type_signature(out, inner, referred);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Api;

    fn build(yaml: &str) -> Api {
        let loaded = crate::load::load_bytes(yaml.as_bytes(), &mut Default::default())
            .unwrap_or_else(|err| panic!("{err}"));
        super::super::build(
            &loaded.document,
            loaded.paths,
            loaded.webhooks,
            false,
            &Default::default(),
        )
        .map(|(api, _)| api)
        .unwrap_or_else(|err| panic!("{err}"))
    }

    fn kind_of<'a>(api: &'a Api, name: &str) -> &'a super::TypeKind {
        &api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    #[test]
    fn same_shapes_merge_and_different_ones_do_not() {
        let api = build(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        owner: {type: object, properties: {login: {type: string}}}
        list: {type: array, items: {$ref: '#/components/schemas/A'}}
    B:
      type: object
      properties:
        owner: {type: object, properties: {login: {type: string}}}
        list: {type: array, items: {$ref: '#/components/schemas/B'}}
    C:
      type: object
      properties:
        owner: {type: object, properties: {login: {type: integer}}}
        list: {type: array, items: {$ref: '#/components/schemas/C'}}
"#,
        );
        let a = api.types.iter().position(|t| t.name == "A");
        assert!(
            matches!(kind_of(&api, "B"), super::TypeKind::Alias(super::TypeRef::Named(id)) if Some(*id) == a)
        );
        assert!(matches!(kind_of(&api, "BOwner"), super::TypeKind::Alias(_)));
        assert!(matches!(kind_of(&api, "C"), super::TypeKind::Struct(_)));
        assert!(matches!(
            kind_of(&api, "COwner"),
            super::TypeKind::Struct(_)
        ));
    }
}
