//! The rendered [`Frame`] and its encoding to image files.
//!
//! A frame carries display-referred 8-bit sRGB with straight alpha (what
//! PNG, JPEG and WebP want) and, optionally, scene-referred linear float
//! with premultiplied alpha (what EXR wants). [`encode`] turns a frame into
//! file bytes; [`save`] writes them atomically.

mod encode;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::color::{ColorError, parse_hex_rgb};

pub use encode::encode;

/// A rendered frame read back from the GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Display-referred, sRGB-encoded 8-bit RGBA, STRAIGHT (not
    /// premultiplied) alpha, rows top-down; `4 · width · height` bytes.
    pub rgba8: Vec<u8>,
    /// Scene-referred linear RGBA f32 (exposure applied, before tone
    /// mapping), PREMULTIPLIED alpha, rows top-down; `4 · width · height`
    /// floats. Present when requested (needed for EXR).
    pub linear: Option<Vec<f32>>,
}

impl Frame {
    /// Whether every pixel of [`Frame::rgba8`] has alpha 255.
    pub fn is_opaque(&self) -> bool {
        is_opaque(&self.rgba8)
    }
}

/// Whether every RGBA8 pixel in `rgba8` has alpha 255.
pub(crate) fn is_opaque(rgba8: &[u8]) -> bool {
    rgba8.chunks_exact(4).all(|p| p[3] == 255)
}

/// An output image file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG, 8-bit sRGB, straight alpha (RGB when the frame is opaque).
    Png,
    /// JPEG, 8-bit sRGB, no alpha (composited over white if needed).
    Jpeg,
    /// WebP, lossless 8-bit sRGB with straight alpha.
    Webp,
    /// OpenEXR, linear 32-bit float RGBA with premultiplied alpha.
    Exr,
}

impl ImageFormat {
    /// All formats, in a stable order.
    pub const ALL: [ImageFormat; 4] = [Self::Png, Self::Jpeg, Self::Webp, Self::Exr];

    /// The format implied by a path's extension (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()?.to_str()?.parse().ok()
    }

    /// The canonical file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
            Self::Exr => "exr",
        }
    }

    /// The MIME type for HTTP responses.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Exr => "image/x-exr",
        }
    }

    /// Whether files of this format keep an alpha channel.
    pub fn has_alpha(self) -> bool {
        !matches!(self, Self::Jpeg)
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for ImageFormat {
    type Err = ParseError;

    /// Accepts `png`, `jpg`/`jpeg`, `webp`, `exr` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(Self::Png),
            "jpg" | "jpeg" => Ok(Self::Jpeg),
            "webp" => Ok(Self::Webp),
            "exr" => Ok(Self::Exr),
            _ => Err(ParseError::UnknownFormat {
                input: s.to_string(),
            }),
        }
    }
}

/// What lies behind the product in the final image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Background {
    /// Transparent: alpha encodes coverage.
    Transparent,
    /// An opaque colour, sRGB-encoded 8-bit.
    Color([u8; 3]),
    /// The environment map itself is visible behind the product.
    Environment,
}

impl fmt::Display for Background {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transparent => f.write_str("transparent"),
            Self::Environment => f.write_str("env"),
            Self::Color([r, g, b]) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

impl FromStr for Background {
    type Err = ParseError;

    /// Accepts `transparent`, `env`/`environment` (case-insensitive) or a
    /// hex colour (`#rrggbb`, `rrggbb`, `#rgb`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "transparent" => Ok(Self::Transparent),
            "env" | "environment" => Ok(Self::Environment),
            _ => {
                parse_hex_rgb(s)
                    .map(Self::Color)
                    .map_err(|source| ParseError::InvalidBackground {
                        input: s.to_string(),
                        source,
                    })
            }
        }
    }
}

/// Errors from parsing an [`ImageFormat`] or [`Background`] string.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// The string names no supported image format.
    #[error("unknown image format {input:?}: expected png, jpg, jpeg, webp or exr")]
    UnknownFormat {
        /// The string that was rejected.
        input: String,
    },
    /// The string is neither a background keyword nor a hex colour.
    #[error(
        "invalid background {input:?}: expected \"transparent\", \"env\" or a colour like \"#rrggbb\""
    )]
    InvalidBackground {
        /// The string that was rejected.
        input: String,
        /// Why it is not a colour.
        source: ColorError,
    },
}

/// Errors from encoding or saving a [`Frame`].
#[derive(Debug, Error)]
pub enum OutputError {
    /// Width or height is zero.
    #[error("frame has an empty size {width}x{height}")]
    EmptyFrame {
        /// Frame width.
        width: u32,
        /// Frame height.
        height: u32,
    },
    /// A pixel buffer's length does not match `4 · width · height`.
    #[error("frame {buffer} buffer has {actual} values, expected {expected} for {width}x{height}")]
    BufferSize {
        /// Which buffer (`rgba8` or `linear`).
        buffer: &'static str,
        /// Frame width.
        width: u32,
        /// Frame height.
        height: u32,
        /// Expected number of values.
        expected: usize,
        /// Actual number of values.
        actual: usize,
    },
    /// The frame exceeds what the format can store.
    #[error("{width}x{height} is too large for {format}: at most {max}x{max} pixels")]
    TooLarge {
        /// The format with the limit.
        format: ImageFormat,
        /// Frame width.
        width: u32,
        /// Frame height.
        height: u32,
        /// Largest width or height the format allows.
        max: u32,
    },
    /// JPEG quality outside `1..=100`.
    #[error("JPEG quality {quality} is out of range 1..=100")]
    InvalidQuality {
        /// The quality that was given.
        quality: u8,
    },
    /// EXR was requested but the frame has no linear data.
    #[error("EXR output needs the frame's linear data, but it was not rendered")]
    NoLinearData,
    /// The image encoder failed.
    #[error("encoding {format} failed: {message}")]
    Encode {
        /// The format being written.
        format: ImageFormat,
        /// The encoder's message.
        message: String,
    },
    /// Writing the file failed.
    #[error("cannot write image {}: {source}", path.display())]
    Io {
        /// The file (or temporary file) being written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Composites straight-alpha sRGB RGBA8 over an opaque sRGB colour, in place.
///
/// The blend happens **in sRGB-encoded space**,
/// `out = c·a + bg·(1 − a)` with `a = alpha / 255`, rounded to nearest;
/// alpha becomes 255. This matches what the reference renders and web
/// browsers do with a transparent PNG on a coloured page. A trailing
/// partial pixel (length not a multiple of 4) is left untouched.
pub fn composite_over(rgba8: &mut [u8], bg: [u8; 3]) {
    for px in rgba8.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a == 255 {
            continue;
        }
        for (c, b) in px[..3].iter_mut().zip(bg) {
            let v = u32::from(*c) * a + u32::from(b) * (255 - a);
            // round(v / 255) for integer v (never exactly halfway).
            *c = ((v + 127) / 255) as u8;
        }
        px[3] = 255;
    }
}

/// Encodes `frame` and writes it to `path` atomically.
///
/// The bytes go to a temporary file in the same directory, which is then
/// renamed over `path`, so a crash never leaves a half-written image under
/// the final name. (The file is not fsynced; after a power loss the rename
/// may be lost, but the target is never partially written.) `quality` is
/// as for [`encode`].
///
/// # Errors
///
/// Everything [`encode`] reports, and [`OutputError::Io`] naming the file
/// that could not be written.
pub fn save(
    frame: &Frame,
    path: &Path,
    format: ImageFormat,
    quality: u8,
) -> Result<(), OutputError> {
    let bytes = encode(frame, format, quality)?;
    write_atomic(path, &bytes)
}

/// Writes `bytes` to `path` through a temporary sibling file and a rename,
/// so a reader never sees a half-written file.
///
/// # Errors
///
/// [`OutputError::Io`] naming the file that could not be written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| OutputError::Io { path: p, source }
    };
    let file_name = path.file_name().ok_or_else(|| OutputError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "path has no file name"),
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    // Unique per process and per call, so concurrent saves never collide.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tmp_name.push(format!(".{}-{n}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);

    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(io_err(&tmp))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io_err(path)));
    if result.is_err() {
        // Best effort: the temporary file may not even exist.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests;
