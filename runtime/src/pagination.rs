//! Lists read page after page, as a `Stream` of pages or of their items, whatever the API's
//! scheme: a cursor sent back as a parameter, an offset or page number moved on, the last
//! item's id, or a next page's URL in the body or in a `Link` header (RFC 8288, parsed in
//! [`link_next`]).
//!
//! The generated method says how a page gives the next one; this module drives the pages, and
//! ends a list that does not end: a position (cursor, offset, URL) seen before, or
//! [`MAX_EMPTY_PAGES`] empty pages in a row, is [`Error::Pagination`] rather than a loop.

use std::collections::HashSet;
use std::future::Future;

use futures_util::StreamExt as _;

use crate::{Error, HeaderMap, Response};

/// Empty pages in a row, each with a new position, after which a list is taken not to end.
pub const MAX_EMPTY_PAGES: usize = 16;

/// Where a list's next page is, as read from the page before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// The parameters were moved on to the next page; the text names the new position (a
    /// cursor, an offset, a page number, the last id), so that a position seen before ends
    /// the list.
    Params(String),
    /// The next page is at this URL, absolute or relative to the page's own, with the same
    /// origin as the client's base URL.
    Url(String),
    /// This was the last page.
    End,
    /// The page says the list goes on but not from where (a `has_more` page with no item to
    /// continue after): the list ends with [`Error::Pagination`] saying so, after this page,
    /// rather than being taken to end where it does not.
    Stuck(String),
}

impl Next {
    /// A cursor for the next page, given to `set` unless it is absent or empty.
    pub fn cursor(cursor: Option<String>, set: impl FnOnce(String)) -> Next {
        match cursor.filter(|cursor| !cursor.is_empty()) {
            Some(cursor) => {
                set(cursor.clone());
                Next::Params(cursor)
            }
            None => Next::End,
        }
    }

    /// The last item's id as the next cursor, given to `set`, while the page says there are
    /// more (`has_more`); a page that says so but has no last id is [`Next::Stuck`].
    pub fn after_last(has_more: bool, last: Option<String>, set: impl FnOnce(String)) -> Next {
        if !has_more {
            return Next::End;
        }
        match Next::cursor(last, set) {
            Next::End => Next::Stuck(
                "the page says the list has more, but holds no item to continue after".to_owned(),
            ),
            next => next,
        }
    }

    /// A next page's URL, unless it is absent or empty.
    pub fn url(url: Option<String>) -> Next {
        match url.filter(|url| !url.is_empty()) {
            Some(url) => Next::Url(url),
            None => Next::End,
        }
    }

    /// An offset moved on by the `read` items of this page from `offset`: the end at an empty
    /// page, at a page shorter than `limit`, or at `total` when the page gives one.
    pub fn offset(
        offset: i64,
        read: usize,
        limit: Option<i64>,
        total: Option<i64>,
        set: impl FnOnce(i64),
    ) -> Next {
        let read = i64::try_from(read).unwrap_or(i64::MAX);
        let next = offset.saturating_add(read);
        let short = limit.is_some_and(|limit| read < limit);
        if read == 0 || short || total.is_some_and(|total| next >= total) {
            return Next::End;
        }
        set(next);
        Next::Params(next.to_string())
    }

    /// A page number moved on by one: the end at an empty page or one shorter than `limit`.
    pub fn page(page: i64, read: usize, limit: Option<i64>, set: impl FnOnce(i64)) -> Next {
        let short = limit.is_some_and(|limit| i64::try_from(read).unwrap_or(i64::MAX) < limit);
        if read == 0 || short {
            return Next::End;
        }
        let next = page.saturating_add(1);
        set(next);
        Next::Params(next.to_string())
    }
}

/// The pages of a list: `fetch` sends the operation with the parameters (and, for a page found
/// by URL, that URL in place of the operation's), `next` reads where the page after it is and
/// moves the parameters on, `count` tells how many items a page holds. Pages are fetched as
/// the stream is read, each a call under the client's limits and retries; an error ends it.
pub fn pages<'a, P, B, E, F, Fut>(
    params: P,
    fetch: F,
    next: fn(&Response<B>, &mut P) -> Next,
    count: fn(&B) -> usize,
) -> impl futures_util::Stream<Item = Result<Response<B>, Error<E>>> + 'a
where
    P: 'a,
    B: 'a,
    E: 'a,
    F: Fn(&P, Option<String>) -> Fut + 'a,
    Fut: Future<Output = Result<Response<B>, Error<E>>> + 'a,
{
    struct Pages<P, F, E> {
        params: P,
        url: Option<String>,
        seen: HashSet<String>,
        empty_pages: usize,
        /// Ends the list after the page it follows was handed over.
        pending: Option<Error<E>>,
        finished: bool,
        fetch: F,
    }
    let start = Pages {
        params,
        url: None,
        seen: HashSet::new(),
        empty_pages: 0,
        pending: None,
        finished: false,
        fetch,
    };
    futures_util::stream::unfold(start, move |mut pages| async move {
        if let Some(error) = pages.pending.take() {
            pages.finished = true;
            return Some((Err(error), pages));
        }
        if pages.finished {
            return None;
        }
        let page = match (pages.fetch)(&pages.params, pages.url.take()).await {
            Ok(page) => page,
            Err(error) => {
                pages.finished = true;
                return Some((Err(error), pages));
            }
        };
        pages.empty_pages = if count(&page.body) == 0 {
            pages.empty_pages + 1
        } else {
            0
        };
        let position = match next(&page, &mut pages.params) {
            Next::End => {
                pages.finished = true;
                None
            }
            Next::Stuck(reason) => {
                pages.pending = Some(Error::Pagination(reason));
                None
            }
            Next::Params(position) => Some(position),
            Next::Url(url) => {
                pages.url = Some(url.clone());
                Some(url)
            }
        };
        if let Some(position) = position {
            if pages.empty_pages >= MAX_EMPTY_PAGES {
                pages.pending = Some(Error::Pagination(format!(
                    "{MAX_EMPTY_PAGES} empty pages in a row, each with a new position"
                )));
            } else if !pages.seen.insert(position.clone()) {
                pages.pending = Some(Error::Pagination(format!(
                    "the page at `{}` was read before",
                    shortened(&position)
                )));
            }
        }
        Some((Ok(page), pages))
    })
}

/// The page of a list whose operation documents other successes too (a 304 Not Modified, a
/// redirect, a 204 or a 202): `page` takes it out of the response's variant; any other success
/// holds no page, and ends the list with [`Error::Pagination`] naming its status, so that it
/// is never taken for the list's end.
pub async fn page_of<R, B, E>(
    call: impl Future<Output = Result<Response<R>, Error<E>>>,
    page: fn(R) -> Option<B>,
) -> Result<Response<B>, Error<E>> {
    let response = call.await?;
    let status = response.status;
    match page(response.body) {
        Some(body) => Ok(Response {
            status,
            headers: response.headers,
            body,
        }),
        None => Err(Error::Pagination(format!(
            "the server answered {status}, a success that holds no page"
        ))),
    }
}

/// The items of `pages`, in order, each page's taken out by `items`; an error ends them.
pub fn items<'a, B, T, E>(
    pages: impl futures_util::Stream<Item = Result<Response<B>, Error<E>>> + 'a,
    items: fn(B) -> Vec<T>,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    B: 'a,
    T: 'a,
    E: 'a,
{
    pages.flat_map(move |page| {
        let items: Vec<Result<T, Error<E>>> = match page {
            Ok(page) => items(page.body).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        futures_util::stream::iter(items)
    })
}

/// A position as an error shows it: cursors and URLs can be long.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The target of the first link whose relation is `next` in a response's `Link` headers
/// (RFC 8288): `<https://api.example/items?page=2>; rel="next", <...>; rel="last"`.
///
/// Written here rather than taken from a crate: the crates that parse the header bring a
/// regex engine into every client for a grammar of a few lines, and a server's header must
/// give an answer or none, never a panic.
pub fn link_next(headers: &HeaderMap) -> Next {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else {
            continue;
        };
        for link in links(value) {
            if link
                .relations
                .iter()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
            {
                return Next::url(Some(link.target.to_owned()));
            }
        }
    }
    Next::End
}

/// One link of a `Link` header: its target and the relation types of its `rel`.
#[derive(Debug, PartialEq)]
struct Link<'a> {
    target: &'a str,
    relations: Vec<String>,
}

/// The links of one `Link` header value, those that do not parse left out.
fn links(value: &str) -> Vec<Link<'_>> {
    let mut found = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let Some(after_open) = rest.strip_prefix('<') else {
            return found;
        };
        let Some(close) = after_open.find('>') else {
            return found;
        };
        let target = after_open[..close].trim();
        rest = &after_open[close + 1..];
        let mut relations = Vec::new();
        // Parameters up to the comma that ends this link; a quoted value may hold either.
        loop {
            rest = rest.trim_start();
            let Some(after_semicolon) = rest.strip_prefix(';') else {
                break;
            };
            let (name, value, after) = parameter(after_semicolon);
            rest = after;
            if name.eq_ignore_ascii_case("rel") && relations.is_empty() {
                relations = value.split_ascii_whitespace().map(str::to_owned).collect();
            }
        }
        found.push(Link { target, relations });
        // Anything before the next comma that is not a parameter is skipped.
        match rest.find(',') {
            Some(comma) if !rest[..comma].contains('<') => rest = &rest[comma..],
            _ if rest.trim().is_empty() => return found,
            _ => {}
        }
    }
}

/// One `name=value` (or `name="quoted value"`, or a bare `name`) parameter, and what follows.
fn parameter(text: &str) -> (&str, String, &str) {
    let text = text.trim_start();
    let name_end = text
        .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_ascii_whitespace())
        .unwrap_or(text.len());
    let name = &text[..name_end];
    let rest = text[name_end..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return (name, String::new(), rest);
    };
    let rest = rest.trim_start();
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (name, value, &quoted[at + 1..]),
                c => value.push(c),
            }
        }
        return (name, value, "");
    }
    let end = rest.find([';', ',']).unwrap_or(rest.len());
    (name, rest[..end].trim().to_owned(), &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    use crate::StatusCode;

    type Page = (Vec<u32>, Option<String>);

    fn response(items: &[u32], next: Option<&str>) -> Result<Response<Page>, Error<()>> {
        Ok(Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: (items.to_vec(), next.map(str::to_owned)),
        })
    }

    /// The items read and the cursors each fetch was given, for pages answered by `page`.
    async fn read_all(
        page: impl Fn(Option<&str>) -> Result<Response<Page>, Error<()>>,
    ) -> (Vec<Result<u32, String>>, Vec<Option<String>>) {
        let fetched = RefCell::new(Vec::new());
        let pages = pages(
            None::<String>,
            |cursor: &Option<String>, _url| {
                let result = page(cursor.as_deref());
                fetched.borrow_mut().push(cursor.clone());
                async move { result }
            },
            |page, params| Next::cursor(page.body.1.clone(), |cursor| *params = Some(cursor)),
            |page| page.0.len(),
        );
        let items = items(pages, |page| page.0)
            .map(|item| item.map_err(|err| err.to_string()))
            .take(40)
            .collect::<Vec<_>>()
            .await;
        (items, fetched.into_inner())
    }

    #[tokio::test]
    async fn follows_cursors_until_a_page_has_none() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => response(&[1, 2], Some("a")),
            Some("a") => response(&[], Some("b")),
            _ => response(&[3], None),
        })
        .await;
        assert_eq!(items, [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(fetched, [None, Some("a".to_owned()), Some("b".to_owned())]);
    }

    #[tokio::test]
    async fn stops_at_an_empty_cursor() {
        let (items, fetched) = read_all(|_| response(&[1], Some(""))).await;
        assert_eq!(items, [Ok(1)]);
        assert_eq!(fetched.len(), 1);
    }

    #[tokio::test]
    async fn a_cursor_that_comes_back_ends_with_an_error() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => response(&[1], Some("a")),
            Some("a") => response(&[2], Some("b")),
            _ => response(&[3], Some("a")),
        })
        .await;
        assert_eq!(
            items,
            [
                Ok(1),
                Ok(2),
                Ok(3),
                Err("the list did not end: the page at `a` was read before".to_owned())
            ]
        );
        assert_eq!(fetched.len(), 3);
    }

    #[tokio::test]
    async fn endless_empty_pages_end_with_an_error() {
        let (items, fetched) = read_all(|cursor| {
            let next = format!("{}x", cursor.unwrap_or_default());
            response(&[], Some(&next))
        })
        .await;
        assert_eq!(
            items,
            [Err(format!(
                "the list did not end: {MAX_EMPTY_PAGES} empty pages in a row, each with a new position"
            ))]
        );
        assert_eq!(fetched.len(), MAX_EMPTY_PAGES);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let (items, fetched) = read_all(|cursor| match cursor {
            None => response(&[1], Some("a")),
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

    #[test]
    fn offsets_and_page_numbers_end_at_an_empty_short_or_last_page() {
        let mut set = None;
        assert_eq!(
            Next::offset(0, 10, Some(10), None, |n| set = Some(n)),
            Next::Params("10".into())
        );
        assert_eq!(set, Some(10));
        assert_eq!(Next::offset(10, 4, Some(10), None, |_| {}), Next::End);
        assert_eq!(Next::offset(10, 0, None, None, |_| {}), Next::End);
        assert_eq!(Next::offset(10, 10, None, Some(20), |_| {}), Next::End);
        assert_eq!(
            Next::offset(i64::MAX, 10, None, None, |_| {}),
            Next::Params(i64::MAX.to_string())
        );
        assert_eq!(
            Next::page(1, 30, Some(30), |_| {}),
            Next::Params("2".into())
        );
        assert_eq!(Next::page(2, 29, Some(30), |_| {}), Next::End);
        assert_eq!(Next::page(2, 0, None, |_| {}), Next::End);
    }

    fn next_of(values: &[&str]) -> Next {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                reqwest::header::LINK,
                reqwest::header::HeaderValue::from_str(value).expect("a header value"),
            );
        }
        link_next(&headers)
    }

    #[test]
    fn link_headers_per_rfc_8288() {
        let next = |url: &str| Next::Url(url.to_owned());
        let cases: [(&[&str], Next); 12] = [
            // GitHub's form: several links, quoted rel.
            (
                &[
                    r#"<https://api.github.com/orgs/o/repos?page=2>; rel="next", <https://api.github.com/orgs/o/repos?page=5>; rel="last""#,
                ],
                next("https://api.github.com/orgs/o/repos?page=2"),
            ),
            // `next` not first; unquoted rel.
            (
                &[r#"<https://a.test/?p=1>; rel=prev, <https://a.test/?p=3>; rel=next"#],
                next("https://a.test/?p=3"),
            ),
            // Several relation types in one rel.
            (
                &[r#"<https://a.test/?p=3>; rel="next last""#],
                next("https://a.test/?p=3"),
            ),
            // Whitespace anywhere, and a relative URL.
            (
                &["  < /items?cursor=abc >  ;  rel = \"next\"  "],
                next("/items?cursor=abc"),
            ),
            // Parameters in any order, Sentry's extra ones among them.
            (
                &[
                    r#"<https://s.test/?cursor=0:100:0>; results="true"; rel="next"; cursor="0:100:0""#,
                ],
                next("https://s.test/?cursor=0:100:0"),
            ),
            // A quoted parameter holding a comma and a semicolon.
            (
                &[r#"<https://a.test/1>; title="a, b; c"; rel="next""#],
                next("https://a.test/1"),
            ),
            // Case of the relation, and of the parameter's name.
            (
                &[r#"<https://a.test/2>; REL="Next""#],
                next("https://a.test/2"),
            ),
            // Only the first rel counts.
            (
                &[r#"<https://a.test/3>; rel="prev"; rel="next""#],
                Next::End,
            ),
            // In a second header.
            (
                &[
                    r#"<https://a.test/?p=1>; rel="prev""#,
                    r#"<https://a.test/?p=3>; rel="next""#,
                ],
                next("https://a.test/?p=3"),
            ),
            // No next link.
            (&[r#"<https://a.test/?p=1>; rel="prev""#], Next::End),
            // Not a link at all.
            (&["garbage; rel=next"], Next::End),
            // Unclosed.
            (&[r#"<https://a.test/?p=3; rel="next""#], Next::End),
        ];
        for (values, expected) in cases {
            assert_eq!(next_of(values), expected, "{values:?}");
        }
        assert_eq!(next_of(&[]), Next::End);
    }
}
