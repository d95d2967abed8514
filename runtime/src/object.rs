//! How a generated struct reads and writes itself as a JSON object: its declared properties,
//! and a catch-all (its `unknown_fields`, or the map its `additionalProperties` types) for
//! every other key.
//!
//! A struct's `#[derive(runtime::Object)]` (specwright-macros) expands to a few lines over
//! these helpers rather than to serde's derive: serde's derive expands to a field enum with its own
//! visitor, a sequence visitor and a map visitor per struct, which made up two thirds of a
//! large client's compile time. Reading streams from the input: the declared properties are
//! decoded where they stand, and only the other keys go to the catch-all (serde's `flatten`
//! would buffer the whole object first, and numbers read that way cannot keep more digits than
//! an `f64` holds).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Map, UnknownFields, Value};

/// A struct read from a JSON object, key by key. Generated structs implement it, and their
/// `Deserialize` is [`deserialize_object`].
pub trait Object: Sized {
    /// The struct's name, for "expected struct …" errors.
    const NAME: &'static str;

    /// Reads the struct from the object's entries.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes `T` from a JSON object (any other JSON type is an error).
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// An object's key, borrowed from the input where it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Reads the value of the declared property `name` into `slot`; a property given twice is an
/// error, as serde's derive has it.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The error of an object that leaves out a required property: the first of `fields` (name,
/// whether it was there) that is absent.
pub fn missing<E: de::Error>(fields: &[(&'static str, bool)]) -> E {
    match fields.iter().find(|(_, present)| !present) {
        Some((name, _)) => de::Error::missing_field(name),
        None => de::Error::custom("every required property is there"),
    }
}

/// Skips the value of a key that a struct without a catch-all does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// What a struct keeps of the properties its schema does not declare.
pub trait Rest: Default {
    /// Reads the value of the property `key` from `map` and keeps it.
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;

    /// Writes every kept property into `map`, after the declared ones.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl Rest for UnknownFields {
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        // Pushed, not inserted: a search per key would make a large object quadratic.
        self.push(key, map.next_value::<Value>()?);
        Ok(())
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

impl<T: DeserializeOwned + Serialize> Rest for Map<T> {
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value::<T>()?;
        self.insert(key, value);
        Ok(())
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

/// Writes a struct as a JSON object, property by property.
pub struct ObjectWriter<M>(M);

impl<M: SerializeMap> ObjectWriter<M> {
    pub fn new<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        serializer.serialize_map(None).map(Self)
    }

    /// Writes a property that is always there.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(name, value)
    }

    /// Writes a property unless it is `None` (`Some(None)`, a nullable one set to null, is
    /// written as `null`).
    pub fn optional<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// Writes the catch-all's properties.
    pub fn rest<R: Rest>(&mut self, rest: &R) -> Result<(), M::Error> {
        rest.write(&mut self.0)
    }

    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `#[derive(runtime::Object)]` expands to.
    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<Option<String>>,
        unknown_fields: UnknownFields,
    }

    impl Object for Pet {
        const NAME: &'static str = "Pet";

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut name, mut tag, mut owner) = (None, None, None);
            let mut unknown_fields = UnknownFields::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "name" => field(&mut map, &mut name, "name"),
                    "tag" => field(&mut map, &mut tag, "tag"),
                    "owner" => field(&mut map, &mut owner, "owner"),
                    _ => unknown_fields.take(key.into_string(), &mut map),
                }?;
            }
            match name {
                Some(name) => Ok(Self {
                    name,
                    tag: tag.unwrap_or_default(),
                    owner,
                    unknown_fields,
                }),
                None => Err(missing(&[("name", false)])),
            }
        }
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    impl Serialize for Pet {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = ObjectWriter::new(serializer)?;
            object.field("name", &self.name)?;
            object.optional("tag", &self.tag)?;
            object.optional("owner", &self.owner)?;
            object.rest(&self.unknown_fields)?;
            object.end()
        }
    }

    fn round_trip(text: &str) -> Value {
        let pet: Pet = serde_json::from_str(text).expect("decodes");
        serde_json::to_value(&pet).expect("encodes")
    }

    #[test]
    fn keeps_every_property_in_order() {
        let text = r#"{"extra":[1,2],"name":"Rex","owner":null,"more":{"a":1}}"#;
        let expected: Value = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(round_trip(text), expected);
        let written = serde_json::to_string(&serde_json::from_str::<Pet>(text).expect("decodes"))
            .expect("encodes");
        assert_eq!(
            written,
            r#"{"name":"Rex","owner":null,"extra":[1,2],"more":{"a":1}}"#
        );
    }

    #[test]
    fn absent_and_null_are_told_apart_only_where_the_type_can() {
        let absent: Pet = serde_json::from_str(r#"{"name":"Rex"}"#).expect("decodes");
        assert_eq!((absent.tag, absent.owner), (None, None));
        let null: Pet =
            serde_json::from_str(r#"{"name":"Rex","tag":null,"owner":null}"#).expect("decodes");
        assert_eq!((null.tag, null.owner), (None, Some(None)));
    }

    #[test]
    fn refuses_what_serde_derive_refuses() {
        let error = |text: &str| serde_json::from_str::<Pet>(text).unwrap_err().to_string();
        assert!(error(r#"{"tag":"a"}"#).starts_with("missing field `name`"));
        assert!(error(r#"{"name":"a","name":"b"}"#).starts_with("duplicate field `name`"));
        assert!(error(r#"[1]"#).starts_with("invalid type: sequence, expected struct Pet"));
    }

    #[test]
    fn reads_from_a_value_and_from_owned_keys() {
        let value = serde_json::json!({"name": "Rex", "x\"y": 1});
        let pet: Pet = serde_json::from_value(value.clone()).expect("decodes");
        assert_eq!(serde_json::to_value(&pet).expect("encodes"), value);
        let escaped: Pet = serde_json::from_str(r#"{"na\u006de":"Rex"}"#).expect("decodes");
        assert_eq!(escaped.name, "Rex");
    }
}
