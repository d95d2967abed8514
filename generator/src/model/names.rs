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
    reserved: (BTreeSet<String>, &'static str),
}

impl Namespace {
    /// A scope where `reserved` names are taken already: a name that wants one becomes
    /// `{name}{qualifier}`, which says what collided (`OptionSchema` is the spec's `Option`,
    /// not the prelude's), rather than `{name}2`.
    pub fn with_reserved(reserved: &[&str], qualifier: &'static str) -> Self {
        let reserved: BTreeSet<String> = reserved.iter().map(|name| (*name).to_owned()).collect();
        Self {
            taken: reserved.clone(),
            reserved: (reserved, qualifier),
        }
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`, ... when it is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let (reserved, qualifier) = &self.reserved;
        let wanted = match reserved.contains(wanted) {
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
