//! A struct's catch-all (its `unknown_fields`, or the map its `additionalProperties` types),
//! filled while the declared properties are decoded. serde's `#[serde(flatten)]` would buffer
//! the whole object as serde's private `Content` first, and numbers read that way cannot keep
//! more digits than an `f64` holds; here the declared properties stream from the input as
//! they would for a struct without a catch-all, and only the others are taken aside.
//!
//! A generated struct's `Deserialize` derives its declared fields on a local struct, and calls
//! [`with_rest`] with it.

use serde::de::{DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, forward_to_deserialize_any};

use crate::{Map, UnknownFields, Value};

/// What a struct keeps of the properties its schema does not declare, read from the input as
/// they come (a map of decimals keeps their digits).
pub trait Rest: Default {
    /// Reads the value of the property `key` from `map` and keeps it.
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
}

impl Rest for UnknownFields {
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        // Pushed, not inserted: a search per key would make a large object quadratic.
        self.push(key, map.next_value::<Value>()?);
        Ok(())
    }
}

impl<T: DeserializeOwned> Rest for Map<T> {
    fn take<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value::<T>()?;
        self.insert(key, value);
        Ok(())
    }
}

/// Decodes `Declared` (a struct of the declared properties, with its derived `Deserialize`)
/// from `deserializer`, and gathers every property it does not name into `R`.
pub fn with_rest<'de, Declared, R, D>(deserializer: D) -> Result<(Declared, R), D::Error>
where
    Declared: Deserialize<'de>,
    R: Rest,
    D: Deserializer<'de>,
{
    let mut rest = R::default();
    let declared = Declared::deserialize(Filtered {
        inner: deserializer,
        rest: &mut rest,
    })?;
    Ok((declared, rest))
}

/// A deserializer that, for a struct, passes on only the properties the struct names.
struct Filtered<'a, D, R> {
    inner: D,
    rest: &'a mut R,
}

impl<'de, D: Deserializer<'de>, R: Rest> Deserializer<'de> for Filtered<'_, D, R> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(FilteredVisitor {
            inner: visitor,
            declared: fields,
            rest: self.rest,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct FilteredVisitor<'a, V, R> {
    inner: V,
    declared: &'static [&'static str],
    rest: &'a mut R,
}

impl<'de, V: Visitor<'de>, R: Rest> Visitor<'de> for FilteredVisitor<'_, V, R> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(FilteredMap {
            inner: map,
            declared: self.declared,
            rest: self.rest,
        })
    }
}

struct FilteredMap<'a, A, R> {
    inner: A,
    declared: &'static [&'static str],
    rest: &'a mut R,
}

impl<'de, A: MapAccess<'de>, R: Rest> MapAccess<'de> for FilteredMap<'_, A, R> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.inner.next_key::<String>()? {
            if self.declared.contains(&key.as_str()) {
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            self.rest.take(key, &mut self.inner)?;
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}
