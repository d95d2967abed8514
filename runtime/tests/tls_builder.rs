//! A `reqwest` builder of the program's own, in a process with no rustls provider installed and
//! no aws-lc-rs: reqwest would panic building it; the runtime installs ring as the default
//! first, and the client builds. A file of its own: the provider is the process's.

use specwright_runtime::__private::{ClientConfig, SecurityScheme};
use specwright_runtime::rustls::crypto::CryptoProvider;

static SCHEMES: &[SecurityScheme] = &[];

#[test]
fn a_users_builder_builds_without_a_provider_installed() {
    assert!(CryptoProvider::get_default().is_none());
    let mut config = ClientConfig::new("https://api.example.com", SCHEMES);
    config.http_client(specwright_runtime::reqwest::Client::builder());
    config.build().expect("builds, no panic");
    assert!(
        CryptoProvider::get_default().is_some(),
        "ring is the default now"
    );
}
