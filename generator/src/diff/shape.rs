//! What a value looks like on the wire, and which values a reader of one shape accepts: the
//! wire verdict of a changed type.

use std::collections::HashMap;

use crate::model::{Api, Primitive, TypeDef, TypeKind, TypeRef};

/// Old type names mapped to the new names of the types renamed with their shape kept.
pub type Renames = HashMap<String, String>;

#[derive(Clone, Debug)]
pub enum Shape {
    /// A named struct or union: its own contents are compared on their own, so here it counts
    /// by its (new) name, or by its outline when two names have the same one (an inline schema
    /// that became a component).
    Named {
        name: String,
        outline: Option<String>,
    },
    /// An enumeration: its values, sorted.
    Enum(Vec<String>),
    String,
    Integer,
    Number,
    Boolean,
    Any,
    Bytes,
    Array(Box<Shape>),
    Map(Box<Shape>),
    Nullable(Box<Shape>),
}

impl PartialEq for Shape {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Self::Named { name, outline },
                Self::Named {
                    name: other_name,
                    outline: other_outline,
                },
            ) => name == other_name || (outline.is_some() && outline == other_outline),
            (Self::Enum(a), Self::Enum(b)) => a == b,
            (Self::Array(a), Self::Array(b))
            | (Self::Map(a), Self::Map(b))
            | (Self::Nullable(a), Self::Nullable(b)) => a == b,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

/// Who reads a value: the old client keeps enum values and properties it does not know, a
/// server may refuse them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    OldClient,
    NewServer,
}

impl Shape {
    /// Whether `reader`, expecting `self`, accepts every value of shape `value`: an integer
    /// where a number is expected, a plain value where a nullable one is.
    pub fn accepts(&self, value: &Shape, reader: Reader) -> bool {
        match (self, value) {
            (Self::Any, _) | (Self::Number, Self::Integer) | (Self::String, Self::Enum(_)) => true,
            (Self::Enum(_), Self::String | Self::Enum(_)) if reader == Reader::OldClient => true,
            (Self::Enum(known), Self::Enum(sent)) => sent.iter().all(|v| known.contains(v)),
            (reader_shape, value) if reader_shape == value => true,
            (Self::Nullable(inner), Self::Nullable(value)) => inner.accepts(value, reader),
            (Self::Nullable(inner), value) => inner.accepts(value, reader),
            (Self::Array(inner), Self::Array(value)) | (Self::Map(inner), Self::Map(value)) => {
                inner.accepts(value, reader)
            }
            _ => false,
        }
    }
}

/// Shapes of one model's type references.
pub struct Shapes<'a> {
    api: &'a Api,
    renames: &'a Renames,
    /// Each type's outline: its fields (or variants) with the shapes of their types, named
    /// types by name. `None` for a type with nothing to tell it by.
    outlines: Vec<Option<String>>,
}

impl<'a> Shapes<'a> {
    /// The shapes of `api`'s types, with the names of `renames` (old to new) taken for the
    /// new ones: pass the renames for the old model, none for the new one.
    pub fn new(api: &'a Api, renames: &'a Renames) -> Self {
        let mut shapes = Self {
            api,
            renames,
            outlines: Vec::new(),
        };
        shapes.outlines = api.types.iter().map(|def| shapes.outline(def)).collect();
        shapes
    }

    pub fn of(&self, ty: &TypeRef) -> Shape {
        self.within(ty, self.api.types.len(), true)
    }

    /// The outline of a type, for matching renames.
    pub fn outline_of(&self, id: usize) -> Option<&str> {
        self.outlines.get(id)?.as_deref()
    }

    fn within(&self, ty: &TypeRef, hops: usize, with_outline: bool) -> Shape {
        let inner = |ty: &TypeRef| Box::new(self.within(ty, hops, with_outline));
        match ty {
            TypeRef::Named(id) => match self.api.types.get(*id) {
                // A newtype is an alias that contains itself: it is named, never followed.
                Some(TypeDef {
                    kind: TypeKind::Alias(target),
                    newtype: false,
                    ..
                }) if hops > 0 => self.within(target, hops - 1, with_outline),
                Some(TypeDef {
                    kind: TypeKind::Enum { variants, .. },
                    ..
                }) => {
                    let mut values: Vec<String> =
                        variants.iter().map(|v| v.wire_value.clone()).collect();
                    values.sort_unstable();
                    Shape::Enum(values)
                }
                Some(def) => Shape::Named {
                    name: self.renames.get(&def.name).unwrap_or(&def.name).clone(),
                    outline: if with_outline {
                        self.outlines.get(*id).cloned().flatten()
                    } else {
                        None
                    },
                },
                None => Shape::Any,
            },
            TypeRef::Primitive(primitive) => match primitive {
                Primitive::String
                | Primitive::Uuid
                | Primitive::DateTime
                | Primitive::Date
                | Primitive::Base64
                | Primitive::Decimal
                | Primitive::File => Shape::String,
                Primitive::Integer => Shape::Integer,
                Primitive::Number | Primitive::DecimalNumber => Shape::Number,
                Primitive::Boolean => Shape::Boolean,
                Primitive::Any | Primitive::UnknownFields => Shape::Any,
                Primitive::Bytes => Shape::Bytes,
            },
            TypeRef::Array(item) => Shape::Array(inner(item)),
            TypeRef::Map(value) => Shape::Map(inner(value)),
            TypeRef::Nullable(value) => Shape::Nullable(inner(value)),
        }
    }

    fn outline(&self, def: &TypeDef) -> Option<String> {
        let shape = |ty: &TypeRef| format!("{:?}", self.within(ty, self.api.types.len(), false));
        match &def.kind {
            TypeKind::Struct(fields) => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .filter(|f| !f.flatten)
                    .map(|f| {
                        format!(
                            "{}:{}:{}:{}",
                            f.wire_name,
                            shape(&f.ty),
                            f.required,
                            f.nullable
                        )
                    })
                    .collect();
                parts.sort_unstable();
                (!parts.is_empty()).then(|| format!("struct{{{}}}", parts.join(",")))
            }
            TypeKind::Union {
                variants,
                discriminator,
            } => {
                let parts: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}{:?}", shape(&v.ty), v.tags))
                    .collect();
                let tag = discriminator.as_ref().map(|d| d.property.as_str());
                Some(format!("union{tag:?}[{}]", parts.join(",")))
            }
            TypeKind::Enum {
                variants, integer, ..
            } => {
                let mut values: Vec<&str> =
                    variants.iter().map(|v| v.wire_value.as_str()).collect();
                values.sort_unstable();
                (values.len() > 1).then(|| format!("enum{integer}[{}]", values.join(",")))
            }
            TypeKind::Alias(_) | TypeKind::External(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, Shape};

    #[test]
    fn readers_accept_narrower_values() {
        let nullable = |shape| Shape::Nullable(Box::new(shape));
        let named = |name: &str, outline: Option<&str>| Shape::Named {
            name: name.into(),
            outline: outline.map(str::to_owned),
        };
        let server = Reader::NewServer;
        assert!(Shape::Number.accepts(&Shape::Integer, server));
        assert!(!Shape::Integer.accepts(&Shape::Number, server));
        assert!(nullable(Shape::String).accepts(&Shape::String, server));
        assert!(!Shape::String.accepts(&nullable(Shape::String), server));
        assert!(
            Shape::Array(Box::new(Shape::Number))
                .accepts(&Shape::Array(Box::new(Shape::Integer)), server)
        );
        assert!(Shape::Any.accepts(&named("Pet", None), server));
        assert!(!named("Pet", None).accepts(&named("Owner", None), server));
        assert!(named("PetKind", Some("s")).accepts(&named("Kind", Some("s")), server));
    }

    #[test]
    fn old_clients_keep_enum_values_they_do_not_know() {
        let colors =
            |values: &[&str]| Shape::Enum(values.iter().map(|v| (*v).to_owned()).collect());
        let (old, new) = (colors(&["blue", "red"]), colors(&["blue", "green", "red"]));
        assert!(old.accepts(&new, Reader::OldClient));
        assert!(!old.accepts(&new, Reader::NewServer));
        assert!(new.accepts(&old, Reader::NewServer));
    }
}
