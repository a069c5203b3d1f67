//! Canonical JSON: one text for one value, on every machine.
//!
//! Object keys are sorted by their UTF-8 bytes at every level, no whitespace
//! is written, strings are escaped as `serde_json` escapes them, and numbers
//! are normalized: a finite float with an integral value of magnitude below
//! 2⁵³ is written as an integer (`1.0` → `1`, `-0.0` → `0`), so a value
//! means the same text whether it came from Rust, JavaScript or a file. The
//! order of keys in the input never matters (this does not depend on
//! `serde_json`'s `preserve_order` feature).

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical JSON text of `value`.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Hex SHA-256 of the canonical JSON text of `value`.
pub fn hash(value: &Value) -> String {
    sha256_hex(to_string(value).as_bytes())
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                write(v, out);
            }
            out.push('}');
        }
    }
}

fn write_str(s: &str, out: &mut String) {
    // Serializing a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.is_f64()
        && let Some(f) = n.as_f64()
        && f.is_finite()
        && f.fract() == 0.0
        && f.abs() < EXACT
    {
        // Integral and exactly representable: the integer form.
        out.push_str(&(f as i64).to_string());
        return;
    }
    out.push_str(&n.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_sorted_recursively_without_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{ "b": 1, "a": { "z": [3, {"y": 1, "x": 2}], "c": null } }"#)
                .unwrap();
        assert_eq!(
            to_string(&v),
            r#"{"a":{"c":null,"z":[3,{"x":2,"y":1}]},"b":1}"#
        );
    }

    #[test]
    fn key_order_does_not_matter() {
        let a: Value =
            serde_json::from_str(r#"{"x": 1, "y": "é\"\n", "z": [true, false]}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"z": [true, false], "y": "é\"\n", "x": 1}"#).unwrap();
        assert_eq!(to_string(&a), to_string(&b));
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn numbers_normalized() {
        assert_eq!(
            to_string(&json!([1.0, -0.0, 2.5, 3, -7, 1e300])),
            "[1,0,2.5,3,-7,1e+300]"
        );
        assert_eq!(to_string(&json!(u64::MAX)), u64::MAX.to_string());
    }

    #[test]
    fn known_digest() {
        // SHA-256("abc").
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
