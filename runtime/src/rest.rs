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

/// What a struct keeps of the properties its schema does not declare.
pub trait Rest: Sized {
    /// The catch-all holding `entries`, in the order received.
    fn from_entries<E: serde::de::Error>(entries: Vec<(String, Value)>) -> Result<Self, E>;
}

impl Rest for UnknownFields {
    fn from_entries<E: serde::de::Error>(entries: Vec<(String, Value)>) -> Result<Self, E> {
        Ok(Self::from_vec(entries))
    }
}

impl<T: DeserializeOwned> Rest for Map<T> {
    fn from_entries<E: serde::de::Error>(entries: Vec<(String, Value)>) -> Result<Self, E> {
        entries
            .into_iter()
            .map(|(key, value)| {
                T::deserialize(value)
                    .map(|value| (key.clone(), value))
                    .map_err(|err| E::custom(format!("`{key}`: {err}")))
            })
            .collect()
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
    let mut rest = Vec::new();
    let declared = Declared::deserialize(Filtered {
        inner: deserializer,
        rest: &mut rest,
    })?;
    Ok((declared, R::from_entries(rest)?))
}

/// A deserializer that, for a struct, passes on only the properties the struct names.
struct Filtered<'a, D> {
    inner: D,
    rest: &'a mut Vec<(String, Value)>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Filtered<'_, D> {
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

struct FilteredVisitor<'a, V> {
    inner: V,
    declared: &'static [&'static str],
    rest: &'a mut Vec<(String, Value)>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for FilteredVisitor<'_, V> {
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

struct FilteredMap<'a, A> {
    inner: A,
    declared: &'static [&'static str],
    rest: &'a mut Vec<(String, Value)>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FilteredMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.inner.next_key::<String>()? {
            if self.declared.contains(&key.as_str()) {
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            // Pushed, not inserted: a search per key would make a large object quadratic.
            let value = self.inner.next_value::<Value>()?;
            self.rest.push((key, value));
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}
