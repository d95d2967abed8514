//! Operations: added, removed, renamed (the same endpoint under a new name), moved, and
//! changed in their parameters, body, responses and security; and the client's credentials.

use std::collections::{BTreeSet, HashMap};

use super::shape::Reader;
use super::types::constraint_changes;
use super::{Change, Impact, Kind, Subject, Versions, breaking_if, changed_aspects, pointer};
use crate::emit::surface;
use crate::model::{Api, Operation, Param, ParamLocation, PathSegment, Response, StatusMatch};

pub fn compare(versions: &Versions, changes: &mut Vec<Change>) {
    let (old, new) = (versions.old, versions.new);
    schemes(old, new, changes);
    let new_by_name: HashMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op))
        .collect();
    let old_by_name: HashMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op))
        .collect();
    // An operation whose name is gone but whose endpoint is still there was renamed.
    let new_by_endpoint: HashMap<String, &Operation> = new
        .operations
        .iter()
        .filter(|op| !old_by_name.contains_key(op.name.as_str()))
        .map(|op| (endpoint_key(op), op))
        .collect();
    let mut renamed_to = Vec::new();
    for operation in &old.operations {
        let subject = subject(operation);
        let now = new_by_name.get(operation.name.as_str()).or_else(|| {
            let now = new_by_endpoint.get(&endpoint_key(operation))?;
            renamed_to.push(now.name.as_str());
            changes.push(Change {
                subject: self::subject(now),
                kind: Kind::OperationRenamed,
                what: format!("method renamed from `{}`", operation.name),
                pointer: operation_pointer(now),
                source: Impact::Breaking,
                wire: Impact::Compatible,
            });
            Some(now)
        });
        if let Some(now) = now {
            Pair {
                versions,
                before: operation,
                after: now,
            }
            .compare(changes);
        } else {
            changes.push(Change {
                subject,
                kind: Kind::OperationRemoved,
                what: "removed".into(),
                pointer: operation_pointer(operation),
                source: Impact::Breaking,
                wire: Impact::Breaking,
            });
        }
    }
    for operation in &new.operations {
        if old_by_name.contains_key(operation.name.as_str())
            || renamed_to.contains(&operation.name.as_str())
        {
            continue;
        }
        changes.push(Change {
            subject: subject(operation),
            kind: Kind::OperationAdded,
            what: "added".into(),
            pointer: operation_pointer(operation),
            source: Impact::Additive,
            wire: Impact::Compatible,
        });
    }
}

fn subject(operation: &Operation) -> Subject {
    Subject::Operation {
        name: operation.name.clone(),
        endpoint: format!("{} {}", operation.method, operation.path),
    }
}

/// The method and the path with its parameters' names left out: `GET /pets/{}`.
fn endpoint_key(operation: &Operation) -> String {
    let mut path = String::new();
    let mut in_name = false;
    for c in operation.path.chars() {
        match c {
            '{' => {
                in_name = true;
                path.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => path.push(c),
            _ => {}
        }
    }
    format!("{} {path}", operation.method)
}

fn operation_pointer(operation: &Operation) -> String {
    pointer(
        &pointer("/paths", &operation.path),
        &operation.method.to_ascii_lowercase(),
    )
}

/// What tells a parameter apart across versions: a path parameter by its place in the path,
/// since it is a positional argument of the method and its name is not in the URL; a header
/// by its name in any case; the others by their name.
type ParamKey = (&'static str, String);

fn param_keys(operation: &Operation) -> Vec<ParamKey> {
    let places: Vec<usize> = operation
        .path_segments
        .iter()
        .filter_map(|segment| match segment {
            PathSegment::Param(index) => Some(*index),
            PathSegment::Literal(_) => None,
        })
        .collect();
    operation
        .params
        .iter()
        .enumerate()
        .map(|(index, param)| match param.location {
            ParamLocation::Path => {
                let place = places.iter().position(|p| *p == index).unwrap_or(index);
                ("path", format!("#{place}"))
            }
            ParamLocation::Header => (location(param), param.wire_name.to_ascii_lowercase()),
            _ => (location(param), param.wire_name.clone()),
        })
        .collect()
}

fn location(param: &Param) -> &'static str {
    match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query(_) => "query",
        ParamLocation::QueryString(_) => "querystring",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn with_status(responses: &[Response], status: StatusMatch) -> Option<&Response> {
    responses.iter().find(|response| response.status == status)
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
        StatusMatch::Default => "default".into(),
    }
}

/// One operation in both models.
struct Pair<'a> {
    versions: &'a Versions<'a>,
    before: &'a Operation,
    after: &'a Operation,
}

impl Pair<'_> {
    fn change(
        &self,
        kind: Kind,
        what: String,
        pointer: String,
        source: Impact,
        wire: Impact,
    ) -> Change {
        Change {
            subject: subject(self.after),
            kind,
            what,
            pointer,
            source,
            wire,
        }
    }

    fn compare(&self, changes: &mut Vec<Change>) {
        let at = operation_pointer(self.after);
        if endpoint_key(self.before) != endpoint_key(self.after) {
            changes.push(self.change(
                Kind::EndpointChanged,
                format!(
                    "now `{} {}`, was `{} {}`",
                    self.after.method, self.after.path, self.before.method, self.before.path
                ),
                at.clone(),
                Impact::Compatible,
                Impact::Breaking,
            ));
        }
        self.params(&at, changes);
        self.body(&at, changes);
        self.responses(&at, changes);
        self.security(&at, changes);
        let (old_stream, new_stream) = (
            self.before
                .pagination
                .as_ref()
                .map(|p| p.stream_name.as_str()),
            self.after
                .pagination
                .as_ref()
                .map(|p| p.stream_name.as_str()),
        );
        if old_stream != new_stream {
            let what = match (old_stream, new_stream) {
                (Some(old), None) => {
                    format!("stream method `{old}` removed: the list no longer pages")
                }
                (None, Some(new)) => format!("stream method `{new}` added"),
                (old, new) => format!(
                    "stream method `{}` renamed to `{}`",
                    old.unwrap_or_default(),
                    new.unwrap_or_default()
                ),
            };
            let source = if old_stream.is_none() {
                Impact::Additive
            } else {
                Impact::Breaking
            };
            changes.push(self.change(
                Kind::ResponseChanged,
                what,
                pointer(&at, "responses"),
                source,
                Impact::Compatible,
            ));
        }
    }

    fn params(&self, at: &str, changes: &mut Vec<Change>) {
        let at = pointer(at, "parameters");
        let (before_keys, after_keys) = (param_keys(self.before), param_keys(self.after));
        let key_of = |keys: &[ParamKey], index: usize| keys.get(index).cloned();
        for (index, param) in self.after.params.iter().enumerate() {
            let key = key_of(&after_keys, index);
            let found = before_keys.iter().position(|k| Some(k) == key.as_ref());
            let Some(before) = found.and_then(|i| self.before.params.get(i)) else {
                let required = if param.required {
                    "required"
                } else {
                    "optional"
                };
                changes.push(self.change(
                    Kind::ParameterAdded,
                    format!(
                        "{required} {} parameter `{}` added",
                        location(param),
                        param.wire_name
                    ),
                    at.clone(),
                    Impact::Breaking,
                    breaking_if(param.required),
                ));
                continue;
            };
            let (old_rust, new_rust) = (
                surface::param(self.versions.old, before),
                surface::param(self.versions.new, param),
            );
            let old_shape = self.versions.old_shapes.of(&before.ty);
            let new_shape = self.versions.new_shapes.of(&param.ty);
            let rust_changed = old_rust != new_rust
                && !(before.required == param.required
                    && self.versions.identity.same(&before.ty, &param.ty));
            let aspects = changed_aspects(
                (&old_rust, &new_rust),
                (
                    rust_changed,
                    !new_shape.accepts(&old_shape, Reader::NewServer),
                ),
                (before.required, param.required),
                (false, false),
            );
            if !aspects.is_empty() {
                let breaks_wire = !new_shape.accepts(&old_shape, Reader::NewServer)
                    || (param.required && !before.required);
                changes.push(self.change(
                    Kind::ParameterChanged,
                    format!(
                        "{} parameter `{}`: {}",
                        location(param),
                        param.wire_name,
                        aspects.join(", ")
                    ),
                    at.clone(),
                    breaking_if(rust_changed),
                    breaking_if(breaks_wire),
                ));
            }
            let old_limits = before.constraints.applicable_to(&before.ty);
            let new_limits = param.constraints.applicable_to(&param.ty);
            constraint_changes(&old_limits, &new_limits, |kind, how| {
                let (verb, wire) = match kind {
                    // The old client checks the old limits, and sends what the new ones refuse.
                    Kind::ConstraintTightened => ("constraints tightened", Impact::Breaking),
                    _ => ("constraints loosened", Impact::Compatible),
                };
                changes.push(self.change(
                    kind,
                    format!(
                        "{} parameter `{}`: {verb} ({})",
                        location(param),
                        param.wire_name,
                        how.join(", ")
                    ),
                    at.clone(),
                    Impact::Compatible,
                    wire,
                ));
            });
        }
        for param in self
            .before
            .params
            .iter()
            .enumerate()
            .filter(|(index, _)| {
                let key = key_of(&before_keys, *index);
                !after_keys.iter().any(|k| Some(k) == key.as_ref())
            })
            .map(|(_, param)| param)
        {
            changes.push(self.change(
                Kind::ParameterRemoved,
                format!(
                    "{} parameter `{}` removed",
                    location(param),
                    param.wire_name
                ),
                pointer(&operation_pointer(self.before), "parameters"),
                Impact::Breaking,
                // A path parameter's removal moves the endpoint, reported on its own; servers
                // ignore query and header parameters they do not know.
                Impact::Compatible,
            ));
        }
    }

    fn body(&self, at: &str, changes: &mut Vec<Change>) {
        let at = pointer(at, "requestBody");
        match (&self.before.body, &self.after.body) {
            (None, None) => {}
            (None, Some(body)) => changes.push(self.change(
                Kind::BodyAdded,
                format!(
                    "{} request body `{}` added",
                    if body.required {
                        "required"
                    } else {
                        "optional"
                    },
                    body.media_type
                ),
                at,
                Impact::Breaking,
                breaking_if(body.required),
            )),
            (Some(body), None) => changes.push(self.change(
                Kind::BodyRemoved,
                format!("request body `{}` removed", body.media_type),
                pointer(&operation_pointer(self.before), "requestBody"),
                Impact::Breaking,
                Impact::Breaking,
            )),
            (Some(before), Some(body)) => {
                let old_shape = self.versions.old_shapes.of(&before.ty);
                let new_shape = self.versions.new_shapes.of(&body.ty);
                let old_rust = surface::decoded(self.versions.old, &before.ty);
                let new_rust = surface::decoded(self.versions.new, &body.ty);
                let mut aspects = Vec::new();
                if before.media_type != body.media_type {
                    aspects.push(format!(
                        "media type `{}` → `{}`",
                        before.media_type, body.media_type
                    ));
                }
                let rust_changed =
                    old_rust != new_rust && !self.versions.identity.same(&before.ty, &body.ty);
                if old_shape != new_shape || rust_changed {
                    aspects.push(format!("type `{old_rust}` → `{new_rust}`"));
                }
                if before.required != body.required {
                    aspects.push(
                        if body.required {
                            "optional → required"
                        } else {
                            "required → optional"
                        }
                        .to_owned(),
                    );
                }
                if aspects.is_empty() {
                    return;
                }
                let breaks_wire = before.media_type != body.media_type
                    || !new_shape.accepts(&old_shape, Reader::NewServer)
                    || (body.required && !before.required);
                let breaks_source =
                    rust_changed || before.required != body.required || before.kind != body.kind;
                changes.push(self.change(
                    Kind::BodyChanged,
                    format!("request body: {}", aspects.join(", ")),
                    at,
                    breaking_if(breaks_source),
                    breaking_if(breaks_wire),
                ));
            }
        }
    }

    fn responses(&self, at: &str, changes: &mut Vec<Change>) {
        let at = pointer(at, "responses");
        // A second success status turns the result into an enum of the successes.
        let signature_changed = surface::result(self.versions.old, self.before)
            != surface::result(self.versions.new, self.after);
        for response in &self.after.responses {
            let status = status_text(response.status);
            let Some(before) = with_status(&self.before.responses, response.status) else {
                changes.push(self.change(
                    Kind::ResponseAdded,
                    format!("response {status} added"),
                    pointer(&at, &status),
                    // A new variant of the response or error enum, `#[non_exhaustive]` both.
                    if response.status.is_success() && signature_changed {
                        Impact::Breaking
                    } else {
                        Impact::Additive
                    },
                    // The old client takes a success it does not know for an unexpected
                    // response; an error it does not know is still an error.
                    breaking_if(response.status.is_success()),
                ));
                continue;
            };
            let old_shape = before
                .body
                .as_ref()
                .map(|ty| self.versions.old_shapes.of(ty));
            let new_shape = response
                .body
                .as_ref()
                .map(|ty| self.versions.new_shapes.of(ty));
            let old_rust = before
                .body
                .as_ref()
                .map(|ty| surface::decoded(self.versions.old, ty));
            let new_rust = response
                .body
                .as_ref()
                .map(|ty| surface::decoded(self.versions.new, ty));
            let rust_changed = old_rust != new_rust
                && match (&before.body, &response.body) {
                    (Some(old), Some(new)) => !self.versions.identity.same(old, new),
                    _ => true,
                };
            if old_shape != new_shape || rust_changed || before.kind != response.kind {
                let text = |rust: &Option<String>| rust.clone().unwrap_or_else(|| "no body".into());
                let breaks_wire = before.kind != response.kind
                    || match (&old_shape, &new_shape) {
                        (Some(old), Some(new)) => !old.accepts(new, Reader::OldClient),
                        (None, _) => false,
                        (Some(_), None) => true,
                    };
                let breaks_source = rust_changed;
                changes.push(self.change(
                    Kind::ResponseChanged,
                    format!(
                        "response {status}: `{}` → `{}`",
                        text(&old_rust),
                        text(&new_rust)
                    ),
                    pointer(&at, &status),
                    breaking_if(breaks_source),
                    breaking_if(breaks_wire),
                ));
            }
        }
        for response in self
            .before
            .responses
            .iter()
            .filter(|r| with_status(&self.after.responses, r.status).is_none())
        {
            let status = status_text(response.status);
            changes.push(self.change(
                Kind::ResponseRemoved,
                format!("response {status} removed"),
                pointer(
                    &pointer(&operation_pointer(self.before), "responses"),
                    &status,
                ),
                Impact::Breaking,
                Impact::Compatible,
            ));
        }
    }

    fn security(&self, at: &str, changes: &mut Vec<Change>) {
        let keys = |api: &Api, operation: &Operation| -> Vec<BTreeSet<String>> {
            operation
                .security
                .iter()
                .map(|all| {
                    all.iter()
                        .filter_map(|i| api.security_schemes.get(*i))
                        .map(|s| s.key.clone())
                        .collect()
                })
                .collect()
        };
        let (before, after) = (
            keys(self.versions.old, self.before),
            keys(self.versions.new, self.after),
        );
        if before == after {
            return;
        }
        // The old client sends the credentials of one of its alternatives; that works when
        // some new alternative asks for no more than those.
        let served = |sent: &BTreeSet<String>| {
            after.is_empty() || after.iter().any(|needed| needed.is_subset(sent))
        };
        let breaks = if before.is_empty() {
            !served(&BTreeSet::new())
        } else {
            !before.iter().all(served)
        };
        let text = |alternatives: &[BTreeSet<String>]| {
            if alternatives.is_empty() {
                return "none".to_owned();
            }
            let all: Vec<String> = alternatives
                .iter()
                .map(|all| all.iter().cloned().collect::<Vec<_>>().join(" + "))
                .map(|all| {
                    if all.is_empty() {
                        "anonymous".to_owned()
                    } else {
                        all
                    }
                })
                .collect();
            all.join(" or ")
        };
        changes.push(self.change(
            Kind::SecurityChanged,
            format!("credentials: {} → {}", text(&before), text(&after)),
            pointer(at, "security"),
            Impact::Compatible,
            breaking_if(breaks),
        ));
    }
}

/// The client's credential setters, one per security scheme.
fn schemes(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let at = "/components/securitySchemes";
    for scheme in &new.security_schemes {
        match old.security_schemes.iter().find(|s| s.key == scheme.key) {
            None => changes.push(Change {
                subject: Subject::Client,
                kind: Kind::SchemeAdded,
                what: format!(
                    "credential `{}` added (`ClientBuilder::{}`)",
                    scheme.key, scheme.name
                ),
                pointer: pointer(at, &scheme.key),
                source: Impact::Additive,
                wire: Impact::Compatible,
            }),
            Some(before) if before.carrier != scheme.carrier || before.name != scheme.name => {
                changes.push(Change {
                    subject: Subject::Client,
                    kind: Kind::SchemeChanged,
                    what: format!(
                        "credential `{}`: now sent as {:?}, was {:?}",
                        scheme.key, scheme.carrier, before.carrier
                    ),
                    pointer: pointer(at, &scheme.key),
                    source: breaking_if(
                        before.name != scheme.name
                            || matches!(before.carrier, crate::model::Carrier::Basic)
                                != matches!(scheme.carrier, crate::model::Carrier::Basic),
                    ),
                    wire: Impact::Breaking,
                })
            }
            Some(_) => {}
        }
    }
    for scheme in old
        .security_schemes
        .iter()
        .filter(|s| !new.security_schemes.iter().any(|n| n.key == s.key))
    {
        changes.push(Change {
            subject: Subject::Client,
            kind: Kind::SchemeRemoved,
            what: format!(
                "credential `{}` removed (`ClientBuilder::{}`)",
                scheme.key, scheme.name
            ),
            pointer: pointer(at, &scheme.key),
            source: Impact::Breaking,
            // The operations that asked for it say whether the old client still gets in.
            wire: Impact::Compatible,
        });
    }
}
