//! Diff: what a new version of a spec changes in the client generated from it.
//!
//! The two specs' models are compared item by item (operations by method name, types by
//! name, fields and parameters by wire name), and each change is judged on two axes:
//!
//! - **source**: does Rust code written against the old client still compile against the new
//!   one? This follows the generated code as it is written: a struct callers build with a
//!   literal breaks when it gains a field; a `#[non_exhaustive]` one does not.
//! - **wire**: does a client generated from the old spec still work against a server of the
//!   new one? Old clients keep undeclared properties and unknown enum values, so a response
//!   that grows breaks nothing; a request that needs more than the old client sends does.

mod identity;
mod operations;
mod report;
mod shape;
mod types;
mod usage;

pub use report::Format;

use crate::model::Api;

/// How a change affects one axis. Ordered from worst to best, so sorting puts breaks first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Breaking,
    /// Only on the source axis: something new that existing code does not notice.
    Additive,
    Compatible,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Additive => "additive",
            Self::Compatible => "compatible",
        }
    }
}

/// What a change belongs to: the report groups changes by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A client method, with its endpoint (`POST /pets`).
    Operation { name: String, endpoint: String },
    /// A generated type.
    Type { name: String },
    /// The client as a whole: its credentials.
    Client,
}

/// The kinds of change, each judged by its own rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    EndpointChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterChanged,
    BodyAdded,
    BodyRemoved,
    BodyChanged,
    ResponseAdded,
    ResponseRemoved,
    ResponseChanged,
    SecurityChanged,
    SchemeAdded,
    SchemeRemoved,
    SchemeChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldChanged,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    VariantChanged,
    ConstraintTightened,
    ConstraintLoosened,
}

impl Kind {
    /// The name `--format json` gives the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OperationAdded => "operation_added",
            Self::OperationRemoved => "operation_removed",
            Self::OperationRenamed => "operation_renamed",
            Self::EndpointChanged => "endpoint_changed",
            Self::ParameterAdded => "parameter_added",
            Self::ParameterRemoved => "parameter_removed",
            Self::ParameterChanged => "parameter_changed",
            Self::BodyAdded => "body_added",
            Self::BodyRemoved => "body_removed",
            Self::BodyChanged => "body_changed",
            Self::ResponseAdded => "response_added",
            Self::ResponseRemoved => "response_removed",
            Self::ResponseChanged => "response_changed",
            Self::SecurityChanged => "security_changed",
            Self::SchemeAdded => "scheme_added",
            Self::SchemeRemoved => "scheme_removed",
            Self::SchemeChanged => "scheme_changed",
            Self::TypeAdded => "type_added",
            Self::TypeRemoved => "type_removed",
            Self::TypeRenamed => "type_renamed",
            Self::TypeChanged => "type_changed",
            Self::FieldAdded => "field_added",
            Self::FieldRemoved => "field_removed",
            Self::FieldChanged => "field_changed",
            Self::EnumValueAdded => "enum_value_added",
            Self::EnumValueRemoved => "enum_value_removed",
            Self::VariantAdded => "variant_added",
            Self::VariantRemoved => "variant_removed",
            Self::VariantChanged => "variant_changed",
            Self::ConstraintTightened => "constraint_tightened",
            Self::ConstraintLoosened => "constraint_loosened",
        }
    }
}

/// One change between the two specs.
#[derive(Clone, Debug)]
pub struct Change {
    pub subject: Subject,
    pub kind: Kind,
    /// What changed, in words: "field `amount`: type i64 → f64".
    pub what: String,
    /// Where, as a JSON pointer: into the new spec, or the old one for what was removed.
    pub pointer: String,
    pub source: Impact,
    pub wire: Impact,
}

/// The version bump a change calls for in the generated crate, under Cargo's semver rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// Every change from one spec to the other.
#[derive(Clone, Debug)]
pub struct Report {
    /// Title and `info.version` of the old and the new spec.
    pub old: (String, String),
    pub new: (String, String),
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether some change breaks the axis.
    pub fn breaks(&self, axis: Axis) -> bool {
        self.changes.iter().any(|change| match axis {
            Axis::Source => change.source == Impact::Breaking,
            Axis::Wire => change.wire == Impact::Breaking,
        })
    }

    /// Major when Rust callers break, minor when the API only grows, patch when nothing the
    /// caller sees changes (a constraint, an endpoint's path).
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|change| match change.source {
                Impact::Breaking => Bump::Major,
                Impact::Additive => Bump::Minor,
                Impact::Compatible => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    pub fn render(&self, format: Format) -> String {
        report::render(self, format)
    }
}

/// The two things a change can break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    Source,
    Wire,
}

/// The two models, with what the comparisons ask of both: each one's shapes, and which Rust
/// type a reference denotes across them.
struct Versions<'a> {
    old: &'a Api,
    new: &'a Api,
    old_shapes: shape::Shapes<'a>,
    new_shapes: shape::Shapes<'a>,
    identity: identity::Identity<'a>,
}

/// Compares the model of the old spec with the model of the new one.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    let none = shape::Renames::new();
    let new_shapes = shape::Shapes::new(new, &none);
    let renames = types::renames(old, new, &new_shapes);
    let versions = Versions {
        old,
        new,
        // The old model's shapes name renamed types by their new names, so that a renamed
        // type counts as the same type wherever it is used.
        old_shapes: shape::Shapes::new(old, &renames),
        new_shapes,
        identity: identity::Identity::new(old, new),
    };
    types::compare(&versions, &renames, &mut changes);
    operations::compare(&versions, &mut changes);
    Report {
        old: (old.title.clone(), old.version.clone()),
        new: (new.title.clone(), new.version.clone()),
        changes,
    }
}

fn breaking_if(breaks: bool) -> Impact {
    if breaks {
        Impact::Breaking
    } else {
        Impact::Compatible
    }
}

/// What changed in a field or parameter, in words: its type (or, when its Rust type is the
/// same, the values that type holds), whether it is required, whether it is nullable.
fn changed_aspects(
    (old_rust, new_rust): (&str, &str),
    (rust_changed, shape_changed): (bool, bool),
    (was_required, required): (bool, bool),
    (was_nullable, nullable): (bool, bool),
) -> Vec<String> {
    let mut aspects = Vec::new();
    if rust_changed && was_required == required && was_nullable == nullable {
        aspects.push(format!("type `{old_rust}` → `{new_rust}`"));
    } else if shape_changed && !rust_changed {
        aspects.push(format!("the values of `{new_rust}` changed shape"));
    }
    for (was, now, became, ceased) in [
        (
            was_required,
            required,
            "optional → required",
            "required → optional",
        ),
        (was_nullable, nullable, "now nullable", "no longer nullable"),
    ] {
        if was != now {
            aspects.push(if now { became } else { ceased }.to_owned());
        }
    }
    aspects
}

/// A JSON pointer one level down; `/` and `~` in the segment escaped.
fn pointer(parent: &str, segment: &str) -> String {
    crate::diagnostics::pointer_push(parent, segment)
}
