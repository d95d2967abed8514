//! `specwright.yaml`: the clients a project generates with bare `specwright` (`cargo run` in
//! this repository), each with the options it is generated with, so that `specwright --check`
//! regenerates exactly what was committed. The command line reads the nearest one, in the
//! current directory or a parent; every path in it is relative to the file.
//!
//! ```yaml
//! clients:
//!   - spec: specs/zenskar.yaml     # relative to the file
//!     crate: generated             # the crate's directory, relative to the file
//!     name: zenskar
//!     runtime-path: runtime        # relative to the file; or runtime-version: "=0.1.0";
//!                                  # default: the runtime's source, written beside the crate
//!     datetime: chrono             # lenient (default), chrono, time or jiff
//!     replace: {Money: my_crate::Money}
//!     derive: [Hash, "Money:Eq"]
//!     attribute: ["#[doc(alias = \"billing\")]", "Money:#[doc(alias = \"price\")]"]
//!     decimal: true                # every `type: number` a decimal
//!     types-only: false
//!     pagination: ["listWidgets=cursor,param=page_token,next=meta.next_token"]
//!     stream-flag: ["createChatCompletion=stream"]
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Error};
use crate::emit::RuntimeDependency;
use crate::options::{
    Attribute, DateTimeBackend, Derive, Options, PagingRule, Replacement, StreamFlag,
};

/// One client the repository holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryClient {
    /// The spec, relative to the repository file.
    pub spec: String,
    /// The crate's directory, relative to the repository file.
    pub crate_dir: String,
    pub name: String,
    pub runtime: RuntimeDependency,
    pub options: Options,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    clients: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Entry {
    spec: String,
    #[serde(rename = "crate")]
    crate_dir: String,
    name: String,
    runtime_path: Option<String>,
    runtime_version: Option<String>,
    #[serde(default)]
    datetime: Option<String>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    derive: Vec<String>,
    #[serde(default)]
    attribute: Vec<String>,
    #[serde(default)]
    decimal: bool,
    #[serde(default)]
    types_only: bool,
    #[serde(default)]
    pagination: Vec<String>,
    #[serde(default)]
    stream_flag: Vec<String>,
}

/// The clients listed in the repository file at `path`.
pub fn read_clients(path: &Path) -> Result<Vec<RepositoryClient>, Error> {
    let fail = |message: String| Error::single(Diagnostic::error("", message).in_file(path));
    let text = std::fs::read_to_string(path)
        .map_err(|err| fail(format!("cannot read the list of clients: {err}")))?;
    let file: File = serde_yaml::from_str(&text).map_err(|err| {
        let diagnostic = Diagnostic::error("", format!("the list of clients: {err}")).in_file(path);
        let diagnostic = match err.location() {
            Some(at) => diagnostic.at_line(at.line(), at.column(), &text),
            None => diagnostic,
        };
        Error::single(diagnostic)
    })?;
    file.clients
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            client(entry).map_err(|message| {
                Error::single(Diagnostic::error(format!("/clients/{index}"), message).in_file(path))
            })
        })
        .collect()
}

fn client(entry: Entry) -> Result<RepositoryClient, String> {
    let runtime = match (entry.runtime_path, entry.runtime_version) {
        (Some(_), Some(_)) => {
            return Err("give runtime-path or runtime-version, not both".to_owned());
        }
        (Some(path), None) => RuntimeDependency::Path(path),
        (None, Some(version)) => RuntimeDependency::Version(version),
        (None, None) => RuntimeDependency::default(),
    };
    let datetime = match entry.datetime {
        Some(name) => name.parse::<DateTimeBackend>()?,
        None => DateTimeBackend::default(),
    };
    let replacements = entry
        .replace
        .into_iter()
        .map(|(schema, path)| format!("{schema}={path}").parse::<Replacement>())
        .collect::<Result<_, _>>()?;
    let derives = entry
        .derive
        .iter()
        .map(|text| text.parse::<Derive>())
        .collect::<Result<_, _>>()?;
    Ok(RepositoryClient {
        spec: entry.spec,
        crate_dir: entry.crate_dir,
        name: entry.name,
        runtime,
        options: Options {
            datetime,
            replacements,
            derives,
            attributes: entry
                .attribute
                .iter()
                .map(|text| text.parse::<Attribute>())
                .collect::<Result<_, _>>()?,
            decimal: entry.decimal,
            types_only: entry.types_only,
            pagination: entry
                .pagination
                .iter()
                .map(|text| text.parse::<PagingRule>())
                .collect::<Result<_, _>>()?,
            stream_flags: entry
                .stream_flag
                .iter()
                .map(|text| text.parse::<StreamFlag>())
                .collect::<Result<_, _>>()?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<RepositoryClient>, String> {
        let dir =
            std::env::temp_dir().join(format!("specwright-repository-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|err| err.to_string())?;
        let path = dir.join(format!("{}.yaml", text.len()));
        std::fs::write(&path, text).map_err(|err| err.to_string())?;
        let clients = read_clients(&path).map_err(|err| err.to_string());
        let _ = std::fs::remove_file(&path);
        clients
    }

    #[test]
    fn every_option_is_read() {
        let clients = read(
            "clients:\n  - spec: a.yaml\n    crate: out\n    name: a\n    runtime-path: ../runtime\n    \
             datetime: jiff\n    replace: {Money: my::Money}\n    derive: [Hash, 'Money:Eq']\n    \
             types-only: true\n    pagination: ['listWidgets=link']\n    \
             stream-flag: ['createChatCompletion=stream']\n",
        );
        let expected = RepositoryClient {
            spec: "a.yaml".to_owned(),
            crate_dir: "out".to_owned(),
            name: "a".to_owned(),
            runtime: RuntimeDependency::Path("../runtime".to_owned()),
            options: Options {
                datetime: DateTimeBackend::Jiff,
                replacements: vec![Replacement {
                    schema: "Money".to_owned(),
                    path: "my::Money".to_owned(),
                }],
                derives: vec![
                    Derive {
                        schema: None,
                        path: "Hash".to_owned(),
                    },
                    Derive {
                        schema: Some("Money".to_owned()),
                        path: "Eq".to_owned(),
                    },
                ],
                attributes: Vec::new(),
                decimal: false,
                types_only: true,
                pagination: vec!["listWidgets=link".parse().expect("a rule")],
                stream_flags: vec![StreamFlag {
                    operation: "createChatCompletion".to_owned(),
                    property: "stream".to_owned(),
                }],
            },
        };
        assert_eq!(clients, Ok(vec![expected]));
    }

    #[test]
    fn mistakes_are_located() {
        let unknown =
            read("clients:\n  - spec: a.yaml\n    crate: out\n    name: a\n    colour: red\n");
        let message = unknown.err().unwrap_or_default();
        assert!(
            message.contains(":5:") && message.contains("colour"),
            "{message}"
        );
        let backend = read("clients:\n  - {spec: a.yaml, crate: out, name: a, datetime: moment}\n");
        let message = backend.err().unwrap_or_default();
        assert!(
            message.contains("#/clients/0") && message.contains("`moment`"),
            "{message}"
        );
    }
}
