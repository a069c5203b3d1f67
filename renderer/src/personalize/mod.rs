//! Personalization on the CPU: what a text or image decal looks like, as
//! plain data and rasters, for the GPU to composite later and for
//! print-ready artwork.
//!
//! - [`fonts`]: the bundled OFL/Apache fonts and package fonts, with a
//!   fixed per-script fallback;
//! - [`text`]: shaping and layout into a slot box in millimetres
//!   (auto-fit, alignment, letter spacing, line height, stroke);
//! - [`raster`]: the layout drawn at a DPI (straight-alpha sRGB RGBA8 and
//!   its coverage);
//! - [`image`]: PNG, JPEG, WebP and SVG uploads, with limits checked
//!   before decoding, fitted into a slot (contain, cover, stretch);
//! - [`limits`]: the slot limits (length, characters, fonts, colours,
//!   sizes, move/scale/rotate), every error naming its limit;
//! - [`decal`]: a slot's content rasterised for the GPU (premultiplied
//!   colour and a relief map), at the density a render needs;
//! - [`artwork`]: PNG (with DPI) and SVG (outlined glyphs) files of a slot.

pub mod artwork;
pub mod decal;
pub mod fonts;
pub mod image;
pub mod limits;
pub mod raster;
pub mod svg;
pub mod text;

#[cfg(test)]
mod tests;

pub use fonts::{FontError, FontLibrary};
pub use image::{Fit, ImageError, ImageFormat, ImageLimits};
pub use limits::{CharSet, LimitError};
pub use raster::{Raster, rasterize_text, slot_pixels};
pub use text::{Align, TextError, TextLayout, TextSpec, layout_text};
