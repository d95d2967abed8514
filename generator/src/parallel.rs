//! Two pieces of independent work on two threads, for the stages that would otherwise leave the
//! second core idle. Results come back in a fixed order, so output never depends on which
//! thread finished first; where no thread can be had, both run on the calling one.

use std::sync::Mutex;

/// A helper thread's stack: what Linux gives a main thread, since helpers now do work (reading
/// deeply nested schemas) that ran on the main thread before.
const STACK_SIZE: usize = 8 << 20;

/// A builder for helper threads.
pub fn helper() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK_SIZE)
}

/// Runs `later` on a second thread while `earlier` runs on this one; a panic in `later` goes on
/// here, as it would have without the thread. `later`'s result is `None` only if it never ran,
/// which the fallback to this thread rules out; callers redo the work or report an internal
/// error rather than rely on that.
pub fn join<E, L>(earlier: impl FnOnce() -> E, later: impl FnOnce() -> L + Send) -> (E, Option<L>)
where
    L: Send,
{
    // Shared rather than moved into the thread, so that it is still here if none can be had.
    let later = Mutex::new(Some(later));
    let run_later = || {
        let later = later.lock().ok()?.take()?;
        Some(later())
    };
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
    all.extend(rest.unwrap_or_else(|| map(half, second)));
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
        assert_eq!((earlier, later), ("this thread", Some(42)));
    }
}
