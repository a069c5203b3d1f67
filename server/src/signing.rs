//! Signed image URLs (HMAC-SHA256) and bearer API keys.
//!
//! The signed message is the path, then `?` and the query's `name=value`
//! pairs without `sig`, sorted by name (then by the whole pair), joined by
//! `&`, exactly as they appear in the URL (still percent-encoded). With no
//! other parameter the message is the path alone.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn name(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(n, _)| n)
}

/// The signed message of a path and its raw query (`sig` left out).
pub fn canonical_message(path: &str, query: Option<&str>) -> String {
    let mut pairs: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && name(p) != "sig")
        .collect();
    pairs.sort_by(|a, b| name(a).cmp(name(b)).then_with(|| a.cmp(b)));
    if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

fn mac(key: &str, message: &str) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    m.update(message.as_bytes());
    m
}

/// The hex signature of a path-and-query (any `sig` in it is ignored).
pub fn signature(key: &str, path_and_query: &str) -> String {
    let (path, query) = split(path_and_query);
    hex::encode(
        mac(key, &canonical_message(path, query))
            .finalize()
            .into_bytes(),
    )
}

fn split(pq: &str) -> (&str, Option<&str>) {
    match pq.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (pq, None),
    }
}

/// Signs an image URL: `path_and_query` (e.g.
/// `/v1/products/sneaker/image?width=512&sel.colorway=beach`) with
/// `sig=<hex HMAC-SHA256>` appended (an existing `sig` is replaced).
pub fn sign_url(key: &str, path_and_query: &str) -> String {
    let (path, query) = split(path_and_query);
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && name(p) != "sig")
        .collect();
    let sig = signature(key, path_and_query);
    if kept.is_empty() {
        format!("{path}?sig={sig}")
    } else {
        format!("{path}?{}&sig={sig}", kept.join("&"))
    }
}

/// Whether the query's `sig` is the signature of the path and the rest of
/// the query (constant-time comparison).
pub fn verify(key: &str, path: &str, query: Option<&str>) -> bool {
    let Some(sig) = query
        .unwrap_or("")
        .split('&')
        .find(|p| name(p) == "sig")
        .and_then(|p| p.split_once('=').map(|(_, v)| v))
    else {
        return false;
    };
    let Ok(bytes) = hex::decode(sig) else {
        return false;
    };
    mac(key, &canonical_message(path, query))
        .verify_slice(&bytes)
        .is_ok()
}

/// Whether `Authorization: Bearer <token>` names one of `keys` (every key
/// compared in constant time).
pub fn bearer_ok(keys: &[String], authorization: Option<&str>) -> bool {
    let Some(token) = authorization.and_then(|a| {
        let (scheme, token) = a.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }) else {
        return false;
    };
    let mut ok = false;
    for k in keys {
        ok |= constant_time_eq(k.as_bytes(), token.as_bytes());
    }
    ok
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_urls_verify_in_any_parameter_order() {
        let url = sign_url(
            "k",
            "/v1/products/sneaker/image?width=64&sel.colorway=beach",
        );
        let (path, query) = url.split_once('?').unwrap();
        assert!(verify("k", path, Some(query)));
        let reordered: Vec<&str> = query.split('&').rev().collect();
        assert!(verify("k", path, Some(&reordered.join("&"))));
        assert!(!verify("other", path, Some(query)));
        let tampered = query.replace("width=64", "width=65");
        assert!(!verify("k", path, Some(&tampered)));
        assert!(!verify("k", path, Some("width=64")));
        assert!(sign_url("k", "/x").starts_with("/x?sig="));
    }

    #[test]
    fn bearer_tokens() {
        let keys = vec!["secret".to_string()];
        assert!(bearer_ok(&keys, Some("Bearer secret")));
        assert!(bearer_ok(&keys, Some("bearer  secret ")));
        assert!(!bearer_ok(&keys, Some("Bearer nope")));
        assert!(!bearer_ok(&keys, Some("Basic secret")));
        assert!(!bearer_ok(&keys, None));
    }
}
