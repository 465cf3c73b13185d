//! The request id every log line of a request carries. A client (or a proxy
//! in front) may send its own `X-Request-Id` so that its logs and ours line
//! up, but only a well-formed one: anything else (newlines, quotes, a
//! kilobyte of text) would let a client write into our logs, so it is
//! dropped and the server makes its own.
use axum::extract::Request;
use axum::http::HeaderName;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// 1 to 64 of `A-Z a-z 0-9 . _ -`: UUIDs, ULIDs and nginx's `$request_id`.
pub fn is_well_formed(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Drops a client's request id unless every one it sent is well formed.
pub async fn drop_malformed(mut request: Request) -> Request {
    let headers = request.headers_mut();
    let all_fine = headers
        .get_all(&REQUEST_ID)
        .iter()
        .all(|v| is_well_formed(v.as_bytes()));
    if !all_fine || headers.get_all(&REQUEST_ID).iter().count() > 1 {
        headers.remove(&REQUEST_ID);
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_kept() {
        assert!(is_well_formed(b"0190b6a5-6a4e-7c1b-9f3e-2d1c0b9a8f7e"));
        assert!(is_well_formed(b"f3a9c2e1d0b8a7f6e5d4c3b2a1908f7e"));
        for forged in [
            &b""[..],
            b"id\nlevel=ERROR forged=1",
            b"a b",
            b"\"quoted\"",
            &[b'a'; 65][..],
        ] {
            assert!(!is_well_formed(forged), "{forged:?}");
        }
    }
}
