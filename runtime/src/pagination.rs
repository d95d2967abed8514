//! Cursor pagination as a `Stream` of items.

use std::collections::HashSet;
use std::future::Future;

use crate::Error;

/// Empty pages in a row, each with a new cursor, after which a list is taken not to end.
pub const MAX_EMPTY_PAGES: usize = 16;

/// The items of a cursor-paginated list as a stream: `fetch` gets one page's items and next
/// cursor, which `set_cursor` puts into the parameters for the following page. The list ends
/// at a page without a cursor (or with an empty one, or one it was given before: a server
/// that cycles would otherwise page forever), or at an error; [`MAX_EMPTY_PAGES`] empty pages
/// in a row end it with [`Error::Pagination`], since one `next()` would otherwise wait on
/// them forever.
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
        seen_cursors: HashSet<String>,
        empty_pages: usize,
        finished: bool,
        fetch: F,
    }
    let start = Pages {
        params,
        buffered: Vec::new().into_iter(),
        seen_cursors: HashSet::new(),
        empty_pages: 0,
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
                    pages.empty_pages = if items.is_empty() {
                        pages.empty_pages + 1
                    } else {
                        0
                    };
                    if pages.empty_pages >= MAX_EMPTY_PAGES {
                        pages.finished = true;
                        let why = format!(
                            "{MAX_EMPTY_PAGES} empty pages in a row, each with a new cursor"
                        );
                        return Some((Err(Error::Pagination(why)), pages));
                    }
                    pages.buffered = items.into_iter();
                    match next.filter(|cursor| !cursor.is_empty()) {
                        Some(cursor) if pages.seen_cursors.insert(cursor.clone()) => {
                            set_cursor(&mut pages.params, cursor);
                        }
                        _ => pages.finished = true,
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;
    use std::cell::RefCell;

    type Page = Result<(Vec<u32>, Option<String>), Error<()>>;

    /// The items read and the cursors each fetch was given, for pages answered by `page`.
    async fn read_all(
        page: impl Fn(Option<&str>) -> Page,
    ) -> (Vec<Result<u32, String>>, Vec<Option<String>>) {
        let fetched = RefCell::new(Vec::new());
        let items = paginate(
            None::<String>,
            |cursor: Option<String>| {
                let result = page(cursor.as_deref());
                fetched.borrow_mut().push(cursor);
                async move { result }
            },
            |params, cursor| *params = Some(cursor),
        )
        .map(|item| item.map_err(|err| err.to_string()))
        .take(20)
        .collect::<Vec<_>>()
        .await;
        (items, fetched.into_inner())
    }

    fn page(items: &[u32], next: Option<&str>) -> Page {
        Ok((items.to_vec(), next.map(str::to_owned)))
    }

    #[tokio::test]
    async fn follows_cursors_until_a_page_has_none() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => page(&[1, 2], Some("a")),
            Some("a") => page(&[], Some("b")),
            _ => page(&[3], None),
        })
        .await;
        assert_eq!(items, [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(fetched, [None, Some("a".to_owned()), Some("b".to_owned())]);
    }

    #[tokio::test]
    async fn endless_empty_pages_end_with_an_error() {
        let (items, fetched) = read_all(|cursor| {
            let next = format!("{}x", cursor.unwrap_or_default());
            page(&[], Some(&next))
        })
        .await;
        assert_eq!(
            items,
            [Err(format!(
                "the list did not end: {MAX_EMPTY_PAGES} empty pages in a row, each with a new cursor"
            ))]
        );
        assert_eq!(fetched.len(), MAX_EMPTY_PAGES);
    }

    #[tokio::test]
    async fn stops_at_an_empty_cursor() {
        let (items, fetched) = read_all(|_| page(&[1], Some(""))).await;
        assert_eq!(items, [Ok(1)]);
        assert_eq!(fetched.len(), 1);
    }

    #[tokio::test]
    async fn stops_when_the_same_cursor_comes_back() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => page(&[1], Some("a")),
            _ => page(&[2], Some("a")),
        })
        .await;
        assert_eq!(items, [Ok(1), Ok(2)]);
        assert_eq!(fetched.len(), 2);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => page(&[1], Some("a")),
            _ => Err(Error::MissingCredential("Key".to_owned())),
        })
        .await;
        assert_eq!(
            items,
            [
                Ok(1),
                Err("the client holds no credential for Key".to_owned())
            ]
        );
        assert_eq!(fetched.len(), 2);
    }

    #[tokio::test]
    async fn stops_when_an_earlier_cursor_comes_back() {
        let (items, _) = read_all(|cursor| match cursor {
            None => page(&[1], Some("a")),
            Some("a") => page(&[2], Some("b")),
            _ => page(&[3], Some("a")),
        })
        .await;
        assert_eq!(items, [Ok(1), Ok(2), Ok(3)]);
    }
}
