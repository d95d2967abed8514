//! Two pieces of independent work on two threads, for the stages that would otherwise leave the
//! second core idle. Results come back in a fixed order, so output never depends on which
//! thread finished first; where no thread can be had, both run on the calling one.

use std::sync::{Mutex, PoisonError};

/// The stack of every thread the pipeline runs on, [`on_helper`]'s and [`join`]'s. Its
/// recursive walks over a document nested as deep as it reads (`load::MAX_NESTING`) took at
/// most 48 MiB in a debug build (`openapiv3` reading 1,014 levels of `not` in a response, the
/// most stack a level costs); this leaves room to spare. Only the pages used are ever touched,
/// so the size costs address space, not memory.
const STACK_SIZE: usize = 256 << 20;

/// A builder for helper threads.
pub fn helper() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK_SIZE)
}

/// Runs `work` on a helper thread, whose stack is [`STACK_SIZE`] whatever the caller's: a test
/// harness thread has 2 MiB, a main thread 8 MiB. The caller waits; where no thread can be had,
/// `work` runs on the calling thread.
pub fn on_helper<R: Send>(work: impl FnMut() -> R + Send) -> R {
    join(|| (), work).1
}

/// Runs `later` on a second thread while `earlier` runs on this one; a panic in `later` goes on
/// here, as it would have without the thread. `later` runs once: it is `FnMut` only so that it
/// stays here, not moved into a thread that could not be had, and runs here instead.
pub fn join<E, L: Send>(earlier: impl FnOnce() -> E, later: impl FnMut() -> L + Send) -> (E, L) {
    let later = Mutex::new(later);
    let run_later = || (*later.lock().unwrap_or_else(PoisonError::into_inner))();
    std::thread::scope(|scope| {
        let helper = helper().spawn_scoped(scope, run_later);
        let earlier = earlier();
        let later = match helper {
            Ok(helper) => helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => run_later(),
        };
        (earlier, later)
    })
}

/// `f` of each item with its index, in order; the later half on a second thread.
pub fn map_in_halves<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let half = items.len() / 2;
    let (first, second) = items.split_at(half);
    let map = |offset: usize, items: &[T]| -> Vec<R> {
        items
            .iter()
            .enumerate()
            .map(|(index, item)| f(offset + index, item))
            .collect()
    };
    let (mut all, rest) = join(|| map(0, first), || map(half, second));
    all.extend(rest);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_come_back_in_order() {
        for length in [0, 1, 2, 7] {
            let items: Vec<usize> = (0..length).collect();
            let mapped = map_in_halves(&items, |index, item| (index, item * 10));
            let expected: Vec<(usize, usize)> = (0..length).map(|i| (i, i * 10)).collect();
            assert_eq!(mapped, expected);
        }
    }

    #[test]
    fn both_results_are_returned() {
        let (earlier, later) = join(|| "this thread", || 42);
        assert_eq!((earlier, later), ("this thread", 42));
    }
}
