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
use indexmap::IndexMap;
use std::fmt::Write as _;

use super::{
    EnumVariant, Field, Operation, ParamLocation, ResponseHeaders, TypeDef, TypeId, TypeKind,
    TypeRef, UnionVariant,
};

/// Returns the aliases it adds that keep a renamed representative's old name, each with the
/// type it names: they are compiled in with that type, whatever uses them.
pub fn merge_identical(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    header_types: &mut [ResponseHeaders],
) -> Vec<(TypeId, TypeId)> {
    let representative = classes(types);
    if representative
        .iter()
        .enumerate()
        .all(|(id, rep)| id == *rep)
    {
        return Vec::new();
    }
    // A reference to a component keeps the name the spec gave it (now an alias): a call that
    // returns an `Organization` says so, even when an `IpPool` has the same shape.
    let target: Vec<TypeId> = representative
        .iter()
        .zip(types.iter())
        .enumerate()
        .map(|(id, (rep, def))| if is_component(def) { id } else { *rep })
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
    for operation in operations.iter_mut() {
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
    for headers in header_types.iter_mut() {
        headers.fields.iter_mut().for_each(|f| redirect(&mut f.ty));
    }
    rename_shared(types, &representative, operations, header_types)
}

/// A type that inline schemas of several places became is named by what their names share
/// (`Direction`, not the first place's `SecurityAdvisoriesListGlobalAdvisoriesDirection`)
/// when that name is free and no other such type wants it; its old name stays as an alias,
/// so code that named it still compiles. A component keeps its name: the spec gave it.
fn rename_shared(
    types: &mut Vec<TypeDef>,
    representative: &[TypeId],
    operations: &[Operation],
    header_types: &[ResponseHeaders],
) -> Vec<(TypeId, TypeId)> {
    let mut members: IndexMap<TypeId, Vec<TypeId>> = IndexMap::new();
    for (id, rep) in representative.iter().enumerate() {
        let inline = types.get(id).is_some_and(|def| !is_component(def));
        if inline && types.get(*rep).is_some_and(|def| !is_component(def)) {
            members.entry(*rep).or_default().push(id);
        }
    }
    let mut wanted: IndexMap<TypeId, String> = IndexMap::new();
    let mut wanters: HashMap<String, usize> = HashMap::new();
    for (rep, ids) in members.iter().filter(|(_, ids)| ids.len() > 1) {
        let names: Vec<&str> = ids
            .iter()
            .filter_map(|id| types.get(*id))
            .map(|def| def.name.as_str())
            .collect();
        if let Some(name) = super::names::common_suffix(&names) {
            *wanters.entry(name.clone()).or_default() += 1;
            wanted.insert(*rep, name);
        }
    }
    let mut taken = super::type_module_names(types, operations, header_types);
    let mut kept = Vec::new();
    for (rep, name) in wanted {
        if wanters.get(&name) != Some(&1) || taken.contains(&name) {
            continue;
        }
        let Some(def) = types.get_mut(rep) else {
            continue;
        };
        let old = std::mem::replace(&mut def.name, name.clone());
        taken.insert(name);
        let alias = TypeDef {
            description: def.description.clone(),
            nullable: def.nullable,
            ..TypeDef::alias(old, def.origin.clone(), TypeRef::Named(rep))
        };
        kept.push((types.len(), rep));
        types.push(alias);
    }
    kept
}

fn is_component(def: &TypeDef) -> bool {
    def.origin
        .strip_prefix("/components/schemas/")
        .is_some_and(|key| !key.contains('/'))
}

/// Operations whose parameter structs or error enums are the same (same fields or variants,
/// same types, compiled in by the same features) share one: Microsoft Graph has 11,438 error
/// enums of 17 shapes. Each operation's own name stays, as an alias of the shared one, which
/// is named for what its users share (see [`shared_names`]) or else is the first user's.
pub fn share_operation_types(
    operations: &mut [Operation],
    types: &[TypeDef],
    header_types: &[ResponseHeaders],
) {
    let mut params_seen: HashMap<String, usize> = HashMap::new();
    let mut errors_seen: HashMap<String, usize> = HashMap::new();
    // Per shared struct or enum, its first user and then the others, in document order.
    let mut params_classes: IndexMap<usize, Vec<usize>> = IndexMap::new();
    let mut error_classes: IndexMap<usize, Vec<usize>> = IndexMap::new();
    for (index, operation) in operations.iter().enumerate() {
        let features = format!("{:?}", operation.features);
        if operation.params_type.is_some() {
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
            let first = *params_seen.entry(signature).or_insert(index);
            if first != index {
                params_classes.entry(first).or_default().push(index);
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
        let first = *errors_seen.entry(signature).or_insert(index);
        if first != index {
            error_classes.entry(first).or_default().push(index);
        }
    }
    let mut taken = super::type_module_names(types, operations, header_types);
    let params_names = shared_names(operations, &params_classes, Shared::Params, &mut taken);
    let error_names = shared_names(operations, &error_classes, Shared::Error, &mut taken);
    for (first, later) in params_classes {
        let Some(own) = operations.get(first).and_then(|o| o.params_type.clone()) else {
            continue;
        };
        let shared = params_names.get(&first).cloned();
        let target = shared.clone().unwrap_or(own);
        for index in later {
            if let Some(operation) = operations.get_mut(index) {
                operation.params_same_as = Some(target.clone());
            }
        }
        if let Some(operation) = operations.get_mut(first) {
            operation.params_shared_name = shared;
        }
    }
    for (first, later) in error_classes {
        let Some(own) = operations.get(first).map(|o| o.error_type.clone()) else {
            continue;
        };
        let shared = error_names.get(&first).cloned();
        let target = shared.clone().unwrap_or(own);
        let mut users = Vec::new();
        for index in later {
            if let Some(operation) = operations.get_mut(index) {
                operation.error_same_as = Some(target.clone());
                users.push(operation.name.clone());
            }
        }
        if let Some(operation) = operations.get_mut(first) {
            operation.error_shared_name = shared;
            operation.error_shared_by = users;
        }
    }
}

#[derive(Clone, Copy)]
enum Shared {
    Params,
    Error,
}

/// Names for the shared structs or enums of `classes` (first user → the others), each by
/// the first of these that is free and that no other class wants: `{Tag}Error` for the
/// tag all its users have (Zenskar's `CheckoutSessionError`); for an error enum, the tag and
/// then its one or two variants (`ReposNotFoundError`), then those alone (`NotFoundError`). A
/// class with none keeps its first user's name.
fn shared_names(
    operations: &[Operation],
    classes: &IndexMap<usize, Vec<usize>>,
    shared: Shared,
    taken: &mut std::collections::BTreeSet<String>,
) -> HashMap<usize, String> {
    let kind = match shared {
        Shared::Params => "Params",
        Shared::Error => "Error",
    };
    let mut candidates: Vec<(usize, Vec<String>)> = Vec::new();
    let mut wanters: HashMap<String, usize> = HashMap::new();
    for (first, later) in classes {
        let Some(operation) = operations.get(*first) else {
            continue;
        };
        let users: Vec<&Operation> = later
            .iter()
            .filter_map(|index| operations.get(*index))
            .collect();
        let tag = operation
            .tags
            .iter()
            .find(|tag| users.iter().all(|user| user.tags.contains(tag)))
            .map(|tag| super::names::type_name(tag, ""))
            .filter(|tag| !tag.is_empty());
        let errors: Vec<&str> = operation
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .map(|r| r.variant.as_str())
            .collect();
        // More variants make a name no one would type.
        let variants = matches!(shared, Shared::Error) && (1..=2).contains(&errors.len());
        let variants = variants.then(|| errors.concat());
        // `InternalServerError` says it is an error already.
        let ending = |variants: &str| match variants.ends_with(kind) {
            true => "",
            false => kind,
        };
        let mut names = Vec::new();
        names.extend(tag.iter().map(|tag| format!("{tag}{kind}")));
        if let Some(variants) = &variants {
            let ending = ending(variants);
            names.extend(tag.iter().map(|tag| format!("{tag}{variants}{ending}")));
            names.push(format!("{variants}{ending}"));
        }
        names.dedup();
        for name in &names {
            *wanters.entry(name.clone()).or_default() += 1;
        }
        candidates.push((*first, names));
    }
    let mut chosen = HashMap::new();
    for (first, names) in candidates {
        let name = names
            .into_iter()
            .find(|name| wanters.get(name) == Some(&1) && !taken.contains(name));
        if let Some(name) = name {
            taken.insert(name.clone());
            chosen.insert(first, name);
        }
    }
    chosen
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

    #[test]
    fn shared_types_are_named_for_what_their_users_share() {
        let api = build(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok}
        '404': {description: gone, content: {application/json: {schema: {type: string}}}}
  /pets/{id}:
    delete:
      operationId: deletePet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
        '404': {description: gone, content: {application/json: {schema: {type: string}}}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        '200': {description: ok}
"#,
        );
        // The enum both list operations use is named by what their names share, and the
        // first one's name stays an alias of it.
        assert!(matches!(
            kind_of(&api, "Direction"),
            super::TypeKind::Enum { .. }
        ));
        let direction = api.types.iter().position(|t| t.name == "Direction");
        for old in ["ListPetsDirection", "ListOwnersDirection"] {
            assert!(
                matches!(kind_of(&api, old), super::TypeKind::Alias(super::TypeRef::Named(id)) if Some(*id) == direction),
                "{old}"
            );
        }
        // The error enum of the `pets` operations is named for their tag; each operation's
        // own name is an alias of it.
        let list = api.operations.iter().find(|o| o.name == "list_pets");
        let delete = api.operations.iter().find(|o| o.name == "delete_pet");
        assert_eq!(
            list.and_then(|o| o.error_shared_name.as_deref()),
            Some("PetsError")
        );
        assert_eq!(
            delete.and_then(|o| o.error_same_as.as_deref()),
            Some("PetsError")
        );
    }
}
