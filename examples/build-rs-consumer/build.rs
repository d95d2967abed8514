fn main() {
    // Writes $OUT_DIR/zenskar.rs and tells Cargo to rerun when the spec changes.
    specwright::Config::new()
        .generate("../../specs/zenskar.yaml")
        .unwrap_or_else(|err| panic!("{err}"));
}
