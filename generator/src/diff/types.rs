//! Types: added, removed, renamed with their shape kept, and changed field by field, value by
//! value and variant by variant.

use std::collections::HashMap;

use super::shape::{Reader, Renames, Shapes};
use super::usage::{self, Usage};
use super::{Change, Impact, Kind, Subject, Versions, breaking_if, changed_aspects, pointer};
use crate::emit::surface;
use crate::model::{Api, Bound, Constraints, Field, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The removed types that were renamed: each removed type whose outline one added type, and
/// no other removed type, has. Old names to new names.
pub fn renames(old: &Api, new: &Api, new_shapes: &Shapes) -> Renames {
    let none = Renames::new();
    let old_shapes = Shapes::new(old, &none);
    let old_ids = names(old);
    let new_ids = names(new);
    let mut outlines: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (id, def) in old.types.iter().enumerate() {
        if !new_ids.contains_key(def.name.as_str()) {
            if let Some(outline) = old_shapes.outline_of(id) {
                outlines.entry(outline).or_default().0.push(id);
            }
        }
    }
    for (id, def) in new.types.iter().enumerate() {
        if !old_ids.contains_key(def.name.as_str()) {
            if let Some(outline) = new_shapes.outline_of(id) {
                outlines.entry(outline).or_default().1.push(id);
            }
        }
    }
    outlines
        .into_values()
        .filter_map(|(from, to)| match (from.as_slice(), to.as_slice()) {
            ([from], [to]) => Some((old.types[*from].name.clone(), new.types[*to].name.clone())),
            _ => None,
        })
        .collect()
}

/// Compares the types of the two models, renamed ones under their new names.
pub fn compare(versions: &Versions, renames: &Renames, changes: &mut Vec<Change>) {
    let (old, new) = (versions.old, versions.new);
    let old_usage = usage::of(old);
    let new_usage = usage::of(new);
    let new_ids = names(new);
    let renamed_to: Vec<&str> = renames.values().map(String::as_str).collect();
    for def in old
        .types
        .iter()
        .filter(|def| !new_ids.contains_key(def.name.as_str()))
    {
        if let Some(to) = renames.get(&def.name) {
            changes.push(Change {
                subject: Subject::Type { name: to.clone() },
                kind: Kind::TypeRenamed,
                what: format!("renamed from `{}`, its shape kept", def.name),
                pointer: new_ids
                    .get(to.as_str())
                    .map_or_else(String::new, |id| new.types[*id].origin.clone()),
                source: Impact::Breaking,
                wire: Impact::Compatible,
            });
        } else {
            changes.push(Change {
                subject: Subject::Type {
                    name: def.name.clone(),
                },
                kind: Kind::TypeRemoved,
                what: "removed".into(),
                pointer: def.origin.clone(),
                source: Impact::Breaking,
                // Its uses are judged where they change: a field's type, a response's body.
                wire: Impact::Compatible,
            });
        }
    }
    let old_ids = names(old);
    for def in new.types.iter().filter(|def| {
        !old_ids.contains_key(def.name.as_str()) && !renamed_to.contains(&def.name.as_str())
    }) {
        changes.push(Change {
            subject: Subject::Type {
                name: def.name.clone(),
            },
            kind: Kind::TypeAdded,
            what: "added".into(),
            pointer: def.origin.clone(),
            source: Impact::Additive,
            wire: Impact::Compatible,
        });
    }
    for (old_id, old_def) in old.types.iter().enumerate() {
        let Some(&new_id) = new_ids.get(old_def.name.as_str()) else {
            continue;
        };
        let usage = Usage {
            sent: old_usage[old_id].sent || new_usage[new_id].sent,
            received: old_usage[old_id].received || new_usage[new_id].received,
        };
        let pair = Pair {
            versions,
            ids: (old_id, new_id),
            old_def,
            new_def: &new.types[new_id],
            usage,
        };
        pair.compare(changes);
    }
}

fn names(api: &Api) -> HashMap<&str, usize> {
    api.types
        .iter()
        .enumerate()
        .map(|(id, def)| (def.name.as_str(), id))
        .collect()
}

/// One type in both models.
struct Pair<'a> {
    versions: &'a Versions<'a>,
    ids: (usize, usize),
    old_def: &'a TypeDef,
    new_def: &'a TypeDef,
    usage: Usage,
}

impl Pair<'_> {
    fn change(
        &self,
        kind: Kind,
        what: String,
        pointer: String,
        source: Impact,
        wire: Impact,
    ) -> Change {
        Change {
            subject: Subject::Type {
                name: self.new_def.name.clone(),
            },
            kind,
            what,
            pointer,
            source,
            wire,
        }
    }

    /// A wire verdict: breaking when the old client would fail in a direction the type
    /// travels in.
    fn wire(&self, breaks_sent: bool, breaks_received: bool) -> Impact {
        breaking_if((self.usage.sent && breaks_sent) || (self.usage.received && breaks_received))
    }

    fn compare(&self, changes: &mut Vec<Change>) {
        let at = self.new_def.origin.clone();
        let both_structs = matches!(
            (&self.old_def.kind, &self.new_def.kind),
            (TypeKind::Struct(_), TypeKind::Struct(_))
        );
        if both_structs
            && !surface::non_exhaustive(self.old_def)
            && surface::non_exhaustive(self.new_def)
        {
            changes.push(self.change(
                Kind::TypeChanged,
                "now `#[non_exhaustive]`: it is no longer sent in requests, so struct literals \
                 of it no longer compile"
                    .into(),
                at.clone(),
                Impact::Breaking,
                Impact::Compatible,
            ));
        }
        match (&self.old_def.kind, &self.new_def.kind) {
            (TypeKind::Struct(old), TypeKind::Struct(new)) => self.fields(old, new, changes),
            (
                TypeKind::Enum {
                    variants: old,
                    integer: old_integer,
                    ..
                },
                TypeKind::Enum {
                    variants: new,
                    integer: new_integer,
                    ..
                },
            ) if old_integer == new_integer => {
                let old_values: Vec<&str> = old.iter().map(|v| v.wire_value.as_str()).collect();
                let new_values: Vec<&str> = new.iter().map(|v| v.wire_value.as_str()).collect();
                for value in new_values.iter().filter(|v| !old_values.contains(v)) {
                    changes.push(self.change(
                        Kind::EnumValueAdded,
                        format!("value `{value}` added"),
                        pointer(&at, "enum"),
                        self.additive(),
                        // The old client keeps a value it does not know.
                        Impact::Compatible,
                    ));
                }
                for value in old_values.iter().filter(|v| !new_values.contains(v)) {
                    changes.push(self.change(
                        Kind::EnumValueRemoved,
                        format!("value `{value}` removed"),
                        pointer(&self.old_def.origin, "enum"),
                        Impact::Breaking,
                        self.wire(true, false),
                    ));
                }
            }
            (
                TypeKind::Union {
                    variants: old,
                    discriminator: old_tag,
                },
                TypeKind::Union {
                    variants: new,
                    discriminator: new_tag,
                },
            ) if old_tag.as_ref().map(|d| &d.property) == new_tag.as_ref().map(|d| &d.property) => {
                self.variants(old, new, old_tag.is_some(), changes)
            }
            (TypeKind::Alias(old), TypeKind::Alias(new)) => {
                let (old_rust, new_rust) = (
                    surface::decoded(self.versions.old, old),
                    surface::decoded(self.versions.new, new),
                );
                let (old_shape, new_shape) = (
                    self.versions.old_shapes.of(old),
                    self.versions.new_shapes.of(new),
                );
                let rust_changed = old_rust != new_rust && !self.versions.identity.same(old, new);
                if rust_changed || old_shape != new_shape {
                    changes.push(self.change(
                        Kind::TypeChanged,
                        format!("now stands for `{new_rust}`, was `{old_rust}`"),
                        at,
                        breaking_if(rust_changed),
                        self.wire(
                            !new_shape.accepts(&old_shape, Reader::NewServer),
                            !old_shape.accepts(&new_shape, Reader::OldClient),
                        ),
                    ));
                }
            }
            _ => {
                let (old_ref, new_ref) = (TypeRef::Named(self.ids.0), TypeRef::Named(self.ids.1));
                let old_shape = self.versions.old_shapes.of(&old_ref);
                let new_shape = self.versions.new_shapes.of(&new_ref);
                // A type that became an alias of one with its shape (or the other way round)
                // is still the same type to callers: the name a schema shared with others
                // goes by moved from one of them to another.
                let one_is_alias = [self.old_def, self.new_def]
                    .iter()
                    .any(|def| matches!(def.kind, TypeKind::Alias(_)) && !def.newtype);
                if one_is_alias
                    && self.versions.identity.same(&old_ref, &new_ref)
                    && old_shape == new_shape
                {
                    return;
                }
                changes.push(self.change(
                    Kind::TypeChanged,
                    format!(
                        "now {}, was {}",
                        describe(self.new_def),
                        describe(self.old_def)
                    ),
                    at,
                    Impact::Breaking,
                    // Shapes tell an alias's values apart; a struct that became a union (or
                    // any such change) keeps its name, so its shape is no guide.
                    if one_is_alias {
                        self.wire(
                            !new_shape.accepts(&old_shape, Reader::NewServer),
                            !old_shape.accepts(&new_shape, Reader::OldClient),
                        )
                    } else {
                        self.wire(true, true)
                    },
                ))
            }
        }
    }

    /// Something new inside the type: invisible to callers of a `#[non_exhaustive]` type,
    /// a new thing to match or to write in a struct literal otherwise.
    fn additive(&self) -> Impact {
        if surface::non_exhaustive(self.new_def) {
            Impact::Additive
        } else {
            Impact::Breaking
        }
    }

    fn fields(&self, old: &[Field], new: &[Field], changes: &mut Vec<Change>) {
        // The catch-all of undeclared keys apart from any property, which may be named
        // `additionalProperties` too (Microsoft Graph has one).
        fn key(f: &Field) -> (bool, &str) {
            (f.flatten, if f.flatten { "" } else { &f.wire_name })
        }
        let properties = pointer(&self.new_def.origin, "properties");
        // `new`'s arguments, by name: a field that joins or leaves them breaks every call.
        let arguments = |fields| {
            surface::constructor_arguments(fields)
                .map(|fields| fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>())
        };
        let constructor_changed = arguments(old) != arguments(new);
        let is_argument = |field: &Field| field.required && !field.flatten;
        for field in new {
            let field_at = if field.flatten {
                pointer(&self.new_def.origin, "additionalProperties")
            } else {
                pointer(&properties, &field.wire_name)
            };
            let Some(before) = old.iter().find(|f| key(f) == key(field)) else {
                // A new required field is a new argument of `new`; a new optional one joins a
                // struct literal, unless the struct is `#[non_exhaustive]`.
                let source = if constructor_changed && is_argument(field) {
                    Impact::Breaking
                } else {
                    self.additive()
                };
                let required = if field.required {
                    "required"
                } else {
                    "optional"
                };
                changes.push(self.change(
                    Kind::FieldAdded,
                    format!("{required} field `{}` added", field.name),
                    field_at,
                    source,
                    // The old client does not send it; a response's new field is kept in
                    // `unknown_fields`.
                    self.wire(field.required && !field.read_only, false),
                ));
                continue;
            };
            let becomes_argument = constructor_changed && is_argument(before) != is_argument(field);
            self.field(before, field, field_at, becomes_argument, changes);
        }
        for field in old.iter().filter(|f| !new.iter().any(|n| key(n) == key(f))) {
            let decodes_absent = !field.required || field.nullable;
            changes.push(self.change(
                Kind::FieldRemoved,
                format!("field `{}` removed", field.name),
                pointer(
                    &pointer(&self.old_def.origin, "properties"),
                    &field.wire_name,
                ),
                Impact::Breaking,
                self.wire(false, !decodes_absent && !field.write_only),
            ));
        }
    }

    /// `constructor`: the field joins or leaves `new`'s arguments.
    fn field(
        &self,
        old: &Field,
        new: &Field,
        at: String,
        constructor: bool,
        changes: &mut Vec<Change>,
    ) {
        let old_rust = surface::field(self.versions.old, self.old_def, old);
        let new_rust = surface::field(self.versions.new, self.new_def, new);
        let old_shape = self.versions.old_shapes.of(&old.ty);
        let new_shape = self.versions.new_shapes.of(&new.ty);
        let presence_kept = old.required == new.required && old.nullable == new.nullable;
        let rust_changed = old_rust != new_rust
            && !(presence_kept
                && old.boxed == new.boxed
                && self.old_def.in_request == self.new_def.in_request
                && self.versions.identity.same(&old.ty, &new.ty));
        let rust_changed = rust_changed || constructor;
        // A changed shape that breaks nothing is reported on the type that changed (an enum's
        // new value), not again at every use.
        let shape_breaks = !old_shape.accepts(&new_shape, Reader::OldClient)
            || !new_shape.accepts(&old_shape, Reader::NewServer);
        let aspects = changed_aspects(
            (&old_rust, &new_rust),
            (rust_changed, shape_breaks),
            (old.required, new.required),
            (old.nullable, new.nullable),
        );
        if !aspects.is_empty() {
            // Received: the old client's field takes what the new server sends.
            let received = !old.write_only
                && (!old_shape.accepts(&new_shape, Reader::OldClient)
                    || (!new.required && old.required && !old.nullable)
                    || (new.nullable && old.required && !old.nullable));
            // Sent: the new server takes what the old client sends.
            let sent = !old.read_only
                && (!new_shape.accepts(&old_shape, Reader::NewServer)
                    || (!old.required && new.required)
                    || (old.nullable && !new.nullable));
            changes.push(self.change(
                Kind::FieldChanged,
                format!("field `{}`: {}", new.name, aspects.join(", ")),
                at.clone(),
                breaking_if(rust_changed),
                self.wire(sent, received),
            ));
        }
        let old_limits = old.constraints.applicable_to(&old.ty);
        let new_limits = new.constraints.applicable_to(&new.ty);
        let what = |verb: &str, how: &[String]| {
            format!("field `{}`: {verb} ({})", new.name, how.join(", "))
        };
        constraint_changes(&old_limits, &new_limits, |kind, how| {
            let (verb, wire) = match kind {
                Kind::ConstraintTightened => ("constraints tightened", self.wire(true, false)),
                _ => ("constraints loosened", Impact::Compatible),
            };
            changes.push(self.change(kind, what(verb, &how), at.clone(), Impact::Compatible, wire));
        });
    }

    fn variants(
        &self,
        old: &[UnionVariant],
        new: &[UnionVariant],
        tagged: bool,
        changes: &mut Vec<Change>,
    ) {
        let at = pointer(
            &self.new_def.origin,
            if tagged { "discriminator" } else { "oneOf" },
        );
        for variant in new {
            let Some(before) = old.iter().find(|v| v.name == variant.name) else {
                changes.push(self.change(
                    Kind::VariantAdded,
                    format!("variant `{}` added", variant.name),
                    at.clone(),
                    self.additive(),
                    // An old client keeps an unknown tag's value; without a tag, the new
                    // shape may decode as none of the variants it knows.
                    self.wire(false, !tagged),
                ));
                continue;
            };
            let (old_rust, new_rust) = (
                surface::built(self.versions.old, &before.ty),
                surface::built(self.versions.new, &variant.ty),
            );
            let old_shape = self.versions.old_shapes.of(&before.ty);
            let new_shape = self.versions.new_shapes.of(&variant.ty);
            let lost_tags: Vec<&String> = before
                .tags
                .iter()
                .filter(|t| !variant.tags.contains(t))
                .collect();
            let rust_changed = old_rust != new_rust
                && !(before.boxed == variant.boxed
                    && self.versions.identity.same(&before.ty, &variant.ty));
            if rust_changed || old_shape != new_shape || !lost_tags.is_empty() {
                let mut aspects = Vec::new();
                if rust_changed || old_shape != new_shape {
                    aspects.push(format!("`{old_rust}` → `{new_rust}`"));
                }
                if !lost_tags.is_empty() {
                    let tags: Vec<String> = lost_tags.iter().map(|t| format!("`{t}`")).collect();
                    aspects.push(format!("tag {} no longer selects it", tags.join(", ")));
                }
                changes.push(self.change(
                    Kind::VariantChanged,
                    format!("variant `{}`: {}", variant.name, aspects.join(", ")),
                    at.clone(),
                    breaking_if(rust_changed),
                    self.wire(
                        !new_shape.accepts(&old_shape, Reader::NewServer) || !lost_tags.is_empty(),
                        !old_shape.accepts(&new_shape, Reader::OldClient),
                    ),
                ));
            }
        }
        for variant in old.iter().filter(|v| !new.iter().any(|n| n.name == v.name)) {
            changes.push(self.change(
                Kind::VariantRemoved,
                format!("variant `{}` removed", variant.name),
                at.clone(),
                Impact::Breaking,
                self.wire(true, false),
            ));
        }
    }
}

fn describe(def: &TypeDef) -> &'static str {
    match &def.kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum { integer: true, .. } => "an enum of integers",
        TypeKind::Enum { .. } => "an enum of strings",
        TypeKind::Union {
            discriminator: Some(_),
            ..
        } => "a tagged union",
        TypeKind::Union { .. } => "an untagged union",
        TypeKind::Alias(_) => "an alias",
        TypeKind::External(_) => "a type of the user's",
    }
}

/// Reports the constraints that got stricter and those that got looser, each group as one
/// call of `report` with its descriptions.
pub(super) fn constraint_changes(
    old: &Constraints,
    new: &Constraints,
    mut report: impl FnMut(Kind, Vec<String>),
) {
    let mut tighter = Vec::new();
    let mut looser = Vec::new();
    let mut count = |name: &str, old: Option<usize>, new: Option<usize>, lower: bool| {
        let text =
            |value: Option<usize>| value.map_or_else(|| "none".to_owned(), |v| v.to_string());
        let stricter = match (old, new) {
            (None, None) => return,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(old), Some(new)) if old == new => return,
            (Some(old), Some(new)) => (new > old) == lower,
        };
        let how = format!("{name} {} → {}", text(old), text(new));
        if stricter {
            tighter.push(how)
        } else {
            looser.push(how)
        }
    };
    count("minLength", old.min_length, new.min_length, true);
    count("maxLength", old.max_length, new.max_length, false);
    count("minItems", old.min_items, new.min_items, true);
    count("maxItems", old.max_items, new.max_items, false);
    for (name, old, new, lower) in [
        ("minimum", old.minimum, new.minimum, true),
        ("maximum", old.maximum, new.maximum, false),
    ] {
        let text = |bound: Option<Bound>| {
            bound.map_or_else(
                || "none".to_owned(),
                |b| {
                    format!(
                        "{}{}",
                        b.value,
                        if b.exclusive { " (exclusive)" } else { "" }
                    )
                },
            )
        };
        let stricter = match (old, new) {
            (None, None) => continue,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(old), Some(new)) if old == new => continue,
            (Some(old), Some(new)) if old.value == new.value => new.exclusive,
            (Some(old), Some(new)) => (new.value > old.value) == lower,
        };
        let how = format!("{name} {} → {}", text(old), text(new));
        if stricter {
            tighter.push(how)
        } else {
            looser.push(how)
        }
    }
    if !tighter.is_empty() {
        report(Kind::ConstraintTightened, tighter);
    }
    if !looser.is_empty() {
        report(Kind::ConstraintLoosened, looser);
    }
}
