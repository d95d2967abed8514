//! The event-stream parser against `eventsource-stream` on one recorded stream, in one run:
//! OpenAI chat completion chunks, 64 MiB in 16 KiB reads. Prints each one's MiB/s and events/s
//! and their ratio (`cargo bench -p specwright-runtime --bench sse`); the parser written here
//! must be at least as fast as the crate it replaces.

use std::collections::VecDeque;
use std::time::Instant;

use futures_util::StreamExt as _;
use specwright_runtime::EventParser;

const EVENT: &str = "data: {\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1733500000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}]}\n\n";

fn main() {
    let stream = EVENT.repeat((64 << 20) / EVENT.len());
    let chunks: Vec<&[u8]> = stream.as_bytes().chunks(16 * 1024).collect();
    let expected = stream.len() / EVENT.len();
    let mib = stream.len() as f64 / (1024.0 * 1024.0);
    let mut best_ours = f64::MAX;
    let mut best_theirs = f64::MAX;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    // The best of five runs each, alternating, so that neither gets a warmer machine.
    for _ in 0..5 {
        let started = Instant::now();
        let mut parser = EventParser::new(1 << 20);
        let mut events = VecDeque::new();
        let mut count = 0;
        for chunk in &chunks {
            parser.push(chunk, &mut events).expect("under the limit");
            count += events.drain(..).count();
        }
        assert_eq!(count, expected);
        best_ours = best_ours.min(started.elapsed().as_secs_f64());

        let started = Instant::now();
        let count = runtime.block_on(async {
            use eventsource_stream::Eventsource as _;
            futures_util::stream::iter(chunks.iter().map(|chunk| Ok::<_, std::io::Error>(*chunk)))
                .eventsource()
                .fold(0, |count, event| async move {
                    count + usize::from(event.is_ok())
                })
                .await
        });
        assert_eq!(count, expected);
        best_theirs = best_theirs.min(started.elapsed().as_secs_f64());
    }
    let rate = |secs: f64| (mib / secs, expected as f64 / secs);
    let (ours_mib, ours_events) = rate(best_ours);
    let (theirs_mib, theirs_events) = rate(best_theirs);
    println!("recorded stream: {mib:.0} MiB, {expected} events, 16 KiB reads");
    println!("specwright EventParser: {ours_mib:.0} MiB/s, {ours_events:.0} events/s");
    println!("eventsource-stream 0.2: {theirs_mib:.0} MiB/s, {theirs_events:.0} events/s");
    println!(
        "ratio (specwright / eventsource-stream): {:.2}",
        best_theirs / best_ours
    );
}
