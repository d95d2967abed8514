//! Decode time of the spec's examples in the client with `unknown_fields` (`keep`) and without
//! (`drop`), alternately: the median of 21 rounds of 20 passes each.

#![allow(dead_code, clippy::all)]

mod keep {
    include!("keep.rs");
}
mod drop {
    include!("drop.rs");
}
mod examples {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

fn decodes<T: serde::de::DeserializeOwned>(json: &str) -> bool {
    serde_json::from_str::<T>(json).is_ok()
}

type Table = [(&'static str, fn(&str) -> bool)];

fn main() {
    // Only the examples that both forms decode, so that both do the same work.
    let both: Vec<usize> = (0..examples::keep::TABLE.len())
        .filter(|&i| {
            let (json, keep) = examples::keep::TABLE[i];
            keep(json) && (examples::drop::TABLE[i].1)(json)
        })
        .collect();
    let bytes: usize = both.iter().map(|&i| examples::keep::TABLE[i].0.len()).sum();
    println!(
        "examples decoded by both forms: {} of {} ({bytes} bytes)",
        both.len(),
        examples::keep::TABLE.len()
    );
    let time = |table: &Table| {
        let start = std::time::Instant::now();
        for _ in 0..20 {
            for &i in &both {
                let (json, decode) = table[i];
                std::hint::black_box(decode(std::hint::black_box(json)));
            }
        }
        start.elapsed().as_secs_f64()
    };
    let (mut keep, mut drop) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        keep.push(time(examples::keep::TABLE));
        drop.push(time(examples::drop::TABLE));
    }
    keep.sort_by(f64::total_cmp);
    drop.sort_by(f64::total_cmp);
    let (keep, drop) = (keep[10], drop[10]);
    println!(
        "decode, median of 21 rounds: with {keep:.4} s, without {drop:.4} s: {:.2}x",
        keep / drop
    );
}
