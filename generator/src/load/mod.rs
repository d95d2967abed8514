//! Load: bytes to a normalized `openapiv3::OpenAPI`.
//!
//! The format is decided by content, not by file name: JSON starts with `{`, everything else is
//! read as YAML. Swagger 2.0 documents (see [`swagger2`]) and OpenAPI 3.1 and 3.2 documents
//! (see [`normalize`] and [`v32`]) are rewritten into the 3.0 forms that `openapiv3` reads, so
//! later stages see one dialect.

mod applicable;
mod external;
mod normalize;
mod parse;
mod paths;
mod refs;
mod repair;
mod schemas;
mod swagger2;
mod v32;
mod values;
mod webhooks;
mod yaml;

use std::path::Path;

use crate::diagnostics::{Diagnostic, Error};
use crate::timing::Timings;

pub use normalize::EXAMPLES_EXTENSION;
pub use normalize::ITEM_SCHEMA_EXTENSION;
pub use paths::PathItems;
pub use refs::percent_decode;
pub use swagger2::Origins;
pub use v32::{
    DEVICE_AUTHORIZATION_EXTENSION, OAUTH2_METADATA_EXTENSION, QUERYSTRING_EXTENSION,
    SUMMARY_EXTENSION, TAG_KIND_EXTENSION, TAG_PARENT_EXTENSION,
};
pub use webhooks::WebhookItem;

/// A spec ready for modelling, with the warnings met while loading it.
pub struct Loaded {
    /// Everything but the path items, whose `paths` is empty.
    pub document: openapiv3::OpenAPI,
    /// The path items, converted one at a time as the model takes them.
    pub paths: PathItems,
    /// The webhooks, taken out of the document like the paths.
    pub webhooks: Vec<WebhookItem>,
    pub warnings: Vec<Diagnostic>,
    /// Where the nodes of a converted Swagger 2.0 document were in it, for the diagnostics of
    /// later stages (empty for OpenAPI documents).
    pub origins: Origins,
}

pub fn load_file(path: &Path) -> Result<Loaded, Error> {
    let bytes = std::fs::read(path).map_err(|err| {
        Error::single(Diagnostic::error("", format!("cannot read the spec: {err}")).in_file(path))
    })?;
    load_from(&bytes, Some(path), &mut Timings::default())
        .map_err(|err| err.in_file(path))
        .map(|mut loaded| {
            for warning in &mut loaded.warnings {
                warning.file = Some(path.to_path_buf());
            }
            loaded
        })
}

/// A Swagger 2.0 document as the generator reads it, converted to OpenAPI 3.0 (references to
/// other files resolved, 3.0's forms normalized), or `None` for an OpenAPI document, which is
/// read as written. The pointers [`crate::spec_examples`] gives and the keys of
/// [`crate::component_types`] are into this document, so tools that check generated types
/// against their schemas (the fidelity harness) read the schemas here.
pub fn swagger2_converted(path: &Path) -> Result<Option<serde_json::Value>, Error> {
    let bytes = std::fs::read(path).map_err(|err| {
        Error::single(Diagnostic::error("", format!("cannot read the spec: {err}")).in_file(path))
    })?;
    let value = parse::parse_document(&bytes).map_err(|err| Error::single(err).in_file(path))?;
    if parse::check_version(&value) != Ok(parse::Version::Swagger2) {
        return Ok(None);
    }
    prepare(&bytes, Some(path), &mut Timings::default())
        .map(|(value, ..)| Some(value))
        .map_err(|err| err.in_file(path))
}

/// Loads a spec given as bytes; `$ref`s to other files cannot be followed from here.
pub fn load_bytes(bytes: &[u8], timings: &mut Timings) -> Result<Loaded, Error> {
    load_from(bytes, None, timings)
}

fn load_from(bytes: &[u8], path: Option<&Path>, timings: &mut Timings) -> Result<Loaded, Error> {
    let (mut value, warnings, origins) = prepare(bytes, path, timings)?;
    let paths = PathItems::take(&mut value);
    let webhooks = webhooks::take(&mut value);
    match timings.time("openapiv3", || parse::into_openapi(value)) {
        Some(document) => Ok(Loaded {
            document,
            paths,
            webhooks,
            warnings,
            origins,
        }),
        None => {
            // The value was consumed; it is made again, the same way, to find the fault.
            let (mut value, _, _) = prepare(bytes, path, &mut Timings::default())?;
            PathItems::take(&mut value);
            webhooks::take(&mut value);
            let mut fault = [parse::locate_openapi_error(value)];
            origins.point_back(&mut fault);
            Err(Error {
                diagnostics: warnings.into_iter().chain(fault).collect(),
            })
        }
    }
}

/// The parsed document with its references resolved and its dialect normalized, the warnings
/// met on the way (pointing into the document as written), and where a Swagger 2.0 document's
/// nodes were before it was converted.
fn prepare(
    bytes: &[u8],
    path: Option<&Path>,
    timings: &mut Timings,
) -> Result<(serde_json::Value, Vec<Diagnostic>, Origins), Error> {
    let mut value = timings
        .time("parse", || parse::parse_document(bytes))
        .map_err(Error::single)?;
    let version = parse::check_version(&value).map_err(Error::single)?;
    let mut diagnostics = Vec::new();
    let mut converted = 0;
    let (dialect, origins) = timings.time("resolve refs", || {
        let read = match version {
            parse::Version::OpenApi(dialect) => {
                external::resolve_external_refs(&mut value, path, &mut diagnostics);
                (dialect, Origins::default())
            }
            // Other files are followed in the document as written (a referenced parameter is
            // converted where it lands), then the whole is converted.
            parse::Version::Swagger2 => {
                let hidden = swagger2::hide_opaque_refs(&mut value, &mut diagnostics);
                external::resolve_external_refs(&mut value, path, &mut diagnostics);
                hidden.restore(&mut value);
                let origins = swagger2::convert(&mut value, &mut diagnostics);
                (parse::Dialect::V3_0, origins)
            }
        };
        // Up to here, diagnostics point into the document as written; from here, into the
        // converted one.
        converted = diagnostics.len();
        refs::inline_deep_refs(&mut value, &mut diagnostics);
        read
    });
    timings.time("normalize", || {
        repair::repair(&mut value, dialect, &mut diagnostics);
        normalize::normalize(&mut value, dialect, &mut diagnostics);
    });
    if let Some(later) = diagnostics.get_mut(converted..) {
        origins.point_back(later);
    }
    if diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        return Err(Error { diagnostics });
    }
    Ok((value, diagnostics, origins))
}
