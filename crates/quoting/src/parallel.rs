//! Splitting a pass over triangles between the machine's cores, with scoped threads.

use std::num::NonZeroUsize;
use std::sync::OnceLock;

/// Below this many items a pass runs on the calling thread: a thread costs more than it saves.
pub(crate) const MIN_PER_THREAD: usize = 32_768;

/// Number of worker threads to use (the cores available, at most 8).
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(8)
    })
}

/// How many parts to split `len` items into: one per core, but none smaller than
/// [`MIN_PER_THREAD`].
pub(crate) fn parts(len: usize) -> usize {
    threads().min(len / MIN_PER_THREAD).max(1)
}

/// Runs `f` on each part in parallel (the first on the calling thread), returning the
/// results in order.
pub(crate) fn map_parts<P, T, F>(parts: Vec<P>, f: F) -> Vec<T>
where
    P: Send,
    T: Send,
    F: Fn(P) -> T + Sync,
{
    if parts.len() <= 1 {
        return parts.into_iter().map(f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let mut parts = parts.into_iter();
        let own = parts.next();
        let handles: Vec<_> = parts.map(|part| scope.spawn(move || f(part))).collect();
        let mut results: Vec<T> = own.into_iter().map(f).collect();
        for handle in handles {
            match handle.join() {
                Ok(value) => results.push(value),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

/// Runs `f` on consecutive chunks of `items` in parallel, returning results in chunk order.
///
/// `f` receives the chunk and the index of its first item.
pub(crate) fn map_chunks<I, T, F>(items: &[I], f: F) -> Vec<T>
where
    I: Sync,
    T: Send,
    F: Fn(&[I], usize) -> T + Sync,
{
    let chunk = items.len().div_ceil(parts(items.len())).max(1);
    let chunks: Vec<(usize, &[I])> = items.chunks(chunk).enumerate().collect();
    map_parts(chunks, |(i, part)| f(part, i * chunk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_item_once_in_order() {
        let items: Vec<u64> = (0..200_000).collect();
        let sums = map_chunks(&items, |part, start| {
            assert_eq!(part[0], start as u64);
            part.iter().sum::<u64>()
        });
        assert_eq!(sums.iter().sum::<u64>(), items.iter().sum::<u64>());
    }

    #[test]
    fn a_small_input_runs_in_one_chunk() {
        let items = [1, 2, 3];
        assert_eq!(map_chunks(&items, |part, _| part.len()), vec![3]);
    }

    #[test]
    fn parts_come_back_in_order() {
        assert_eq!(
            map_parts(vec![1, 2, 3, 4], |p| p * 10),
            vec![10, 20, 30, 40]
        );
    }
}
