//! A raw TCP server on 127.0.0.1 for tests where wiremock cannot misbehave: each connection,
//! after its first request's head, handed to the test's own code.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// The heads of the requests a server read, in order.
pub type Heads = Arc<Mutex<Vec<String>>>;

pub fn heads(heads: &Heads) -> Vec<String> {
    heads.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Reads one request's head and its `Content-Length` body; `None` at the end of the stream.
pub async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(head)
}

/// A server that hands each connection, after its first request's head, to `handle` with
/// the number of connections before it and that head.
pub async fn serve<F, Fut>(handle: F) -> (String, Heads)
where
    F: Fn(usize, String, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let seen: Heads = Arc::default();
    let recorded = Arc::clone(&seen);
    let handle = Arc::new(handle);
    tokio::spawn(async move {
        let mut count = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            let (recorded, handle, index) = (Arc::clone(&recorded), Arc::clone(&handle), count);
            count += 1;
            tokio::spawn(async move {
                if let Some(head) = read_request(&mut stream).await {
                    recorded
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(head.clone());
                    handle(index, head, stream).await;
                }
            });
        }
    });
    (url, seen)
}

pub async fn write(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
}
