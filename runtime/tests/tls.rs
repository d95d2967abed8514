//! The TLS of the client the runtime builds when it is handed no `reqwest` builder: it shakes
//! hands although the program installed no rustls provider, installs none itself, and uses the
//! one the program installs. One test, because the provider is the process's: tests run side
//! by side would see each other's.

use specwright_runtime::__private::{ClientConfig, Request, SecurityScheme};
use specwright_runtime::rustls::crypto::{CryptoProvider, ring};
use specwright_runtime::{Error, Method};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

static SCHEMES: &[SecurityScheme] = &[];

#[tokio::test]
async fn the_runtime_s_client_uses_ring_unless_the_program_chose_a_provider() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("https://{}", listener.local_addr().expect("an address"));
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = [0u8; 6];
        stream.read_exact(&mut head).await.expect("a record");
        // A fatal handshake_failure alert: the handshake ends here, as with a server that
        // shares no cipher suite with the client.
        let _ = stream.write_all(&[21, 3, 3, 0, 2, 2, 40]).await;
        head
    });

    let mut config = ClientConfig::new(&url, SCHEMES);
    config.max_retries(0);
    let client = config.build().expect("builds with no provider installed");
    assert!(
        CryptoProvider::get_default().is_none(),
        "the runtime installed a provider: the program's own install_default would now fail"
    );
    let mut request = Request::new(Method::GET, "get", "/");
    request.path("/");
    let err = client
        .send::<()>(request, &[])
        .await
        .expect_err("no handshake");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let head = server.await.expect("served");
    // A TLS record of type handshake (22) whose message is a ClientHello (1).
    assert_eq!((head[0], head[5]), (22, 1), "{head:?}");

    // The program's choice, made after a client was built, is still its own, and is what the
    // runtime's next client uses: a provider without cipher suites, from which no
    // configuration can be made.
    CryptoProvider {
        cipher_suites: Vec::new(),
        ..ring::default_provider()
    }
    .install_default()
    .expect("nothing installed before");
    let refused = ClientConfig::new(&url, SCHEMES)
        .build()
        .expect_err("no cipher suite to use");
    assert!(
        refused.to_string().contains("cannot set up TLS"),
        "{refused}"
    );
}
