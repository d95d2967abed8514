//! What a server controls, through the runtime: `Retry-After` (seconds and HTTP dates), typed
//! response headers, date-times, and response bodies decoded into the generated Zenskar types
//! and the runtime's own. Each input must give a value or an error, never a panic, and (built
//! with overflow checks) never an overflow.

#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use zenskar::runtime::reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use zenskar::runtime::{
    Date, DateTime, Lenient, StatusCode, UnknownFields, optional_header, retry_after,
    should_retry,
};
use zenskar::types::{CheckoutSessionListResponseSchema, CheckoutSessionResponseSchema, Contract};

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = HeaderValue::from_bytes(data) {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.clone());
        headers.append("x-typed", value.clone());
        headers.append("x-typed", value);
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let _ = retry_after(&headers, now);
        let _ = should_retry(StatusCode::SERVICE_UNAVAILABLE, &headers, 30);
        let _ = optional_header::<i64>(&headers, "x-typed");
        let _ = optional_header::<f64>(&headers, "x-typed");
        let _ = optional_header::<bool>(&headers, "x-typed");
        let _ = optional_header::<Vec<String>>(&headers, "x-typed");
        let _ = optional_header::<Lenient<DateTime>>(&headers, "x-typed");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = DateTime::parse(text);
        let _ = Date::parse(text);
    }
    let _ = serde_json::from_slice::<CheckoutSessionResponseSchema>(data);
    let _ = serde_json::from_slice::<CheckoutSessionListResponseSchema>(data);
    let _ = serde_json::from_slice::<Contract>(data);
    let _ = serde_json::from_slice::<UnknownFields>(data);
    let _ = serde_json::from_slice::<Vec<Lenient<DateTime>>>(data);
});
