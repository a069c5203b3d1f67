//! Golden-image test support (used by the integration tests).
//!
//! [`check_golden`] compares a rendered [`Frame`] with the reference image
//! `goldens_dir/<name>.png` using [FLIP](crate::flip), following the
//! practice of wgpu's and Vello's image tests:
//!
//! * References never change silently. To (re)write them, set the
//!   environment variable `UPDATE_GOLDENS` to `all` (or `1`) or to a
//!   comma-separated list of golden names, e.g.
//!   `UPDATE_GOLDENS=helmet,shoe cargo test`.
//! * A missing reference is an error that says how to create it.
//! * When the FLIP mean or 95th percentile exceeds its threshold, the
//!   actual image and a magma FLIP error map are written to
//!   `target/golden-failures/<name>-actual.png` and `<name>-diff.png`, and
//!   the error names them.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::flip::{FlipError, FlipReport, flip_rgba8, load_rgba8, save_error_map};
use crate::output::{Frame, ImageFormat, OutputError, save};

/// Name of the environment variable that selects goldens to rewrite.
pub const UPDATE_ENV: &str = "UPDATE_GOLDENS";

/// Largest FLIP errors a golden comparison accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Largest accepted mean FLIP error.
    pub mean: f32,
    /// Largest accepted 95th-percentile FLIP error.
    pub p95: f32,
}

/// Errors from [`check_golden`].
#[derive(Debug, Error)]
pub enum GoldenError {
    /// The golden name is empty or contains characters other than ASCII
    /// letters, digits, `_`, `-` and `.` (or starts with `.`).
    #[error("invalid golden name {name:?}: use ASCII letters, digits, '_', '-' and '.'")]
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// There is no reference image yet.
    #[error(
        "golden {name:?} has no reference {}; the actual image is {}; \
         run with {UPDATE_ENV}={name} to create it",
        path.display(), actual.display()
    )]
    MissingReference {
        /// Golden name.
        name: String,
        /// The expected reference file.
        path: PathBuf,
        /// Where the actual image was written for inspection.
        actual: PathBuf,
    },
    /// The reference and the frame differ in size.
    #[error(
        "golden {name:?}: reference {} is {}x{} but the frame is {}x{} (actual image: {}); \
         if intended, run with {UPDATE_ENV}={name}",
        reference.display(), reference_size.0, reference_size.1,
        actual_size.0, actual_size.1, actual.display()
    )]
    SizeMismatch {
        /// Golden name.
        name: String,
        /// The reference file.
        reference: PathBuf,
        /// Reference width and height.
        reference_size: (u32, u32),
        /// Frame width and height.
        actual_size: (u32, u32),
        /// Where the actual image was written for inspection.
        actual: PathBuf,
    },
    /// FLIP error above the thresholds.
    #[error(
        "golden {name:?} differs: FLIP mean {mean:.5} (limit {:.5}), p95 {p95:.5} (limit {:.5}); \
         reference {}, actual {}, diff {}; if intended, run with {UPDATE_ENV}={name}",
        thresholds.mean, thresholds.p95, reference.display(), actual.display(), diff.display()
    )]
    Mismatch {
        /// Golden name.
        name: String,
        /// Mean FLIP error.
        mean: f32,
        /// 95th-percentile FLIP error.
        p95: f32,
        /// The limits that were exceeded.
        thresholds: Thresholds,
        /// The reference file.
        reference: PathBuf,
        /// The actual image written for inspection.
        actual: PathBuf,
        /// The FLIP error map written for inspection.
        diff: PathBuf,
    },
    /// Writing the reference or a failure image failed.
    #[error("golden {name:?}: {source}")]
    Output {
        /// Golden name.
        name: String,
        /// The underlying error.
        source: OutputError,
    },
    /// Loading the reference or scoring failed.
    #[error("golden {name:?}: {source}")]
    Flip {
        /// Golden name.
        name: String,
        /// The underlying error.
        source: FlipError,
    },
}

/// Compares `actual` with `goldens_dir/<name>.png` (see the module docs).
///
/// With `UPDATE_GOLDENS` selecting `name`, writes `actual` as the new
/// reference instead and returns the FLIP report of the new image against
/// the old one (all zeros if there was none, or it had another size).
///
/// # Errors
///
/// [`GoldenError::MissingReference`], [`GoldenError::SizeMismatch`] and
/// [`GoldenError::Mismatch`] name the files involved and how to update;
/// [`GoldenError::InvalidName`], [`GoldenError::Output`] and
/// [`GoldenError::Flip`] report bad names and I/O or decoding failures.
pub fn check_golden(
    name: &str,
    goldens_dir: &Path,
    actual: &Frame,
    thresholds: Thresholds,
) -> Result<FlipReport, GoldenError> {
    let update = std::env::var(UPDATE_ENV).unwrap_or_default();
    check_golden_with(
        name,
        goldens_dir,
        actual,
        thresholds,
        &update,
        &failure_dir(),
    )
}

/// The directory failure images go to: `<target>/golden-failures`, where
/// `<target>` is `CARGO_TARGET_DIR` if set, else the `target/` directory of
/// the workspace containing `CARGO_MANIFEST_DIR` (falling back to the
/// system temporary directory).
pub fn failure_dir() -> PathBuf {
    target_dir().join("golden-failures")
}

fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    // The nearest ancestor with a workspace manifest, else the nearest
    // ancestor that already has a `target/`.
    let workspace = manifest.ancestors().find(|dir| {
        std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|toml| toml.lines().any(|l| l.trim() == "[workspace]"))
    });
    workspace
        .or_else(|| manifest.ancestors().find(|d| d.join("target").is_dir()))
        .map(|d| d.join("target"))
        .unwrap_or_else(|| std::env::temp_dir().join("showroom-target"))
}

/// Whether the `UPDATE_GOLDENS` value `update` selects `name`.
fn update_selects(update: &str, name: &str) -> bool {
    update
        .split(',')
        .map(str::trim)
        .any(|item| item == name || item.eq_ignore_ascii_case("all") || item == "1")
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// [`check_golden`] with the update list and failure directory given
/// explicitly (so tests need not touch process environment variables).
pub(crate) fn check_golden_with(
    name: &str,
    goldens_dir: &Path,
    actual: &Frame,
    thresholds: Thresholds,
    update: &str,
    failures: &Path,
) -> Result<FlipReport, GoldenError> {
    if !valid_name(name) {
        return Err(GoldenError::InvalidName {
            name: name.to_string(),
        });
    }
    let out_err = |source| GoldenError::Output {
        name: name.to_string(),
        source,
    };
    let flip_err = |source| GoldenError::Flip {
        name: name.to_string(),
        source,
    };
    let mkdir = |dir: &Path| {
        std::fs::create_dir_all(dir).map_err(|source| {
            out_err(OutputError::Io {
                path: dir.to_path_buf(),
                source,
            })
        })
    };
    let reference = goldens_dir.join(format!("{name}.png"));
    let actual_path = failures.join(format!("{name}-actual.png"));
    let save_actual = || {
        mkdir(failures)?;
        save(actual, &actual_path, ImageFormat::Png, 0).map_err(out_err)
    };
    let old = reference
        .exists()
        .then(|| load_rgba8(&reference).map_err(flip_err))
        .transpose();

    if update_selects(update, name) {
        // An unreadable old reference is simply replaced.
        let old = old.ok().flatten();
        mkdir(goldens_dir)?;
        save(actual, &reference, ImageFormat::Png, 0).map_err(out_err)?;
        let report = match old {
            Some(old) if old.dimensions() == (actual.width, actual.height) => {
                flip_rgba8(old.as_raw(), &actual.rgba8, actual.width, actual.height)
                    .map_err(flip_err)?
            }
            _ => zero_report(actual.width, actual.height),
        };
        eprintln!(
            "updated golden {} (FLIP mean {:.5} against the previous reference)",
            reference.display(),
            report.mean
        );
        return Ok(report);
    }

    let Some(old) = old? else {
        save_actual()?;
        return Err(GoldenError::MissingReference {
            name: name.to_string(),
            path: reference,
            actual: actual_path,
        });
    };
    if old.dimensions() != (actual.width, actual.height) {
        save_actual()?;
        return Err(GoldenError::SizeMismatch {
            name: name.to_string(),
            reference,
            reference_size: old.dimensions(),
            actual_size: (actual.width, actual.height),
            actual: actual_path,
        });
    }
    let report =
        flip_rgba8(old.as_raw(), &actual.rgba8, actual.width, actual.height).map_err(flip_err)?;
    if report.mean > thresholds.mean || report.p95 > thresholds.p95 {
        save_actual()?;
        let diff = failures.join(format!("{name}-diff.png"));
        save_error_map(&report, &diff).map_err(flip_err)?;
        return Err(GoldenError::Mismatch {
            name: name.to_string(),
            mean: report.mean,
            p95: report.p95,
            thresholds,
            reference,
            actual: actual_path,
            diff,
        });
    }
    Ok(report)
}

/// The report of a perfect match.
fn zero_report(width: u32, height: u32) -> FlipReport {
    FlipReport {
        mean: 0.0,
        p50: 0.0,
        p95: 0.0,
        p99: 0.0,
        max: 0.0,
        width,
        height,
        error_map: vec![0.0; width as usize * height as usize],
    }
}

#[cfg(test)]
mod tests;
