//! The TLS of the client the runtime builds when it is handed no `reqwest` builder: rustls over
//! ring, with the certificates the platform trusts.
//!
//! reqwest 0.13's `rustls` feature brings aws-lc-rs, a C library that takes a first build of
//! the runtime to 1.8 times the CPU time it took on reqwest 0.12, where ring takes it to 1.07
//! (PERFORMANCE.md, "The runtime on reqwest 0.13"); the runtime turns on `rustls-no-provider`
//! instead and hands its client a rustls configuration of its own. Which cryptography that
//! uses is the program's choice where it made one: the provider installed as the process's
//! default. Otherwise ring, for this configuration alone. Installing ring as the default would
//! take the choice from the program: its own `install_default`, made later, would then fail.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// The configuration of the runtime's own client, as reqwest's rustls client would be set up
/// but for the provider.
pub(crate) fn default_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    // reqwest's own choice: the platform's verifier, so that roots the system adds (a
    // company's own, say) are trusted and those it removes are not. It fails here, not on the
    // first call, on a system with no certificates at all.
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers without its `http2` feature, which the runtime leaves off: a server
    // that picked h2 would get HTTP/1.1 bytes.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
