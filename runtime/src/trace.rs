//! What a call tells `tracing` (feature `tracing`): one span per call and an event per retry.
//! Without the feature every method here is empty and compiles away.
//!
//! The span holds no credential and no URL: its `path` is the spec's template
//! (`/checkout/{checkout_session_id}`), not the filled path, which may carry identifiers.
//! Bodies are recorded only when [`RequestOptions::trace_bodies`](crate::RequestOptions) asks.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use crate::__private::Request;
use crate::StatusCode;

/// How much of a body an event shows.
#[cfg(feature = "tracing")]
const BODY_LIMIT: usize = 4096;

/// The tracing of one call, retries included.
pub(crate) struct CallTrace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    started: std::time::Instant,
    #[cfg(feature = "tracing")]
    bodies: bool,
}

#[cfg(feature = "tracing")]
impl CallTrace {
    /// Opens the call's span: `operation`, `method`, `path` (the template) now; `status`,
    /// `attempt`, `retries` and `duration_ms` as they become known.
    pub(crate) fn start(request: &Request, bodies: bool) -> Self {
        let span = tracing::info_span!(
            "http_call",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            retries = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            events = tracing::field::Empty,
        );
        if bodies {
            if let Some((_, body)) = &request.body {
                span.in_scope(|| tracing::debug!(body = %BodyText(body), "request body"));
            }
        }
        Self {
            span,
            started: std::time::Instant::now(),
            bodies,
        }
    }

    /// `call`, run inside the span.
    pub(crate) fn run<F: Future>(&self, call: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(call, self.span.clone())
    }

    /// A response arrived on try `attempt` (counted from 1).
    pub(crate) fn response(&self, status: StatusCode, attempt: u32) {
        self.span.record("status", status.as_u16());
        self.span.record("attempt", attempt);
    }

    /// Try `attempt` failed for `reason` and the call waits `wait` before the next.
    pub(crate) fn retry(&self, attempt: u32, reason: &dyn Display, wait: Duration) {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        self.span.in_scope(|| {
            tracing::info!(attempt, %reason, wait_ms, "retrying after a wait");
        });
    }

    /// The body of the final response.
    pub(crate) fn response_body(&self, body: &[u8]) {
        if self.bodies {
            self.span
                .in_scope(|| tracing::debug!(body = %BodyText(body), "response body"));
        }
    }

    /// The call ended after `attempts` tries.
    pub(crate) fn finish(&self, attempts: u32) {
        self.span.record("attempt", attempts);
        self.span.record("retries", attempts.saturating_sub(1));
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("duration_ms", elapsed);
    }

    /// A stream of events ended (or was dropped) after carrying `events`: the span, open
    /// until now, records them and how long the call lasted.
    pub(crate) fn stream_ended(self, events: u64) {
        self.span.record("events", events);
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("duration_ms", elapsed);
    }
}

#[cfg(not(feature = "tracing"))]
impl CallTrace {
    pub(crate) fn start(_request: &Request, _bodies: bool) -> Self {
        Self {}
    }

    pub(crate) fn run<F: Future>(&self, call: F) -> F {
        call
    }

    pub(crate) fn response(&self, _status: StatusCode, _attempt: u32) {}

    pub(crate) fn retry(&self, _attempt: u32, _reason: &dyn Display, _wait: Duration) {}

    pub(crate) fn response_body(&self, _body: &[u8]) {}

    pub(crate) fn finish(&self, _attempts: u32) {}

    pub(crate) fn stream_ended(self, _events: u64) {}
}

/// A body as an event shows it: text up to [`BODY_LIMIT`] bytes, or its length when it is
/// not UTF-8.
#[cfg(feature = "tracing")]
struct BodyText<'a>(&'a [u8]);

#[cfg(feature = "tracing")]
impl Display for BodyText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = &self.0[..self.0.len().min(BODY_LIMIT)];
        // A cut through a character leaves a partial one at the end; valid_up_to drops it.
        let text = match std::str::from_utf8(shown) {
            Ok(text) => text,
            Err(err) if err.error_len().is_none() => {
                std::str::from_utf8(&shown[..err.valid_up_to()]).unwrap_or_default()
            }
            Err(_) => return write!(f, "<{} bytes, not UTF-8>", self.0.len()),
        };
        f.write_str(text)?;
        if self.0.len() > shown.len() {
            write!(f, "... ({} bytes in all)", self.0.len())?;
        }
        Ok(())
    }
}
