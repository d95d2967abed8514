//! Every focused spec in `tests/specs/` is compiled here, and every example it documents
//! round-trips through its generated type. Adding a spec file is enough to be covered.

include!(concat!(env!("OUT_DIR"), "/all_specs.rs"));

#[test]
fn every_focused_spec_compiles_and_its_examples_round_trip() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (spec, examples) in ALL_EXAMPLES {
        match generator_tests::check_examples(examples) {
            Ok(count) => total += count,
            Err(failure) => failures.push(format!("{spec}:\n{failure}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        ALL_EXAMPLES.len() >= 10,
        "only {} specs",
        ALL_EXAMPLES.len()
    );
    assert!(total >= 30, "only {total} examples");
}
