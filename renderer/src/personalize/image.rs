//! Uploaded images: PNG, JPEG, WebP (the `image` crate) and SVG (`resvg`).
//! Byte and pixel limits are checked *before* decoding (dimensions come
//! from the header; for SVG from the root element's size and viewBox), so a
//! decompression bomb is refused without allocating it. SVG never reaches
//! outside itself: no resources folder, `href`s other than embedded
//! raster `data:` images are refused (and reported), scripts are never run.

use super::raster::Raster;
use resvg::usvg;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use thiserror::Error;
use tiny_skia::{Pixmap, Transform};

/// Limits an upload must meet before it is decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most pixels (width × height) of a raster image.
    pub max_pixels: u64,
    /// Largest declared width or height of an SVG, in its user units (px).
    pub max_svg_side: f32,
}

impl Default for ImageLimits {
    /// 20 MB, 50 megapixels, SVGs up to 20 000 units a side.
    fn default() -> Self {
        Self {
            max_bytes: 20 << 20,
            max_pixels: 50_000_000,
            max_svg_side: 20_000.0,
        }
    }
}

/// The formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// SVG (not SVGZ).
    Svg,
}

/// How an image fills a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Whole image inside the slot, aspect kept, centred (bars transparent).
    #[default]
    Contain,
    /// The slot filled, aspect kept, centred (the overflow cut).
    Cover,
    /// The slot filled exactly, aspect not kept.
    Stretch,
}

/// Why an image was refused.
#[derive(Debug, Error)]
pub enum ImageError {
    /// The file is larger than the byte limit.
    #[error("the image is {bytes} bytes, more than the {max} bytes allowed")]
    TooManyBytes {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The header declares more pixels than allowed.
    #[error("the image is {width}×{height} pixels ({} MP), more than the {} MP allowed", (*width as u64 * *height as u64) as f64 / 1e6, *max as f64 / 1e6)]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The limit.
        max: u64,
    },
    /// An SVG declares a size beyond the limit.
    #[error("the SVG declares {width}×{height} units, more than {max} a side")]
    SvgTooLarge {
        /// Declared width.
        width: f32,
        /// Declared height.
        height: f32,
        /// The limit.
        max: f32,
    },
    /// The bytes are not PNG, JPEG, WebP or SVG.
    #[error("not a PNG, JPEG, WebP or SVG image{}", name.map(|n| format!(" ({n} is not accepted)")).unwrap_or_default())]
    Unsupported {
        /// The format recognised, if any.
        name: Option<&'static str>,
    },
    /// The image is damaged or its header cannot be read.
    #[error("cannot decode the {format:?} image: {message}")]
    Decode {
        /// Its format.
        format: ImageFormat,
        /// The decoder's message.
        message: String,
    },
    /// An SVG refers to something outside itself.
    #[error("the SVG refers to {href:?} outside itself; embed images as data: URIs")]
    SvgExternalReference {
        /// The reference.
        href: String,
    },
    /// An SVG holds text (needs fonts; print shops want outlines).
    #[error("the SVG contains <text>; convert text to outlines (paths)")]
    SvgText,
    /// A `data:` URI that is not base64 image data.
    #[error("invalid data URI: {0}")]
    DataUri(String),
    /// The target raster size is zero or too large.
    #[error("target size {width}×{height} pixels is not drawable")]
    BadTarget {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
}

/// A decoded image, ready to be fitted at any size.
pub enum Decoded {
    /// A raster: straight-alpha sRGB RGBA8.
    Raster(::image::RgbaImage),
    /// A vector image, drawn at the target resolution.
    Svg(Box<usvg::Tree>),
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Raster(i) => write!(f, "Raster({}×{})", i.width(), i.height()),
            Self::Svg(t) => write!(f, "Svg({:?})", t.size()),
        }
    }
}

impl Decoded {
    /// Intrinsic size (pixels, or SVG user units).
    pub fn size(&self) -> (f32, f32) {
        match self {
            Self::Raster(i) => (i.width() as f32, i.height() as f32),
            Self::Svg(t) => (t.size().width(), t.size().height()),
        }
    }
}

/// Recognises a format by its first bytes.
///
/// # Errors
///
/// [`ImageError::Unsupported`], naming GIF/BMP/TIFF when it is one of those.
pub fn sniff(b: &[u8]) -> Result<ImageFormat, ImageError> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Ok(ImageFormat::Webp);
    }
    for (magic, name) in [
        (&b"GIF8"[..], "GIF"),
        (b"BM", "BMP"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (&[0x1f, 0x8b], "SVGZ/gzip"),
    ] {
        if b.starts_with(magic) {
            return Err(ImageError::Unsupported { name: Some(name) });
        }
    }
    let head = String::from_utf8_lossy(&b[..b.len().min(4096)]);
    if head.contains("<svg") {
        return Ok(ImageFormat::Svg);
    }
    Err(ImageError::Unsupported { name: None })
}

/// The format and declared size of an image, from its header only, checked
/// against the limits.
///
/// # Errors
///
/// [`ImageError::TooManyBytes`], [`ImageError::TooManyPixels`],
/// [`ImageError::SvgTooLarge`], [`ImageError::Unsupported`] or
/// [`ImageError::Decode`] for an unreadable header.
pub fn probe(bytes: &[u8], limits: &ImageLimits) -> Result<(ImageFormat, f32, f32), ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooManyBytes {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let format = sniff(bytes)?;
    if format == ImageFormat::Svg {
        let text = String::from_utf8_lossy(bytes);
        let (w, h) = super::svg::declared_size(&text).ok_or_else(|| ImageError::Decode {
            format,
            message: "no <svg> root element with a size or viewBox".into(),
        })?;
        if !(w.is_finite() && h.is_finite() && w <= limits.max_svg_side && h <= limits.max_svg_side)
        {
            return Err(ImageError::SvgTooLarge {
                width: w,
                height: h,
                max: limits.max_svg_side,
            });
        }
        return Ok((format, w, h));
    }
    let reader = ::image::ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let (w, h) = reader.into_dimensions().map_err(|e| ImageError::Decode {
        format,
        message: e.to_string(),
    })?;
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(ImageError::TooManyPixels {
            width: w,
            height: h,
            max: limits.max_pixels,
        });
    }
    Ok((format, w as f32, h as f32))
}

fn image_format(f: ImageFormat) -> ::image::ImageFormat {
    match f {
        ImageFormat::Png => ::image::ImageFormat::Png,
        ImageFormat::Jpeg => ::image::ImageFormat::Jpeg,
        ImageFormat::Webp => ::image::ImageFormat::WebP,
        ImageFormat::Svg => ::image::ImageFormat::Png,
    }
}

/// Decodes an image after [`probe`] passed (EXIF orientation applied).
///
/// # Errors
///
/// Every [`ImageError`] of [`probe`], plus decoding errors, SVG external
/// references and SVG text.
pub fn decode(bytes: &[u8], limits: &ImageLimits) -> Result<Decoded, ImageError> {
    let (format, _, _) = probe(bytes, limits)?;
    let err = |e: &dyn std::fmt::Display| ImageError::Decode {
        format,
        message: e.to_string(),
    };
    if format == ImageFormat::Svg {
        return decode_svg(bytes, limits).map(|t| Decoded::Svg(Box::new(t)));
    }
    let mut reader = ::image::ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut l = ::image::Limits::default();
    l.max_alloc = Some(limits.max_pixels.saturating_mul(16));
    reader.limits(l);
    use ::image::ImageDecoder as _;
    let mut decoder = reader.into_decoder().map_err(|e| err(&e))?;
    let orientation = decoder.orientation().map_err(|e| err(&e))?;
    let mut img = ::image::DynamicImage::from_decoder(decoder).map_err(|e| err(&e))?;
    img.apply_orientation(orientation);
    Ok(Decoded::Raster(img.into_rgba8()))
}

fn decode_svg(bytes: &[u8], limits: &ImageLimits) -> Result<usvg::Tree, ImageError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImageError::Decode {
        format: ImageFormat::Svg,
        message: "not UTF-8".into(),
    })?;
    if text.contains("<text") || text.contains(":text") {
        return Err(ImageError::SvgText);
    }
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let (r1, r2) = (refused.clone(), refused.clone());
    let lim = *limits;
    let resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(move |mime: &str, data: Arc<Vec<u8>>, _: &usvg::Options| {
            // Embedded rasters only, each within the limits before it is
            // decoded; nested SVGs are refused (their own hrefs would not
            // pass through here).
            match probe(&data, &lim) {
                Ok((ImageFormat::Png, ..)) => Some(usvg::ImageKind::PNG(data)),
                Ok((ImageFormat::Jpeg, ..)) => Some(usvg::ImageKind::JPEG(data)),
                Ok((ImageFormat::Webp, ..)) => Some(usvg::ImageKind::WEBP(data)),
                _ => {
                    if let Ok(mut r) = r1.lock() {
                        r.push(format!("an embedded {mime} image"));
                    }
                    None
                }
            }
        }),
        resolve_string: Box::new(move |href: &str, _: &usvg::Options| {
            if let Ok(mut r) = r2.lock() {
                r.push(href.to_string());
            }
            None
        }),
    };
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: resolver,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &options).map_err(|e| ImageError::Decode {
        format: ImageFormat::Svg,
        message: e.to_string(),
    })?;
    if let Some(href) = refused.lock().ok().and_then(|r| r.first().cloned()) {
        return Err(ImageError::SvgExternalReference { href });
    }
    let s = tree.size();
    if s.width() > limits.max_svg_side || s.height() > limits.max_svg_side {
        return Err(ImageError::SvgTooLarge {
            width: s.width(),
            height: s.height(),
            max: limits.max_svg_side,
        });
    }
    Ok(tree)
}

/// Where an image of `src` size lands in a `dst` box, as `(x, y, w, h)`
/// in box units (may extend outside the box for [`Fit::Cover`]).
pub fn fit_rect(src: (f32, f32), dst: (f32, f32), fit: Fit) -> (f32, f32, f32, f32) {
    let (sw, sh) = (src.0.max(1e-6), src.1.max(1e-6));
    let (w, h) = match fit {
        Fit::Stretch => dst,
        Fit::Contain | Fit::Cover => {
            let (kx, ky) = (dst.0 / sw, dst.1 / sh);
            let k = if fit == Fit::Contain {
                kx.min(ky)
            } else {
                kx.max(ky)
            };
            (sw * k, sh * k)
        }
    };
    ((dst.0 - w) / 2.0, (dst.1 - h) / 2.0, w, h)
}

/// Draws a decoded image into a `width` × `height` raster with a fit mode.
///
/// # Errors
///
/// [`ImageError::BadTarget`] for a zero or oversized target.
pub fn render_fitted(
    image: &Decoded,
    width: u32,
    height: u32,
    fit: Fit,
) -> Result<Raster, ImageError> {
    let bad = || ImageError::BadTarget { width, height };
    if u64::from(width) * u64::from(height) > super::raster::MAX_RASTER_PIXELS {
        return Err(bad());
    }
    let mut pixmap = Pixmap::new(width, height).ok_or_else(bad)?;
    let (x, y, w, h) = fit_rect(image.size(), (width as f32, height as f32), fit);
    match image {
        Decoded::Svg(tree) => {
            let s = tree.size();
            let ts = Transform::from_row(w / s.width(), 0.0, 0.0, h / s.height(), x, y);
            resvg::render(tree, ts, &mut pixmap.as_mut());
        }
        Decoded::Raster(img) => {
            let (tw, th) = (w.round().max(1.0) as u32, h.round().max(1.0) as u32);
            if u64::from(tw) * u64::from(th) > super::raster::MAX_RASTER_PIXELS {
                return Err(bad());
            }
            let mut pre = img.clone();
            for p in pre.pixels_mut() {
                let a = u16::from(p[3]);
                for c in 0..3 {
                    p[c] = ((u16::from(p[c]) * a + 127) / 255) as u8;
                }
            }
            let scaled =
                ::image::imageops::resize(&pre, tw, th, ::image::imageops::FilterType::CatmullRom);
            let (ox, oy) = (x.round() as i64, y.round() as i64);
            let data = pixmap.data_mut();
            for (sy, row) in scaled.rows().enumerate() {
                let dy = oy + sy as i64;
                if dy < 0 || dy >= i64::from(height) {
                    continue;
                }
                for (sx, p) in row.enumerate() {
                    let dx = ox + sx as i64;
                    if dx < 0 || dx >= i64::from(width) {
                        continue;
                    }
                    let i = ((dy as usize) * width as usize + dx as usize) * 4;
                    // Premultiplied and clamped: colour never exceeds alpha.
                    let a = p[3];
                    data[i..i + 4].copy_from_slice(&[p[0].min(a), p[1].min(a), p[2].min(a), a]);
                }
            }
        }
    }
    Ok(Raster::from_pixmap(&pixmap))
}

/// The bytes of a `data:` URI (`data:image/png;base64,…`).
///
/// # Errors
///
/// [`ImageError::DataUri`] when it is not a base64 data URI, or
/// [`ImageError::TooManyBytes`] when its data is over `max_bytes`
/// (checked on the encoded length, before decoding).
pub fn data_uri_bytes(uri: &str, max_bytes: usize) -> Result<Vec<u8>, ImageError> {
    use base64::Engine as _;
    let rest = uri
        .trim()
        .strip_prefix("data:")
        .ok_or_else(|| ImageError::DataUri("it does not start with data:".into()))?;
    let (meta, data) = rest
        .split_once(',')
        .ok_or_else(|| ImageError::DataUri("no comma before the data".into()))?;
    if !meta.ends_with(";base64") {
        return Err(ImageError::DataUri(
            "only base64 data URIs are accepted".into(),
        ));
    }
    let decoded_len = data.len() / 4 * 3;
    if decoded_len > max_bytes + 3 {
        return Err(ImageError::TooManyBytes {
            bytes: decoded_len,
            max: max_bytes,
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| ImageError::DataUri(e.to_string()))
}
