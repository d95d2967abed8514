//! `Value` to `openapiv3::Schema` without serde's buffering, for `components.schemas`, the bulk
//! of a large document.
//!
//! `openapiv3` reads a schema through two flattened structs and an untagged `ReferenceOr`, so
//! serde copies every subtree into its private `Content` once for each level it is nested in:
//! reading GitHub's schemas that way costs more than parsing the whole file. This reader follows
//! `openapiv3`'s own `Deserialize` rule for rule (which fields pick which `SchemaKind`, `null` as
//! an absent field, `x-` keys as extensions). Any schema with a field in a form it does not read
//! is handed to that `Deserialize`, so the result is always the one `openapiv3` gives, errors
//! included; the tests compare the two on every form the rules distinguish.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Discriminator, ExternalDocumentation,
    IntegerType, NumberType, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind, StringType,
    Type,
};
use serde::Deserialize as _;
use serde_json::{Map, Number, Value};

/// Reads each schema of `schemas`, in order, freeing each once read; `None` if any does not fit
/// `openapiv3`'s types.
pub fn read_all(schemas: Map<String, Value>) -> Option<IndexMap<String, ReferenceOr<Schema>>> {
    let mut read_schemas = IndexMap::with_capacity(schemas.len());
    for (name, schema) in schemas {
        read_schemas.insert(name, read(&schema)?);
    }
    Some(read_schemas)
}

/// A schema or a reference to one, as `ReferenceOr::<Schema>::deserialize` reads it.
fn read(value: &Value) -> Option<ReferenceOr<Schema>> {
    read_directly(value).or_else(|| ReferenceOr::deserialize(value).ok())
}

/// `None` where `value` has a field in a form this reader leaves to serde.
fn read_directly(value: &Value) -> Option<ReferenceOr<Schema>> {
    let entries = Entries::of(value.as_object()?);
    match entries.get(Key::Ref) {
        Some(Value::String(reference)) => {
            return Some(ReferenceOr::Reference {
                reference: reference.clone(),
            });
        }
        // Not a reference; serde would go on to read the object as a schema that ignores `$ref`.
        Some(_) => return None,
        None => {}
    }
    Some(ReferenceOr::Item(Schema {
        schema_data: schema_data(&entries)?,
        schema_kind: schema_kind(&entries)?,
    }))
}

fn boxed(value: &Value) -> Option<ReferenceOr<Box<Schema>>> {
    Some(match read(value)? {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    })
}

/// The keys `openapiv3` reads in a schema object. The first 24 are those it weighs in choosing
/// a schema's kind; a set of them is a `u32` with bit `1 << key` for each.
#[derive(Clone, Copy)]
enum Key {
    Type,
    Pattern,
    MultipleOf,
    ExclusiveMinimum,
    ExclusiveMaximum,
    Minimum,
    Maximum,
    Properties,
    Required,
    AdditionalProperties,
    MinProperties,
    MaxProperties,
    Items,
    MinItems,
    MaxItems,
    UniqueItems,
    Enum,
    Format,
    MinLength,
    MaxLength,
    OneOf,
    AllOf,
    AnyOf,
    Not,
    Ref,
    Nullable,
    ReadOnly,
    WriteOnly,
    Deprecated,
    ExternalDocs,
    Example,
    Title,
    Description,
    Discriminator,
    Default,
}

const KEYS: usize = Key::Default as usize + 1;
const _: () = assert!((Key::Not as u32) < u32::BITS);

impl Key {
    fn of(name: &str) -> Option<Key> {
        Some(match name {
            "type" => Key::Type,
            "pattern" => Key::Pattern,
            "multipleOf" => Key::MultipleOf,
            "exclusiveMinimum" => Key::ExclusiveMinimum,
            "exclusiveMaximum" => Key::ExclusiveMaximum,
            "minimum" => Key::Minimum,
            "maximum" => Key::Maximum,
            "properties" => Key::Properties,
            "required" => Key::Required,
            "additionalProperties" => Key::AdditionalProperties,
            "minProperties" => Key::MinProperties,
            "maxProperties" => Key::MaxProperties,
            "items" => Key::Items,
            "minItems" => Key::MinItems,
            "maxItems" => Key::MaxItems,
            "uniqueItems" => Key::UniqueItems,
            "enum" => Key::Enum,
            "format" => Key::Format,
            "minLength" => Key::MinLength,
            "maxLength" => Key::MaxLength,
            "oneOf" => Key::OneOf,
            "allOf" => Key::AllOf,
            "anyOf" => Key::AnyOf,
            "not" => Key::Not,
            "$ref" => Key::Ref,
            "nullable" => Key::Nullable,
            "readOnly" => Key::ReadOnly,
            "writeOnly" => Key::WriteOnly,
            "deprecated" => Key::Deprecated,
            "externalDocs" => Key::ExternalDocs,
            "example" => Key::Example,
            "title" => Key::Title,
            "description" => Key::Description,
            "discriminator" => Key::Discriminator,
            "default" => Key::Default,
            _ => return None,
        })
    }

    /// Only for the keys that choose a kind, up to `Not`: the others have no bit.
    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

const fn set(keys: &[Key]) -> u32 {
    let mut bits = 0;
    let mut index = 0;
    while index < keys.len() {
        bits |= keys[index].bit();
        index += 1;
    }
    bits
}

const NUMERIC: u32 = set(&[
    Key::Type,
    Key::MultipleOf,
    Key::ExclusiveMinimum,
    Key::ExclusiveMaximum,
    Key::Minimum,
    Key::Maximum,
    Key::Enum,
    Key::Format,
]);
const STRING: u32 = set(&[
    Key::Type,
    Key::Pattern,
    Key::Enum,
    Key::Format,
    Key::MinLength,
    Key::MaxLength,
]);
const BOOLEAN: u32 = set(&[Key::Type, Key::Enum]);
const OBJECT: u32 = set(&[
    Key::Type,
    Key::Properties,
    Key::Required,
    Key::AdditionalProperties,
    Key::MinProperties,
    Key::MaxProperties,
]);
const ARRAY: u32 = set(&[
    Key::Type,
    Key::Items,
    Key::MinItems,
    Key::MaxItems,
    Key::UniqueItems,
]);

/// A schema object's entries by key, found in one pass: looking each key up would hash it
/// again (the document's maps use `std`'s SipHash), which costs more than reading the schema.
struct Entries<'a> {
    by_key: [Option<&'a Value>; KEYS],
    extensions: Vec<(&'a String, &'a Value)>,
}

impl<'a> Entries<'a> {
    fn of(map: &'a Map<String, Value>) -> Self {
        let mut entries = Entries {
            by_key: [None; KEYS],
            extensions: Vec::new(),
        };
        for (name, value) in map {
            match Key::of(name) {
                Some(key) => entries.by_key[key as usize] = Some(value),
                None if name.starts_with("x-") => entries.extensions.push((name, value)),
                None => {}
            }
        }
        entries
    }

    fn get(&self, key: Key) -> Option<&'a Value> {
        self.by_key[key as usize]
    }

    /// A field's value: `Some(None)` when it is absent or `null` (serde reads both as `None`),
    /// `None` when it is of another form.
    fn field<T>(&self, key: Key, read: impl FnOnce(&'a Value) -> Option<T>) -> Option<Option<T>> {
        match self.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(value) => read(value).map(Some),
        }
    }

    /// A flag `openapiv3` defaults to `false`: serde refuses `null` for it.
    fn flag(&self, key: Key) -> Option<bool> {
        self.get(key).map_or(Some(false), Value::as_bool)
    }
}

fn string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn size(value: &Value) -> Option<usize> {
    value.as_u64()?.try_into().ok()
}

fn number(value: &Value) -> Option<Number> {
    value.as_number().cloned()
}

fn schemas(value: &Value) -> Option<Vec<ReferenceOr<Schema>>> {
    each(value.as_array()?, read)
}

/// `read` of each value, in a vector sized to their count: collecting through `Option` would
/// grow it by doubling, and a large document holds hundreds of thousands of these.
fn each<T>(values: &[Value], read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    let mut read_values = Vec::with_capacity(values.len());
    for value in values {
        read_values.push(read(value)?);
    }
    Some(read_values)
}

/// Nested objects that are read the same way in and out of a buffer: serde reads them.
fn deserialized<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

fn schema_data(entries: &Entries<'_>) -> Option<SchemaData> {
    Some(SchemaData {
        nullable: entries.flag(Key::Nullable)?,
        read_only: entries.flag(Key::ReadOnly)?,
        write_only: entries.flag(Key::WriteOnly)?,
        deprecated: entries.flag(Key::Deprecated)?,
        external_docs: entries.field(Key::ExternalDocs, deserialized::<ExternalDocumentation>)?,
        example: entries.field(Key::Example, |value| Some(value.clone()))?,
        title: entries.field(Key::Title, string)?,
        description: entries.field(Key::Description, string)?,
        discriminator: entries.field(Key::Discriminator, deserialized::<Discriminator>)?,
        default: entries.field(Key::Default, |value| Some(value.clone()))?,
        extensions: entries
            .extensions
            .iter()
            .map(|&(name, value)| (name.clone(), value.clone()))
            .collect(),
    })
}

/// What `openapiv3`'s `SchemaKind` deserializer collects before choosing a kind.
struct Fields {
    present: u32,
    any: AnySchema,
    /// The numbers as written, since `integer` takes them only if they are integers.
    multiple_of: Option<Number>,
    minimum: Option<Number>,
    maximum: Option<Number>,
}

impl Fields {
    fn read(entries: &Entries<'_>) -> Option<Fields> {
        let mut present = 0;
        macro_rules! read {
            ($key:ident, $read:expr) => {{
                let value = entries.field(Key::$key, $read)?;
                if value.is_some() {
                    present |= Key::$key.bit();
                }
                value
            }};
        }
        let typ = read!(Type, string);
        let pattern = read!(Pattern, string);
        let multiple_of = read!(MultipleOf, number);
        let exclusive_minimum = read!(ExclusiveMinimum, Value::as_bool);
        let exclusive_maximum = read!(ExclusiveMaximum, Value::as_bool);
        let minimum = read!(Minimum, number);
        let maximum = read!(Maximum, number);
        let properties = read!(Properties, |value: &Value| {
            let value = value.as_object()?;
            let mut properties = IndexMap::with_capacity(value.len());
            for (name, schema) in value {
                properties.insert(name.clone(), boxed(schema)?);
            }
            Some(properties)
        });
        let required = read!(Required, |value: &Value| each(value.as_array()?, string));
        let additional_properties = read!(AdditionalProperties, |value: &Value| match value {
            Value::Bool(allowed) => Some(AdditionalProperties::Any(*allowed)),
            Value::Object(_) => Some(AdditionalProperties::Schema(Box::new(read(value)?))),
            _ => None,
        });
        let min_properties = read!(MinProperties, size);
        let max_properties = read!(MaxProperties, size);
        let items = read!(Items, boxed);
        let min_items = read!(MinItems, size);
        let max_items = read!(MaxItems, size);
        let unique_items = read!(UniqueItems, Value::as_bool);
        let enumeration = read!(Enum, |value: &Value| value.as_array().cloned());
        let format = read!(Format, string);
        let min_length = read!(MinLength, size);
        let max_length = read!(MaxLength, size);
        let one_of = read!(OneOf, schemas);
        let all_of = read!(AllOf, schemas);
        let any_of = read!(AnyOf, schemas);
        let not = read!(Not, |value: &Value| read(value).map(Box::new));
        Some(Fields {
            present,
            any: AnySchema {
                typ,
                pattern,
                multiple_of: multiple_of.as_ref().and_then(Number::as_f64),
                exclusive_minimum,
                exclusive_maximum,
                minimum: minimum.as_ref().and_then(Number::as_f64),
                maximum: maximum.as_ref().and_then(Number::as_f64),
                properties: properties.unwrap_or_default(),
                required: required.unwrap_or_default(),
                additional_properties,
                min_properties,
                max_properties,
                items,
                min_items,
                max_items,
                unique_items,
                enumeration: enumeration.unwrap_or_default(),
                format,
                min_length,
                max_length,
                one_of: one_of.unwrap_or_default(),
                all_of: all_of.unwrap_or_default(),
                any_of: any_of.unwrap_or_default(),
                not,
            },
            multiple_of,
            minimum,
            maximum,
        })
    }

    /// Whether only `keys` (or fewer) are present, with `type` equal to `typ`.
    fn only(&self, typ: &str, keys: u32) -> bool {
        self.present & !keys == 0 && self.any.typ.as_deref() == Some(typ)
    }

    /// Whether the enumeration's values, `null` aside, are all of one form.
    fn enumerates(&self, form: impl Fn(&Value) -> bool) -> bool {
        self.any
            .enumeration
            .iter()
            .all(|value| value.is_null() || form(value))
    }

    /// The enumeration, `null` as `None` and every other value in the form it was checked for.
    fn enumerated<T>(&mut self, convert: impl Fn(&Value) -> Option<T>) -> Option<Vec<Option<T>>> {
        each(
            &std::mem::take(&mut self.any.enumeration),
            |value| match value {
                Value::Null => Some(None),
                value => convert(value).map(Some),
            },
        )
    }
}

/// The kind `openapiv3` chooses: the first of its rules whose fields are the only ones present.
fn schema_kind(entries: &Entries<'_>) -> Option<SchemaKind> {
    let mut fields = Fields::read(entries)?;
    let present = fields.present;
    let integral = |number: &Option<Number>| number.as_ref().is_none_or(Number::is_i64);
    let kind = if fields.only("string", STRING) && fields.enumerates(Value::is_string) {
        SchemaKind::Type(Type::String(StringType {
            enumeration: fields.enumerated(string)?,
            format: fields.any.format.into(),
            pattern: fields.any.pattern,
            min_length: fields.any.min_length,
            max_length: fields.any.max_length,
        }))
    } else if fields.only("number", NUMERIC) && fields.enumerates(Value::is_number) {
        SchemaKind::Type(Type::Number(NumberType {
            enumeration: fields.enumerated(Value::as_f64)?,
            format: fields.any.format.into(),
            multiple_of: fields.any.multiple_of,
            exclusive_minimum: fields.any.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: fields.any.exclusive_maximum.unwrap_or_default(),
            minimum: fields.any.minimum,
            maximum: fields.any.maximum,
        }))
    } else if fields.only("integer", NUMERIC)
        && fields.enumerates(Value::is_i64)
        && integral(&fields.multiple_of)
        && integral(&fields.minimum)
        && integral(&fields.maximum)
    {
        SchemaKind::Type(Type::Integer(IntegerType {
            enumeration: fields.enumerated(Value::as_i64)?,
            format: fields.any.format.into(),
            multiple_of: fields.multiple_of.as_ref().and_then(Number::as_i64),
            exclusive_minimum: fields.any.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: fields.any.exclusive_maximum.unwrap_or_default(),
            minimum: fields.minimum.as_ref().and_then(Number::as_i64),
            maximum: fields.maximum.as_ref().and_then(Number::as_i64),
        }))
    } else if fields.only("boolean", BOOLEAN) && fields.enumerates(Value::is_boolean) {
        SchemaKind::Type(Type::Boolean(BooleanType {
            enumeration: fields.enumerated(Value::as_bool)?,
        }))
    } else if fields.only("object", OBJECT) {
        SchemaKind::Type(Type::Object(ObjectType {
            properties: fields.any.properties,
            required: fields.any.required,
            additional_properties: fields.any.additional_properties,
            min_properties: fields.any.min_properties,
            max_properties: fields.any.max_properties,
        }))
    } else if fields.only("array", ARRAY) {
        SchemaKind::Type(Type::Array(ArrayType {
            items: fields.any.items,
            min_items: fields.any.min_items,
            max_items: fields.any.max_items,
            unique_items: fields.any.unique_items.unwrap_or_default(),
        }))
    } else if present == Key::OneOf.bit() {
        SchemaKind::OneOf {
            one_of: fields.any.one_of,
        }
    } else if present == Key::AllOf.bit() {
        SchemaKind::AllOf {
            all_of: fields.any.all_of,
        }
    } else if present == Key::AnyOf.bit() {
        SchemaKind::AnyOf {
            any_of: fields.any.any_of,
        }
    } else if present == Key::Not.bit() {
        SchemaKind::Not {
            not: fields.any.not.take()?,
        }
    } else {
        SchemaKind::Any(fields.any)
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn by_serde(value: &Value) -> Option<ReferenceOr<Schema>> {
        ReferenceOr::deserialize(value).ok()
    }

    /// Equal, maps' order included (`IndexMap`'s `==` ignores it; properties come out in it).
    fn assert_same(read: &Option<ReferenceOr<Schema>>, case: &Value) {
        assert_eq!(
            format!("{read:#?}"),
            format!("{:#?}", by_serde(case)),
            "{case}"
        );
    }

    /// One case of each rule, each read directly, not by falling back to serde.
    #[test]
    fn each_kind_is_read_directly_as_serde_reads_it() {
        let cases = [
            json!({"$ref": "#/components/schemas/A", "type": "string"}),
            json!({"type": "string", "format": "date-time", "pattern": "^a", "minLength": 1,
                   "enum": ["a", null], "nullable": true, "x-go": {"a": [1]}, "x": 1}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"type": "number", "minimum": 1, "maximum": 2.5, "multipleOf": 0.5,
                   "exclusiveMinimum": true, "enum": [1.5, null], "format": "float"}),
            json!({"type": "integer", "minimum": -3, "maximum": 9, "format": "int64",
                   "enum": [1, 2]}),
            json!({"type": "integer", "minimum": 1.5}),
            json!({"type": "integer", "enum": [18446744073709551615u64]}),
            json!({"type": "boolean", "enum": [true]}),
            json!({"type": "boolean", "format": "x"}),
            json!({"type": "object", "properties": {"a": {"type": "string"},
                   "b": {"$ref": "#/b"}}, "required": ["a"], "additionalProperties": false,
                   "minProperties": 1, "discriminator": {"propertyName": "a"}}),
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            json!({"type": "object", "oneOf": [{"required": ["a"]}]}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true,
                   "maxItems": 3}),
            json!({"oneOf": [{"type": "string"}, {"$ref": "#/a"}]}),
            json!({"allOf": [{"$ref": "#/a"}], "description": "d", "default": {"a": 1}}),
            json!({"anyOf": [{}], "readOnly": true, "example": [1]}),
            json!({"not": {"type": "string"}}),
            json!({"not": {"type": "string"}, "title": "t"}),
            json!({"not": {}, "oneOf": []}),
            json!({"type": "thing", "enum": [{}], "externalDocs": {"url": "u"}}),
            json!({"format": null, "items": null, "example": null, "default": null}),
            json!({}),
        ];
        for case in cases {
            let direct = read_directly(&case);
            assert!(direct.is_some(), "{case}");
            assert_same(&direct, &case);
        }
    }

    /// Fields in forms the rules do not read go to serde, which refuses or reads them.
    #[test]
    fn other_forms_are_left_to_serde() {
        let cases = [
            json!({"$ref": 5, "type": "string"}),
            json!({"nullable": null}),
            json!({"type": ["string", "null"]}),
            json!({"minLength": -1}),
            json!({"minLength": 1.0}),
            json!({"required": "a"}),
            json!({"items": [{"type": "string"}]}),
            json!({"properties": {"a": 5}}),
            json!({"discriminator": {"mapping": {}}}),
            json!(true),
        ];
        for case in cases {
            assert_eq!(read_directly(&case), None, "{case}");
            assert_same(&read(&case), &case);
        }
    }

    /// A small deterministic generator of schema-like values: every key `openapiv3` reads, with
    /// values of every JSON form, nested.
    struct Cases(u64);

    impl Cases {
        fn next(&mut self, bound: u64) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
        }

        fn pick<T: Clone>(&mut self, choices: &[T]) -> T {
            choices[self.next(choices.len() as u64) as usize].clone()
        }

        fn value(&mut self, depth: u32) -> Value {
            match self.next(if depth == 0 { 7 } else { 10 }) {
                0 => Value::Null,
                1 => json!(self.next(2) == 1),
                2 => json!(self.pick(&[0i64, 1, 3, -2, i64::MIN])),
                3 => json!(self.pick(&[0.5f64, 1.0, -7.25])),
                4 => json!(u64::MAX),
                5 | 6 => json!(self.pick(&[
                    "string", "number", "integer", "boolean", "object", "array", "date", "int32",
                    "float", "#/a", "x"
                ])),
                7 => Value::Array((0..self.next(3)).map(|_| self.value(depth - 1)).collect()),
                8 => Value::Array((0..self.next(3)).map(|_| self.schema(depth - 1)).collect()),
                _ => self.schema(depth - 1),
            }
        }

        /// A value of the form `openapiv3` reads for `key`, or at times any value at all.
        fn field(&mut self, key: &str, depth: u32) -> Value {
            if self.next(4) == 0 {
                return self.value(depth);
            }
            let nested = depth.saturating_sub(1);
            match key {
                "type" => {
                    json!(self.pick(&["string", "number", "integer", "boolean", "object", "array"]))
                }
                "format" => json!(self.pick(&["date-time", "int32", "float", "x"])),
                "pattern" | "title" | "description" | "$ref" => json!("#/a"),
                "multipleOf" | "minimum" | "maximum" => {
                    let numbers = [json!(0), json!(-2), json!(1.5), json!(u64::MAX)];
                    self.pick(&numbers)
                }
                "minProperties" | "maxProperties" | "minItems" | "maxItems" | "minLength"
                | "maxLength" => json!(self.next(3)),
                "properties" => json!({"a": self.schema(nested), "b": self.schema(nested)}),
                "required" => json!(["a"]),
                "additionalProperties" if self.next(2) == 0 => json!(self.next(2) == 1),
                "additionalProperties" | "items" | "not" => self.schema(nested),
                "enum" => {
                    let values = [
                        json!(null),
                        json!("a"),
                        json!(1),
                        json!(-1),
                        json!(2.5),
                        json!(true),
                        json!(u64::MAX),
                    ];
                    let first = self.pick(&values);
                    match self.next(3) {
                        0 => json!([first]),
                        1 => json!([first, first]),
                        _ => json!([first, self.pick(&values)]),
                    }
                }
                "oneOf" | "allOf" | "anyOf" => {
                    Value::Array((0..self.next(3)).map(|_| self.schema(nested)).collect())
                }
                "externalDocs" => json!({"url": "u"}),
                "discriminator" => json!({"propertyName": "a"}),
                "example" | "default" | "x-a" | "other" => self.value(depth),
                _ => json!(self.next(2) == 1),
            }
        }

        fn schema(&mut self, depth: u32) -> Value {
            const KINDS: [&str; 24] = [
                "type",
                "pattern",
                "multipleOf",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "minimum",
                "maximum",
                "properties",
                "required",
                "additionalProperties",
                "minProperties",
                "maxProperties",
                "items",
                "minItems",
                "maxItems",
                "uniqueItems",
                "enum",
                "format",
                "minLength",
                "maxLength",
                "oneOf",
                "allOf",
                "anyOf",
                "not",
            ];
            const DATA: [&str; 14] = [
                "$ref",
                "nullable",
                "readOnly",
                "writeOnly",
                "deprecated",
                "externalDocs",
                "example",
                "title",
                "description",
                "discriminator",
                "default",
                "x-a",
                "x-b",
                "other",
            ];
            let mut map = Map::new();
            if self.next(3) > 0 {
                let typ = self.field("type", depth);
                map.insert("type".to_owned(), typ);
            }
            for _ in 0..self.next(4) {
                let key = match self.next(4) {
                    0 => self.pick(&DATA),
                    _ => self.pick(&KINDS),
                };
                let value = self.field(key, depth);
                map.insert(key.to_owned(), value);
            }
            Value::Object(map)
        }
    }

    /// Tens of thousands of generated schemas read the same directly as through serde, and
    /// most of them are read directly.
    #[test]
    fn generated_schemas_read_as_serde_reads_them() {
        let mut cases = Cases(0x9E37_79B9_7F4A_7C15);
        let mut direct = 0;
        let total = 40_000;
        for _ in 0..total {
            let case = cases.schema(3);
            let read = read(&case);
            assert_same(&read, &case);
            direct += usize::from(read_directly(&case).is_some());
        }
        assert!(direct > total / 3, "{direct} of {total} read directly");
    }
}
