//! One Cargo feature per tag in standalone crates (`specs/tags.yaml`): each operation is gated
//! on its tags' features, each type on the features of the operations that use it, the schemas
//! no operation uses on `all-schemas`, and what untagged operations need is always compiled. `scripts/check-standalone-crate.sh`
//! compiles the crate with each feature alone and with none.

use std::path::Path;

fn generated() -> (String, String) {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/tags.yaml");
    let runtime = specwright::RuntimeDependency::default();
    let generated = specwright::generate_crate(&spec, "tags", &runtime, &Default::default())
        .unwrap_or_else(|err| panic!("{err}"));
    let file = |name: &str| {
        generated
            .files
            .iter()
            .find(|(path, _)| path == name)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    (file("Cargo.toml"), file("src/lib.rs"))
}

/// The `cfg` attribute right above the item that `declaration` starts (docs may sit between).
fn gate_of<'a>(code: &'a str, declaration: &str) -> Option<&'a str> {
    let at = code
        .find(declaration)
        .unwrap_or_else(|| panic!("no `{declaration}`"));
    code[..at]
        .lines()
        .rev()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| line.starts_with("#[") || line.starts_with("///"))
        .find(|line| line.starts_with("#[cfg("))
}

#[test]
fn each_tag_is_a_default_feature() {
    let (manifest, _) = generated();
    assert!(
        manifest.contains(
            "[features]\ndefault = [\"all-schemas\", \"pets\", \"store-orders\"]\n\
             # The schemas no operation uses, and the types they refer to.\n\
             all-schemas = []\npets = []\nstore-orders = []\n"
        ),
        "{manifest}"
    );
}

/// The runtime is the one dependency, and its `mock` and `tracing` features pass through.
#[test]
fn the_runtime_is_the_one_dependency() {
    let (manifest, _) = generated();
    let dependencies = manifest
        .split("[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default();
    // By default, the copy of the runtime written beside the crate, of this generator's version.
    let lines: Vec<&str> = dependencies.lines().collect();
    assert!(
        matches!(lines.as_slice(), [line] if line.starts_with("specwright-runtime = { path = \"../specwright-runtime\", version = \"=0.")),
        "{manifest}"
    );
    assert!(
        manifest.contains("mock = [\"specwright-runtime/mock\"]\n")
            && manifest.contains("tracing = [\"specwright-runtime/tracing\"]\n"),
        "{manifest}"
    );
}

#[test]
fn operations_and_their_types_are_gated_on_their_tags() {
    let (_, code) = generated();
    let pets = Some("#[cfg(feature = \"pets\")]");
    let orders = Some("#[cfg(feature = \"store-orders\")]");
    let either = Some("#[cfg(any(feature = \"pets\", feature = \"store-orders\"))]");
    assert_eq!(gate_of(&code, "pub fn list_pets("), pets);
    assert_eq!(gate_of(&code, "pub enum ListPetsError"), pets);
    assert_eq!(gate_of(&code, "pub fn place_order("), orders);
    assert_eq!(
        gate_of(&code, "pub struct PlaceOrderCreatedHeaders"),
        orders
    );
    assert_eq!(gate_of(&code, "impl PlaceOrderCreatedHeaders"), orders);
    assert_eq!(gate_of(&code, "pub fn adopt("), either);
    assert_eq!(gate_of(&code, "pub struct AdoptRequest"), either);
    // A schema no operation uses is compiled by `all-schemas`, and so is what it refers to.
    assert_eq!(
        gate_of(&code, "pub struct Archive"),
        Some("#[cfg(feature = \"all-schemas\")]")
    );
    assert_eq!(
        gate_of(&code, "pub struct Order "),
        Some("#[cfg(any(feature = \"all-schemas\", feature = \"store-orders\"))]")
    );
    let everywhere = Some(
        "#[cfg(any(feature = \"all-schemas\", feature = \"pets\", feature = \"store-orders\"))]",
    );
    assert_eq!(gate_of(&code, "pub struct Pet "), everywhere);
    assert_eq!(gate_of(&code, "pub enum Kind "), everywhere);
    // Untagged operations and what they use are always there.
    for always in ["pub fn health(", "pub struct Health "] {
        assert_eq!(gate_of(&code, always), None, "{always}");
    }
}

#[test]
fn files_to_include_are_not_gated() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/tags.yaml");
    let generated = specwright::generate_file(&spec).unwrap_or_else(|err| panic!("{err}"));
    assert!(!generated.code.contains("cfg(feature"));
    assert!(generated.features.is_empty());
}
