//! Rust identifiers from wire names: valid, unique within their scope, and deterministic: names
//! are claimed in document order, so the same spec always gives the same names.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition; each may be written as a raw identifier except those below.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names a generated type must not take, because generated code refers to these unqualified:
/// the prelude's types, traits and variants.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "Iterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Self",
];

/// Symbols spelled out where they carry the meaning of a name: in a value made only of symbols
/// (`-`, `+`, `>=`) and as a leading sign (`+1`, `-created_at`).
const SYMBOL_WORDS: &[(char, &str)] = &[
    ('+', "plus"),
    ('-', "minus"),
    ('*', "star"),
    ('/', "slash"),
    ('.', "dot"),
    ('<', "lt"),
    ('>', "gt"),
    ('=', "eq"),
    ('!', "not"),
    ('&', "and"),
    ('|', "or"),
    ('%', "percent"),
    ('@', "at"),
    ('#', "hash"),
    ('$', "dollar"),
    ('~', "tilde"),
    ('^', "caret"),
    (':', "colon"),
    (',', "comma"),
    ('?', "question"),
    ('_', "underscore"),
];

/// Keeps ASCII letters and digits and turns every other character into a word break (or a
/// word, see [`SYMBOL_WORDS`]), so that heck sees clean words. A break also goes between a
/// digit and a capital, so that `1Password` keeps its capital.
fn words(wire: &str) -> String {
    let only_symbols = !wire.chars().any(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(wire.len() + 8);
    let mut previous = ' ';
    for (index, c) in wire.chars().enumerate() {
        if c.is_ascii_alphanumeric() {
            if previous.is_ascii_digit() && c.is_ascii_uppercase() {
                out.push(' ');
            }
            out.push(c);
        } else {
            let leading_sign = index == 0 && matches!(c, '+' | '-');
            let word = SYMBOL_WORDS
                .iter()
                .find(|(symbol, _)| *symbol == c)
                .filter(|_| only_symbols || leading_sign);
            out.push(' ');
            if let Some((_, word)) = word {
                out.push_str(word);
                out.push(' ');
            }
        }
        previous = c;
    }
    out
}

pub fn type_name(wire: &str, fallback: &str) -> String {
    let mut name = upper_camel(&words(wire));
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

pub fn field_name(wire: &str, fallback: &str) -> String {
    let mut name = snake(&words(wire));
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `words` (the output of [`words`]) in UpperCamelCase, as heck writes it. Without capitals,
/// heck's words are just the space-separated runs, and most wire names (`node_id`) have none:
/// heck costs thousands of instructions a name, and a big spec names things 100,000 times.
fn upper_camel(words: &str) -> String {
    if is_upper_camel(words) {
        // Names built from names already cased (`{owner}{Field}` hints) come back as they are.
        return words.to_owned();
    }
    if has_capitals(words) {
        return words.to_upper_camel_case();
    }
    let mut name = String::with_capacity(words.len());
    for word in lowercase_words(words) {
        let mut chars = word.chars();
        name.extend(chars.next().map(|first| first.to_ascii_uppercase()));
        name.extend(chars);
    }
    name
}

/// `words` in snake_case, as heck writes it; see [`upper_camel`].
fn snake(words: &str) -> String {
    if has_capitals(words) {
        return words.to_snake_case();
    }
    lowercase_words(words).collect::<Vec<_>>().join("_")
}

/// Whether `words` is one run of capitalized words (`Foo2Bar`), which heck leaves as it is:
/// it starts with a capital, and every capital is followed by a small letter.
fn is_upper_camel(words: &str) -> bool {
    let bytes = words.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes.iter().enumerate().all(|(index, byte)| {
            !byte.is_ascii_uppercase() || bytes.get(index + 1).is_some_and(u8::is_ascii_lowercase)
        })
}

fn has_capitals(words: &str) -> bool {
    words.bytes().any(|byte| byte.is_ascii_uppercase())
}

fn lowercase_words(words: &str) -> impl Iterator<Item = &str> {
    words.split(' ').filter(|word| !word.is_empty())
}

/// Words that say only that a schema is a schema (`CatSchema`, `DogModel`): sibling names that
/// all end in them are told apart without them.
const GENERIC_SUFFIXES: &[&str] = &[
    "Schema", "Model", "Dto", "Object", "Data", "Resource", "Entity", "Type", "Request",
    "Response", "Body", "Payload",
];

/// The words of an UpperCamelCase name, each starting at a capital:
/// `CheckoutContractSchemaPlanBased` is `Checkout`, `Contract`, `Schema`, `Plan`, `Based`.
pub fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices() {
        if index > start && c.is_ascii_uppercase() {
            words.extend(name.get(start..index));
            start = index;
        }
    }
    words.extend(name.get(start..).filter(|rest| !rest.is_empty()));
    words
}

/// Sibling names (a union's variants named after the types they hold) less the words they all
/// begin with and the [`GENERIC_SUFFIXES`] they all end with: `CheckoutContractSchemaPlanBased`
/// and `CheckoutContractSchemaProductBased` are `PlanBased` and `ProductBased`, as a person
/// would write them inside `Contract`. `None` when nothing is shared, or when a name would be
/// left empty, start with a digit, or be `Self`: the full names are then kept, since a
/// variant named by half a word says less than the type's own name.
pub fn distinct_parts(names: &[&str]) -> Option<Vec<String>> {
    let words: Vec<Vec<&str>> = names.iter().map(|name| camel_words(name)).collect();
    let (first, rest) = words.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let prefix = (0..first.len())
        .take_while(|&at| rest.iter().all(|other| other.get(at) == first.get(at)))
        .count();
    let suffix = (1..=first.len())
        .take_while(|&back| {
            let word = first.get(first.len() - back);
            word.is_some_and(|word| GENERIC_SUFFIXES.contains(word))
                && rest
                    .iter()
                    .all(|other| other.len() >= back && other.get(other.len() - back) == word)
        })
        .count();
    if prefix + suffix == 0 {
        return None;
    }
    let parts: Vec<String> = words
        .iter()
        .map(|name| {
            let end = name.len().checked_sub(suffix)?;
            let part = name.get(prefix..end)?.concat();
            let valid = !part.is_empty()
                && !part.starts_with(|c: char| c.is_ascii_digit())
                && !NOT_RAW.contains(&part.as_str());
            valid.then_some(part)
        })
        .collect::<Option<_>>()?;
    let mut seen = BTreeSet::new();
    parts.iter().all(|part| seen.insert(part)).then_some(parts)
}

/// Words the model adds to a name for where a schema sits (`{Operation}{Status}Body`,
/// `{Operation}Request`, `{Operation}Params`): a name shared across operations says nothing
/// by them, nor by what comes before them.
const PLACE_WORDS: &[&str] = &[
    "Body", "Request", "Response", "Payload", "Params", "Headers", "Error",
];

/// Words too plain to name a type by alone (`{Parent}Item`, `{Map}Value`).
const PLAIN_WORDS: &[&str] = &[
    "Item",
    "Items",
    "Value",
    "Additional",
    "Properties",
    "Inner",
];

/// The name the types `names` share, for the one type they all became: the longest run of
/// words all of them end with, after the last word that says where a type sits
/// ([`PLACE_WORDS`]). `SecurityAdvisoriesListGlobalAdvisoriesDirection` and
/// `ReposListForOrgDirection` share `Direction`. `None` when they share nothing that names a
/// thing: a plain or two-letter word alone, a branch's number, a name starting with a digit.
pub fn common_suffix(names: &[&str]) -> Option<String> {
    let words: Vec<Vec<&str>> = names.iter().map(|name| camel_words(name)).collect();
    let (first, rest) = words.split_first()?;
    let shared = (1..=first.len())
        .take_while(|&back| {
            let word = first.get(first.len() - back);
            rest.iter()
                .all(|other| other.len() >= back && other.get(other.len() - back) == word)
        })
        .count();
    let suffix = first.get(first.len() - shared..)?;
    let after_place = suffix
        .iter()
        .rposition(|word| PLACE_WORDS.contains(word))
        .map_or(0, |at| at + 1);
    let suffix = suffix.get(after_place..)?;
    let numbered = |word: &str| {
        word.strip_prefix("Variant")
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
    };
    // `At` (of `CreatedAt` and `UpdatedAt`) or `Id` names nothing alone.
    let meaningful = suffix
        .iter()
        .any(|word| word.len() > 2 && !PLAIN_WORDS.contains(word) && !numbered(word));
    let name = suffix.concat();
    let valid = meaningful
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !NOT_RAW.contains(&name.as_str())
        && !RESERVED_TYPE_NAMES.contains(&name.as_str());
    valid.then_some(name)
}

/// Whether emitting `name` needs the `r#` prefix.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Keywords that cannot be written even as raw identifiers.
pub fn cannot_be_raw(name: &str) -> bool {
    NOT_RAW.contains(&name)
}

/// One scope of names (a module's types, a struct's fields, an enum's variants).
#[derive(Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Names that no item of the spec may take, and the word added to one that wants them.
    reserved: (&'static [&'static str], &'static str),
}

impl Namespace {
    /// A scope where `reserved` names are taken already: a name that wants one becomes
    /// `{name}{qualifier}`, which says what collided (`OptionSchema` is the spec's `Option`,
    /// not the prelude's), rather than `{name}2`.
    pub fn with_reserved(reserved: &'static [&'static str], qualifier: &'static str) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
            reserved: (reserved, qualifier),
        }
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`, ... when it is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let (reserved, qualifier) = &self.reserved;
        let wanted = match reserved.contains(&wanted) {
            true => format!("{wanted}{qualifier}"),
            false => wanted.to_owned(),
        };
        let mut candidate = wanted.clone();
        let mut counter = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{wanted}{counter}");
            counter += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Names for `wires` in order, unique among themselves. A wire name that is already its own
/// converted name keeps it; the others take suffixes when they collide, whatever the order.
pub fn claim_exact_first(
    namespace: &mut Namespace,
    wires: &[&str],
    convert: impl Fn(&str) -> String,
) -> std::collections::VecDeque<String> {
    let wanted: Vec<String> = wires.iter().map(|wire| convert(wire)).collect();
    let mut names: Vec<Option<String>> = wires
        .iter()
        .zip(&wanted)
        .map(|(wire, wanted)| {
            (wire == wanted && !namespace.is_taken(wanted)).then(|| namespace.claim(wanted))
        })
        .collect();
    for (name, wanted) in names.iter_mut().zip(&wanted) {
        if name.is_none() {
            *name = Some(namespace.claim(wanted));
        }
    }
    names.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(type_name("checkout-session", "T"), "CheckoutSession");
        assert_eq!(type_name("+1", "Value"), "Plus1");
        assert_eq!(type_name("-1", "Value"), "Minus1");
        assert_eq!(type_name("1", "Value"), "V1");
        assert_eq!(type_name("-", "Value"), "Minus");
        assert_eq!(type_name(">=", "Value"), "GtEq");
        assert_eq!(type_name("-created_at", "Value"), "MinusCreatedAt");
        assert_eq!(type_name("1Password", "Value"), "V1Password");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("self", "Value"), "SelfValue");
        assert_eq!(field_name("zipCode", "f"), "zip_code");
        assert_eq!(field_name("self", "f"), "self_");
        assert_eq!(field_name("1st", "f"), "_1st");
        assert!(is_keyword("type"));
    }

    /// Every string of `alphabet`'s characters up to `longest` long, each once.
    fn strings_over(alphabet: &[char], longest: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = all.clone();
        for _ in 0..longest {
            last = last
                .iter()
                .flat_map(|prefix| alphabet.iter().map(move |c| format!("{prefix}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// The shortcut for names without capitals gives what heck gives, for every string of up
    /// to five characters drawn from letters, digits and separators.
    #[test]
    fn lowercase_shortcut_agrees_with_heck() {
        for wire in &strings_over(&['a', 'z', '0', '9', '_', '-', ' ', '.'], 5) {
            let words = words(wire);
            assert!(!has_capitals(&words));
            assert_eq!(upper_camel(&words), words.to_upper_camel_case(), "{wire:?}");
            assert_eq!(snake(&words), words.to_snake_case(), "{wire:?}");
        }
    }

    /// Every string of up to six characters drawn from capitals, small letters and digits
    /// that the shortcut takes as already cased is what heck makes of it.
    #[test]
    fn cased_shortcut_agrees_with_heck() {
        let mut taken = 0;
        let wires = strings_over(&['A', 'B', 'a', 'b', '1'], 6);
        for wire in wires.iter().filter(|wire| is_upper_camel(wire)) {
            assert_eq!(upper_camel(wire), wire.to_upper_camel_case(), "{wire:?}");
            taken += 1;
        }
        assert!(taken > 100, "{taken}");
        assert!(!is_upper_camel("ABC") && !is_upper_camel("A1B") && !is_upper_camel("aB"));
    }

    #[test]
    fn siblings_lose_what_they_share() {
        let parts = |names: &[&str]| distinct_parts(names);
        assert_eq!(camel_words("V1Password"), ["V1", "Password"]);
        assert_eq!(
            parts(&[
                "CheckoutContractSchemaPlanBased",
                "CheckoutContractSchemaProductBased"
            ]),
            Some(vec!["PlanBased".to_owned(), "ProductBased".to_owned()])
        );
        assert_eq!(
            parts(&["CatSchema", "DogSchema"]),
            Some(vec!["Cat".to_owned(), "Dog".to_owned()])
        );
        // `Based` is shared but says something; only generic words are dropped at the end.
        assert_eq!(
            parts(&["PlanBased", "ProductBased"]),
            None,
            "nothing to strip"
        );
        assert_eq!(parts(&["Cat", "CatOwner"]), None, "`Cat` would be empty");
        assert_eq!(parts(&["Pet1", "Pet2"]), None, "no word is shared");
        assert_eq!(parts(&["ApiV2", "Api3"]), None);
        assert_eq!(parts(&["Only"]), None);
    }

    #[test]
    fn shared_types_are_named_by_what_their_names_share() {
        let common = |names: &[&str]| common_suffix(names);
        assert_eq!(
            common(&[
                "SecurityAdvisoriesListGlobalAdvisoriesDirection",
                "ReposListForOrgDirection"
            ])
            .as_deref(),
            Some("Direction")
        );
        assert_eq!(
            common(&["ListPetsSortDirection", "ListUsersSortDirection"]).as_deref(),
            Some("SortDirection")
        );
        assert_eq!(
            common(&["GetItemOkBodyOwner", "ListItemsOkBodyOwner"]).as_deref(),
            Some("Owner")
        );
        assert_eq!(common(&["GetItemOkBody", "ListItemsOkBody"]), None);
        assert_eq!(common(&["FooItem", "BarItem"]), None);
        assert_eq!(common(&["ClosedAt", "UpdatedAt"]), None);
        assert_eq!(common(&["FooVariant1", "BarVariant1"]), None);
        assert_eq!(common(&["FooResult", "BarResult"]), None, "a prelude name");
        assert_eq!(common(&["Foo", "Bar"]), None);
    }

    #[test]
    fn exact_names_win() {
        let mut namespace = Namespace::default();
        let names = claim_exact_first(&mut namespace, &["fooBar", "foo_bar"], |w| {
            field_name(w, "f")
        });
        assert_eq!(names, ["foo_bar2", "foo_bar"]);
    }

    #[test]
    fn claims_are_unique() {
        let mut names = Namespace::with_reserved(&["Option"], "Schema");
        assert_eq!(names.claim("Option"), "OptionSchema");
        assert_eq!(names.claim("Option"), "OptionSchema2");
        assert_eq!(names.claim("Foo"), "Foo");
        assert_eq!(names.claim("Foo"), "Foo2");
    }
}
