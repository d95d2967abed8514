//! Which Rust type a reference denotes, across the two versions. A type alias is transparent
//! in Rust, and the model names a type that several schemas share after one of them (the
//! others become aliases of it), which one can change between versions: a field whose type
//! was `PageId` and is now `ItemId` breaks no caller when `PageId` is still there as an alias
//! of `ItemId`.

use std::collections::HashMap;

use crate::emit::surface::unalias;
use crate::model::{Api, TypeDef, TypeRef};

pub struct Identity<'a> {
    old: &'a Api,
    new: &'a Api,
    new_ids: HashMap<&'a str, usize>,
}

impl<'a> Identity<'a> {
    pub fn new(old: &'a Api, new: &'a Api) -> Self {
        let new_ids = new
            .types
            .iter()
            .enumerate()
            .map(|(id, def)| (def.name.as_str(), id))
            .collect();
        Self { old, new, new_ids }
    }

    /// Whether an old and a new reference denote the same Rust type, through aliases.
    pub fn same(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.of_old(old) == self.of_new(new)
    }

    /// The type an old model's reference denotes, in the new model's terms: each type it
    /// names, looked up by name in the new model and followed through its aliases there.
    fn of_old(&self, ty: &TypeRef) -> String {
        let mut out = String::new();
        write(
            self.old,
            ty,
            &mut out,
            &|def: &TypeDef| match self.new_ids.get(def.name.as_str()) {
                Some(&id) => resolved_name(self.new, id),
                None => format!("{} (gone)", def.name),
            },
        );
        out
    }

    /// The type a new model's reference denotes.
    fn of_new(&self, ty: &TypeRef) -> String {
        let mut out = String::new();
        write(self.new, ty, &mut out, &|def: &TypeDef| def.name.clone());
        out
    }
}

/// The name a type goes by once its aliases are followed.
fn resolved_name(api: &Api, id: usize) -> String {
    let mut out = String::new();
    write(api, &TypeRef::Named(id), &mut out, &|def: &TypeDef| {
        def.name.clone()
    });
    out
}

/// `ty` as text, aliases followed.
fn write(api: &Api, ty: &TypeRef, out: &mut String, name: &dyn Fn(&TypeDef) -> String) {
    match unalias(api, ty) {
        TypeRef::Named(id) => {
            if let Some(def) = api.types.get(*id) {
                out.push_str(&name(def));
            }
        }
        TypeRef::Primitive(primitive) => out.push_str(&format!("{primitive:?}")),
        TypeRef::Array(inner) => {
            out.push('[');
            write(api, inner, out, name);
            out.push(']');
        }
        TypeRef::Map(inner) => {
            out.push('{');
            write(api, inner, out, name);
            out.push('}');
        }
        TypeRef::Nullable(inner) => {
            out.push('?');
            write(api, inner, out, name);
        }
    }
}
