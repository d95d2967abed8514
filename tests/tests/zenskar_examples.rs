//! Every example in `specs/zenskar.yaml` decodes into its generated type and re-encodes to
//! equal JSON.

include!(concat!(env!("OUT_DIR"), "/zenskar_examples.rs"));

#[test]
fn every_zenskar_example_round_trips() {
    match generator_tests::check_examples(EXAMPLES) {
        // The spec documents 12 examples on its operations, plus schema-level ones.
        Ok(count) => assert!(count >= 12, "only {count} examples found"),
        Err(failures) => panic!("{failures}"),
    }
}
