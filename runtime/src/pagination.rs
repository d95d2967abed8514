//! Cursor pagination as a `Stream` of items.

use crate::Error;
use std::future::Future;

/// The items of a cursor-paginated list as a stream: `fetch` gets one page's items and next
/// cursor, which `set_cursor` puts into the parameters for the following page. The list ends
/// at a page without a cursor (or with an empty one, or the same one again), or at an error.
pub fn paginate<'a, P, T, E, F, Fut>(
    params: P,
    fetch: F,
    set_cursor: fn(&mut P, String),
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    P: Clone + 'a,
    T: 'a,
    E: 'a,
    F: Fn(P) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>> + 'a,
{
    struct Pages<P, T, F> {
        params: P,
        buffered: std::vec::IntoIter<T>,
        last_cursor: Option<String>,
        finished: bool,
        fetch: F,
    }
    let start = Pages {
        params,
        buffered: Vec::new().into_iter(),
        last_cursor: None,
        finished: false,
        fetch,
    };
    futures_util::stream::unfold(start, move |mut pages| async move {
        loop {
            if let Some(item) = pages.buffered.next() {
                return Some((Ok(item), pages));
            }
            if pages.finished {
                return None;
            }
            match (pages.fetch)(pages.params.clone()).await {
                Err(err) => {
                    pages.finished = true;
                    return Some((Err(err), pages));
                }
                Ok((items, next)) => {
                    pages.buffered = items.into_iter();
                    match next.filter(|cursor| !cursor.is_empty()) {
                        Some(cursor) if pages.last_cursor.as_ref() != Some(&cursor) => {
                            set_cursor(&mut pages.params, cursor.clone());
                            pages.last_cursor = Some(cursor);
                        }
                        _ => pages.finished = true,
                    }
                }
            }
        }
    })
}
