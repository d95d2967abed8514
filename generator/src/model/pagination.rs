//! How a list operation pages, recognised from its parameters, its response and the spec's
//! pagination extensions, or declared by the user: the scheme its paginator follows, where the
//! items are, and a note of the decision for `--explain-pagination`.
//!
//! The page is the one 2xx success whose body holds items: a 304, a redirect, a 204 or a 202
//! beside it holds none (GitHub documents one beside most lists).
//!
//! Declarations come first and are read exactly: the user's `pagination` option, then
//! `x-speakeasy-pagination`, `x-dropshot-pagination` and `x-pagination` (Datadog's
//! `limitParam`, `pageOffsetParam` or `pageParam`, and `resultsPath`; or `cursorParam` and
//! `cursorPath`). Otherwise the shape decides, in this order, each rule asking for a match in
//! both the request and the response so that nothing is guessed from a name alone:
//!
//! 1. a documented `Link` response header (RFC 8288); or a bare list that takes an opaque
//!    cursor, which has nowhere else to learn the next one: a guess, warned about;
//! 2. a boolean `has_more` and a `starting_after`/`after` parameter: the last item's `id`;
//! 3. a body field with the next page's cursor and the query parameter it goes back in
//!    (`next_cursor` → `cursor`, `nextPageToken` → `pageToken`, `next_page.offset` → `offset`,
//!    `meta.next_token` → `pagination_token`);
//! 4. a body field with the next page's URL (`next`, `nextLink`, `@odata.nextLink`,
//!    `links.next`, ...);
//! 5. an integer `offset` parameter (with `limit`, and a `total` in the body if there is one);
//! 6. an integer `page` parameter (with `per_page`).
//!
//! A list that takes a cursor-like parameter but whose response gives no next one, or the other
//! way round, is a near miss: a warning at its pointer, and no paginator.

use super::schemas::TypeBuilder;
use super::{Param, ParamLocation, Primitive, Response, StatusMatch, TypeId, TypeKind, TypeRef};
use crate::options::{PagingRule, PagingScheme};

/// How a list operation pages.
pub struct Pagination {
    pub scheme: PageScheme,
    /// The field path to the page's items; `None` when the body is the list itself.
    pub items: Option<FieldPath>,
    /// The success body: the page.
    pub page: TypeRef,
    /// The page's response among the operation's; a list that also documents a success
    /// holding no page (a 304, 301, 204 or 202) has the others as variants beside it.
    pub response: usize,
    pub item: TypeRef,
    /// The client methods that stream the items and the pages.
    pub stream_name: String,
    pub pages_name: String,
}

/// Where the next page is.
pub enum PageScheme {
    /// A body field holds the cursor that query parameter `param` takes for the next page.
    Cursor { param: usize, next: FieldPath },
    /// A body field holds the next page's URL.
    NextUrl { next: FieldPath },
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// While `has_more` is true, the last item's `id` goes in `param`; with `id_on_page`,
    /// the page's own field says what the last id is (`last_id`).
    LastId {
        param: usize,
        has_more: FieldPath,
        id: FieldPath,
        id_on_page: bool,
    },
    /// `param` moves on by the items read, until a page is empty, shorter than the `limit`
    /// parameter's value, or reaches `total`.
    Offset {
        param: usize,
        limit: Option<usize>,
        total: Option<FieldPath>,
    },
    /// `param` counts pages from `first`, until a page is empty or shorter than `limit`.
    Page {
        param: usize,
        first: i64,
        limit: Option<usize>,
    },
}

/// A field reached through the fields of nested structs, from a page or an item.
#[derive(Clone)]
pub struct FieldPath {
    pub steps: Vec<Step>,
}

#[derive(Clone)]
pub struct Step {
    /// The struct the field belongs to.
    pub owner: TypeId,
    pub name: String,
    pub wire_name: String,
    pub required: bool,
    pub nullable: bool,
}

impl Pagination {
    /// Every field path the scheme and the items follow.
    pub fn field_paths_mut(&mut self) -> Vec<&mut FieldPath> {
        let mut paths: Vec<&mut FieldPath> = self.items.iter_mut().collect();
        match &mut self.scheme {
            PageScheme::Cursor { next, .. } | PageScheme::NextUrl { next } => paths.push(next),
            PageScheme::LastId { has_more, id, .. } => {
                paths.push(has_more);
                paths.push(id);
            }
            PageScheme::Offset { total, .. } => paths.extend(total.iter_mut()),
            PageScheme::Link | PageScheme::Page { .. } => {}
        }
        paths
    }
}

impl FieldPath {
    /// As the spec names it: `links.next`.
    pub fn wire(&self) -> String {
        let names: Vec<&str> = self.steps.iter().map(|s| s.wire_name.as_str()).collect();
        names.join(".")
    }
}

impl PageScheme {
    /// The scheme in a few words, for `--explain-pagination`.
    pub fn describe(&self, params: &[Param]) -> String {
        let param = |index: &usize| {
            params
                .get(*index)
                .map_or_else(String::new, |p| p.wire_name.clone())
        };
        match self {
            Self::Cursor { param: p, next } => {
                format!("cursor: `{}` sent back as `{}`", next.wire(), param(p))
            }
            Self::NextUrl { next } => format!("next URL in `{}`", next.wire()),
            Self::Link => "`Link` header, rel=\"next\"".to_owned(),
            Self::LastId {
                param: p, has_more, ..
            } => format!(
                "the last item's id as `{}` while `{}`",
                param(p),
                has_more.wire()
            ),
            Self::Offset {
                param: p,
                limit,
                total,
            } => {
                let mut text = format!("offset `{}`", param(p));
                if let Some(limit) = limit {
                    text.push_str(&format!(" with limit `{}`", param(limit)));
                }
                if let Some(total) = total {
                    text.push_str(&format!(", up to `{}`", total.wire()));
                }
                text
            }
            Self::Page {
                param: p, limit, ..
            } => {
                let mut text = format!("page number `{}`", param(p));
                if let Some(limit) = limit {
                    text.push_str(&format!(" with page size `{}`", param(limit)));
                }
                text
            }
        }
    }
}

/// What became of one list operation's pagination: a paginator, or why not.
pub enum Decision {
    Paged(Box<Pagination>),
    /// A list, left without a paginator; the reason.
    Unpaged(String),
    /// A near miss: why, for a warning; and the paginator it has if the API's other lists
    /// page by the `Link` header, for a cursor that no body field gives.
    NearMiss {
        why: String,
        by_link: Option<Box<Pagination>>,
    },
    /// Paged by the `Link` header that the spec never documents: a bare list that takes an
    /// opaque cursor has nowhere else to say where the next page is, but it is a guess, to
    /// be warned about with why.
    Guessed {
        pagination: Box<Pagination>,
        why: String,
    },
    /// Not a list at all (no success body with items).
    NotAList,
}

const CURSOR_PARAMS: [&str; 14] = [
    "page",
    "cursor",
    "page_token",
    "pagetoken",
    "next_page_token",
    "pagination_token",
    "next_token",
    "token",
    "marker",
    "continuation",
    "continuation_token",
    "after",
    "next",
    "offset",
];

/// Whether a cursor parameter takes an item's id (Letta's and Discord's `after`: "the lists
/// that come after this id"), which a client can take from the page itself: a bare list taking
/// one is not guessed to page by a `Link` header.
fn takes_an_id(wire_name: &str) -> bool {
    squashed(wire_name) == "after"
}

const NEXT_URL_FIELDS: [&[&str]; 12] = [
    &["next"],
    &["next_url"],
    &["nextUrl"],
    &["nextLink"],
    &["@odata.nextLink"],
    &["next_page_url"],
    &["nextPageUrl"],
    &["links", "next"],
    &["_links", "next", "href"],
    &["links", "next", "href"],
    &["pages", "next"],
    &["paging", "next"],
];

const ITEM_FIELDS: [&str; 12] = [
    "data",
    "items",
    "results",
    "entries",
    "value",
    "records",
    "list",
    "elements",
    "objects",
    "content",
    "resources",
    "collection",
];

const TOTAL_FIELDS: [&[&str]; 6] = [
    &["total"],
    &["total_count"],
    &["totalCount"],
    &["total_results"],
    &["meta", "total"],
    &["pagination", "total"],
];

/// Whether a success of `status` may be a list's page: a 2xx that is neither 202 Accepted (the
/// work is not done) nor 204 No Content.
fn holds_a_page(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(code) => (200..300).contains(&code) && code != 202 && code != 204,
        StatusMatch::Range(hundreds) => hundreds == 2,
        StatusMatch::Default => false,
    }
}

/// Letters and digits only, lower case: `nextPageToken` and `next_page_token` alike.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub struct Finder<'t, 'a> {
    pub types: &'t TypeBuilder<'a>,
}

impl Finder<'_, '_> {
    /// The struct a type names, through aliases.
    fn struct_of(&self, ty: &TypeRef) -> Option<TypeId> {
        let mut ty = ty;
        for _ in 0..32 {
            match ty {
                TypeRef::Named(id) => match self.types.kind_of(*id)? {
                    TypeKind::Struct(_) => return Some(*id),
                    TypeKind::Alias(target) => ty = target,
                    _ => return None,
                },
                TypeRef::Nullable(inner) => ty = inner,
                _ => return None,
            }
        }
        None
    }

    /// A type with aliases and nullability seen through.
    fn resolved<'r>(&'r self, ty: &'r TypeRef) -> &'r TypeRef {
        let mut ty = ty;
        for _ in 0..32 {
            match ty {
                TypeRef::Named(id) => match self.types.kind_of(*id) {
                    Some(TypeKind::Alias(target)) => ty = target,
                    _ => return ty,
                },
                TypeRef::Nullable(inner) => ty = inner,
                other => return other,
            }
        }
        ty
    }

    /// The field at `path` (wire names) from `root`, and its type.
    fn path(&self, root: &TypeRef, path: &[&str]) -> Option<(FieldPath, TypeRef)> {
        let mut ty = root.clone();
        let mut steps = Vec::new();
        for name in path {
            let owner = self.struct_of(&ty)?;
            let field = self
                .types
                .struct_fields(owner)?
                .iter()
                .find(|f| !f.flatten && f.wire_name == *name)?;
            steps.push(Step {
                owner,
                name: field.name.clone(),
                wire_name: field.wire_name.clone(),
                required: field.required,
                nullable: field.nullable,
            });
            ty = field.ty.clone();
        }
        Some((FieldPath { steps }, ty))
    }

    fn is(&self, ty: &TypeRef, primitive: Primitive) -> bool {
        *self.resolved(ty) == TypeRef::Primitive(primitive)
    }

    /// The field at `path` from `root`, when it is a `primitive`.
    pub(super) fn typed(
        &self,
        root: &TypeRef,
        path: &[&str],
        primitive: Primitive,
    ) -> Option<FieldPath> {
        self.path(root, path)
            .filter(|(_, ty)| self.is(ty, primitive))
            .map(|(path, _)| path)
    }

    /// The optional string query parameters that name a cursor (`cursor`, `pageToken`, ...).
    fn cursor_params(&self, params: &[Param]) -> Vec<usize> {
        params
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                matches!(p.location, ParamLocation::Query(_))
                    && !p.required
                    && self.is(&p.ty, Primitive::String)
                    && CURSOR_PARAMS
                        .iter()
                        .any(|name| squashed(name) == squashed(&p.wire_name))
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// Where the page's items are, and their type.
    fn items(
        &self,
        page: &TypeRef,
        declared: Option<&str>,
    ) -> Option<(Option<FieldPath>, TypeRef)> {
        if let TypeRef::Array(item) = self.resolved(page) {
            return Some((None, (**item).clone()));
        }
        let owner = self.struct_of(page)?;
        let fields = self.types.struct_fields(owner)?;
        let arrays: Vec<&str> = fields
            .iter()
            .filter(|f| matches!(self.resolved(&f.ty), TypeRef::Array(_)))
            .map(|f| f.wire_name.as_str())
            .collect();
        let chosen = match declared {
            Some(declared) => declared.to_owned(),
            None => ITEM_FIELDS
                .iter()
                .find(|name| arrays.contains(name))
                .map(|name| (*name).to_owned())
                .or_else(|| (arrays.len() == 1).then(|| arrays[0].to_owned()))?,
        };
        let path: Vec<&str> = chosen.split('.').collect();
        let (path, ty) = self.path(page, &path)?;
        match self.resolved(&ty) {
            TypeRef::Array(item) => Some((Some(path), (**item).clone())),
            _ => None,
        }
    }

    /// An optional query parameter by wire name, of `primitive` type.
    fn param(&self, params: &[Param], name: &str, primitive: Primitive) -> Option<usize> {
        params.iter().position(|p| {
            matches!(p.location, ParamLocation::Query(_))
                && !p.required
                && squashed(&p.wire_name) == squashed(name)
                && self.is(&p.ty, primitive)
        })
    }

    /// The page's integer field with the list's total length, if it has one.
    fn total(&self, page: &TypeRef) -> Option<FieldPath> {
        TOTAL_FIELDS
            .iter()
            .find_map(|path| self.typed(page, path, Primitive::Integer))
    }

    fn limit_param(&self, params: &[Param]) -> Option<usize> {
        [
            "limit",
            "per_page",
            "page_size",
            "pageSize",
            "count",
            "size",
            "max_results",
        ]
        .iter()
        .find_map(|name| self.param(params, name, Primitive::Integer))
    }

    /// The decision for one GET (or declared) operation.
    pub fn decide(
        &self,
        params: &[Param],
        responses: &[Response],
        documents_link: bool,
        extensions: &Extensions,
        rule: Option<&PagingRule>,
    ) -> Decision {
        if rule.is_some_and(|rule| rule.scheme == PagingScheme::None) {
            return Decision::Unpaged("`pagination` says none".to_owned());
        }
        let declared_items = rule
            .or(extensions.rule.as_ref())
            .and_then(|rule| rule.items.as_deref());
        // A redirect, a 304 Not Modified, a 204 or a 202 beside a list holds no page (GitHub
        // documents one beside most of its lists); the page is the 2xx whose body holds items.
        let pages: Vec<(usize, TypeRef, Option<FieldPath>, TypeRef)> = responses
            .iter()
            .enumerate()
            .filter(|(_, r)| holds_a_page(r.status))
            .filter_map(|(index, r)| {
                let page = r.body.clone()?;
                let (items, item) = self.items(&page, declared_items)?;
                Some((index, page, items, item))
            })
            .collect();
        // Of several, the 200's: what a first request is answered with.
        let chosen = match pages.as_slice() {
            [one] => Some(one),
            several => several
                .iter()
                .find(|(index, ..)| responses[*index].status == StatusMatch::Code(200)),
        };
        let Some((response, page, items, item)) = chosen.cloned() else {
            return match rule {
                Some(_) => Decision::NearMiss {
                    why: "`pagination` is declared, but the response holds no list of items"
                        .to_owned(),
                    by_link: None,
                },
                // A `Link` header says the spec thinks it pages: say why it does not.
                None if documents_link => Decision::Unpaged(
                    "its response documents a `Link` header, but no success holds a list of \
                     items (an array, or an object with one array field)"
                        .to_owned(),
                ),
                None => Decision::NotAList,
            };
        };
        let pagination = |scheme| {
            Box::new(Pagination {
                scheme,
                items: items.clone(),
                page: page.clone(),
                response,
                item: item.clone(),
                stream_name: String::new(),
                pages_name: String::new(),
            })
        };
        let paged = |scheme| Decision::Paged(pagination(scheme));
        if let Some(rule) = rule {
            return match self.declared(params, &page, &item, rule, &Declared::default()) {
                Ok(scheme) => paged(scheme),
                Err(why) => Decision::NearMiss {
                    why: format!("`pagination` for it: {why}"),
                    by_link: None,
                },
            };
        }
        if let Some(declared) = &extensions.rule {
            return match self.declared(params, &page, &item, declared, &extensions.declared) {
                Ok(scheme) => paged(scheme),
                Err(why) => Decision::NearMiss {
                    why: format!("`{}`: {why}", extensions.name),
                    by_link: None,
                },
            };
        }
        match self.found(params, documents_link, &page, &item) {
            // `found` gives `Link` undocumented only for a bare list taking a cursor.
            Ok(PageScheme::Link) if !documents_link => {
                let cursor = self
                    .cursor_params(params)
                    .first()
                    .map_or_else(String::new, |index| params[*index].wire_name.clone());
                Decision::Guessed {
                    pagination: pagination(PageScheme::Link),
                    why: format!(
                        "the spec documents no `Link` header, but the response is a bare list \
                         and it takes `{cursor}`"
                    ),
                }
            }
            Ok(scheme) => paged(scheme),
            Err(Decision::NearMiss { why, by_link: None })
                if !self.cursor_params(params).is_empty() =>
            {
                Decision::NearMiss {
                    why,
                    by_link: Some(pagination(PageScheme::Link)),
                }
            }
            Err(miss) => miss,
        }
    }

    /// A scheme as a rule declares it, checked against the operation.
    fn declared(
        &self,
        params: &[Param],
        page: &TypeRef,
        item: &TypeRef,
        rule: &PagingRule,
        declared: &Declared,
    ) -> Result<PageScheme, String> {
        let param = |kind: Primitive| -> Result<usize, String> {
            let name = rule.param.as_deref().ok_or("it names no `param`")?;
            self.param(params, name, kind).ok_or_else(|| {
                format!("the operation has no optional query parameter `{name}` of that type")
            })
        };
        // The page size: the parameter a declaration names, else one found by name.
        let limit = || -> Result<Option<usize>, String> {
            match declared.limit.as_deref() {
                Some(name) => self
                    .param(params, name, Primitive::Integer)
                    .map(Some)
                    .ok_or_else(|| {
                        format!("the operation has no optional integer query parameter `{name}`")
                    }),
                None => Ok(self.limit_param(params)),
            }
        };
        // The field a rule names, of the type its role needs.
        let field = |name: Option<&str>, what: &str, primitive| -> Result<FieldPath, String> {
            let name = name.ok_or_else(|| format!("it names no `{what}`"))?;
            let path: Vec<&str> = name.split('.').collect();
            let (path, ty) = self
                .path(page, &path)
                .ok_or_else(|| format!("the response has no field `{name}`"))?;
            if !self.is(&ty, primitive) {
                let kind = match primitive {
                    Primitive::Boolean => "a boolean",
                    _ => "a string",
                };
                return Err(format!("`{}` is not {kind}", path.wire()));
            }
            Ok(path)
        };
        match rule.scheme {
            PagingScheme::Cursor => Ok(PageScheme::Cursor {
                next: field(rule.next.as_deref(), "next", Primitive::String)?,
                param: param(Primitive::String)?,
            }),
            PagingScheme::NextUrl => Ok(PageScheme::NextUrl {
                next: field(rule.next.as_deref(), "next", Primitive::String)?,
            }),
            PagingScheme::Link => Ok(PageScheme::Link),
            PagingScheme::LastId => {
                let has_more = field(rule.has_more.as_deref(), "has-more", Primitive::Boolean)?;
                let (id, id_on_page) = self
                    .last_id(page, item)
                    .ok_or("neither the items' `id` nor the page's `last_id` is a string")?;
                Ok(PageScheme::LastId {
                    param: param(Primitive::String)?,
                    has_more,
                    id,
                    id_on_page,
                })
            }
            PagingScheme::Offset => Ok(PageScheme::Offset {
                param: param(Primitive::Integer)?,
                limit: limit()?,
                total: self.total(page),
            }),
            PagingScheme::Page => {
                let param = param(Primitive::Integer)?;
                let first = first_page(&params[param], declared.first_page.unwrap_or(1));
                Ok(PageScheme::Page {
                    param,
                    first,
                    limit: limit()?,
                })
            }
            PagingScheme::None => Err("it says none".to_owned()),
        }
    }

    /// The scheme the operation's shape shows, or why there is none.
    fn found(
        &self,
        params: &[Param],
        documents_link: bool,
        page: &TypeRef,
        item: &TypeRef,
    ) -> Result<PageScheme, Decision> {
        if documents_link {
            return Ok(PageScheme::Link);
        }
        // The last item's id, while the page says there is more.
        let has_more = ["has_more", "hasMore"]
            .iter()
            .find_map(|name| self.typed(page, &[name], Primitive::Boolean));
        let after = ["starting_after", "after"]
            .iter()
            .find_map(|name| self.param(params, name, Primitive::String));
        if let (Some(has_more), Some(param), Some((id, id_on_page))) =
            (&has_more, after, self.last_id(page, item))
        {
            return Ok(PageScheme::LastId {
                param,
                has_more: has_more.clone(),
                id,
                id_on_page,
            });
        }
        // A cursor in the body, sent back as the parameter of the same name.
        let cursor_params = self.cursor_params(params);
        for &index in &cursor_params {
            let wanted = squashed(&params[index].wire_name);
            if let Some(next) = self.cursor_field(page, &wanted) {
                return Ok(PageScheme::Cursor { param: index, next });
            }
        }
        // A bare list has nowhere to put the next cursor but a header, and the `Link` header
        // is where RFC 8288 puts it (GitHub's and Sentry's lists).
        let opaque = cursor_params
            .iter()
            .any(|index| !takes_an_id(&params[*index].wire_name));
        if opaque && matches!(self.resolved(page), TypeRef::Array(_)) {
            return Ok(PageScheme::Link);
        }
        // A next page's URL in the body.
        if let Some(next) = NEXT_URL_FIELDS
            .iter()
            .find_map(|path| self.typed(page, path, Primitive::String))
        {
            return Ok(PageScheme::NextUrl { next });
        }
        if let Some(param) = self.param(params, "offset", Primitive::Integer) {
            return Ok(PageScheme::Offset {
                param,
                limit: self.limit_param(params),
                total: self.total(page),
            });
        }
        if let Some(param) = ["page", "page_number", "pageNumber"]
            .iter()
            .find_map(|name| self.param(params, name, Primitive::Integer))
        {
            let first = first_page(&params[param], 1);
            return Ok(PageScheme::Page {
                param,
                first,
                limit: self.limit_param(params),
            });
        }
        if let Some(&index) = cursor_params.first() {
            return Err(Decision::NearMiss {
                why: format!(
                    "takes `{}`, but no field of its response gives the next one",
                    params[index].wire_name
                ),
                by_link: None,
            });
        }
        if has_more.is_some() && after.is_none() {
            return Err(Decision::Unpaged(
                "its response has `has_more`, but it takes no `starting_after` or `after`"
                    .to_owned(),
            ));
        }
        let takes_limit = self.limit_param(params).is_some();
        Err(Decision::Unpaged(if takes_limit {
            "takes a limit, but nothing gives a next page".to_owned()
        } else {
            "nothing in its parameters or response pages".to_owned()
        }))
    }

    /// The last id, from the items' `id` or else the page's `last_id`; `true` for the page's.
    fn last_id(&self, page: &TypeRef, item: &TypeRef) -> Option<(FieldPath, bool)> {
        self.typed(item, &["id"], Primitive::String)
            .map(|id| (id, false))
            .or_else(|| {
                self.typed(page, &["last_id"], Primitive::String)
                    .map(|id| (id, true))
            })
    }

    /// The body field with the next cursor for the parameter `wanted` (squashed).
    fn cursor_field(&self, page: &TypeRef, wanted: &str) -> Option<FieldPath> {
        let string_field = |path: &[&str]| self.typed(page, path, Primitive::String);
        let bare = wanted.trim_start_matches("next");
        // Twitter's `pagination_token` comes back as `meta.next_token`.
        let plain = bare.strip_prefix("pagination").unwrap_or_default();
        let mut names: Vec<String> = [
            format!("next_{bare}"),
            format!("next{bare}"),
            bare.to_owned(),
            format!("next_page_{bare}"),
        ]
        .into_iter()
        .filter(|name| !name.is_empty())
        .collect();
        if !plain.is_empty() {
            names.push(format!("next_{plain}"));
        }
        let owner = self.struct_of(page)?;
        let fields = self.types.struct_fields(owner)?;
        for field in fields {
            let squashed_name = squashed(&field.wire_name);
            if names.iter().any(|name| squashed(name) == squashed_name)
                && self.is(&field.ty, Primitive::String)
            {
                return string_field(&[&field.wire_name]);
            }
        }
        // One level down: `next_page.offset` (Asana), `cursors.after`, `meta.next_cursor`,
        // `response_metadata.next_cursor`, `pagination.next_cursor`.
        for holder in [
            "next_page",
            "cursors",
            "meta",
            "response_metadata",
            "pagination",
            "paging",
        ] {
            for name in &names {
                if let Some(found) = self
                    .path(page, &[holder])
                    .and_then(|(_, ty)| self.struct_of(&ty))
                    .and_then(|id| self.types.struct_fields(id))
                    .and_then(|fields| {
                        fields
                            .iter()
                            .find(|f| squashed(&f.wire_name) == squashed(name))
                    })
                    .map(|f| f.wire_name.clone())
                    .and_then(|inner| string_field(&[holder, &inner]))
                {
                    return Some(found);
                }
            }
        }
        // Dropshot's `next_page` for `page_token`; a bare `next` for any cursor, as Zenskar
        // sends it.
        if wanted == "pagetoken" {
            if let Some(found) = string_field(&["next_page"]) {
                return Some(found);
            }
        }
        string_field(&["next"])
    }
}

/// The pagination extensions an operation carries, read into the rule they declare.
pub struct Extensions {
    pub name: &'static str,
    pub rule: Option<PagingRule>,
    /// What the extension declares beyond what a rule says.
    pub declared: Declared,
}

/// What a declaration says beside its rule: the page size parameter it names, and the number
/// of the first page when its parameter has no default (1 unless it says).
#[derive(Default)]
pub struct Declared {
    pub limit: Option<String>,
    pub first_page: Option<i64>,
}

/// The number of a page parameter's first page: its default, or `otherwise`.
fn first_page(param: &Param, otherwise: i64) -> i64 {
    param
        .default
        .as_ref()
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(otherwise)
}

/// A rule of an extension, for no operation in particular.
fn rule(
    scheme: PagingScheme,
    param: Option<String>,
    next: Option<String>,
    items: Option<String>,
) -> PagingRule {
    PagingRule {
        operation: String::new(),
        scheme,
        param,
        next,
        items,
        has_more: None,
    }
}

impl Extensions {
    pub fn read(extensions: &indexmap::IndexMap<String, serde_json::Value>) -> Extensions {
        let mut declared = Declared::default();
        let (name, rule) = if let Some(speakeasy) = extensions.get("x-speakeasy-pagination") {
            ("x-speakeasy-pagination", speakeasy_rule(speakeasy))
        } else if extensions.contains_key("x-dropshot-pagination") {
            let text = |text: &str| Some(text.to_owned());
            let dropshot = rule(
                PagingScheme::Cursor,
                text("page_token"),
                text("next_page"),
                text("items"),
            );
            ("x-dropshot-pagination", Some(dropshot))
        } else if let Some(datadog) = extensions.get("x-pagination") {
            let key = |key: &str| {
                datadog
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            declared.limit = key("limitParam");
            // Datadog's page numbers count from 0.
            declared.first_page = Some(0);
            let items = key("resultsPath");
            let rule = if let Some(offset) = key("pageOffsetParam") {
                Some(rule(PagingScheme::Offset, Some(offset), None, items))
            } else if let Some(page) = key("pageParam") {
                Some(rule(PagingScheme::Page, Some(page), None, items))
            } else {
                key("cursorParam").map(|cursor| {
                    rule(PagingScheme::Cursor, Some(cursor), key("cursorPath"), items)
                })
            };
            ("x-pagination", rule)
        } else {
            ("", None)
        };
        Extensions {
            name,
            rule,
            declared,
        }
    }
}

/// Speakeasy's declaration: `type` (`cursor`, `offsetLimit`, `url`), `inputs` (parameters with
/// their role) and `outputs` (JSONPath-like `$.a.b` to the results and the next cursor or URL).
fn speakeasy_rule(declared: &serde_json::Value) -> Option<PagingRule> {
    let path = |key: &str| {
        declared.get("outputs")?.get(key)?.as_str().map(|path| {
            path.trim_start_matches("$.")
                .trim_start_matches('$')
                .to_owned()
        })
    };
    let input = |kind: &str| {
        declared
            .get("inputs")?
            .as_array()?
            .iter()
            .find(|input| input.get("type").and_then(serde_json::Value::as_str) == Some(kind))?
            .get("name")?
            .as_str()
            .map(str::to_owned)
    };
    let items = path("results");
    Some(match declared.get("type")?.as_str()? {
        "cursor" => rule(
            PagingScheme::Cursor,
            input("cursor"),
            path("nextCursor"),
            items,
        ),
        "url" => rule(PagingScheme::NextUrl, None, path("nextUrl"), items),
        "offsetLimit" => match input("page") {
            Some(page) => rule(PagingScheme::Page, Some(page), None, items),
            None => rule(PagingScheme::Offset, input("offset"), None, items),
        },
        _ => return None,
    })
}
