//! What the user chooses about the generated code so that it fits their stack: the date-time
//! crate, types of their own in place of generated ones, extra derives, and a client or the
//! types alone. The same options come from the command line, the build-script `Config` and the
//! repository's `specwright.yaml`; their absence leaves the output as it always was.

use std::fmt;
use std::str::FromStr;

/// How `format: date-time` and `format: date` strings are typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DateTimeBackend {
    /// The runtime's own `DateTime` and `Date`, which keep the text received; no other crate.
    #[default]
    Lenient,
    /// `chrono`: `DateTime<FixedOffset>`, `NaiveDateTime` without an offset, `NaiveDate`.
    Chrono,
    /// `time`: `OffsetDateTime`, `PrimitiveDateTime` without an offset, `Date`.
    Time,
    /// `jiff`: `Timestamp`, `civil::DateTime` without an offset, `civil::Date`.
    Jiff,
}

impl DateTimeBackend {
    /// The runtime's module and Cargo feature for this backend; `None` for the runtime's own.
    pub fn runtime_feature(self) -> Option<&'static str> {
        match self {
            Self::Lenient => None,
            Self::Chrono => Some("chrono"),
            Self::Time => Some("time"),
            Self::Jiff => Some("jiff"),
        }
    }
}

impl FromStr for DateTimeBackend {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "lenient" => Ok(Self::Lenient),
            "chrono" => Ok(Self::Chrono),
            "time" => Ok(Self::Time),
            "jiff" => Ok(Self::Jiff),
            other => Err(format!(
                "`{other}` is not a date-time backend: lenient, chrono, time or jiff"
            )),
        }
    }
}

impl fmt::Display for DateTimeBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.runtime_feature().unwrap_or("lenient"))
    }
}

/// Whether `text` is a Rust path (`Hash`, `schemars::JsonSchema`, `::my_crate::Money`).
fn is_path(text: &str) -> bool {
    let segments = text.strip_prefix("::").unwrap_or(text);
    !segments.is_empty()
        && segments.split("::").all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A trait to derive, on every generated type or on one schema's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Derive {
    /// The schema's name in `#/components/schemas`; `None`: every type.
    pub schema: Option<String>,
    /// The derive's path as written in `#[derive(...)]`: `Hash`, `schemars::JsonSchema`.
    pub path: String,
}

impl FromStr for Derive {
    type Err = String;

    /// `TRAIT` or `SCHEMA:TRAIT`; a trait path's own `::` is not a separator.
    fn from_str(text: &str) -> Result<Self, String> {
        let separator = text
            .char_indices()
            .find(|&(at, c)| {
                c == ':' && !text[at + 1..].starts_with(':') && !text[..at].ends_with(':')
            })
            .map(|(at, _)| at);
        let (schema, path) = match separator {
            Some(at) => (Some(text[..at].trim()), text[at + 1..].trim()),
            None => (None, text.trim()),
        };
        let valid_path = !path.is_empty()
            && path.split("::").all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        if !valid_path || schema.is_some_and(str::is_empty) {
            return Err(format!(
                "`{text}` is not TRAIT or SCHEMA:TRAIT (a trait path such as `Hash` or `schemars::JsonSchema`)"
            ));
        }
        Ok(Self {
            schema: schema.map(str::to_owned),
            path: path.to_owned(),
        })
    }
}

/// An attribute to put on every generated type or on one schema's: `#[doc(alias = "price")]`,
/// `#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The schema's name in `#/components/schemas`; `None`: every type.
    pub schema: Option<String>,
    /// The attribute as written, `#[...]`.
    pub text: String,
}

impl FromStr for Attribute {
    type Err = String;

    /// `#[...]` or `SCHEMA:#[...]`; the attribute must parse as one outer attribute.
    fn from_str(text: &str) -> Result<Self, String> {
        let (schema, attribute) = match text.split_once(":#[") {
            Some((schema, rest)) if !schema.contains('#') => {
                (Some(schema.trim()), format!("#[{rest}"))
            }
            _ => (None, text.trim().to_owned()),
        };
        let parses = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &attribute)
            .is_ok_and(|attributes| attributes.len() == 1);
        if !parses || schema.is_some_and(str::is_empty) {
            return Err(format!(
                "`{text}` is not #[...] or SCHEMA:#[...] (one attribute)"
            ));
        }
        Ok(Self {
            schema: schema.map(str::to_owned),
            text: attribute,
        })
    }
}

/// A generated type replaced by one of the user's: every use of the schema names `path`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replacement {
    /// The schema's name in `#/components/schemas`.
    pub schema: String,
    /// The Rust path of the user's type, `my_crate::Money`.
    pub path: String,
}

impl FromStr for Replacement {
    type Err = String;

    /// `SCHEMA=RUST_PATH`.
    fn from_str(text: &str) -> Result<Self, String> {
        let invalid = || format!("`{text}` is not SCHEMA=RUST_PATH (`Money=my_crate::Money`)");
        let (schema, path) = text.split_once('=').ok_or_else(invalid)?;
        let (schema, path) = (schema.trim(), path.trim());
        if schema.is_empty() || !is_path(path) {
            return Err(invalid());
        }
        Ok(Self {
            schema: schema.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// How one operation (or, with `*`, every list operation) pages, where the spec does not say or
/// says it wrongly: `OPERATION=SCHEME[,param=NAME][,next=FIELD][,items=FIELD][,has-more=FIELD]`.
/// Schemes: `cursor` (`next` is sent back as `param`), `next-url` (`next` holds the URL),
/// `link` (the `Link` header), `last-id` (the last item's `id` as `param` while `has-more`),
/// `offset` and `page` (`param` moved on), and `none` (no paginator). Fields are paths of wire
/// names, `meta.next_cursor`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PagingRule {
    /// The `operationId`, or `*`.
    pub operation: String,
    pub scheme: PagingScheme,
    pub param: Option<String>,
    pub next: Option<String>,
    pub items: Option<String>,
    pub has_more: Option<String>,
}

/// A paging scheme as a rule names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PagingScheme {
    Cursor,
    NextUrl,
    Link,
    LastId,
    Offset,
    Page,
    None,
}

const SCHEMES: [(&str, PagingScheme); 7] = [
    ("cursor", PagingScheme::Cursor),
    ("next-url", PagingScheme::NextUrl),
    ("link", PagingScheme::Link),
    ("last-id", PagingScheme::LastId),
    ("offset", PagingScheme::Offset),
    ("page", PagingScheme::Page),
    ("none", PagingScheme::None),
];

impl fmt::Display for PagingScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = SCHEMES
            .iter()
            .find(|(_, scheme)| scheme == self)
            .map_or("none", |(name, _)| name);
        f.write_str(name)
    }
}

impl PagingRule {
    /// Whether the rule is for the operation with `operation_id`.
    pub fn applies_to(&self, operation_id: &str) -> bool {
        self.operation == "*" || self.operation == operation_id
    }
}

impl FromStr for PagingRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let invalid = |why: &str| {
            format!(
                "`{text}` is not OPERATION=SCHEME[,param=NAME][,next=FIELD][,items=FIELD][,has-more=FIELD]: {why}"
            )
        };
        let (operation, rest) = text.split_once('=').ok_or_else(|| invalid("no `=`"))?;
        let mut parts = rest.split(',').map(str::trim);
        let scheme = parts.next().unwrap_or_default();
        let Some(&(_, scheme)) = SCHEMES.iter().find(|(name, _)| *name == scheme) else {
            let names: Vec<&str> = SCHEMES.iter().map(|(name, _)| *name).collect();
            return Err(invalid(&format!(
                "the scheme is one of {}",
                names.join(", ")
            )));
        };
        let mut rule = PagingRule {
            operation: operation.trim().to_owned(),
            scheme,
            param: None,
            next: None,
            items: None,
            has_more: None,
        };
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| invalid(&format!("`{part}` has no `=`")))?;
            let slot = match key.trim() {
                "param" => &mut rule.param,
                "next" => &mut rule.next,
                "items" => &mut rule.items,
                "has-more" => &mut rule.has_more,
                other => return Err(invalid(&format!("unknown key `{other}`"))),
            };
            *slot = Some(value.trim().to_owned());
        }
        if rule.operation.is_empty() {
            return Err(invalid("no operation"));
        }
        Ok(rule)
    }
}

impl fmt::Display for PagingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.operation, self.scheme)?;
        for (key, value) in [
            ("param", &self.param),
            ("next", &self.next),
            ("items", &self.items),
            ("has-more", &self.has_more),
        ] {
            if let Some(value) = value {
                write!(f, ",{key}={value}")?;
            }
        }
        Ok(())
    }
}

/// Everything the user can choose about the generated code. `Default` is the code as it always
/// was: nothing here costs anything unless asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub datetime: DateTimeBackend,
    pub replacements: Vec<Replacement>,
    pub derives: Vec<Derive>,
    /// Attributes for every type or a named one, after its derives.
    pub attributes: Vec<Attribute>,
    /// Every `type: number` without a format is a decimal, as `format: decimal` always is.
    pub decimal: bool,
    /// The types alone: no `Client`, no methods, no mocks, and a runtime without its HTTP side.
    pub types_only: bool,
    /// How list operations page, where the spec does not say; the first rule for an
    /// operation wins.
    pub pagination: Vec<PagingRule>,
    /// The request body property that asks an operation for its stream form; the first
    /// rule for an operation wins.
    pub stream_flags: Vec<StreamFlag>,
}

/// `OPERATION=PROPERTY`: the stream method of `OPERATION` (an `operationId`, or `*` for every
/// operation with a stream form) sets the JSON body's top-level `PROPERTY` to `true`, as
/// OpenAI's chat completions stream only with `stream: true`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StreamFlag {
    pub operation: String,
    pub property: String,
}

impl FromStr for StreamFlag {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            Some((operation, property)) if !operation.is_empty() && !property.is_empty() => {
                Ok(Self {
                    operation: operation.to_owned(),
                    property: property.to_owned(),
                })
            }
            _ => Err(format!(
                "`{text}` is not OPERATION=PROPERTY (`createChatCompletion=stream`, `*=stream`)"
            )),
        }
    }
}

impl fmt::Display for StreamFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.operation, self.property)
    }
}

impl Options {
    /// Why options built as values (through `Config`, not read from text) cannot be used: each
    /// must be what reading its text would give.
    pub fn problems(&self) -> Vec<String> {
        fn check<T: FromStr<Err = String> + PartialEq>(text: String, value: &T) -> Option<String> {
            match text.parse::<T>() {
                Ok(parsed) if parsed == *value => None,
                Ok(_) => Some(format!("`{text}` does not read back as given")),
                Err(err) => Some(err),
            }
        }
        let with_schema = |schema: &Option<String>, rest: &str| match schema {
            Some(schema) => format!("{schema}:{rest}"),
            None => rest.to_owned(),
        };
        let replacements = self
            .replacements
            .iter()
            .filter_map(|r| check(format!("{}={}", r.schema, r.path), r));
        let derives = self
            .derives
            .iter()
            .filter_map(|d| check(with_schema(&d.schema, &d.path), d));
        let attributes = self
            .attributes
            .iter()
            .filter_map(|a| check(with_schema(&a.schema, &a.text), a));
        let pagination = self
            .pagination
            .iter()
            .filter_map(|rule| check(rule.to_string(), rule));
        let stream_flags = self
            .stream_flags
            .iter()
            .filter_map(|flag| check(flag.to_string(), flag));
        replacements
            .chain(derives)
            .chain(attributes)
            .chain(pagination)
            .chain(stream_flags)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rules_read_and_print_the_same() {
        let rule: PagingRule = "listWidgets=cursor,param=page_token,next=meta.next"
            .parse()
            .expect("a rule");
        assert_eq!(rule.scheme, PagingScheme::Cursor);
        assert_eq!(rule.next.as_deref(), Some("meta.next"));
        assert_eq!(
            rule.to_string(),
            "listWidgets=cursor,param=page_token,next=meta.next"
        );
        assert!("x=sideways".parse::<PagingRule>().is_err());
        assert!("x=cursor,color=red".parse::<PagingRule>().is_err());
        assert!("=link".parse::<PagingRule>().is_err());
    }

    #[test]
    fn derives_read_a_trait_or_a_schema_and_a_trait() {
        let parsed = |text: &str| text.parse::<Derive>();
        assert_eq!(
            parsed("schemars::JsonSchema"),
            Ok(Derive {
                schema: None,
                path: "schemars::JsonSchema".to_owned()
            })
        );
        assert_eq!(
            parsed("Money:Hash"),
            Ok(Derive {
                schema: Some("Money".to_owned()),
                path: "Hash".to_owned()
            })
        );
        assert_eq!(
            parsed("Money:schemars::JsonSchema").map(|d| d.path),
            Ok("schemars::JsonSchema".to_owned())
        );
        assert!(parsed("").is_err());
        assert!(parsed("Money:").is_err());
        assert!(parsed(":Hash").is_err());
        assert!(parsed("Hash + Eq").is_err());
    }

    #[test]
    fn replacements_read_schema_equals_path() {
        assert_eq!(
            "Money=my_crate::Money".parse::<Replacement>(),
            Ok(Replacement {
                schema: "Money".to_owned(),
                path: "my_crate::Money".to_owned()
            })
        );
        assert!("Money".parse::<Replacement>().is_err());
        assert!("Money=".parse::<Replacement>().is_err());
        assert!("=x::Y".parse::<Replacement>().is_err());
        assert!("Money=my crate".parse::<Replacement>().is_err());
    }

    #[test]
    fn attributes_read_one_attribute_for_every_type_or_a_schema() {
        let parsed = |text: &str| text.parse::<Attribute>();
        assert_eq!(
            parsed("#[serde(deny_unknown_fields)]").map(|a| (a.schema, a.text)),
            Ok((None, "#[serde(deny_unknown_fields)]".to_owned()))
        );
        assert_eq!(
            parsed("Money:#[doc(alias = \"amount\")]").map(|a| (a.schema, a.text)),
            Ok((
                Some("Money".to_owned()),
                "#[doc(alias = \"amount\")]".to_owned()
            ))
        );
        assert!(parsed("serde(deny_unknown_fields)").is_err());
        assert!(parsed("#[a] #[b]").is_err());
        assert!(parsed("#[unclosed").is_err());
    }

    #[test]
    fn options_built_as_values_are_checked_as_text_would_be() {
        let options = Options {
            derives: vec![Derive {
                schema: None,
                path: "Money:Eq".to_owned(),
            }],
            attributes: vec![Attribute {
                schema: Some("Money".to_owned()),
                text: "derive(Hash)".to_owned(),
            }],
            replacements: vec![Replacement {
                schema: "Money".to_owned(),
                path: "1money::Money".to_owned(),
            }],
            ..Options::default()
        };
        assert_eq!(options.problems().len(), 3, "{:?}", options.problems());
        assert!(Options::default().problems().is_empty());
    }

    #[test]
    fn backends_read_their_names() {
        for name in ["lenient", "chrono", "time", "jiff"] {
            let backend: DateTimeBackend = name.parse().expect("a backend");
            assert_eq!(backend.to_string(), name);
        }
        assert!("chrono-tz".parse::<DateTimeBackend>().is_err());
    }
}
