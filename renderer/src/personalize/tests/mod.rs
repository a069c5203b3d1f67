//! Tests of personalization: shaping, layout, limits, rasters, images and
//! artwork. Rasters of real strings go to `target/personalize/` to look at.

mod images;
mod limits;
mod text;

use super::fonts::FontLibrary;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The bundled fonts, loaded once for every test.
pub(super) fn library() -> &'static Mutex<FontLibrary> {
    static LIB: OnceLock<Mutex<FontLibrary>> = OnceLock::new();
    LIB.get_or_init(|| Mutex::new(FontLibrary::bundled().expect("bundled fonts")))
}

/// `target/personalize/`, created.
pub(super) fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/personalize");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
