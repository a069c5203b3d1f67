//! Per-format encoders for [`Frame`].

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};

use super::{Frame, ImageFormat, OutputError, composite_over, is_opaque};

/// Largest width or height a PNG may have (the spec's 2³¹ − 1).
const PNG_MAX: u32 = i32::MAX as u32;
/// Largest width or height of a baseline JPEG (16-bit size fields).
const JPEG_MAX: u32 = u16::MAX as u32;
/// Largest width or height of a lossless WebP (14-bit size fields).
const WEBP_MAX: u32 = 16_384;
/// Largest width or height of an OpenEXR image (`i32` data window).
const EXR_MAX: u32 = i32::MAX as u32;

/// PNG compression used by [`encode`]: `fdeflate`'s fastest setting.
///
/// Measured on a 1024² product render with a transparent background
/// (optimised build, best of 7): `Fast` + `Paeth` took 2.8 ms for 503 KiB;
/// `Fast` + `Adaptive` 3.6 ms / 502 KiB; zlib `Level(1)` ≈ 13 ms / 560 KiB;
/// `Default` ≈ 79 ms / 495 KiB. (Unoptimised dev builds rank `Fast` lower
/// because of `fdeflate`'s debug assertions; the release ranking is what
/// counts.)
pub(super) const PNG_COMPRESSION: CompressionType = CompressionType::Fast;
/// PNG row filter used by [`encode`] (see [`PNG_COMPRESSION`]).
pub(super) const PNG_FILTER: FilterType = FilterType::Paeth;

/// Encodes `frame` as `format`, returning the file bytes.
///
/// * **PNG**: 8-bit sRGB with straight alpha; written as RGB when every
///   pixel is opaque. Fast compression. `quality` is ignored.
/// * **JPEG**: 8-bit sRGB, `quality` in `1..=100`. JPEG has no alpha, so a
///   frame with any non-opaque pixel is first composited over white with
///   [`composite_over`].
/// * **WebP**: lossless 8-bit sRGB with straight alpha (the encoder has
///   no lossy mode); `quality` is ignored.
/// * **EXR**: [`Frame::linear`] as 32-bit float RGBA, linear, premultiplied
///   alpha, ZIP (16 scanline) compression; `quality` is ignored.
///
/// # Errors
///
/// [`OutputError::EmptyFrame`], [`OutputError::BufferSize`] for a frame
/// whose buffers do not match its size, [`OutputError::TooLarge`] beyond
/// the format's size limit, [`OutputError::InvalidQuality`] for JPEG,
/// [`OutputError::NoLinearData`] for EXR without linear data, and
/// [`OutputError::Encode`] if the encoder itself fails.
pub fn encode(frame: &Frame, format: ImageFormat, quality: u8) -> Result<Vec<u8>, OutputError> {
    let (width, height) = (frame.width, frame.height);
    if width == 0 || height == 0 {
        return Err(OutputError::EmptyFrame { width, height });
    }
    let max = match format {
        ImageFormat::Png => PNG_MAX,
        ImageFormat::Jpeg => JPEG_MAX,
        ImageFormat::Webp => WEBP_MAX,
        ImageFormat::Exr => EXR_MAX,
    };
    if width > max || height > max {
        return Err(OutputError::TooLarge {
            format,
            width,
            height,
            max,
        });
    }
    let expected = usize::try_from(u64::from(width) * u64::from(height) * 4).map_err(|_| {
        OutputError::TooLarge {
            format,
            width,
            height,
            max,
        }
    })?;
    let check = |buffer: &'static str, actual: usize| {
        if actual == expected {
            Ok(())
        } else {
            Err(OutputError::BufferSize {
                buffer,
                width,
                height,
                expected,
                actual,
            })
        }
    };

    match format {
        ImageFormat::Exr => {
            let linear = frame.linear.as_deref().ok_or(OutputError::NoLinearData)?;
            check("linear", linear.len())?;
            encode_exr(linear, width, height)
        }
        _ => {
            check("rgba8", frame.rgba8.len())?;
            match format {
                ImageFormat::Png => {
                    encode_png(&frame.rgba8, width, height, PNG_COMPRESSION, PNG_FILTER)
                }
                ImageFormat::Jpeg => encode_jpeg(&frame.rgba8, width, height, quality),
                _ => encode_webp(&frame.rgba8, width, height),
            }
        }
    }
}

fn encode_err(format: ImageFormat) -> impl Fn(image::ImageError) -> OutputError {
    move |e| OutputError::Encode {
        format,
        message: e.to_string(),
    }
}

/// Drops the alpha channel of RGBA8.
fn rgba_to_rgb(rgba8: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(rgba8.len() / 4 * 3);
    for p in rgba8.chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    rgb
}

/// PNG with the given settings (exposed to the tests for measuring).
pub(super) fn encode_png(
    rgba8: &[u8],
    width: u32,
    height: u32,
    compression: CompressionType,
    filter: FilterType,
) -> Result<Vec<u8>, OutputError> {
    let mut out = Vec::with_capacity(rgba8.len() / 2);
    let encoder = PngEncoder::new_with_quality(&mut out, compression, filter);
    if is_opaque(rgba8) {
        let rgb = rgba_to_rgb(rgba8);
        encoder.write_image(&rgb, width, height, ExtendedColorType::Rgb8)
    } else {
        encoder.write_image(rgba8, width, height, ExtendedColorType::Rgba8)
    }
    .map_err(encode_err(ImageFormat::Png))?;
    Ok(out)
}

fn encode_jpeg(rgba8: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, OutputError> {
    if !(1..=100).contains(&quality) {
        return Err(OutputError::InvalidQuality { quality });
    }
    let rgb = if is_opaque(rgba8) {
        rgba_to_rgb(rgba8)
    } else {
        let mut over_white = rgba8.to_vec();
        composite_over(&mut over_white, [255, 255, 255]);
        rgba_to_rgb(&over_white)
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(&rgb, width, height, ExtendedColorType::Rgb8)
        .map_err(encode_err(ImageFormat::Jpeg))?;
    Ok(out)
}

fn encode_webp(rgba8: &[u8], width: u32, height: u32) -> Result<Vec<u8>, OutputError> {
    let mut out = Vec::new();
    let encoder = WebPEncoder::new_lossless(&mut out);
    if is_opaque(rgba8) {
        let rgb = rgba_to_rgb(rgba8);
        encoder.write_image(&rgb, width, height, ExtendedColorType::Rgb8)
    } else {
        encoder.write_image(rgba8, width, height, ExtendedColorType::Rgba8)
    }
    .map_err(encode_err(ImageFormat::Webp))?;
    Ok(out)
}

fn encode_exr(linear: &[f32], width: u32, height: u32) -> Result<Vec<u8>, OutputError> {
    use exr::prelude::{
        Blocks, Compression, Encoding, Image, LineOrder, SpecificChannels, Vec2, WritableImage,
    };
    let w = width as usize;
    let channels = SpecificChannels::rgba(|pos: Vec2<usize>| {
        let i = (pos.y() * w + pos.x()) * 4;
        (linear[i], linear[i + 1], linear[i + 2], linear[i + 3])
    });
    let encoding = Encoding {
        compression: Compression::ZIP16,
        blocks: Blocks::ScanLines,
        line_order: LineOrder::Increasing,
    };
    let image = Image::from_encoded_channels((w, height as usize), encoding, channels);
    let mut out = Cursor::new(Vec::new());
    image
        .write()
        .to_buffered(&mut out)
        .map_err(|e| OutputError::Encode {
            format: ImageFormat::Exr,
            message: e.to_string(),
        })?;
    Ok(out.into_inner())
}
