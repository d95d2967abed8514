//! One flat view of a schema, whatever shape `openapiv3` parsed it into.
//!
//! `openapiv3` splits schemas into typed variants and an "any" catch-all for mixed keywords;
//! the model only needs to ask "which keywords are present", so both become a [`View`].

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::{Bound, Constraints};

pub struct View<'s> {
    pub data: &'s SchemaData,
    pub typ: Option<&'s str>,
    pub format: Option<String>,
    pub properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub enumeration: Vec<Value>,
    pub all_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub one_of: &'s [ReferenceOr<Schema>],
    pub constraints: Constraints,
    /// A string's `pattern`: documented, not checked (specs write ECMA regexes, which Rust's
    /// regex engines read differently, and a client must not refuse what the server accepts).
    pub pattern: Option<&'s str>,
    /// A `not` schema: it says what a value is not, which no type can express.
    pub negated: bool,
}

impl<'s> View<'s> {
    pub fn of(schema: &'s Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            enumeration: Vec::new(),
            all_of: &[],
            any_of: &[],
            one_of: &[],
            constraints: Constraints::default(),
            pattern: None,
            negated: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(typ) => view.typed(typ),
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.negated = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.clone();
                view.properties = Some(&any.properties).filter(|p| !p.is_empty());
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.enumeration = any.enumeration.clone();
                view.all_of = &any.all_of;
                view.any_of = &any.any_of;
                view.one_of = &any.one_of;
                view.negated = any.not.is_some();
                view.pattern = any.pattern.as_deref();
                view.constraints = Constraints {
                    min_length: any.min_length,
                    max_length: any.max_length,
                    minimum: bound(any.minimum, any.exclusive_minimum.unwrap_or(false)),
                    maximum: bound(any.maximum, any.exclusive_maximum.unwrap_or(false)),
                    min_items: any.min_items,
                    max_items: any.max_items,
                };
            }
        }
        view
    }

    fn typed(&mut self, typ: &'s Type) {
        match typ {
            Type::String(s) => {
                self.typ = Some("string");
                self.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                self.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| Value::from(v.clone()))
                    .collect();
                self.constraints.min_length = s.min_length;
                self.pattern = s.pattern.as_deref();
                self.constraints.max_length = s.max_length;
            }
            Type::Number(n) => {
                self.typ = Some("number");
                self.format = format_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                self.enumeration = n.enumeration.iter().map(|v| Value::from(*v)).collect();
                self.constraints.minimum = bound(n.minimum, n.exclusive_minimum);
                self.constraints.maximum = bound(n.maximum, n.exclusive_maximum);
            }
            Type::Integer(i) => {
                self.typ = Some("integer");
                self.format = format_name(&i.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                self.enumeration = i.enumeration.iter().map(|v| Value::from(*v)).collect();
                self.constraints.minimum = bound(i.minimum.map(|v| v as f64), i.exclusive_minimum);
                self.constraints.maximum = bound(i.maximum.map(|v| v as f64), i.exclusive_maximum);
            }
            Type::Boolean(b) => {
                self.typ = Some("boolean");
                self.enumeration = b.enumeration.iter().map(|v| Value::from(*v)).collect();
            }
            Type::Object(o) => {
                self.typ = Some("object");
                self.properties = Some(&o.properties).filter(|p| !p.is_empty());
                self.required = &o.required;
                self.additional = o.additional_properties.as_ref();
            }
            Type::Array(a) => {
                self.typ = Some("array");
                self.items = a.items.as_ref();
                self.constraints.min_items = a.min_items;
                self.constraints.max_items = a.max_items;
            }
        }
    }

    /// `null` listed among the enum values is the 3.0 way of saying "nullable"; so is an
    /// `anyOf` or `oneOf` branch that admits `null`, as Microsoft Graph writes "X or null":
    /// `anyOf: [{$ref: X}, {type: object, nullable: true}]`.
    pub fn nullable(&self) -> bool {
        self.data.nullable
            || self.enumeration.iter().any(Value::is_null)
            || self.any_of.iter().chain(self.one_of).any(
                |branch| matches!(branch, ReferenceOr::Item(schema) if View::of(schema).nullable()),
            )
    }

    pub fn enum_values(&self) -> impl Iterator<Item = &Value> {
        self.enumeration.iter().filter(|v| !v.is_null())
    }
}

fn bound(value: Option<f64>, exclusive: bool) -> Option<Bound> {
    value.map(|value| Bound { value, exclusive })
}

fn format_name<T>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
