//! The runtime's own source, for the generator to write beside a crate it generates when the
//! runtime comes from nowhere else (not yet on crates.io, no checkout at hand).
//!
//! The files are embedded here, in the runtime's own package, because a published generator
//! can reach no file outside its own: this is the one place both a checkout and a packaged
//! crate hold them.

/// `(path in the package, contents)`; the manifest as written in the package, which the
/// generator makes standalone.
pub const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../Cargo.toml")),
    ("src/chrono.rs", include_str!("chrono.rs")),
    ("src/config.rs", include_str!("config.rs")),
    ("src/credentials.rs", include_str!("credentials.rs")),
    ("src/datetime.rs", include_str!("datetime.rs")),
    ("src/decimal.rs", include_str!("decimal.rs")),
    ("src/error.rs", include_str!("error.rs")),
    ("src/events.rs", include_str!("events.rs")),
    ("src/fields.rs", include_str!("fields.rs")),
    ("src/formats.rs", include_str!("formats.rs")),
    ("src/headers.rs", include_str!("headers.rs")),
    ("src/jiff.rs", include_str!("jiff.rs")),
    ("src/lib.rs", include_str!("lib.rs")),
    ("src/mock.rs", include_str!("mock.rs")),
    ("src/moment.rs", include_str!("moment.rs")),
    ("src/multipart.rs", include_str!("multipart.rs")),
    ("src/object.rs", include_str!("object.rs")),
    ("src/pagination.rs", include_str!("pagination.rs")),
    ("src/request.rs", include_str!("request.rs")),
    ("src/response.rs", include_str!("response.rs")),
    ("src/schema.rs", include_str!("schema.rs")),
    ("src/source.rs", include_str!("source.rs")),
    ("src/text.rs", include_str!("text.rs")),
    ("src/time.rs", include_str!("time.rs")),
    ("src/tls.rs", include_str!("tls.rs")),
    ("src/trace.rs", include_str!("trace.rs")),
    ("src/transport.rs", include_str!("transport.rs")),
    ("src/unions.rs", include_str!("unions.rs")),
    ("src/validation.rs", include_str!("validation.rs")),
    ("src/webhooks.rs", include_str!("webhooks.rs")),
    ("src/webhooks/events.rs", include_str!("webhooks/events.rs")),
];

/// The files of `specwright-macros`, the derives the runtime re-exports, which embeds its own.
pub const MACROS_FILES: &[(&str, &str)] = specwright_macros::__files!();

#[cfg(test)]
mod tests {
    /// A module added to the runtime but not listed here would be missing from every vendored
    /// copy, which would then not compile.
    #[test]
    fn every_source_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        let mut folders = vec![root.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("a source folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if let Ok(relative) = path.strip_prefix(root) {
                    on_disk.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let embedded: Vec<&str> = super::FILES
            .iter()
            .map(|(path, _)| *path)
            .filter(|path| path.starts_with("src/"))
            .collect();
        assert_eq!(embedded, on_disk);
    }
}
