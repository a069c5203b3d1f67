//! sRGB ⇄ linear conversions and colour parsing for CPU code.
//!
//! This module is **the one place** where CPU code converts between
//! sRGB-encoded and linear values. Everything else calls these functions so
//! that the transfer function is defined exactly once.
//!
//! The curves are the exact piecewise IEC 61966-2-1 (sRGB) transfer
//! functions, not a 2.2 gamma approximation.

use thiserror::Error;

/// Errors from parsing a colour string.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ColorError {
    /// The string is not `#rrggbb`, `rrggbb` or `#rgb` hexadecimal.
    #[error("invalid hex colour {input:?}: expected \"#rrggbb\", \"rrggbb\" or \"#rgb\"")]
    InvalidHex {
        /// The string that was rejected, as given.
        input: String,
    },
}

/// Converts one sRGB-encoded component in `[0, 1]` to linear light.
///
/// Exact IEC 61966-2-1 curve: `c / 12.92` below `0.04045`, otherwise
/// `((c + 0.055) / 1.055)^2.4`. Negative inputs map to `c / 12.92`
/// (no clamping); values above 1 follow the power segment.
pub fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Converts one linear-light component in `[0, 1]` to sRGB encoding.
///
/// Exact IEC 61966-2-1 curve: `12.92 c` below `0.0031308`, otherwise
/// `1.055 c^(1/2.4) − 0.055`. Negative inputs map to `12.92 c`
/// (no clamping); values above 1 follow the power segment.
pub fn linear_to_srgb(c: f32) -> f32 {
    if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

/// Converts an sRGB-encoded 8-bit colour to linear RGB in `[0, 1]`.
pub fn srgb8_to_linear(rgb: [u8; 3]) -> [f32; 3] {
    rgb.map(|v| srgb_to_linear(f32::from(v) / 255.0))
}

/// Converts a linear component to an sRGB-encoded 8-bit value, clamping to
/// `[0, 1]` first (NaN becomes 0) and rounding to nearest.
pub fn linear_to_srgb8(c: f32) -> u8 {
    let c = if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) };
    let s = linear_to_srgb(c);
    // In range [0, 255] after clamping, so the cast cannot truncate.
    (s * 255.0).round() as u8
}

/// Parses a hexadecimal sRGB colour: `#rrggbb`, `rrggbb` or `#rgb`.
///
/// The short form `#rgb` expands each digit (`#f80` = `#ff8800`). Hex
/// digits may be upper or lower case; surrounding whitespace is ignored.
///
/// # Errors
///
/// [`ColorError::InvalidHex`] naming the input if it has any other shape.
pub fn parse_hex_rgb(s: &str) -> Result<[u8; 3], ColorError> {
    let err = || ColorError::InvalidHex {
        input: s.to_string(),
    };
    let trimmed = s.trim();
    let (digits, had_hash) = match trimmed.strip_prefix('#') {
        Some(rest) => (rest, true),
        None => (trimmed, false),
    };
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err());
    }
    let nibble = |i: usize| -> Result<u8, ColorError> {
        let b = digits.as_bytes()[i];
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
            .ok_or_else(err)
    };
    match digits.len() {
        6 => {
            let mut out = [0u8; 3];
            for (k, o) in out.iter_mut().enumerate() {
                *o = nibble(2 * k)? * 16 + nibble(2 * k + 1)?;
            }
            Ok(out)
        }
        3 if had_hash => {
            let mut out = [0u8; 3];
            for (k, o) in out.iter_mut().enumerate() {
                *o = nibble(k)? * 17;
            }
            Ok(out)
        }
        _ => Err(err()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_all_8bit_values() {
        for v in 0..=255u8 {
            let lin = srgb8_to_linear([v, v, v])[0];
            assert!((0.0..=1.0).contains(&lin));
            assert_eq!(linear_to_srgb8(lin), v, "8-bit value {v}");
            let back = linear_to_srgb(srgb_to_linear(f32::from(v) / 255.0));
            assert!((back * 255.0 - f32::from(v)).abs() < 1e-3, "value {v}");
        }
    }

    #[test]
    fn known_values() {
        assert!((linear_to_srgb(0.5) - 0.7354).abs() < 1e-4);
        assert!((srgb8_to_linear([128, 0, 255])[0] - 0.2158).abs() < 1e-4);
        assert_eq!(srgb_to_linear(0.0), 0.0);
        assert!((srgb_to_linear(1.0) - 1.0).abs() < 1e-6);
        assert!((linear_to_srgb(1.0) - 1.0).abs() < 1e-6);
        assert_eq!(srgb8_to_linear([0, 0, 255])[2], 1.0);
        // Linear segment.
        assert!((srgb_to_linear(0.04) - 0.04 / 12.92).abs() < 1e-9);
        assert!((linear_to_srgb(0.001) - 0.01292).abs() < 1e-7);
    }

    #[test]
    fn curves_are_monotonic_and_continuous() {
        let mut prev = -1.0f32;
        for i in 0..=4096 {
            let x = i as f32 / 4096.0;
            let y = srgb_to_linear(x);
            assert!(y >= prev);
            prev = y;
        }
        // Continuity at the breakpoints.
        let a = 0.04045f32;
        assert!((a / 12.92 - ((a + 0.055) / 1.055).powf(2.4)).abs() < 1e-6);
        let b = 0.003_130_8f32;
        assert!((b * 12.92 - (1.055 * b.powf(1.0 / 2.4) - 0.055)).abs() < 1e-6);
    }

    #[test]
    fn linear_to_srgb8_clamps() {
        assert_eq!(linear_to_srgb8(-1.0), 0);
        assert_eq!(linear_to_srgb8(7.0), 255);
        assert_eq!(linear_to_srgb8(f32::NAN), 0);
    }

    #[test]
    fn parse_hex_forms() {
        assert_eq!(parse_hex_rgb("#ff8000"), Ok([255, 128, 0]));
        assert_eq!(parse_hex_rgb("FF8000"), Ok([255, 128, 0]));
        assert_eq!(parse_hex_rgb("#f80"), Ok([255, 136, 0]));
        assert_eq!(parse_hex_rgb(" #000000 "), Ok([0, 0, 0]));
        assert_eq!(parse_hex_rgb("#AbCdEf"), Ok([0xab, 0xcd, 0xef]));
    }

    #[test]
    fn parse_hex_rejects_bad_input() {
        for bad in [
            "", "#", "f80", "#ff80", "#ff80000", "#gg0000", "ff 000", "#ff00é", "red", "##fff",
            "+f80", "0xff0000",
        ] {
            match parse_hex_rgb(bad) {
                Err(ColorError::InvalidHex { input }) => assert_eq!(input, bad),
                Ok(v) => panic!("{bad:?} parsed as {v:?}"),
            }
        }
        let msg = parse_hex_rgb("#xyz").unwrap_err().to_string();
        assert!(msg.contains("#xyz"), "{msg}");
    }
}
