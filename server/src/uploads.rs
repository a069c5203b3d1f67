//! Personalization images: decoded from data URLs or multipart parts,
//! validated (magic bytes, byte limit before decoding, pixel limit from the
//! header) and stored content-addressed (`sha256:<hex>`) in a size-bounded
//! in-memory store. The reference is what a configuration holds.

use crate::cache::Lru;
use crate::error::AppError;
use axum::body::Bytes;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::sync::Mutex;

/// The prefix of an image reference.
pub const REF_PREFIX: &str = "sha256:";

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// SVG (vector; drawn later by the decal pass).
    Svg,
}

impl ImageKind {
    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Svg => "image/svg+xml",
        }
    }
}

/// Recognises an image by its first bytes: `Ok` for accepted formats,
/// `Err(Some(name))` for known but unsupported ones, `Err(None)` when the
/// bytes are not a known image.
pub fn sniff(b: &[u8]) -> Result<ImageKind, Option<&'static str>> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageKind::Png);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageKind::Jpeg);
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Ok(ImageKind::Webp);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Err(Some("GIF"));
    }
    if b.starts_with(b"BM") && b.len() > 14 {
        return Err(Some("BMP"));
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Err(Some("TIFF"));
    }
    if b.starts_with(b"\0\0\x01\0") {
        return Err(Some("ICO"));
    }
    let head = &b[..b.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if (t.starts_with("<?xml") || t.starts_with("<svg") || t.starts_with("<!--"))
        && text.contains("<svg")
    {
        return Ok(ImageKind::Svg);
    }
    Err(None)
}

/// Limits of an upload.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    /// Bytes (checked before decoding).
    pub max_bytes: usize,
    /// Pixels (read from the header).
    pub max_pixels: u64,
}

/// Decodes the base64 of a data URL (`data:image/png;base64,…`) or bare
/// base64; the decoded size is checked against the limit first.
///
/// # Errors
///
/// `413 too-large` beyond the limit, `422 bad-image` when it is not base64,
/// `415` for a data URL that is not base64 or not an image type.
pub fn decode_data_url(field: &str, s: &str, limits: UploadLimits) -> Result<Vec<u8>, AppError> {
    let s = s.trim();
    let data = match s.strip_prefix("data:") {
        Some(rest) => {
            let (meta, data) = rest.split_once(',').ok_or_else(|| {
                AppError::bad_image(field, "a data URL needs a comma before its data")
            })?;
            if !meta.ends_with(";base64") {
                return Err(AppError::bad_image(
                    field,
                    "only base64 data URLs are accepted",
                ));
            }
            let mime = meta.trim_end_matches(";base64");
            if !mime.is_empty() && !mime.starts_with("image/") {
                return Err(unsupported(field, &format!("media type {mime:?}")));
            }
            data
        }
        None => s,
    };
    let estimate = data.len() / 4 * 3;
    if estimate > limits.max_bytes + 3 {
        return Err(too_large_bytes(field, estimate, limits.max_bytes));
    }
    let cleaned: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::general_purpose::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(cleaned.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cleaned.trim_end_matches('='))
        })
        .map_err(|e| AppError::bad_image(field, format!("not valid base64: {e}")))?;
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(field, bytes.len(), limits.max_bytes));
    }
    Ok(bytes)
}

fn too_large_bytes(field: &str, n: usize, max: usize) -> AppError {
    AppError::too_large(format!(
        "{field}: the image has {n} bytes; the limit is {max}"
    ))
    .with_errors(vec![crate::error::FieldError::new(
        field,
        format!("{n} bytes > {max}"),
    )])
}

fn unsupported(field: &str, what: &str) -> AppError {
    AppError::new(
        crate::error::ProblemKind::UnsupportedMediaType,
        format!("{field}: {what} is not supported; images are PNG, JPEG, WebP or SVG"),
    )
    .with_errors(vec![crate::error::FieldError::new(
        field,
        format!("{what} is not supported"),
    )])
}

/// Checks an uploaded image: size, format, pixel count (header only), then a
/// full decode within those limits (raster formats). Blocking (decoding).
///
/// # Errors
///
/// `413 too-large` (bytes or pixels), `415` for a known unsupported format,
/// `422 bad-image` when the bytes are not a valid image.
pub fn validate_image(
    field: &str,
    bytes: &[u8],
    limits: UploadLimits,
) -> Result<ImageKind, AppError> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(field, bytes.len(), limits.max_bytes));
    }
    let kind = match sniff(bytes) {
        Ok(k) => k,
        Err(Some(name)) => return Err(unsupported(field, name)),
        Err(None) => {
            return Err(AppError::bad_image(
                field,
                "the bytes are not a PNG, JPEG, WebP or SVG image",
            ));
        }
    };
    let format = match kind {
        ImageKind::Png => image::ImageFormat::Png,
        ImageKind::Jpeg => image::ImageFormat::Jpeg,
        ImageKind::Webp => image::ImageFormat::WebP,
        ImageKind::Svg => {
            return match std::str::from_utf8(bytes) {
                Ok(t) if t.contains("<svg") && (t.contains("</svg>") || t.contains("/>")) => {
                    Ok(kind)
                }
                _ => Err(AppError::bad_image(field, "not a valid SVG document")),
            };
        }
    };
    let (w, h) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| AppError::bad_image(field, format!("unreadable image header: {e}")))?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(AppError::too_large(format!(
            "{field}: the image is {w}×{h} = {pixels} pixels; the limit is {}",
            limits.max_pixels
        ))
        .with_errors(vec![crate::error::FieldError::new(
            field,
            format!("{w}×{h} pixels > {}", limits.max_pixels),
        )]));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = image::Limits::default();
    l.max_image_width = Some(w);
    l.max_image_height = Some(h);
    l.max_alloc = Some(pixels.saturating_mul(16).max(1 << 20));
    reader.limits(l);
    reader
        .decode()
        .map_err(|e| AppError::bad_image(field, format!("the image does not decode: {e}")))?;
    Ok(kind)
}

/// The reference of image bytes: `sha256:<hex>`.
pub fn reference(bytes: &[u8]) -> String {
    format!("{REF_PREFIX}{}", hex::encode(Sha256::digest(bytes)))
}

/// Whether `s` has the shape of an image reference.
pub fn is_reference(s: &str) -> bool {
    s.strip_prefix(REF_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Uploaded images by reference, bounded in bytes (least recently used
/// dropped first).
#[derive(Debug)]
pub struct UploadStore {
    images: Mutex<Lru<(Bytes, ImageKind)>>,
}

impl UploadStore {
    /// A store holding at most `budget` bytes.
    pub fn new(budget: u64) -> Self {
        Self {
            images: Mutex::new(Lru::new(budget)),
        }
    }

    /// Stores validated bytes; returns their reference.
    pub fn put(&self, bytes: Bytes, kind: ImageKind) -> String {
        let r = reference(&bytes);
        let size = bytes.len() as u64;
        self.lock().insert(r.clone(), (bytes, kind), size);
        r
    }

    /// The image of a reference.
    pub fn get(&self, reference: &str) -> Option<(Bytes, ImageKind)> {
        self.lock().touch(reference)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru<(Bytes, ImageKind)>> {
        self.images.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: UploadLimits = UploadLimits {
        max_bytes: 1 << 20,
        max_pixels: 1 << 20,
    };

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::new(w, h);
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn formats_are_sniffed() {
        assert_eq!(sniff(&png(2, 2)), Ok(ImageKind::Png));
        assert_eq!(sniff(b"GIF89a...."), Err(Some("GIF")));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Ok(ImageKind::Svg)
        );
        assert_eq!(sniff(b"hello world"), Err(None));
    }

    #[test]
    fn images_are_checked() {
        assert_eq!(
            validate_image("images.logo", &png(4, 4), LIMITS).unwrap(),
            ImageKind::Png
        );
        let e = validate_image("images.logo", b"hello", LIMITS).unwrap_err();
        assert_eq!(e.status.as_u16(), 422);
        let e = validate_image("images.logo", &png(2048, 1024), LIMITS).unwrap_err();
        assert_eq!(e.status.as_u16(), 413);
        let mut truncated = png(64, 64);
        truncated.truncate(truncated.len() - 20);
        assert!(validate_image("images.logo", &truncated, LIMITS).is_err());
    }

    #[test]
    fn data_urls_decode() {
        let b = png(2, 2);
        let url = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&b)
        );
        assert_eq!(decode_data_url("f", &url, LIMITS).unwrap(), b);
        assert_eq!(
            decode_data_url("f", "data:image/png;base64,@@@", LIMITS)
                .unwrap_err()
                .status
                .as_u16(),
            422
        );
        let big = "A".repeat(4 << 20);
        assert_eq!(
            decode_data_url("f", &big, LIMITS)
                .unwrap_err()
                .status
                .as_u16(),
            413
        );
        assert!(is_reference(&reference(&b)));
    }
}
