//! Writes `keep::TABLE` and `drop::TABLE`: each example of the spec named in `spec.txt`, with a function that
//! decodes it into its type in the `keep` or the `drop` form of the client.

use std::fmt::Write as _;

fn main() {
    let spec = std::fs::read_to_string("spec.txt").unwrap_or_default();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let examples = specwright::spec_examples(std::path::Path::new(&spec))
        .unwrap_or_else(|err| panic!("{err}"));
    let mut code = String::new();
    for module in ["keep", "drop"] {
        // The types are named from the client's root module.
        let _ = writeln!(
            code,
            "pub mod {module} {{\n    use crate::{module}::{{runtime, types}};\n    \
             pub const TABLE: &[(&str, fn(&str) -> bool)] = &["
        );
        for example in &examples {
            let _ = writeln!(
                code,
                "        ({:?}, crate::decodes::<{}>),",
                example.json.to_string(),
                example.rust_type.replace(' ', ""),
            );
        }
        code.push_str("    ];\n}\n");
    }
    if let Err(err) = std::fs::write(out.join("examples.rs"), code) {
        panic!("{err}");
    }
}
