//! Loading equirectangular (latitude–longitude) environment images.
//!
//! Radiance `.hdr` and OpenEXR `.exr` files are decoded to linear RGB f32
//! with the `image` crate. The format is recognised from the file's
//! content (its magic bytes), not trusted from the extension.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use ::image::ImageDecoder;
use ::image::codecs::hdr::HdrDecoder;
use ::image::codecs::openexr::OpenExrDecoder;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Value that `+∞` radiance is clamped to: the largest finite `f16`, so
/// such texels stay finite if the map is later stored as half floats.
pub const MAX_CLAMPED_RADIANCE: f32 = 65504.0;

/// An equirectangular environment map in linear light.
///
/// Column `x` maps to longitude, row `y` to latitude, row 0 being the top
/// (zenith).
#[derive(Debug, Clone, PartialEq)]
pub struct EquirectImage {
    /// Width in pixels (about twice the height).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Linear RGB radiance, 3 f32 per pixel, rows top-down. Every value is
    /// finite and ≥ 0.
    pub rgb: Vec<f32>,
}

/// Errors from [`load_equirect`].
#[derive(Debug, Error)]
pub enum EnvImageError {
    /// The file could not be read (missing, unreadable, …).
    #[error("cannot read environment map {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The content is neither Radiance HDR nor OpenEXR.
    #[error(
        "environment map {} is not a Radiance .hdr or OpenEXR .exr image (unrecognised content)",
        path.display()
    )]
    NotAnImage {
        /// The file.
        path: PathBuf,
    },
    /// The file looks like HDR/EXR but could not be decoded.
    #[error("cannot decode environment map {}: {message}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        message: String,
    },
    /// The image is not (about) twice as wide as tall, or is empty.
    #[error(
        "environment map {} is {width}x{height}; an equirectangular map must be twice as wide as tall (±1 pixel)",
        path.display()
    )]
    WrongAspect {
        /// The file.
        path: PathBuf,
        /// Image width.
        width: u32,
        /// Image height.
        height: u32,
    },
}

/// The recognised environment file kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hdr,
    Exr,
}

/// Recognises the file kind from its first bytes.
fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"#?") {
        Some(Kind::Hdr)
    } else if bytes.starts_with(&[0x76, 0x2f, 0x31, 0x01]) {
        Some(Kind::Exr)
    } else {
        None
    }
}

/// Loads an equirectangular environment map from a Radiance `.hdr` or
/// OpenEXR `.exr` file (recognised by content).
///
/// EXR files are read as RGB (alpha ignored) from the first layer that has
/// R, G and B channels. Values are sanitised: NaN and negative values become
/// 0, `+∞` becomes [`MAX_CLAMPED_RADIANCE`]; finite positive values are
/// kept as they are.
///
/// # Errors
///
/// [`EnvImageError::Io`] if the file cannot be read,
/// [`EnvImageError::NotAnImage`] if it is neither format,
/// [`EnvImageError::Decode`] if decoding fails, and
/// [`EnvImageError::WrongAspect`] unless `|width − 2·height| ≤ 1`.
pub fn load_equirect(path: &Path) -> Result<EquirectImage, EnvImageError> {
    let bytes = std::fs::read(path).map_err(|source| EnvImageError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let kind = sniff(&bytes).ok_or_else(|| EnvImageError::NotAnImage {
        path: path.to_path_buf(),
    })?;
    let decode_err = |e: ::image::ImageError| EnvImageError::Decode {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let cursor = Cursor::new(bytes.as_slice());
    let (width, height, rgb) = match kind {
        Kind::Hdr => decode_rgb32f(HdrDecoder::new(cursor).map_err(decode_err)?, path)?,
        Kind::Exr => decode_rgb32f(
            OpenExrDecoder::with_alpha_preference(cursor, Some(false)).map_err(decode_err)?,
            path,
        )?,
    };
    let mut image = EquirectImage { width, height, rgb };
    sanitize(&mut image.rgb);
    Ok(image)
}

/// Checks the aspect, then decodes a decoder that yields `Rgb32F`.
fn decode_rgb32f(
    decoder: impl ImageDecoder,
    path: &Path,
) -> Result<(u32, u32, Vec<f32>), EnvImageError> {
    let (width, height) = decoder.dimensions();
    if height == 0 || width.abs_diff(height.saturating_mul(2)) > 1 {
        return Err(EnvImageError::WrongAspect {
            path: path.to_path_buf(),
            width,
            height,
        });
    }
    if decoder.color_type() != ::image::ColorType::Rgb32F {
        return Err(EnvImageError::Decode {
            path: path.to_path_buf(),
            message: format!("unexpected pixel type {:?}", decoder.color_type()),
        });
    }
    let too_big = || EnvImageError::Decode {
        path: path.to_path_buf(),
        message: format!("{width}x{height} is too large to load"),
    };
    let floats =
        usize::try_from(u64::from(width) * u64::from(height) * 3).map_err(|_| too_big())?;
    if u64::try_from(floats * 4).map_err(|_| too_big())? != decoder.total_bytes() {
        return Err(too_big());
    }
    let mut rgb = vec![0.0f32; floats];
    decoder
        .read_image(bytemuck::cast_slice_mut(&mut rgb))
        .map_err(|e| EnvImageError::Decode {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok((width, height, rgb))
}

/// Makes every value finite and ≥ 0 (see [`load_equirect`]).
fn sanitize(values: &mut [f32]) {
    for v in values {
        if v.is_nan() || *v < 0.0 {
            *v = 0.0;
        } else if *v == f32::INFINITY {
            *v = MAX_CLAMPED_RADIANCE;
        }
    }
}

/// The SHA-256 of the file's bytes as 64 lowercase hex digits, for use as
/// the image-based-lighting disk-cache key.
///
/// # Errors
///
/// The I/O error if the file cannot be read.
pub fn file_hash(path: &Path) -> Result<String, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 15)]));
    }
    Ok(hex)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A constant-radiance environment (for white-furnace tests).
pub fn uniform(width: u32, height: u32, rgb: [f32; 3]) -> EquirectImage {
    let n = width as usize * height as usize;
    EquirectImage {
        width,
        height,
        rgb: rgb.repeat(n),
    }
}

#[cfg(test)]
mod tests;
