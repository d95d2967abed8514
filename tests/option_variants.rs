// The focused specs of `option-specs/`, each generated with the options it exercises: the
// build script writes `OUT_DIR/{name}.rs` for each, `tests/snapshots.rs` pins them, and the
// tests named after them compile and run them. Shared by both through `#[path]`/`include!`.

/// (spec file in `option-specs/`, output name, options).
pub fn option_variants() -> Vec<(&'static str, &'static str, specwright::Options)> {
    use specwright::{DateTimeBackend, Options};
    let datetime = |datetime| Options {
        datetime,
        ..Options::default()
    };
    let types_only = |datetime| Options {
        datetime,
        types_only: true,
        ..Options::default()
    };
    let replaced = Options {
        replacements: vec!["Money=crate::money::Money".parse().expect("a replacement")],
        ..Options::default()
    };
    let derived = Options {
        derives: vec![
            "Eq".parse().expect("a derive"),
            "Invoice:Hash".parse().expect("a derive"),
        ],
        attributes: vec![
            "Status:#[derive(PartialOrd, Ord)]"
                .parse()
                .expect("an attribute"),
            "#[doc(alias = \"billing\")]".parse().expect("an attribute"),
        ],
        ..Options::default()
    };
    vec![
        (
            "datetimes.yaml",
            "datetimes_chrono",
            datetime(DateTimeBackend::Chrono),
        ),
        (
            "datetimes.yaml",
            "datetimes_time",
            datetime(DateTimeBackend::Time),
        ),
        (
            "datetimes.yaml",
            "datetimes_jiff",
            datetime(DateTimeBackend::Jiff),
        ),
        (
            "datetimes.yaml",
            "datetimes_types_only_time",
            types_only(DateTimeBackend::Time),
        ),
        (
            "../specs/operations.yaml",
            "operations_types_only",
            types_only(DateTimeBackend::Lenient),
        ),
        ("billing.yaml", "billing_replaced", replaced),
        ("billing.yaml", "billing_derived", derived),
        (
            "billing.yaml",
            "billing_schemars",
            Options {
                derives: vec!["schemars::JsonSchema".parse().expect("a derive")],
                ..Options::default()
            },
        ),
        (
            "stream_flags.yaml",
            "stream_flags",
            Options {
                stream_flags: vec!["startLive=live".parse().expect("a stream flag")],
                ..Options::default()
            },
        ),
        ("decimals.yaml", "decimals_default", Options::default()),
        (
            "decimals.yaml",
            "decimals_all",
            Options {
                decimal: true,
                ..Options::default()
            },
        ),
    ]
}
