//! Load: bytes to a normalized `openapiv3::OpenAPI`.
//!
//! The format is decided by content, not by file name: JSON starts with `{`, everything else is
//! read as YAML. OpenAPI 3.1 and 3.2 documents are rewritten into the 3.0 forms that
//! `openapiv3` reads (see [`normalize`] and [`v32`]), so later stages see one dialect.

mod applicable;
mod external;
mod normalize;
mod parse;
mod paths;
mod refs;
mod repair;
mod schemas;
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

/// Loads a spec given as bytes; `$ref`s to other files cannot be followed from here.
pub fn load_bytes(bytes: &[u8], timings: &mut Timings) -> Result<Loaded, Error> {
    load_from(bytes, None, timings)
}

fn load_from(bytes: &[u8], path: Option<&Path>, timings: &mut Timings) -> Result<Loaded, Error> {
    let (mut value, warnings) = prepare(bytes, path, timings)?;
    let paths = PathItems::take(&mut value);
    let webhooks = webhooks::take(&mut value);
    match timings.time("openapiv3", || parse::into_openapi(value)) {
        Some(document) => Ok(Loaded {
            document,
            paths,
            webhooks,
            warnings,
        }),
        None => {
            // The value was consumed; it is made again, the same way, to find the fault.
            let (mut value, _) = prepare(bytes, path, &mut Timings::default())?;
            PathItems::take(&mut value);
            webhooks::take(&mut value);
            let fault = parse::locate_openapi_error(value);
            Err(Error {
                diagnostics: warnings.into_iter().chain([fault]).collect(),
            })
        }
    }
}

/// The parsed document with its references resolved and its dialect normalized, and the
/// warnings met on the way.
fn prepare(
    bytes: &[u8],
    path: Option<&Path>,
    timings: &mut Timings,
) -> Result<(serde_json::Value, Vec<Diagnostic>), Error> {
    let mut value = timings
        .time("parse", || parse::parse_document(bytes))
        .map_err(Error::single)?;
    let dialect = parse::check_version(&value).map_err(Error::single)?;
    let mut diagnostics = Vec::new();
    timings.time("resolve refs", || {
        external::resolve_external_refs(&mut value, path, &mut diagnostics);
        refs::inline_deep_refs(&mut value, &mut diagnostics);
    });
    timings.time("normalize", || {
        repair::repair(&mut value, dialect, &mut diagnostics);
        normalize::normalize(&mut value, dialect, &mut diagnostics);
    });
    if diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        return Err(Error { diagnostics });
    }
    Ok((value, diagnostics))
}
