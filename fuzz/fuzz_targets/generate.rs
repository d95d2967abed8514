//! Arbitrary bytes, and mutations of real specs (seeded from `../shared/corpus`), through the
//! whole pipeline: load, model, emit. Any panic is a bug; errors are the expected answer to
//! bad input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = specwright::generate_bytes(data, "fuzz.yaml");
});
