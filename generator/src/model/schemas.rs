//! Schemas to named types.
//!
//! Component schemas keep their names; an inline schema that needs a type of its own (an object,
//! an enum, a union) is named from where it sits: `{Parent}{Field}`, `{Operation}Request`, ...
//! Names are claimed parent first, in document order, so they are stable across runs.

use foldhash::{HashMap, HashMapExt as _};
use std::borrow::Borrow;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use super::UnionVariant;
use super::names::{self, Namespace, RESERVED_TYPE_NAMES};
use super::view::View;
use super::{
    Constraints, Discriminator, EnumVariant, Field, Primitive, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::diagnostics::{Diagnostic, pointer_push};

/// Deeper than this, a schema is refused rather than risking the stack: the pipeline's stack
/// (`parallel::STACK_SIZE`) is sized for it, and a document nested within `load::MAX_NESTING`
/// can hold a schema this deep whichever keywords it nests through.
const MAX_DEPTH: usize = 256;

/// What a schema resolves to where it is used.
pub struct Resolved {
    pub ty: TypeRef,
    pub nullable: bool,
    pub constraints: Constraints,
    pub description: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<Value>,
    pub pattern: Option<String>,
}

pub struct TypeBuilder<'a> {
    document: &'a OpenAPI,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    names: Namespace,
    types: Vec<Option<TypeDef>>,
    components: HashMap<&'a str, TypeId>,
    /// Inline schemas already given a type, by JSON pointer: a property reached again through
    /// another `allOf` keeps the type it was given the first time.
    inline_types: HashMap<String, TypeId>,
    /// Inline union branches whose tag property the union reads and writes, by JSON pointer:
    /// their structs leave it out.
    tag_properties: HashMap<String, String>,
    depth: usize,
    /// `type: number` without a format is a decimal (`--decimal`).
    decimal_numbers: bool,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(
        document: &'a OpenAPI,
        diagnostics: &'a mut Vec<Diagnostic>,
        decimal_numbers: bool,
    ) -> Self {
        Self {
            document,
            diagnostics,
            decimal_numbers,
            names: Namespace::with_reserved(RESERVED_TYPE_NAMES, "Schema"),
            types: Vec::new(),
            components: HashMap::new(),
            inline_types: HashMap::new(),
            tag_properties: HashMap::new(),
            depth: 0,
        }
    }

    /// Names every component schema first, so that references resolve whatever their order and
    /// components keep their own names rather than one an inline schema took before them.
    pub fn declare_components(&mut self) {
        let Some(components) = &self.document.components else {
            return;
        };
        let mut declared = Vec::new();
        for (key, schema) in &components.schemas {
            let pointer = pointer_push("/components/schemas", key);
            let id = self.claim(key, &pointer);
            self.components.insert(key.as_str(), id);
            declared.push((id, schema, pointer));
        }
        let subtypes = self.subtypes();
        for (id, schema, pointer) in declared {
            let subtypes = subtypes.get(&id).map(Vec::as_slice);
            self.define_component(id, schema, &pointer, subtypes);
        }
    }

    /// OpenAPI 3.0 inheritance: a base schema with a `discriminator` and no `oneOf` of its own,
    /// which other components extend through `allOf: [{$ref: Base}, ...]`. For each such base,
    /// the components that extend it (directly or through another subtype), then those its
    /// mapping names, in document order. Only a component that is a type of its own (a struct)
    /// can be a subtype: `Cat: {allOf: [{$ref: Pet}]}` alone is a name for `Pet` itself, and
    /// as a variant of `Pet` would decode forever.
    fn subtypes(&self) -> HashMap<TypeId, Vec<(TypeId, String)>> {
        let mut found: HashMap<TypeId, Vec<(TypeId, String)>> = HashMap::new();
        let Some(components) = &self.document.components else {
            return found;
        };
        for key in components.schemas.keys() {
            let reference = component_reference(key);
            let Some(sub) = self.subtype_candidate(&reference) else {
                continue;
            };
            for base in self.inheritance_bases(&reference) {
                if base != sub {
                    found
                        .entry(base)
                        .or_default()
                        .push((sub, reference.clone()));
                }
            }
        }
        // The mapping may also name schemas that do not extend the base.
        for (key, schema) in &components.schemas {
            let (Some(&base), ReferenceOr::Item(schema)) =
                (self.components.get(key.as_str()), schema)
            else {
                continue;
            };
            let (Some(subtypes), Some(discriminator)) = (
                found.get_mut(&base),
                schema.schema_data.discriminator.as_ref(),
            ) else {
                continue;
            };
            for target in discriminator.mapping.values() {
                let reference = if target.starts_with('#') {
                    target.clone()
                } else {
                    component_reference(target)
                };
                if let Some(sub) = self.subtype_candidate(&reference)
                    && sub != base
                    && !subtypes.iter().any(|(known, _)| *known == sub)
                {
                    subtypes.push((sub, reference));
                }
            }
            subtypes.sort_by_key(|(sub, _)| *sub);
        }
        found
    }

    /// The component a reference names, when it is a struct of its own.
    fn subtype_candidate(&self, reference: &str) -> Option<TypeId> {
        let key = super::component_key(reference, "schemas")?;
        let id = *self.components.get(key.as_str())?;
        match self.document.components.as_ref()?.schemas.get(&key)? {
            ReferenceOr::Item(schema) if self.own_type(&View::of(schema)) => Some(id),
            _ => None,
        }
    }

    /// The inheritance bases (see [`Self::subtypes`]) a component reaches through `allOf`
    /// references, however many steps away.
    fn inheritance_bases(&self, reference: &str) -> Vec<TypeId> {
        let is_base = |schema: &Schema| {
            let view = View::of(schema);
            view.data.discriminator.is_some() && !has_union(&view)
        };
        let mut bases = Vec::new();
        let mut pending = vec![reference.to_owned()];
        let mut seen = vec![reference.to_owned()];
        while let Some(current) = pending.pop() {
            let Some((schema, _)) = self.component_schema(&current) else {
                continue;
            };
            for member in View::of(schema).all_of {
                let ReferenceOr::Reference { reference: parent } = member else {
                    continue;
                };
                if seen.contains(parent) || seen.len() > MAX_DEPTH {
                    continue;
                }
                seen.push(parent.clone());
                pending.push(parent.clone());
                let base = super::component_key(parent, "schemas")
                    .and_then(|key| self.components.get(key.as_str()).copied());
                if let (Some(base), Some((parent_schema, _))) =
                    (base, self.component_schema(parent))
                    && is_base(parent_schema)
                {
                    bases.push(base);
                }
            }
        }
        bases
    }

    /// The union a reference to an inheritance base stands for: one variant per subtype,
    /// chosen by the discriminator property's value (the mapping's, or else the subtype's
    /// schema name); a value with any other tag is kept as it was received.
    fn inheritance_union(
        &mut self,
        base: &Schema,
        subtypes: &[(TypeId, String)],
    ) -> Option<TypeKind> {
        let discriminator = base.schema_data.discriminator.as_ref()?;
        let mut variant_names = Namespace::default();
        let wanted = shortened(
            subtypes
                .iter()
                .map(|(sub, _)| (self.type_name(*sub).to_owned(), true))
                .collect(),
        );
        let variants = subtypes
            .iter()
            .zip(wanted)
            .map(|((sub, reference), wanted)| UnionVariant {
                name: variant_names.claim(&wanted),
                ty: TypeRef::Named(*sub),
                boxed: false,
                tags: discriminator_tags(discriminator, reference),
                tag_outside: false,
            })
            .collect();
        Some(TypeKind::Union {
            variants,
            discriminator: Some(Discriminator {
                property: discriminator.property_name.clone(),
                other: claim_other(&mut variant_names),
            }),
        })
    }

    /// Claims a name, used by the operation builder for the operation's own types too.
    pub fn claim_name(&mut self, wanted: &str) -> String {
        self.names.claim(&names::type_name(wanted, "Type"))
    }

    pub fn type_name(&self, id: TypeId) -> &str {
        self.types
            .get(id)
            .and_then(Option::as_ref)
            .map_or("", |def| def.name.as_str())
    }

    /// The fields of a struct type built so far.
    /// What the type `id` is, once defined.
    pub fn kind_of(&self, id: TypeId) -> Option<&TypeKind> {
        Some(&self.types.get(id)?.as_ref()?.kind)
    }

    pub fn struct_fields(&self, id: TypeId) -> Option<&[Field]> {
        match &self.types.get(id)?.as_ref()?.kind {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        }
    }

    /// Marks the struct that `ty` names as a multipart body; false when it is not a struct.
    pub fn mark_multipart(&mut self, ty: &TypeRef) -> bool {
        let mut target = ty;
        let mut hops = 0;
        while let TypeRef::Named(id) = target {
            let Some(def) = self.types.get(*id).and_then(Option::as_ref) else {
                return false;
            };
            match &def.kind {
                TypeKind::Struct(_) => {
                    let id = *id;
                    if let Some(def) = self.def_mut(id) {
                        def.multipart = true;
                    }
                    return true;
                }
                TypeKind::Alias(next) if hops < MAX_DEPTH => {
                    target = next;
                    hops += 1;
                }
                _ => return false,
            }
        }
        false
    }

    pub fn finish(self) -> Vec<TypeDef> {
        self.types.into_iter().flatten().collect()
    }

    fn claim(&mut self, wanted: &str, origin: &str) -> TypeId {
        let name = self.claim_name(wanted);
        let id = self.types.len();
        // A placeholder until the schema is typed.
        self.types.push(Some(TypeDef::alias(
            name,
            origin.to_owned(),
            TypeRef::Primitive(Primitive::Any),
        )));
        id
    }

    fn def_mut(&mut self, id: TypeId) -> Option<&mut TypeDef> {
        self.types.get_mut(id).and_then(Option::as_mut)
    }

    /// Defines a component; `subtypes` are the components that extend it when it is an
    /// inheritance base (see [`Self::subtypes`]).
    fn define_component(
        &mut self,
        id: TypeId,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        subtypes: Option<&[(TypeId, String)]>,
    ) {
        let name = self.type_name(id).to_owned();
        let (kind, nullable, description, examples) = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.reference(reference, pointer);
                (
                    TypeKind::Alias(target.ty),
                    target.nullable,
                    None,
                    Vec::new(),
                )
            }
            ReferenceOr::Item(schema) => {
                let view = View::of(schema);
                // The component is the first level, as an inline schema's root is.
                self.depth += 1;
                let inherited =
                    subtypes.and_then(|subtypes| self.inheritance_union(schema, subtypes));
                let kind = match inherited {
                    Some(union) => union,
                    None if self.own_type(&view) => self.kind(&view, &name, pointer),
                    None => TypeKind::Alias(self.unnamed(&view, &name, pointer).ty),
                };
                self.depth -= 1;
                (
                    kind,
                    view.nullable(),
                    schema.schema_data.description.clone(),
                    schema_examples(&schema.schema_data),
                )
            }
        };
        if let Some(def) = self.def_mut(id) {
            def.kind = kind;
            def.nullable = nullable;
            def.description = description;
            def.examples = examples;
        }
    }

    pub fn resolve<'s>(
        &mut self,
        schema: &'s ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Resolved
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    pub fn resolve_boxed<'s>(
        &mut self,
        schema: &'s ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Resolved
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Resolved {
        let id = super::component_key(reference, "schemas")
            .and_then(|key| self.components.get(key.as_str()).copied());
        let Some(id) = id else {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("`$ref: {reference}` does not name a schema in #/components/schemas"),
            ));
            return plain(TypeRef::Primitive(Primitive::Any));
        };
        let nullable = self.component_nullable(reference);
        Resolved {
            nullable,
            ..plain(TypeRef::Named(id))
        }
    }

    /// Read from the spec rather than the model, because the target may not be built yet.
    fn component_nullable(&self, reference: &str) -> bool {
        let key = super::component_key(reference, "schemas").unwrap_or_default();
        match self
            .document
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(&key))
        {
            Some(ReferenceOr::Item(schema)) => View::of(schema).nullable(),
            _ => false,
        }
    }

    fn inline<'s>(&mut self, schema: &'s Schema, hint: &str, pointer: &str) -> Resolved
    where
        'a: 's,
    {
        if self.depth >= MAX_DEPTH {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("schemas nested more than {MAX_DEPTH} levels deep are not supported"),
            ));
            return plain(TypeRef::Primitive(Primitive::Any));
        }
        self.depth += 1;
        let view = View::of(schema);
        let mut resolved = if let Some(&id) = self.inline_types.get(pointer) {
            plain(TypeRef::Named(id))
        } else if self.own_type(&view) {
            // A union the spec titles (`title: Contract`) is named by its title, as a person
            // would name it, unless that name is taken; else by where it sits.
            let titled = schema
                .schema_data
                .title
                .as_deref()
                .filter(|_| is_bare_union(&view))
                .map(|title| names::type_name(title, hint))
                .filter(|name| !self.names.is_taken(name));
            let id = self.claim(titled.as_deref().unwrap_or(hint), pointer);
            self.inline_types.insert(pointer.to_owned(), id);
            let name = self.type_name(id).to_owned();
            let kind = self.kind(&view, &name, pointer);
            let mut examples = schema_examples(&schema.schema_data);
            // A struct whose tag its union holds (see `fields`) reads its examples without it.
            if let (TypeKind::Struct(_), Some(tag)) = (&kind, self.tag_properties.get(pointer)) {
                for example in &mut examples {
                    if let Some(fields) = example.as_object_mut() {
                        fields.shift_remove(tag.as_str());
                    }
                }
            }
            if let Some(def) = self.def_mut(id) {
                def.kind = kind;
                def.description = schema.schema_data.description.clone();
                def.examples = examples;
            }
            plain(TypeRef::Named(id))
        } else {
            self.unnamed(&view, hint, pointer)
        };
        self.depth -= 1;
        resolved.nullable |= view.nullable();
        resolved.deprecated |= schema.schema_data.deprecated;
        resolved.read_only |= schema.schema_data.read_only;
        resolved.write_only |= schema.schema_data.write_only;
        if schema.schema_data.default.is_some() {
            resolved.default = schema.schema_data.default.clone();
        }
        if let Some(pattern) = view.pattern {
            resolved.pattern = Some(pattern.to_owned());
        }
        if schema.schema_data.description.is_some() {
            resolved.description = schema.schema_data.description.clone();
        }
        resolved
    }

    /// A schema that maps onto an existing type: a primitive, an array, a map, or a wrapper
    /// around a single other schema (`allOf: [X]`, or `anyOf: [X, null]` after loading).
    fn unnamed<'s>(&mut self, view: &View<'s>, hint: &str, pointer: &str) -> Resolved
    where
        'a: 's,
    {
        if let Some(index) = self.scalar_member(view) {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            return self.resolve(&view.all_of[index], hint, &at);
        }
        if let Some((keyword, [single])) = single_branch(view) {
            return self.resolve(
                single,
                hint,
                &pointer_push(&pointer_push(pointer, keyword), "0"),
            );
        }
        let constraints = view.constraints.clone();
        let ty = match view.typ {
            Some("string") => TypeRef::Primitive(match view.format.as_deref() {
                Some("date-time") => Primitive::DateTime,
                Some("date") => Primitive::Date,
                Some("uuid") => Primitive::Uuid,
                Some("byte") => Primitive::Base64,
                Some("binary") => Primitive::File,
                Some("decimal") => Primitive::Decimal,
                _ => Primitive::String,
            }),
            Some("integer") => TypeRef::Primitive(Primitive::Integer),
            Some("number") => TypeRef::Primitive(match view.format.as_deref() {
                Some("decimal") => Primitive::DecimalNumber,
                None if self.decimal_numbers => Primitive::DecimalNumber,
                _ => Primitive::Number,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Boolean),
            None if view.enum_values().next().is_some()
                && view.enum_values().all(Value::is_boolean) =>
            {
                TypeRef::Primitive(Primitive::Boolean)
            }
            Some("array") => {
                let item = match view.items {
                    Some(items) => Resolved::value_type(self.resolve_boxed(
                        items,
                        &format!("{hint}Item"),
                        &pointer_push(pointer, "items"),
                    )),
                    None => TypeRef::Primitive(Primitive::Any),
                };
                TypeRef::Array(Box::new(item))
            }
            Some("object") | None if view.properties.is_none() => self.map(view, hint, pointer),
            Some(other) if !matches!(other, "object") => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer_push(pointer, "type"),
                    format!("unknown type `{other}`; using a free-form JSON value"),
                ));
                TypeRef::Primitive(Primitive::Any)
            }
            _ => {
                self.report_untypeable(view, pointer);
                TypeRef::Primitive(Primitive::Any)
            }
        };
        Resolved {
            constraints,
            ..plain(ty)
        }
    }

    /// A schema that has structure no Rust type can express becomes a JSON value; the user
    /// is told where. A schema that says nothing about its values (`{}`) is free-form, and
    /// a JSON value is its honest type, so it is not reported.
    fn report_untypeable<'s>(&mut self, view: &View<'s>, pointer: &str)
    where
        'a: 's,
    {
        let reason = if view.negated {
            Some("`not` cannot be expressed as a type")
        } else if view.enum_values().next().is_some() {
            Some("an enum whose values are not all strings or all integers")
        } else if view.any_of.len() + view.one_of.len() + view.all_of.len() > 1
            && view.properties.is_none()
        {
            Some("a composition that could not be typed")
        } else {
            None
        };
        if let Some(reason) = reason {
            self.diagnostics.push(Diagnostic::warning(
                pointer,
                format!("{reason}; using a free-form JSON value (`serde_json::Value`)"),
            ));
        }
    }

    fn map<'s>(&mut self, view: &View<'s>, hint: &str, pointer: &str) -> TypeRef
    where
        'a: 's,
    {
        match view.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.resolve(
                    schema,
                    &format!("{hint}Value"),
                    &pointer_push(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(Resolved::value_type(value)))
            }
            Some(AdditionalProperties::Any(true)) => {
                TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::Any)))
            }
            _ if view.typ == Some("object") => {
                TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::Any)))
            }
            _ => {
                self.report_untypeable(view, pointer);
                TypeRef::Primitive(Primitive::Any)
            }
        }
    }

    fn kind<'s>(&mut self, view: &View<'s>, name: &str, pointer: &str) -> TypeKind
    where
        'a: 's,
    {
        if !view.all_of.is_empty() || (view.properties.is_some() && !has_union(view)) {
            return TypeKind::Struct(self.fields(view, name, pointer));
        }
        if has_union(view) {
            if let Some(enumeration) = const_union(view) {
                return enumeration;
            }
            if let Some(fields) = self.merged_any_of(view, name, pointer) {
                return TypeKind::Struct(fields);
            }
            return self.union(view, name, pointer);
        }
        self.enumeration(view)
    }

    fn fields<'s>(&mut self, view: &View<'s>, owner: &str, pointer: &str) -> Vec<Field>
    where
        'a: 's,
    {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        self.gather(view, pointer, &mut properties, &mut required, 0);
        self.struct_fields_of(view, owner, pointer, properties, &required)
    }

    /// An `anyOf` of objects none of which requires a property (DigitalOcean's page links:
    /// `anyOf: [{last, next}, {first, prev}, {}]`): every object matches every branch, so no
    /// choice of one branch can be right, and the type is one struct with every branch's
    /// properties. `None` when the branches are not all such objects, or define a property
    /// with types no value could have at once; branches that require properties tell values
    /// apart, and stay a union.
    fn merged_any_of<'s>(
        &mut self,
        view: &View<'s>,
        owner: &str,
        pointer: &str,
    ) -> Option<Vec<Field>>
    where
        'a: 's,
    {
        if view.any_of.len() < 2 || !view.one_of.is_empty() || view.data.discriminator.is_some() {
            return None;
        }
        let mut branches = Vec::new();
        for (index, branch) in view.any_of.iter().enumerate() {
            let (schema, branch_pointer) = match branch {
                ReferenceOr::Item(schema) => (
                    schema,
                    pointer_push(&pointer_push(pointer, "anyOf"), &index.to_string()),
                ),
                ReferenceOr::Reference { reference } => self.component_schema(reference)?,
            };
            let branch_view = View::of(schema);
            if !is_plain_object(&branch_view) {
                return None;
            }
            branches.push((branch_view, branch_pointer));
        }
        let mut properties: IndexMap<&'s str, (&'s ReferenceOr<Box<Schema>>, String)> =
            IndexMap::new();
        for (branch_view, branch_pointer) in &branches {
            let mut own = IndexMap::new();
            let mut own_required = Vec::new();
            self.gather(branch_view, branch_pointer, &mut own, &mut own_required, 1);
            if !own_required.is_empty() {
                return None;
            }
            for (key, (schema, at)) in own {
                if let Some((earlier, _)) = properties.get(key)
                    && !self.same_json_type(earlier, schema)
                {
                    return None;
                }
                properties.insert(key, (schema, at));
            }
        }
        Some(self.struct_fields_of(view, owner, pointer, properties, &[]))
    }

    /// Whether one field can stand for a property that two branches define: scalars of one
    /// JSON type, or the same schema (two different objects would need both their shapes).
    fn same_json_type<'s>(
        &self,
        a: &'s ReferenceOr<Box<Schema>>,
        b: &'s ReferenceOr<Box<Schema>>,
    ) -> bool
    where
        'a: 's,
    {
        let typ = |schema| self.target(schema).and_then(|schema| View::of(schema).typ);
        match (typ(a), typ(b)) {
            (Some(x), Some(y)) if is_scalar(x) && is_scalar(y) => compatible(x, y),
            _ => a == b,
        }
    }

    /// A struct's fields from its gathered properties, then the map of any other keys: the
    /// one its `additionalProperties` types, or else the properties the spec does not declare.
    fn struct_fields_of<'s>(
        &mut self,
        view: &View<'s>,
        owner: &str,
        pointer: &str,
        mut properties: IndexMap<&'s str, (&'s ReferenceOr<Box<Schema>>, String)>,
        required: &[String],
    ) -> Vec<Field>
    where
        'a: 's,
    {
        if let Some(tag) = self.tag_properties.get(pointer) {
            properties.shift_remove(tag.as_str());
        }
        let wire_names: Vec<&str> = properties.keys().copied().collect();
        let mut field_names =
            names::claim_exact_first(&mut Namespace::default(), &wire_names, |wire| {
                names::field_name(wire, "field")
            });
        let mut fields = Vec::new();
        for (wire_name, (schema, property_pointer)) in properties {
            let name = field_names.pop_front().unwrap_or_default();
            let hint = format!("{owner}{}", names::type_name(wire_name, "Field"));
            let resolved = self.resolve_boxed(schema, &hint, &property_pointer);
            fields.push(Field {
                name,
                wire_name: wire_name.to_owned(),
                required: required.iter().any(|r| r == wire_name),
                nullable: resolved.nullable,
                boxed: false,
                flatten: false,
                description: resolved.description,
                constraints: resolved.constraints.applicable_to(&resolved.ty),
                deprecated: resolved.deprecated,
                read_only: resolved.read_only,
                write_only: resolved.write_only,
                default: resolved.default,
                pattern: resolved.pattern,
                ty: resolved.ty,
            });
        }
        if let Some(additional) = self.additional_field(view, owner, pointer, &wire_names) {
            fields.push(additional);
        }
        fields
    }

    /// The map of keys beyond the named properties: typed when the schema types them, and
    /// otherwise the keys the server sent that the spec does not declare, kept so that a
    /// value sent back (a read-modify-write) erases nothing. `additionalProperties: false`
    /// says there are none.
    fn additional_field<'s>(
        &mut self,
        view: &View<'s>,
        owner: &str,
        pointer: &str,
        wire_names: &[&str],
    ) -> Option<Field>
    where
        'a: 's,
    {
        let mut taken = Namespace::default();
        for wire in wire_names {
            taken.claim(&names::field_name(wire, "field"));
        }
        let (name, ty, description) = match view.additional {
            Some(AdditionalProperties::Any(false)) => return None,
            Some(additional) => {
                let value = match additional {
                    AdditionalProperties::Schema(schema) => {
                        let at = pointer_push(pointer, "additionalProperties");
                        Resolved::value_type(self.resolve(
                            schema,
                            &format!("{owner}AdditionalProperties"),
                            &at,
                        ))
                    }
                    AdditionalProperties::Any(_) => TypeRef::Primitive(Primitive::Any),
                };
                (
                    "additional_properties",
                    TypeRef::Map(Box::new(value)),
                    "Keys beyond the named properties.",
                )
            }
            None => (
                "unknown_fields",
                TypeRef::Primitive(Primitive::UnknownFields),
                "Properties the spec does not declare: those received, kept in order; all are sent with the rest.",
            ),
        };
        Some(Field {
            name: taken.claim(name),
            wire_name: String::new(),
            ty,
            required: true,
            nullable: false,
            boxed: false,
            flatten: true,
            description: Some(description.to_owned()),
            constraints: Constraints::default(),
            deprecated: false,
            read_only: false,
            write_only: false,
            default: None,
            pattern: None,
        })
    }

    /// Collects the properties of a schema and of everything it `allOf`-includes; a later
    /// definition of a property replaces an earlier one, as the last word in a merge.
    fn gather<'s>(
        &mut self,
        view: &View<'s>,
        pointer: &str,
        properties: &mut IndexMap<&'s str, (&'s ReferenceOr<Box<Schema>>, String)>,
        required: &mut Vec<String>,
        depth: usize,
    ) where
        'a: 's,
    {
        if depth > MAX_DEPTH {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                "`allOf` nesting is too deep or circular",
            ));
            return;
        }
        // The JSON type each member requires, with where: they must agree.
        let mut members: Vec<(&str, String)> = view
            .typ
            .map(|typ| (typ, pointer.to_owned()))
            .into_iter()
            .collect();
        for (index, branch) in view.all_of.iter().enumerate() {
            let branch_pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            let (schema, branch_pointer) = match branch {
                ReferenceOr::Item(schema) => (schema, branch_pointer),
                ReferenceOr::Reference { reference } => {
                    match self.component_schema(reference) {
                        Some(found) => found,
                        None => {
                            self.diagnostics.push(Diagnostic::error(
                            branch_pointer,
                            format!("`$ref: {reference}` does not name a schema in #/components/schemas"),
                        ));
                            continue;
                        }
                    }
                }
            };
            let branch_view = View::of(schema);
            let contradicts = branch_view
                .typ
                .is_some_and(|typ| self.contradicts(&mut members, typ, &branch_pointer));
            if !contradicts
                && branch_view.properties.is_none()
                && branch_view.all_of.is_empty()
                && !is_free_object(&branch_view)
            {
                self.diagnostics.push(Diagnostic::warning(
                    branch_pointer.clone(),
                    "an `allOf` member without properties contributes no fields",
                ));
            }
            self.gather(
                &branch_view,
                &branch_pointer,
                properties,
                required,
                depth + 1,
            );
        }
        if let Some(own) = view.properties {
            let base = pointer_push(pointer, "properties");
            for (key, schema) in own {
                let property_pointer = pointer_push(&base, key);
                if let Some((earlier, earlier_pointer)) = properties.get(key.as_str()) {
                    self.check_redefinition(
                        key,
                        earlier,
                        earlier_pointer,
                        schema,
                        &property_pointer,
                    );
                }
                properties.insert(key.as_str(), (schema, property_pointer));
            }
        }
        required.extend(view.required.iter().cloned());
    }

    /// Whether a member of an `allOf` requires a JSON type that an earlier member's rules
    /// out (reported as an error); the member joins `members` either way.
    fn contradicts<'t>(
        &mut self,
        members: &mut Vec<(&'t str, String)>,
        typ: &'t str,
        pointer: &str,
    ) -> bool {
        let contradicted = members.iter().find(|(other, _)| !compatible(other, typ));
        if let Some((other, other_pointer)) = contradicted {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!(
                    "this `allOf` member requires `{typ}` but #{other_pointer} requires \
                     `{other}`: no value is both"
                ),
            ));
        }
        let contradicts = contradicted.is_some();
        members.push((typ, pointer.to_owned()));
        contradicts
    }

    /// A property that a later `allOf` member defines again must still be able to hold both
    /// definitions at once: `string` in one member and `integer` in another cannot. Specs
    /// that mean it as an override (inheritance-style) are common enough that it is a
    /// warning, and the later definition is used.
    fn check_redefinition<'s>(
        &mut self,
        key: &str,
        earlier: &'s ReferenceOr<Box<Schema>>,
        earlier_pointer: &str,
        later: &'s ReferenceOr<Box<Schema>>,
        later_pointer: &str,
    ) where
        'a: 's,
    {
        let typ = |schema| self.target(schema).and_then(|schema| View::of(schema).typ);
        if let (Some(before), Some(after)) = (typ(earlier), typ(later))
            && !compatible(before, after)
        {
            self.diagnostics.push(Diagnostic::warning(
                later_pointer,
                format!(
                    "property `{key}` is `{after}` here but `{before}` at #{earlier_pointer}; \
                     `allOf` requires both, which no value is: this later definition is used"
                ),
            ));
        }
    }

    /// An `allOf` whose members all describe one scalar type (two string patterns, say, or an
    /// enum and a description): the value is that scalar, typed by the member returned.
    /// Members with `properties` but no `type` do not count: they constrain only objects.
    fn scalar_member<'s>(&self, view: &View<'s>) -> Option<usize>
    where
        'a: 's,
    {
        // An enumeration of its own is a type of its own.
        if view.all_of.len() < 2
            || view.properties.is_some()
            || has_union(view)
            || view.enum_values().next().is_some()
        {
            return None;
        }
        let mut typed = None;
        let mut specific = None;
        let mut typ = view.typ;
        for (index, member) in view.all_of.iter().enumerate() {
            let member_view = View::of(self.target(member)?);
            // `properties` constrain only objects: beside a scalar `type` they say nothing.
            if member_view.typ.is_none() && member_view.properties.is_some() {
                continue;
            }
            if member_view.properties.is_some()
                || member_view.additional.is_some()
                || !member_view.all_of.is_empty()
                || !member_view.any_of.is_empty()
                || !member_view.one_of.is_empty()
                || member_view.negated
            {
                return None;
            }
            if let Some(member_typ) = member_view.typ {
                if typ.is_some_and(|t| !compatible(t, member_typ)) {
                    return None;
                }
                // A value that is both a number and an integer is an integer.
                if typed.is_none() || (member_typ == "integer" && typ == Some("number")) {
                    typed = Some(index);
                }
                typ = Some(member_typ);
            }
            // A named type or an enumeration says more than a bare `type`.
            if (matches!(member, ReferenceOr::Reference { .. }) && member_view.typ.is_some())
                || member_view.enum_values().next().is_some()
            {
                specific.get_or_insert(index);
            }
        }
        match typ {
            Some("string" | "integer" | "number" | "boolean") => specific.or(typed),
            _ => None,
        }
    }

    /// The schema itself, or the one its `$ref` leads to.
    fn target<'s, S: Borrow<Schema>>(&self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema.borrow()),
            ReferenceOr::Reference { reference } => {
                self.component_schema(reference).map(|(schema, _)| schema)
            }
        }
    }

    /// Whether a schema that is not a `$ref` becomes a type of its own, rather than a name
    /// for a primitive, a collection or another type (see `unnamed`).
    fn own_type(&self, view: &View<'_>) -> bool {
        needs_own_type(view) && self.scalar_member(view).is_none()
    }

    /// The schema a `$ref` leads to through any chain of component aliases; `None` for a
    /// missing target or a chain that loops (reported where aliases are checked).
    fn component_schema(&self, reference: &str) -> Option<(&'a Schema, String)> {
        let schemas = &self.document.components.as_ref()?.schemas;
        let mut reference = reference;
        for _ in 0..=schemas.len() {
            let key = super::component_key(reference, "schemas")?;
            match schemas.get(&key)? {
                ReferenceOr::Item(schema) => {
                    return Some((schema, pointer_push("/components/schemas", &key)));
                }
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    fn union<'s>(&mut self, view: &View<'s>, name: &str, pointer: &str) -> TypeKind
    where
        'a: 's,
    {
        let (keyword, branches) = if view.one_of.is_empty() {
            ("anyOf", view.any_of)
        } else {
            ("oneOf", view.one_of)
        };
        let explicit = view.data.discriminator.as_ref();
        let all_refs = branches
            .iter()
            .all(|b| matches!(b, ReferenceOr::Reference { .. }));
        // Without a usable explicit discriminator, the branches may still each fix one
        // property to a value of its own (schemars writes enums with data so): that property
        // is the tag.
        let implied = match explicit {
            Some(_) if all_refs => None,
            _ => self.implied_tags(branches, explicit.map(|d| d.property_name.as_str())),
        };
        let mut variant_names = Namespace::default();
        let mut variants = Vec::new();
        let mut wanted_names = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let branch_pointer = pointer_push(&pointer_push(pointer, keyword), &index.to_string());
            let implied_tag = implied
                .as_ref()
                .and_then(|(property, tags)| Some((property, tags.get(index)?)));
            let inline_tag = implied_tag.filter(|_| matches!(branch, ReferenceOr::Item(_)));
            let label = match inline_tag {
                Some((property, tag)) => {
                    self.tag_properties
                        .insert(branch_pointer.clone(), property.clone());
                    names::type_name(tag, "Variant")
                }
                None => self.branch_label(branches, index),
            };
            let hint = format!("{name}{label}");
            let resolved = self.resolve(branch, &hint, &branch_pointer);
            let built_here = match resolved.ty {
                TypeRef::Named(id) if self.inline_types.get(&branch_pointer) == Some(&id) => {
                    Some(id)
                }
                _ => None,
            };
            // Only a struct built here for this branch leaves its tag out.
            let tag_outside = inline_tag.is_some()
                && built_here.is_some_and(|id| self.struct_fields(id).is_some());
            let (wanted, referenced) = match &resolved.ty {
                TypeRef::Named(_) if built_here.is_some() => (label, false),
                TypeRef::Named(id) => (self.type_name(*id).to_owned(), true),
                other => (variant_name_for(other), false),
            };
            let tags = match (implied_tag, explicit, branch) {
                (Some((_, tag)), _, _) => vec![tag.clone()],
                (None, Some(discriminator), ReferenceOr::Reference { reference }) if all_refs => {
                    discriminator_tags(discriminator, reference)
                }
                _ => Vec::new(),
            };
            wanted_names.push((wanted, referenced));
            variants.push(UnionVariant {
                name: String::new(),
                ty: resolved.ty,
                boxed: false,
                tags,
                tag_outside,
            });
        }
        for (variant, wanted) in variants.iter_mut().zip(shortened(wanted_names)) {
            variant.name = variant_names.claim(&wanted);
        }
        let property = match (explicit, implied) {
            (Some(discriminator), _) if all_refs => Some(discriminator.property_name.clone()),
            (_, Some((property, _))) => Some(property),
            _ => None,
        };
        let discriminator = property.map(|property| Discriminator {
            property,
            other: claim_other(&mut variant_names),
        });
        if explicit.is_some() && discriminator.is_none() {
            self.diagnostics.push(Diagnostic::warning(
                pointer_push(pointer, "discriminator"),
                "a discriminator needs every branch to be a `$ref` or to fix the property to one value; the branches are tried in order instead",
            ));
        }
        TypeKind::Union {
            variants,
            discriminator,
        }
    }

    /// What tells an inline branch apart from the others, to name it by: its `title`, else the
    /// first property no other branch has, else `Empty` for an object without properties.
    fn branch_label<'s>(&self, branches: &'s [ReferenceOr<Schema>], index: usize) -> String
    where
        'a: 's,
    {
        let fallback = || format!("Variant{index}");
        let Some(ReferenceOr::Item(schema)) = branches.get(index) else {
            return fallback();
        };
        if let Some(title) = &schema.schema_data.title {
            return names::type_name(title, "Variant");
        }
        let view = View::of(schema);
        let Some(properties) = view.properties else {
            return if view.typ == Some("object") && view.all_of.is_empty() {
                "Empty".to_owned()
            } else {
                fallback()
            };
        };
        let elsewhere = |key: &str| {
            branches.iter().enumerate().any(|(other, branch)| {
                other != index
                    && self
                        .target(branch)
                        .and_then(|schema| View::of(schema).properties)
                        .is_some_and(|properties| properties.contains_key(key))
            })
        };
        properties
            .keys()
            .find(|key| !elsewhere(key))
            .map_or_else(fallback, |key| names::type_name(key, "Variant"))
    }

    /// The property that every branch requires and fixes to one string value, each branch
    /// its own, with those values in branch order; only `property` is tried when given.
    fn implied_tags<'s>(
        &self,
        branches: &'s [ReferenceOr<Schema>],
        property: Option<&str>,
    ) -> Option<(String, Vec<String>)>
    where
        'a: 's,
    {
        let views: Vec<View<'s>> = branches
            .iter()
            .map(|branch| self.target(branch).map(View::of))
            .collect::<Option<_>>()?;
        if views.len() < 2 {
            return None;
        }
        let candidates: Vec<&str> = match property {
            Some(property) => vec![property],
            None => views
                .first()?
                .properties?
                .keys()
                .map(String::as_str)
                .collect(),
        };
        candidates.into_iter().find_map(|candidate| {
            let tags: Vec<String> = views
                .iter()
                .map(|view| self.fixed_value(view, candidate))
                .collect::<Option<_>>()?;
            let distinct: std::collections::HashSet<&String> = tags.iter().collect();
            (distinct.len() == tags.len()).then(|| (candidate.to_owned(), tags))
        })
    }

    /// The one string value a required property of `view` may take.
    fn fixed_value<'s>(&self, view: &View<'s>, property: &str) -> Option<String>
    where
        'a: 's,
    {
        if !view.required.iter().any(|r| r == property) {
            return None;
        }
        let view = View::of(self.target(view.properties?.get(property)?)?);
        let mut values = view.enum_values();
        match (values.next(), values.next()) {
            (Some(Value::String(value)), None) => Some(value.clone()),
            _ => None,
        }
    }

    /// A string or integer enumeration. Variant names come from `x-enum-varnames` (or
    /// `x-enumNames`) when the spec gives one name per value, else from the values.
    fn enumeration<'s>(&mut self, view: &View<'s>) -> TypeKind
    where
        'a: 's,
    {
        let integer = view.enum_values().all(|v| v.as_i64().is_some());
        let given: Vec<&str> = ["x-enum-varnames", "x-enumNames"]
            .iter()
            .find_map(|key| view.data.extensions.get(*key)?.as_array())
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let values: Vec<String> = view
            .enum_values()
            .filter_map(|v| match v {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) if integer => Some(number.to_string()),
                _ => None,
            })
            .collect();
        let use_given = given.len() == values.len();
        let mut variant_names = Namespace::default();
        let mut seen = std::collections::HashSet::new();
        let mut variants = Vec::new();
        for (index, wire_value) in values.into_iter().enumerate() {
            if !seen.insert(wire_value.clone()) {
                continue;
            }
            let source = if use_given {
                given.get(index).copied().unwrap_or_default()
            } else {
                wire_value.as_str()
            };
            let fallback = if wire_value.is_empty() {
                "Empty"
            } else {
                "Value"
            };
            variants.push(EnumVariant {
                name: variant_names.claim(&names::type_name(source, fallback)),
                wire_value,
                description: None,
            });
        }
        let other = claim_other(&mut variant_names);
        TypeKind::Enum {
            variants,
            other,
            integer,
        }
    }
}

/// `oneOf: [{const: 1, title: JOIN}, {const: 2, title: SPECTATE}]`: an enumeration written
/// as a union of single values (the `const` became a one-value `enum` when loading), with
/// each value's `title` as its name.
fn const_union(view: &View<'_>) -> Option<TypeKind> {
    let branches = if view.one_of.is_empty() {
        view.any_of
    } else {
        view.one_of
    };
    let mut values = Vec::new();
    for branch in branches {
        let ReferenceOr::Item(schema) = branch else {
            return None;
        };
        let branch_view = View::of(schema);
        let mut single = branch_view.enum_values();
        let (Some(value), None) = (single.next(), single.next()) else {
            return None;
        };
        values.push((value.clone(), schema.schema_data.title.clone()));
    }
    let integer = values.iter().all(|(v, _)| v.as_i64().is_some());
    if !integer && !values.iter().all(|(v, _)| v.is_string()) {
        return None;
    }
    let mut variant_names = Namespace::default();
    let mut seen = std::collections::HashSet::new();
    let mut variants = Vec::new();
    for (value, title) in values {
        let wire_value = match &value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if !seen.insert(wire_value.clone()) {
            continue;
        }
        let source = title.unwrap_or_else(|| wire_value.clone());
        variants.push(EnumVariant {
            name: variant_names.claim(&names::type_name(&source, "Value")),
            wire_value,
            description: None,
        });
    }
    let other = claim_other(&mut variant_names);
    Some(TypeKind::Enum {
        variants,
        other,
        integer,
    })
}

/// A union's variant names, each `(name, named after the type it holds)`: those named after
/// their types lose what all of them share (`Contract::PlanBased`, not
/// `Contract::CheckoutContractSchemaPlanBased`), unless a shortened name would clash with
/// another variant's, which then keep the types' names.
fn shortened(wanted: Vec<(String, bool)>) -> Vec<String> {
    let referenced: Vec<&str> = wanted
        .iter()
        .filter(|(_, referenced)| *referenced)
        .map(|(name, _)| name.as_str())
        .collect();
    let parts = names::distinct_parts(&referenced).filter(|parts| {
        parts.iter().all(|part| {
            !wanted
                .iter()
                .any(|(name, referenced)| !referenced && name == part)
        })
    });
    let Some(parts) = parts else {
        return wanted.into_iter().map(|(name, _)| name).collect();
    };
    let mut parts = parts.into_iter();
    wanted
        .into_iter()
        .map(|(name, referenced)| match referenced {
            true => parts.next().unwrap_or(name),
            false => name,
        })
        .collect()
}

/// The name of the variant that keeps values no other variant knows: `Unknown`, unless a
/// known value took that name.
fn claim_other(variant_names: &mut Namespace) -> String {
    variant_names.claim(if variant_names.is_taken("Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    })
}

/// The discriminator values that select the schema at `reference`: the mapping's keys that
/// point to it (as a `$ref` or by component name), or else its component name (the implicit
/// mapping).
fn discriminator_tags(discriminator: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let component = super::component_key(reference, "schemas")
        .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_owned());
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| target.as_str() == reference || **target == component)
        .map(|(value, _)| value.clone())
        .collect();
    if mapped.is_empty() {
        vec![component]
    } else {
        mapped
    }
}

/// The `$ref` that names a component schema.
fn component_reference(key: &str) -> String {
    format!(
        "#/components/schemas/{}",
        key.replace('~', "~0").replace('/', "~1")
    )
}

/// A 3.1 `examples` array (kept by loading), or else the single `example`.
fn schema_examples(data: &openapiv3::SchemaData) -> Vec<Value> {
    match data.extensions.get(crate::load::EXAMPLES_EXTENSION) {
        Some(Value::Array(examples)) => examples.clone(),
        _ => data.example.iter().cloned().collect(),
    }
}

impl Resolved {
    /// The type of a value that stands alone (a list item, a map value, a response body),
    /// which holds `null` when its schema allows it (a free-form value already does). A field
    /// says the same with `Field::nullable` instead.
    pub fn value_type(self) -> TypeRef {
        if self.nullable && self.ty != TypeRef::Primitive(Primitive::Any) {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

fn plain(ty: TypeRef) -> Resolved {
    Resolved {
        ty,
        nullable: false,
        constraints: Constraints::default(),
        description: None,
        deprecated: false,
        read_only: false,
        write_only: false,
        default: None,
        pattern: None,
    }
}

/// Whether a value of JSON type `a` can also be of type `b`.
fn compatible(a: &str, b: &str) -> bool {
    a == b || matches!((a, b), ("integer", "number") | ("number", "integer"))
}

/// An object schema whose properties a merged struct can hold: no union, enumeration, `not`
/// or typed map of its own (an empty schema counts, as DigitalOcean's `{}` branch means it).
fn is_plain_object(view: &View<'_>) -> bool {
    view.typ.is_none_or(|typ| typ == "object")
        && !has_union(view)
        && view.enum_values().next().is_none()
        && !view.negated
        && !matches!(view.additional, Some(AdditionalProperties::Schema(_)))
        && (view.properties.is_some()
            || !view.all_of.is_empty()
            || view.typ == Some("object")
            || (view.typ.is_none() && view.additional.is_none() && view.items.is_none()))
}

fn is_scalar(typ: &str) -> bool {
    matches!(typ, "string" | "integer" | "number" | "boolean")
}

fn has_union(view: &View<'_>) -> bool {
    view.one_of.len() > 1 || view.any_of.len() > 1
}

/// A `oneOf` or `anyOf` of several shapes with nothing beside it that makes it a struct.
fn is_bare_union(view: &View<'_>) -> bool {
    has_union(view) && view.properties.is_none() && view.all_of.is_empty()
}

fn is_free_object(view: &View<'_>) -> bool {
    view.typ == Some("object") || view.additional.is_some()
}

/// `allOf: [X]` with nothing else beside it but annotations, or a one-branch `anyOf`/`oneOf`.
fn single_branch<'s>(view: &View<'s>) -> Option<(&'static str, &'s [ReferenceOr<Schema>])> {
    if view.properties.is_some() {
        return None;
    }
    [
        ("allOf", view.all_of),
        ("anyOf", view.any_of),
        ("oneOf", view.one_of),
    ]
    .into_iter()
    .find(|(_, branches)| branches.len() == 1)
}

/// Objects with properties, merges, unions of several shapes and string enums are types of
/// their own; everything else maps onto a primitive, a collection or another type.
fn needs_own_type(view: &View<'_>) -> bool {
    if single_branch(view).is_some() && view.all_of.len() <= 1 && !has_union(view) {
        return false;
    }
    view.properties.is_some()
        || view.all_of.len() > 1
        || has_union(view)
        || (view.typ.is_none_or(|t| t == "string")
            && view.enum_values().next().is_some()
            && view.enum_values().all(Value::is_string))
        || (view.typ.is_none_or(|t| t == "integer")
            && view.enum_values().next().is_some()
            && view.enum_values().all(|v| v.as_i64().is_some()))
}

fn variant_name_for(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(_) => "Named".to_owned(),
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String => "String",
            Primitive::Integer => "Integer",
            Primitive::Number => "Number",
            Primitive::Decimal | Primitive::DecimalNumber => "Decimal",
            Primitive::Boolean => "Boolean",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
            Primitive::Base64 => "Base64",
            Primitive::File => "File",
            Primitive::Any | Primitive::UnknownFields => "Value",
            Primitive::Bytes => "Bytes",
        }
        .to_owned(),
        TypeRef::Array(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Object".to_owned(),
        TypeRef::Nullable(inner) => variant_name_for(inner),
    }
}
