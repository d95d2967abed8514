//! The user's options that change the model (see [`crate::options`]): schemas replaced by
//! types of the user's own, the types that hold those, and the derives each type gets.

use super::analysis::{all_targets, reachable_ids};
use super::{Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::options::{Derive, Options};

/// Each replaced schema's type becomes the user's path; a name that is no schema is an error.
pub fn replace(types: &mut [TypeDef], options: &Options, diagnostics: &mut Vec<Diagnostic>) {
    for replacement in &options.replacements {
        let option = format!("--replace {}={}", replacement.schema, replacement.path);
        let id = schema_id(types, &replacement.schema, &option, diagnostics);
        if let Some(def) = id.and_then(|id| types.get_mut(id)) {
            def.kind = TypeKind::External(replacement.path.clone());
        }
    }
}

/// The type of the schema `schema` of `#/components/schemas`; when there is none, an error
/// says that `option` names nothing.
fn schema_id(
    types: &[TypeDef],
    schema: &str,
    option: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TypeId> {
    let origin = pointer_push("/components/schemas", schema);
    let id = types.iter().position(|def| def.origin == origin);
    if id.is_none() {
        diagnostics.push(Diagnostic::error(
            "/components/schemas",
            format!("{option}: there is no schema `{schema}`"),
        ));
    }
    id
}

/// Marks the types that hold a replaced one, by value or in lists, maps and options.
pub fn mark_external_holders(types: &mut [TypeDef]) {
    let members: Vec<Vec<TypeId>> = types.iter().map(named_members).collect();
    let mut holds: Vec<bool> = vec![false; types.len()];
    let external: Vec<bool> = types
        .iter()
        .map(|def| matches!(def.kind, TypeKind::External(_)))
        .collect();
    // Each pass settles at least one more level of nesting; a pass that changes nothing ends.
    loop {
        let mut changed = false;
        for (id, held) in members.iter().enumerate() {
            let now = held.iter().any(|&member| {
                external.get(member).copied().unwrap_or(false)
                    || holds.get(member).copied().unwrap_or(false)
            });
            if let Some(flag) = holds.get_mut(id).filter(|flag| now && !**flag) {
                *flag = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (def, holds) in types.iter_mut().zip(holds) {
        def.holds_external = holds;
    }
}

/// Adds each `--derive` to the types it names: every type, or one schema's and the types it
/// holds (which the derive needs too). Where the trait cannot hold (`Eq` or `Hash` with an
/// `f64` inside, `Hash` with a free-form JSON value, `Default` on an enum or union or with a
/// required field that has no default), a derive for one schema is an error naming the type,
/// and one for every type a warning, that type (and those holding it) going without.
pub fn derives(types: &mut [TypeDef], options: &Options, diagnostics: &mut Vec<Diagnostic>) {
    for derive in &options.derives {
        let Some(wanted) = wanted_types(types, derive, diagnostics) else {
            continue;
        };
        let trait_name = derive.path.rsplit("::").next().unwrap_or(&derive.path);
        let blocked = blocked_types(types, trait_name);
        for &id in &wanted {
            let Some(def) = types.get_mut(id) else {
                continue;
            };
            match blocked.get(id).and_then(Option::as_ref) {
                None => {
                    if !def.derives.contains(&derive.path) {
                        def.derives.push(derive.path.clone());
                    }
                }
                Some(reason) => {
                    let message = format!(
                        "`{}` cannot be derived for `{}`: {reason}",
                        derive.path, def.name
                    );
                    diagnostics.push(match derive.schema {
                        Some(_) => Diagnostic::error(def.origin.clone(), message),
                        None => Diagnostic::warning(
                            def.origin.clone(),
                            format!("{message}; it is left out for this type"),
                        ),
                    });
                }
            }
        }
    }
}

/// Puts each `--attribute` on the types it names: every type of its own (not aliases, nor
/// replaced schemas), or the named schema's alone.
pub fn attributes(types: &mut [TypeDef], options: &Options, diagnostics: &mut Vec<Diagnostic>) {
    for attribute in &options.attributes {
        let wanted: Vec<TypeId> = match &attribute.schema {
            None => (0..types.len()).collect(),
            Some(schema) => {
                let option = format!("--attribute {schema}:...");
                match schema_id(types, schema, &option, diagnostics) {
                    Some(id) => vec![id],
                    None => continue,
                }
            }
        };
        for id in wanted {
            let Some(def) = types.get_mut(id).filter(|def| has_items(def)) else {
                continue;
            };
            // A tagged union's serde is written by hand: there is no derive to read `#[serde]`.
            let tagged = matches!(
                &def.kind,
                TypeKind::Union {
                    discriminator: Some(_),
                    ..
                }
            );
            if tagged && attribute.text.starts_with("#[serde") {
                diagnostics.push(Diagnostic::warning(
                    def.origin.clone(),
                    format!(
                        "`{}` is left off `{}`: its serde is written by hand, not derived",
                        attribute.text, def.name
                    ),
                ));
                continue;
            }
            def.attributes.push(attribute.text.clone());
        }
    }
}

/// Whether a type is an item of its own, which attributes and derives can go on.
fn has_items(def: &TypeDef) -> bool {
    match def.kind {
        TypeKind::Alias(_) => def.newtype,
        TypeKind::External(_) => false,
        _ => true,
    }
}

/// The types a derive is for: those that are types of their own (aliases are not; what they
/// stand for is), every one or the named schema's and those it holds.
fn wanted_types(
    types: &[TypeDef],
    derive: &Derive,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<TypeId>> {
    let roots: Vec<TypeId> = match &derive.schema {
        None => (0..types.len()).collect(),
        Some(schema) => {
            let option = format!("--derive {schema}:{}", derive.path);
            reachable_ids(types, vec![schema_id(types, schema, &option, diagnostics)?])
        }
    };
    let mut wanted: Vec<TypeId> = roots
        .into_iter()
        .filter(|&id| types.get(id).is_some_and(has_items))
        .collect();
    wanted.sort_unstable();
    Some(wanted)
}

/// For each type, why `trait_name` cannot be derived for it (`None`: it can), its own members
/// first, then the types it holds, until nothing changes.
fn blocked_types(types: &[TypeDef], trait_name: &str) -> Vec<Option<String>> {
    let mut blocked: Vec<Option<String>> = types
        .iter()
        .map(|def| own_obstacle(def, trait_name))
        .collect();
    // Over every type, aliases included, so that what an alias stands for counts.
    let all: Vec<TypeId> = (0..types.len()).collect();
    loop {
        let mut changed = false;
        for &id in &all {
            if blocked.get(id).is_some_and(Option::is_some) {
                continue;
            }
            let Some(def) = types.get(id) else {
                continue;
            };
            let obstacle = members_needing(def, trait_name)
                .into_iter()
                .find_map(|member| {
                    let held = types.get(member)?;
                    let blocked_member = blocked.get(member).is_some_and(Option::is_some);
                    blocked_member
                        .then(|| format!("it holds `{}`, which cannot derive it", held.name))
                });
            if let (Some(obstacle), Some(slot)) = (obstacle, blocked.get_mut(id)) {
                *slot = Some(obstacle);
                changed = true;
            }
        }
        if !changed {
            return blocked;
        }
    }
}

/// Why the trait cannot hold for `def` whatever the types it holds do.
fn own_obstacle(def: &TypeDef, trait_name: &str) -> Option<String> {
    match (trait_name, &def.kind) {
        ("Default", TypeKind::Enum { .. }) => Some("an enum has no default value".to_owned()),
        ("Default", TypeKind::Union { .. }) => Some("a union has no default variant".to_owned()),
        ("Default", TypeKind::Alias(TypeRef::Primitive(p)))
            if p.is_parsed_format() || *p == Primitive::DecimalNumber =>
        {
            Some("a format it stands for has no default value".to_owned())
        }
        ("Default", TypeKind::Struct(fields)) => fields
            .iter()
            .filter(|field| field.required && !field.flatten)
            .find(|field| {
                // Decoded formats are `Lenient`, which has no default value.
                matches!(&field.ty, TypeRef::Primitive(p)
                    if p.is_parsed_format() || *p == Primitive::DecimalNumber)
            })
            .map(|field| format!("its required field `{}` has no default value", field.name)),
        ("Eq" | "Hash" | "Ord" | "PartialOrd", _) => {
            let ordered = matches!(trait_name, "Ord" | "PartialOrd");
            members_of(def).into_iter().find_map(|(what, ty)| {
                let mut primitives = Vec::new();
                primitives_in(ty, &mut primitives);
                primitives
                    .into_iter()
                    .find_map(|primitive| match primitive {
                        Primitive::Number if trait_name != "PartialOrd" => {
                            Some(format!("{what} is an `f64`"))
                        }
                        Primitive::Any if trait_name != "Eq" => {
                            Some(format!("{what} is a free-form JSON value"))
                        }
                        Primitive::UnknownFields if ordered => {
                            Some(format!("{what} holds JSON values, which have no order"))
                        }
                        other if ordered && unordered(other) => {
                            Some(format!("{what} has no order"))
                        }
                        _ => None,
                    })
            })
        }
        _ => None,
    }
}

/// Whether the runtime's type for `primitive` has no `Ord` (a lenient format keeps its error).
fn unordered(primitive: Primitive) -> bool {
    primitive.is_parsed_format() || matches!(primitive, Primitive::File | Primitive::DecimalNumber)
}

/// The named types whose trait `def`'s derive relies on: all it holds, except that `Default`
/// needs it only of required fields (an option, list or map defaults to empty).
fn members_needing(def: &TypeDef, trait_name: &str) -> Vec<TypeId> {
    let mut out = Vec::new();
    match (&def.kind, trait_name) {
        (TypeKind::Struct(fields), "Default") => fields
            .iter()
            .filter(|field| field.required && !field.flatten)
            .for_each(|field| {
                if let TypeRef::Named(id) = field.ty {
                    out.push(id);
                }
            }),
        _ => out = named_members(def),
    }
    out
}

/// What a type holds, each with how to name it in a message.
fn members_of(def: &TypeDef) -> Vec<(String, &TypeRef)> {
    match &def.kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .map(|field| (format!("its field `{}`", field.name), &field.ty))
            .collect(),
        TypeKind::Union { variants, .. } => variants
            .iter()
            .map(|variant| (format!("its variant `{}`", variant.name), &variant.ty))
            .collect(),
        TypeKind::Alias(target) => vec![("what it wraps".to_owned(), target)],
        TypeKind::Enum { .. } | TypeKind::External(_) => Vec::new(),
    }
}

fn named_members(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    for (_, ty) in members_of(def) {
        all_targets(ty, &mut out);
    }
    out
}

fn primitives_in(ty: &TypeRef, out: &mut Vec<Primitive>) {
    match ty {
        TypeRef::Primitive(primitive) => out.push(*primitive),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            primitives_in(inner, out);
        }
        TypeRef::Named(_) => {}
    }
}

/// Whether any type, parameter, body or header of the model is a decimal.
pub fn uses_decimals(
    types: &[TypeDef],
    operations: &[super::Operation],
    header_types: &[super::ResponseHeaders],
) -> bool {
    let mut found = false;
    let mut see = |ty: &TypeRef| {
        let mut primitives = Vec::new();
        primitives_in(ty, &mut primitives);
        found |= primitives
            .iter()
            .any(|p| matches!(p, Primitive::DecimalNumber | Primitive::Decimal));
    };
    for def in types {
        members_of(def).into_iter().for_each(|(_, ty)| see(ty));
    }
    for operation in operations {
        operation.params.iter().for_each(|param| see(&param.ty));
        if let Some(body) = &operation.body {
            see(&body.ty);
        }
        operation
            .responses
            .iter()
            .filter_map(|r| r.body.as_ref())
            .for_each(&mut see);
    }
    for headers in header_types {
        headers.fields.iter().for_each(|field| see(&field.ty));
    }
    found
}
