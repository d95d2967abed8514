//! Wall-clock time of each pipeline stage, reported by the benchmark.

use std::time::{Duration, Instant};

/// The stages a run went through, in order, with the time each took.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub(crate) fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.stages.push((stage, started.elapsed()));
        result
    }
}
