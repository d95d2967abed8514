//! What a struct's `Serialize` and `Deserialize` are made from: the runtime's derive
//! (`runtime::Object`, in the `specwright-macros` crate), told by one attribute per field what
//! the field's type does not say. serde's derive costs nearly four times as much to compile
//! (PERFORMANCE.md); the runtime's expands to one call per field and a shared map visitor, and
//! keeps the type's text what a person would write: one line per field, so that a spec change
//! is one hunk. The impls behave as serde's derive with the attributes `field_declaration`
//! writes would: the same keys, the same handling of absent and `null` properties, the same
//! errors; but they read a JSON object only (never an array, which the derive also took), and
//! the catch-all streams, as `flatten` does not.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::is_schemars_derive;
use crate::model::{Field, TypeDef, TypeRef};

/// Whether a struct keeps serde's derive: when something else reads the `#[serde]` attributes
/// on it, as the user's own attributes and schemars' derive do.
pub fn derives_serde(def: &TypeDef) -> bool {
    def.attributes.iter().any(|a| a.starts_with("#[serde"))
        || def.derives.iter().any(|path| is_schemars_derive(path))
}

/// Whether a field is `Option<Option<T>>`: optional and nullable in a type sent in requests,
/// where "leave it out" and "send null" differ.
pub fn is_double_option(owner: &TypeDef, field: &Field) -> bool {
    !field.required && field.nullable && owner.in_request
}

/// The derive's attribute on a field, when its type and name do not say it all: the property's
/// name when the field's differs, `required` on an `Option` that is written even when `None`
/// (a required property that may be null), `rest` on the catch-all.
pub fn object_attribute(field: &Field) -> Option<TokenStream> {
    let mut arguments = Vec::new();
    let name = field.name.strip_prefix("r#").unwrap_or(&field.name);
    if field.flatten {
        arguments.push(quote!(rest));
    } else if name != field.wire_name {
        let wire = &field.wire_name;
        arguments.push(quote!(rename = #wire));
    }
    // A required field's type is `Option` when it is nullable, or when its schema's type is.
    let option = field.nullable || (!field.boxed && matches!(field.ty, TypeRef::Nullable(_)));
    if field.required && !field.flatten && option {
        arguments.push(quote!(required));
    }
    (!arguments.is_empty()).then(|| quote!(#[object(#(#arguments),*)]))
}
