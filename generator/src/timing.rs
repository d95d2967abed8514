//! Wall-clock time of each pipeline stage, reported by the benchmark.

use std::time::{Duration, Instant};

/// The stages a run went through, in order, with the time each took.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// The most heap bytes live at once during each stage, in the order of `stages`; filled
    /// only when `heap_peak` is set.
    pub peaks: Vec<usize>,
    /// Set by a benchmark whose allocator counts live bytes: returns the most that were live
    /// since the previous call, and starts counting again from what is live now.
    pub heap_peak: Option<fn() -> usize>,
}

impl Timings {
    pub(crate) fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        if let Some(heap_peak) = self.heap_peak {
            heap_peak();
        }
        let started = Instant::now();
        let result = work();
        self.stages.push((stage, started.elapsed()));
        if let Some(heap_peak) = self.heap_peak {
            self.peaks.push(heap_peak());
        }
        result
    }
}
