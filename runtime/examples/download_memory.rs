//! Peak memory of reading a large download, streamed and buffered, for
//! `scripts/download-memory.sh`: a server on 127.0.0.1 in the same process sends `SIZE_MIB`
//! MiB; the client reads it as a [`BodyStream`] (counting its bytes), or whole (which the body
//! limit must refuse: at once from its `Content-Length`, or, `-unsized`, once reading reaches
//! the limit), or not at all (the baseline: the server and an idle client). Prints the
//! process's peak resident set (`VmHWM`) in KiB.
//!
//! [`BodyStream`]: specwright_runtime::BodyStream
//!
//! `cargo run --release -p specwright-runtime --example download_memory -- streamed 1024`

use std::time::Duration;

use futures_util::StreamExt as _;
use specwright_runtime::__private::{ClientConfig, Received, Request};
use specwright_runtime::{Error, Method, Response};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn whole(received: Received) -> Result<Response<Vec<u8>>, Error<()>> {
    received.ok_bytes(|body| body)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "streamed".to_owned());
    let mib: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1024);
    // Without a length, the body's end is the connection's: the limit is met while reading.
    let sized = !mode.ends_with("-unsized");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head).await;
                let size = mib * 1024 * 1024;
                let answer = if sized {
                    format!("HTTP/1.1 200 OK\r\ncontent-length: {size}\r\n\r\n")
                } else {
                    "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_owned()
                };
                let _ = stream.write_all(answer.as_bytes()).await;
                let chunk = vec![0x5a; 256 * 1024];
                for _ in 0..size / chunk.len() as u64 {
                    if stream.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let mut config = ClientConfig::new(&url, &[]);
    config.read_timeout(Some(Duration::from_secs(30)));
    config.timeout(None);
    config.deadline(None);
    let http = config.build().expect("a client");
    let request = || {
        let mut request = Request::new(Method::GET, "download", "/file");
        request.path("/file");
        request
    };
    let outcome = match mode.as_str() {
        "streamed" | "streamed-unsized" => {
            let response = http
                .call(request(), &[], whole)
                .stream_body()
                .await
                .expect("a 200");
            let mut body = response.into_body();
            let mut read = 0u64;
            while let Some(chunk) = body.next().await {
                read += chunk.expect("a chunk").len() as u64;
            }
            format!("read {read} bytes")
        }
        "buffered" | "buffered-unsized" => match http.call(request(), &[], whole).await {
            Ok(response) => format!("read {} bytes", response.body.len()),
            Err(err) => format!("refused: {err}"),
        },
        _ => "baseline".to_owned(),
    };
    println!("{mode}\t{mib} MiB\t{}\t{outcome}", peak_kib());
}
