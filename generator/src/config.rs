//! The build-script API, in the style of `prost-build`'s `Config`.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Error};
use crate::options::{Attribute, DateTimeBackend, Derive, Options, Replacement};
use crate::output::write_atomic;

/// Generates clients from a build script into `OUT_DIR`.
///
/// ```no_run
/// // in build.rs's `main`:
/// specwright::Config::new()
///     .generate("../specs/zenskar.yaml")
///     .unwrap_or_else(|err| panic!("{err}"));
/// ```
///
/// Then include the result where the client should live:
/// `mod zenskar { include!(concat!(env!("OUT_DIR"), "/zenskar.rs")); }`.
/// The including crate needs one dependency, `specwright-runtime`; with its `mock` feature
/// (in `[dev-dependencies]`) the client has a `mock` module for tests, and with `tracing` a
/// span per call.
#[derive(Clone, Debug, Default)]
pub struct Config {
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    strict: bool,
    options: Options,
    /// Options given as text that did not read, reported by `generate`.
    invalid: Vec<String>,
}

impl Config {
    /// A configuration with every option at its default: the output is what `specwright
    /// generate SPEC --out FILE.rs` writes, into `OUT_DIR`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where to write; defaults to the `OUT_DIR` Cargo gives build scripts. (The command
    /// line's `--out FILE.rs` names the file itself.)
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The output file's name; defaults to the spec's file stem with `.rs`.
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = Some(name.into());
        self
    }

    /// Fails on any warning, as on an error (mistakes in the spec that are otherwise coped
    /// with, like a `default` of the wrong type, and constructs typed as JSON values). The
    /// command line's `--strict`; `specwright.yaml` has no key for it (run `specwright
    /// --strict`). Off by default.
    pub fn strict(&mut self, strict: bool) -> &mut Self {
        self.strict = strict;
        self
    }

    /// How `date-time` and `date` strings are typed (`--datetime lenient|chrono|time|jiff`,
    /// `datetime: chrono` in `specwright.yaml`): the runtime's own by default
    /// ([`DateTimeBackend::Lenient`], which keeps the text received), or chrono's, time's or
    /// jiff's types, which need the runtime's feature of the same name
    /// (`specwright-runtime = { ..., features = ["chrono"] }`).
    pub fn datetime(&mut self, backend: DateTimeBackend) -> &mut Self {
        self.options.datetime = backend;
        self
    }

    /// Uses the type at `rust_path` wherever the spec uses the schema `schema` (`--replace
    /// SCHEMA=RUST_PATH`, `replace: {Money: my_crate::Money}` in `specwright.yaml`); the
    /// schema's type is not generated. The type needs serde's traits and no others: the
    /// generated types that hold it derive only what it allows. May be called again for
    /// other schemas.
    pub fn replace(
        &mut self,
        schema: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> &mut Self {
        self.options.replacements.push(Replacement {
            schema: schema.into(),
            path: rust_path.into(),
        });
        self
    }

    /// Derives `trait_path` (`Hash`, `schemars::JsonSchema`) on every generated type
    /// (`--derive TRAIT`, `derive: [Hash]` in `specwright.yaml`); a type it cannot hold for is
    /// left out, with a warning naming it. May be called again for more traits.
    pub fn derive(&mut self, trait_path: impl Into<String>) -> &mut Self {
        self.options.derives.push(Derive {
            schema: None,
            path: trait_path.into(),
        });
        self
    }

    /// Derives `trait_path` on the type of the schema `schema` and the types it holds
    /// (`--derive SCHEMA:TRAIT`, `derive: ["Money:Eq"]` in `specwright.yaml`); an error names
    /// the type it cannot hold for.
    pub fn derive_for(
        &mut self,
        schema: impl Into<String>,
        trait_path: impl Into<String>,
    ) -> &mut Self {
        self.options.derives.push(Derive {
            schema: Some(schema.into()),
            path: trait_path.into(),
        });
        self
    }

    /// Puts `attribute` (`#[...]`, one attribute) on every generated type (`--attribute
    /// '#[...]'`, `attribute: ["#[...]"]` in `specwright.yaml`). May be called again for
    /// more attributes.
    pub fn attribute(&mut self, attribute: impl Into<String>) -> &mut Self {
        self.options.attributes.push(Attribute {
            schema: None,
            text: attribute.into(),
        });
        self
    }

    /// Puts `attribute` on the type of the schema `schema` (`--attribute 'SCHEMA:#[...]'`,
    /// `attribute: ["Money:#[...]"]` in `specwright.yaml`).
    pub fn attribute_for(
        &mut self,
        schema: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        self.options.attributes.push(Attribute {
            schema: Some(schema.into()),
            text: attribute.into(),
        });
        self
    }

    /// Every `type: number` without a format as `runtime::DecimalNumber`, a
    /// `rust_decimal::Decimal` kept digit for digit (`--decimal`, `decimal: true` in
    /// `specwright.yaml`); `format: decimal` is one always. Needs the runtime's `decimal`
    /// feature. Off by default.
    pub fn decimal(&mut self, decimal: bool) -> &mut Self {
        self.options.decimal = decimal;
        self
    }

    /// The types alone (`--types-only`, `types-only: true` in `specwright.yaml`): no
    /// `Client`, no methods, no mocks; the runtime can then go without its `client` feature
    /// (`default-features = false`), and so without reqwest and tokio. Off by default.
    pub fn types_only(&mut self, types_only: bool) -> &mut Self {
        self.options.types_only = types_only;
        self
    }

    /// Says how an operation pages where the spec does not say, or says it wrongly
    /// (`--pagination RULE`, `pagination: [RULE]` in `specwright.yaml`), as
    /// [`PagingRule`](crate::PagingRule) reads it:
    /// `listWidgets=cursor,param=page_token,next=meta.next_token`, or `*=none`. May be called
    /// again for more operations; the first rule for an operation wins. A rule that does not
    /// read is an error when the client is generated.
    pub fn pagination(&mut self, rule: impl AsRef<str>) -> &mut Self {
        match rule.as_ref().parse() {
            Ok(rule) => self.options.pagination.push(rule),
            Err(why) => self.invalid.push(why),
        }
        self
    }

    /// Names the request body property that asks an operation for its stream form, which the
    /// stream method sets to `true` (`--stream-flag RULE`, `stream-flag: [RULE]` in
    /// `specwright.yaml`): `createChatCompletion=stream`, or `*=stream`. Without one, a
    /// boolean body property `stream` (or `streaming`) is taken. A rule that does not read is an error when the
    /// client is generated.
    pub fn stream_flag(&mut self, rule: impl AsRef<str>) -> &mut Self {
        match rule.as_ref().parse() {
            Ok(rule) => self.options.stream_flags.push(rule),
            Err(why) => self.invalid.push(why),
        }
        self
    }

    /// Generates the client for `spec`, prints `cargo:rerun-if-changed` for it and a
    /// `cargo:warning` per warning, and returns the path written.
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let spec = spec.as_ref();
        if !self.invalid.is_empty() {
            return Err(Error {
                diagnostics: self
                    .invalid
                    .iter()
                    .map(|why| Diagnostic::error("", format!("an option: {why}")))
                    .collect(),
            });
        }
        println!("cargo:rerun-if-changed={}", spec.display());
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::single(Diagnostic::error(
                        "",
                        "OUT_DIR is not set: call this from a build script or set Config::out_dir",
                    ))
                })?,
        };
        let file_name = match &self.file_name {
            Some(name) => name.clone(),
            None => {
                let stem = spec
                    .file_stem()
                    .map_or_else(|| "client".into(), |s| s.to_string_lossy());
                format!("{stem}.rs")
            }
        };
        let generated = crate::generate_file_with(spec, &self.options)?;
        if self.strict {
            Error::deny_warnings(&generated.warnings)?;
        }
        for warning in &generated.warnings {
            println!("cargo:warning={}", warning.to_string().replace('\n', " "));
        }
        let path = out_dir.join(file_name);
        if let Some(limit) = generated.recursion_limit {
            println!(
                "cargo:warning={}",
                crate::recursion_limit_note(&path, limit)
            );
        }
        write_atomic(&path, &generated.code).map_err(|err| {
            Error::single(Diagnostic::error(
                "",
                format!("cannot write {}: {err}", path.display()),
            ))
        })?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_methods_set_the_options_the_command_line_does() {
        let mut config = Config::new();
        config
            .datetime(DateTimeBackend::Time)
            .replace("Money", "my::Money")
            .derive("Hash")
            .derive_for("Money", "Eq")
            .attribute_for("Money", "#[doc(alias = \"price\")]")
            .decimal(true)
            .types_only(true)
            .pagination("listWidgets=cursor,param=page_token,next=meta.next")
            .stream_flag("createChatCompletion=stream");
        let expected = Options {
            datetime: DateTimeBackend::Time,
            replacements: vec!["Money=my::Money".parse().expect("a replacement")],
            derives: vec![
                "Hash".parse().expect("a derive"),
                "Money:Eq".parse().expect("a derive"),
            ],
            attributes: vec![
                "Money:#[doc(alias = \"price\")]"
                    .parse()
                    .expect("an attribute"),
            ],
            decimal: true,
            types_only: true,
            pagination: vec![
                "listWidgets=cursor,param=page_token,next=meta.next"
                    .parse()
                    .expect("a rule"),
            ],
            stream_flags: vec!["createChatCompletion=stream".parse().expect("a flag")],
        };
        assert_eq!(config.options, expected);
        let refused = Config::new()
            .pagination("listWidgets=sideways")
            .generate("unused.yaml")
            .expect_err("a rule that does not read");
        assert!(
            refused
                .to_string()
                .contains("an option: `listWidgets=sideways`"),
            "{refused}"
        );
    }

    #[test]
    fn strict_fails_on_warnings_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("generator-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let spec = dir.join("spec.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
             schemas:\n    Size: {type: integer, default: large}\n",
        )
        .expect("spec");
        let lenient = Config::new().out_dir(&dir).generate(&spec);
        assert_eq!(lenient.ok(), Some(dir.join("spec.rs")));
        std::fs::remove_file(dir.join("spec.rs")).expect("written");

        let strict = Config::new().out_dir(&dir).strict(true).generate(&spec);
        let message = strict.err().map(|err| err.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("error: ")
                && message.contains("`default: \"large\"` is not an integer"),
            "{message}"
        );
        assert!(!dir.join("spec.rs").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
