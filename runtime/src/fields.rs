//! Fields that need more than serde's defaults: undeclared properties kept in order, and optional nullable request fields.

use std::fmt;

use crate::Value;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The properties of an object that its schema does not declare, in the order received.
///
/// Kept so that a value read from the server and sent back (a read-modify-write) does not
/// erase what this client does not know about; they are written after the declared fields.
///
/// `Eq` and `Hash` are there so that a generated type can derive them (`--derive Hash`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownFields(Vec<(String, Value)>);

impl std::hash::Hash for UnknownFields {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for (key, value) in &self.0 {
            key.hash(state);
            hash_value(value, state);
        }
    }
}

/// Hashes a JSON value consistently with its `PartialEq`, which compares objects whatever the
/// order of their keys: an object's entries are hashed in key order.
fn hash_value<H: std::hash::Hasher>(value: &Value, state: &mut H) {
    use std::hash::Hash as _;
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(flag) => (1u8, flag).hash(state),
        Value::Number(number) => (2u8, number.to_string()).hash(state),
        Value::String(text) => (3u8, text).hash(state),
        Value::Array(items) => {
            (4u8, items.len()).hash(state);
            items.iter().for_each(|item| hash_value(item, state));
        }
        Value::Object(entries) => {
            let mut sorted: Vec<(&String, &Value)> = entries.iter().collect();
            sorted.sort_unstable_by_key(|(key, _)| *key);
            (5u8, sorted.len()).hash(state);
            for (key, value) in sorted {
                key.hash(state);
                hash_value(value, state);
            }
        }
    }
}

impl UnknownFields {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a property after the others, without looking for one of the same name (a
    /// decoded object has none).
    pub(crate) fn push(&mut self, key: String, value: Value) {
        self.0.push((key, value));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    /// Sets a property, in place if it is already there; returns the value it replaced.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.0.iter_mut().find(|(name, _)| *name == key) {
            Some((_, old)) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(name, _)| name == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = UnknownFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UnknownFields, A::Error> {
                let mut fields = UnknownFields(Vec::with_capacity(map.size_hint().unwrap_or(0)));
                // Pushed, not inserted: a search per key would make a large object quadratic.
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    fields.0.push(entry);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_map(Fields)
    }
}

/// Serde helper for fields that are optional and nullable in a request: `None` leaves the
/// field out, `Some(None)` sends an explicit `null`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_keep_their_order_through_a_round_trip() {
        let text = r#"{"zeta":1,"alpha":{"y":2,"b":3},"mid":[true,null]}"#;
        let fields: UnknownFields = serde_json::from_str(text).expect("an object");
        let keys: Vec<&str> = fields.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["zeta", "alpha", "mid"]);
        assert_eq!(serde_json::to_string(&fields).expect("serializable"), text);
    }

    #[test]
    fn insert_replaces_in_place_and_new_keys_go_last() {
        let mut fields: UnknownFields =
            serde_json::from_str(r#"{"b":1,"a":2}"#).expect("an object");
        assert_eq!(fields.insert("b", json!(10)), Some(json!(1)));
        assert_eq!(fields.insert("c", json!(3)), None);
        assert_eq!(
            serde_json::to_string(&fields).expect("serializable"),
            r#"{"b":10,"a":2,"c":3}"#
        );
        assert_eq!(fields.get("a"), Some(&json!(2)));
        assert_eq!(fields.len(), 3);
    }

    #[test]
    fn remove_takes_the_key_out() {
        let mut fields: UnknownFields =
            serde_json::from_str(r#"{"b":1,"a":2}"#).expect("an object");
        assert_eq!(fields.remove("b"), Some(json!(1)));
        assert_eq!(fields.remove("b"), None);
        assert_eq!(fields.get("b"), None);
        assert_eq!(
            serde_json::to_value(&fields).expect("serializable"),
            json!({"a": 2})
        );
    }

    #[test]
    fn unknown_fields_refuse_anything_but_an_object() {
        assert!(serde_json::from_str::<UnknownFields>("[1]").is_err());
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(
            default,
            with = "crate::__private::double_option",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<Option<i32>>,
    }

    #[test]
    fn double_option_leaves_out_none_and_sends_null_for_some_none() {
        let text = |note| serde_json::to_string(&Patch { note }).expect("serializable");
        assert_eq!(text(None), "{}");
        assert_eq!(text(Some(None)), r#"{"note":null}"#);
        assert_eq!(text(Some(Some(1))), r#"{"note":1}"#);
    }

    #[test]
    fn double_option_reads_absent_null_and_values_apart() {
        let read = |text| serde_json::from_str::<Patch>(text).expect("a patch").note;
        assert_eq!(read("{}"), None);
        assert_eq!(read(r#"{"note":null}"#), Some(None));
        assert_eq!(read(r#"{"note":1}"#), Some(Some(1)));
    }
}
