//! NVIDIA FLIP (LDR) image comparison, scored like the reference scorer.
//!
//! This reproduces `shared/reference/flip_compare.py` (see its README,
//! "FLIP against Cycles"): both images are 8-bit sRGB RGBA with straight
//! alpha; each is composited OVER mid-grey (0.5 in sRGB-encoded units) in
//! sRGB-encoded space; LDR FLIP runs at 67 pixels per degree; the mean is
//! over the whole frame, background included.
//!
//! **One difference:** the Python scorer passes the composited image to
//! FLIP as floats, but the `nv-flip` crate only accepts 8-bit sRGB, so the
//! composite is rounded to 8 bits here. Opaque pixels are unaffected;
//! partly transparent ones move by at most half a code value, and fully
//! transparent ones become 128/255 instead of 0.5 — in both images alike.
//! On the reference renders the means agree to about 10⁻⁴.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::output::{OutputError, write_atomic};

/// Pixels per degree of visual angle used for scoring (FLIP's default).
pub const PIXELS_PER_DEGREE: f32 = nv_flip::DEFAULT_PIXELS_PER_DEGREE;

/// The grey (sRGB-encoded) that both images are composited over.
pub const BACKGROUND_GREY: f32 = 0.5;

/// FLIP statistics and the per-pixel error map of one comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct FlipReport {
    /// Mean FLIP error over the whole frame (the headline number).
    pub mean: f32,
    /// Median per-pixel error.
    pub p50: f32,
    /// 95th-percentile per-pixel error.
    pub p95: f32,
    /// 99th-percentile per-pixel error.
    pub p99: f32,
    /// Largest per-pixel error.
    pub max: f32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Per-pixel error in `[0, 1]`, `width · height` values, rows top-down.
    pub error_map: Vec<f32>,
}

/// Errors from FLIP scoring.
#[derive(Debug, Error)]
pub enum FlipError {
    /// Width or height is zero.
    #[error("cannot compare an empty {width}x{height} image")]
    Empty {
        /// Image width.
        width: u32,
        /// Image height.
        height: u32,
    },
    /// A buffer's length does not match `4 · width · height`.
    #[error("{which} image has {actual} bytes, expected {expected} for {width}x{height} RGBA8")]
    BufferSize {
        /// `reference` or `test`.
        which: &'static str,
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// Expected byte count.
        expected: usize,
        /// Actual byte count.
        actual: usize,
    },
    /// The two image files differ in size.
    #[error(
        "size mismatch: reference {} is {}x{}, test {} is {}x{}",
        reference.display(), reference_size.0, reference_size.1,
        test.display(), test_size.0, test_size.1
    )]
    SizeMismatch {
        /// Reference file.
        reference: PathBuf,
        /// Reference width and height.
        reference_size: (u32, u32),
        /// Test file.
        test: PathBuf,
        /// Test width and height.
        test_size: (u32, u32),
    },
    /// An image file could not be opened or decoded.
    #[error("cannot load image {}: {message}", path.display())]
    Load {
        /// The file.
        path: PathBuf,
        /// Why it failed.
        message: String,
    },
    /// The report's error map does not have `width · height` values.
    #[error("error map has {actual} values, expected {expected} for {width}x{height}")]
    ErrorMapSize {
        /// Report width.
        width: u32,
        /// Report height.
        height: u32,
        /// Expected value count.
        expected: usize,
        /// Actual value count.
        actual: usize,
    },
    /// Writing the error-map image failed.
    #[error("cannot write FLIP error map: {0}")]
    Write(#[from] OutputError),
}

/// Composites straight-alpha sRGB RGBA8 over [`BACKGROUND_GREY`] in
/// sRGB-encoded float space and rounds to RGB8 (see the module docs).
fn over_grey_rgb8(rgba8: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(rgba8.len() / 4 * 3);
    for p in rgba8.chunks_exact(4) {
        if p[3] == 255 {
            rgb.extend_from_slice(&p[..3]);
            continue;
        }
        let a = f32::from(p[3]) / 255.0;
        for &c in &p[..3] {
            let v = f32::from(c) / 255.0 * a + BACKGROUND_GREY * (1.0 - a);
            // v is in [0, 1], so the cast cannot truncate.
            rgb.push((v * 255.0).round() as u8);
        }
    }
    rgb
}

/// The `q`-quantile (`0 ≤ q ≤ 1`) of ascending `sorted`, interpolating
/// linearly between order statistics (NumPy's default method).
fn quantile(sorted: &[f32], q: f64) -> f32 {
    let Some(&last) = sorted.last() else {
        return 0.0;
    };
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = pos - lo as f64;
    if lo >= sorted.len() - 1 {
        return last;
    }
    (f64::from(sorted[lo]) * (1.0 - frac) + f64::from(sorted[hi]) * frac) as f32
}

/// Builds the report from an error map.
fn report(width: u32, height: u32, error_map: Vec<f32>) -> FlipReport {
    let mean =
        (error_map.iter().map(|&e| f64::from(e)).sum::<f64>() / error_map.len() as f64) as f32;
    let mut sorted = error_map.clone();
    sorted.sort_unstable_by(f32::total_cmp);
    FlipReport {
        mean,
        p50: quantile(&sorted, 0.50),
        p95: quantile(&sorted, 0.95),
        p99: quantile(&sorted, 0.99),
        max: sorted.last().copied().unwrap_or(0.0),
        width,
        height,
        error_map,
    }
}

/// Scores `test` against `reference`, both `width × height` 8-bit sRGB RGBA
/// with straight alpha, rows top-down.
///
/// Each image is composited over mid-grey first, so alpha differences count
/// as colour differences; see the module docs for the exact preprocessing.
///
/// # Errors
///
/// [`FlipError::Empty`] for a zero size and [`FlipError::BufferSize`] if a
/// buffer is not `4 · width · height` bytes.
pub fn flip_rgba8(
    reference: &[u8],
    test: &[u8],
    width: u32,
    height: u32,
) -> Result<FlipReport, FlipError> {
    if width == 0 || height == 0 {
        return Err(FlipError::Empty { width, height });
    }
    let expected = (u64::from(width) * u64::from(height) * 4)
        .try_into()
        .unwrap_or(usize::MAX);
    for (which, buf) in [("reference", reference), ("test", test)] {
        if buf.len() != expected {
            return Err(FlipError::BufferSize {
                which,
                width,
                height,
                expected,
                actual: buf.len(),
            });
        }
    }
    let reference = nv_flip::FlipImageRgb8::with_data(width, height, &over_grey_rgb8(reference));
    let test = nv_flip::FlipImageRgb8::with_data(width, height, &over_grey_rgb8(test));
    let error_map = nv_flip::flip(reference, test, PIXELS_PER_DEGREE).to_vec();
    Ok(report(width, height, error_map))
}

/// Loads an image file as RGBA8 (RGB files get alpha 255).
pub(crate) fn load_rgba8(path: &Path) -> Result<::image::RgbaImage, FlipError> {
    ::image::ImageReader::open(path)
        .map_err(|e| e.to_string())
        .and_then(|r| r.with_guessed_format().map_err(|e| e.to_string()))
        .and_then(|r| r.decode().map_err(|e| e.to_string()))
        .map(|img| img.into_rgba8())
        .map_err(|message| FlipError::Load {
            path: path.to_path_buf(),
            message,
        })
}

/// Scores the image file `test` against the image file `reference` (8-bit
/// sRGB PNGs, RGB or RGBA with straight alpha; other formats the `image`
/// crate reads are converted to RGBA8 first). Sizes must match exactly.
///
/// # Errors
///
/// [`FlipError::Load`] naming a file that cannot be read and
/// [`FlipError::SizeMismatch`] naming both files and sizes.
pub fn flip_files(reference: &Path, test: &Path) -> Result<FlipReport, FlipError> {
    let ref_img = load_rgba8(reference)?;
    let test_img = load_rgba8(test)?;
    if ref_img.dimensions() != test_img.dimensions() {
        return Err(FlipError::SizeMismatch {
            reference: reference.to_path_buf(),
            reference_size: ref_img.dimensions(),
            test: test.to_path_buf(),
            test_size: test_img.dimensions(),
        });
    }
    let (w, h) = ref_img.dimensions();
    flip_rgba8(ref_img.as_raw(), test_img.as_raw(), w, h)
}

/// Renders the report's error map with FLIP's magma colour map as RGB8.
///
/// # Errors
///
/// [`FlipError::Empty`] or [`FlipError::ErrorMapSize`] if the report is
/// inconsistent.
pub fn error_map_rgb8(report: &FlipReport) -> Result<Vec<u8>, FlipError> {
    let (width, height) = (report.width, report.height);
    if width == 0 || height == 0 {
        return Err(FlipError::Empty { width, height });
    }
    let expected = (u64::from(width) * u64::from(height))
        .try_into()
        .unwrap_or(usize::MAX);
    if report.error_map.len() != expected {
        return Err(FlipError::ErrorMapSize {
            width,
            height,
            expected,
            actual: report.error_map.len(),
        });
    }
    let map = nv_flip::FlipImageFloat::with_data(width, height, &report.error_map);
    Ok(map.apply_color_lut(&nv_flip::magma_lut()).to_vec())
}

/// Writes the report's error map as a magma-coloured PNG (black = no
/// error, yellow-white = maximal error), atomically.
///
/// # Errors
///
/// As [`error_map_rgb8`], plus [`FlipError::Write`] if encoding or writing
/// fails.
pub fn save_error_map(report: &FlipReport, path: &Path) -> Result<(), FlipError> {
    let rgb = error_map_rgb8(report)?;
    let mut png = Vec::new();
    ::image::ImageEncoder::write_image(
        ::image::codecs::png::PngEncoder::new(&mut png),
        &rgb,
        report.width,
        report.height,
        ::image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| OutputError::Encode {
        format: crate::output::ImageFormat::Png,
        message: e.to_string(),
    })?;
    write_atomic(path, &png)?;
    Ok(())
}

#[cfg(test)]
mod tests;
