//! Print-ready artwork of personalization slots: what a print-on-demand or
//! engraving shop receives with an order. Each slot gives a PNG with alpha
//! at exactly `round(mm / 25.4 × dpi)` pixels with its DPI in the `pHYs`
//! chunk, and for text an SVG of the glyph outlines in millimetres.

use super::decal::{DecalError, DecalSource, configuration_decals};
use super::fonts::{FontError, FontLibrary};
use super::image::{Fit, ImageError, ImageLimits, decode, render_fitted};
use super::raster::{Raster, rasterize_text, slot_pixels};
use super::svg::{text_svg, text_svg_placed};
use super::text::{TextError, TextSpec, layout_text};
use crate::product::{ProductPackage, ResolvedConfiguration};
use thiserror::Error;

/// The DPI artwork is made at unless asked otherwise.
pub const DEFAULT_DPI: f32 = 300.0;

/// The artwork of one slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Artwork {
    /// The slot at its physical size: straight-alpha sRGB RGBA8.
    pub raster: Raster,
    /// The DPI it was made at.
    pub dpi: f32,
    /// For text: an SVG of the outlined glyphs, sized in millimetres.
    pub svg: Option<String>,
}

impl Artwork {
    /// The raster as PNG (RGBA8) with its DPI in a `pHYs` chunk.
    pub fn png(&self) -> Vec<u8> {
        encode_png(&self.raster, self.dpi)
    }
}

/// A text drawn into a `width_mm` × `height_mm` slot at `dpi`.
///
/// # Errors
///
/// [`TextError`] from layout (font, fit, limits) or a bad dpi.
pub fn text_artwork(
    fonts: &mut FontLibrary,
    spec: &TextSpec,
    width_mm: f32,
    height_mm: f32,
    dpi: f32,
) -> Result<Artwork, TextError> {
    let layout = layout_text(fonts, spec, width_mm, height_mm)?;
    let raster = rasterize_text(fonts, &layout, dpi)?;
    let svg = text_svg(fonts, &layout, dpi);
    Ok(Artwork {
        raster,
        dpi,
        svg: Some(svg),
    })
}

/// An uploaded image fitted into a `width_mm` × `height_mm` slot at `dpi`.
///
/// # Errors
///
/// [`ImageError`]: limits (checked before decoding), format, decoding,
/// SVG references.
pub fn image_artwork(
    bytes: &[u8],
    limits: &ImageLimits,
    fit: Fit,
    width_mm: f32,
    height_mm: f32,
    dpi: f32,
) -> Result<Artwork, ImageError> {
    let decoded = decode(bytes, limits)?;
    let (w, h) = slot_pixels(width_mm, height_mm, dpi);
    let raster = render_fitted(&decoded, w, h, fit)?;
    Ok(Artwork {
        raster,
        dpi,
        svg: None,
    })
}

/// Why a configuration's artwork could not be made.
#[derive(Debug, Error)]
pub enum ArtworkError {
    /// A text slot's text could not be set.
    #[error("option {option:?}: {source}")]
    Text {
        /// The option.
        option: String,
        /// Why.
        #[source]
        source: TextError,
    },
    /// A text or image slot's value is not a text or image value.
    #[error("option {option:?}: {message}")]
    Value {
        /// The option.
        option: String,
        /// Why.
        message: String,
    },
    /// An image slot's image could not be read or was refused.
    #[error("option {option:?}: {source}")]
    Image {
        /// The option.
        option: String,
        /// Why.
        #[source]
        source: ImageError,
    },
    /// An image reference could not be resolved to bytes.
    #[error("option {option:?}: cannot load image {reference:?}: {message}")]
    ImageSource {
        /// The option.
        option: String,
        /// The reference in the configuration.
        reference: String,
        /// Why.
        message: String,
    },
    /// The fonts could not be loaded.
    #[error(transparent)]
    Font(#[from] FontError),
}

impl ArtworkError {
    /// The option at fault (`None` for the fonts).
    pub fn option(&self) -> Option<&str> {
        match self {
            Self::Text { option, .. }
            | Self::Value { option, .. }
            | Self::Image { option, .. }
            | Self::ImageSource { option, .. } => Some(option),
            Self::Font(_) => None,
        }
    }
}

/// One slot's artwork in a configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotArtwork {
    /// The option id (the artwork's file stem).
    pub option: String,
    /// `text` or `image`.
    pub kind: &'static str,
    /// The artwork.
    pub artwork: Artwork,
}

/// The artwork of every text and image slot with content in a valid
/// configuration, in option order. `load_image` turns an image option's
/// reference (a plain value, or the `image` of an object value) into bytes
/// (the caller decides what a reference is).
///
/// # Errors
///
/// The first slot's [`ArtworkError`].
pub fn configuration_artwork(
    package: &ProductPackage,
    resolved: &ResolvedConfiguration,
    fonts: &mut FontLibrary,
    dpi: f32,
    load_image: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<SlotArtwork>, ArtworkError> {
    // The very decals the renderer composites, drawn at the print DPI.
    let decals = configuration_decals(package, resolved, fonts, load_image)?;
    let mut out = Vec::with_capacity(decals.len());
    for d in decals {
        let raster = d.raster_in_slot(fonts, dpi / 25.4).map_err(|e| match e {
            DecalError::Text(source) => ArtworkError::Text {
                option: d.option.clone(),
                source,
            },
            DecalError::Image(source) => ArtworkError::Image {
                option: d.option.clone(),
                source,
            },
        })?;
        let (kind, svg) = match &d.source {
            DecalSource::Text(layout) => (
                "text",
                Some(text_svg_placed(fonts, layout, dpi, &d.transform)),
            ),
            DecalSource::Image { .. } => ("image", None),
        };
        out.push(SlotArtwork {
            option: d.option,
            kind,
            artwork: Artwork { raster, dpi, svg },
        });
    }
    Ok(out)
}

/// PNG bytes of a raster (RGBA8) with a `pHYs` chunk stating `dpi`.
pub fn encode_png(raster: &Raster, dpi: f32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, raster.width, raster.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    // Writing into a Vec fails only on a size mismatch, which a Raster rules out.
    let written = encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&raster.rgba));
    if written.is_err() {
        return Vec::new();
    }
    out
}

/// The DPI stated by a PNG's `pHYs` chunk (pixels per metre → per inch).
pub fn png_dpi(png: &[u8]) -> Option<f32> {
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .ok()?;
    let dims = reader.info().pixel_dims?;
    (dims.unit == png::Unit::Meter).then(|| (f64::from(dims.xppu) * 0.0254) as f32)
}
