//! Throughput and memory of the generated client's event stream (`scripts/stream-bench.sh`):
//! a local server sends a recorded OpenAI chat completion stream over and over, up to
//! `--bytes`, and the client reads it with `create_chat_completion_stream`, every event's data
//! decoded into its type. The baseline, in the same run, reads the same bytes as a plain body
//! stream (`Call::stream_body`), undecoded; the ratio is what parsing and decoding cost. Peak
//! memory is the process's high-water mark (`VmHWM`) after the stream.

mod api {
    include!(concat!(env!("OUT_DIR"), "/streaming.rs"));
}

use std::time::Instant;

use api::Client;
use api::types::ChatRequest;
use futures_util::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// One recorded event of OpenAI's chat completion stream.
const EVENT: &str = "data: {\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1733500000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}]}\n\n";

/// Serves every connection `total` bytes of events in 16 KiB chunks, then `[DONE]`.
async fn serve(total: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length = text
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|value| value.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                if stream.read_exact(&mut body).await.is_err() {
                    return;
                }
                let events_per_chunk = 16 * 1024 / EVENT.len();
                let chunk = EVENT.repeat(events_per_chunk);
                let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut sent = 0u64;
                while sent < total {
                    if stream.write_all(framed.as_bytes()).await.is_err() {
                        return;
                    }
                    sent += chunk.len() as u64;
                }
                let done = "data: [DONE]\n\n";
                let end = format!("{:x}\r\n{done}\r\n0\r\n\r\n", done.len());
                let _ = stream.write_all(end.as_bytes()).await;
            });
        }
    });
    url
}

fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let total: u64 = std::env::args()
        .skip_while(|arg| arg != "--bytes")
        .nth(1)
        .and_then(|bytes| bytes.parse().ok())
        .unwrap_or(64 << 20);
    let url = serve(total).await;
    let client = Client::builder().base_url(&url).build().expect("a client");
    let body = ChatRequest::new("gpt-4o-mini".to_owned());

    // The baseline: the same bytes, read as a plain stream of chunks.
    let started = Instant::now();
    let response = client
        .create_chat_completion(&body)
        .accept("text/event-stream")
        .stream_body()
        .await
        .expect("the head");
    let mut raw = 0u64;
    let mut chunks = response.body;
    while let Some(chunk) = chunks.next().await {
        raw += chunk.expect("a chunk").len() as u64;
    }
    let raw_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut events = client
        .create_chat_completion_stream(&body)
        .await
        .expect("the head");
    let mut count = 0u64;
    let mut content = 0usize;
    while let Some(event) = events.next().await {
        let event = event.expect("a chunk");
        count += 1;
        content += event.data.choices.len();
    }
    let secs = started.elapsed().as_secs_f64();
    let mib = raw as f64 / (1024.0 * 1024.0);
    println!("bytes per read: {raw} ({mib:.0} MiB), events: {count}, choices: {content}");
    println!("baseline, the body as chunks: {:.0} MiB/s", mib / raw_secs);
    println!(
        "events, parsed and decoded: {:.0} MiB/s, {:.0} events/s",
        mib / secs,
        count as f64 / secs
    );
    println!(
        "ratio to the baseline: {:.2}",
        (mib / secs) / (mib / raw_secs)
    );
    println!("peak memory (VmHWM): {} KiB", peak_memory_kib());
}
