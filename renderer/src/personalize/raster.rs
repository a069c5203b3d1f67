//! Rasterising a [`TextLayout`] with `tiny-skia`: the stroke under the
//! fill, from the very outlines the SVG artwork writes, into a straight
//! alpha sRGB RGBA8 image of the slot and its coverage mask.

use super::fonts::FontLibrary;
use super::text::{GlyphShape, TextError, TextLayout};
use crate::color::parse_hex_rgb;
use cosmic_text::{CacheKey, CacheKeyFlags, SwashContent, fontdb};
use tiny_skia::{
    Color, FillRule, FilterQuality, LineJoin, Paint, Pixmap, PixmapPaint, Stroke, Transform,
};

/// The most pixels one raster may have (a 1 m × 1 m slot at 300 dpi is
/// 139 MP; anything larger is a mistake).
pub const MAX_RASTER_PIXELS: u64 = 150_000_000;

/// An RGBA8 raster of a slot: sRGB, straight (not premultiplied) alpha.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 4` bytes, rows top to bottom.
    pub rgba: Vec<u8>,
}

impl Raster {
    /// The coverage mask: the alpha channel, one byte a pixel.
    pub fn coverage(&self) -> Vec<u8> {
        self.rgba.chunks_exact(4).map(|p| p[3]).collect()
    }

    /// How many pixels have any coverage.
    pub fn covered_pixels(&self) -> usize {
        self.rgba.chunks_exact(4).filter(|p| p[3] > 0).count()
    }

    /// From a premultiplied pixmap.
    pub(crate) fn from_pixmap(p: &Pixmap) -> Self {
        let mut rgba = Vec::with_capacity(p.data().len());
        for px in p.pixels() {
            let c = px.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        Self {
            width: p.width(),
            height: p.height(),
            rgba,
        }
    }
}

/// The pixel size of a slot: `round(mm / 25.4 × dpi)` each way.
pub fn slot_pixels(width_mm: f32, height_mm: f32, dpi: f32) -> (u32, u32) {
    let px = |mm: f32| (f64::from(mm) / 25.4 * f64::from(dpi)).round().max(0.0) as u32;
    (px(width_mm), px(height_mm))
}

/// An empty pixmap for a slot, within [`MAX_RASTER_PIXELS`].
///
/// # Errors
///
/// [`TextError::InvalidNumber`] for a zero-sized or oversized raster.
pub(crate) fn slot_pixmap(width_mm: f32, height_mm: f32, dpi: f32) -> Result<Pixmap, TextError> {
    if !(dpi.is_finite() && dpi > 0.0 && dpi <= 4800.0) {
        return Err(TextError::InvalidNumber {
            what: "dpi",
            value: dpi,
            expected: "in (0, 4800]",
        });
    }
    let (w, h) = slot_pixels(width_mm, height_mm, dpi);
    if u64::from(w) * u64::from(h) > MAX_RASTER_PIXELS {
        return Err(TextError::InvalidNumber {
            what: "raster pixels",
            value: (u64::from(w) * u64::from(h)) as f32,
            expected: "at most 150 million (lower the dpi)",
        });
    }
    Pixmap::new(w, h).ok_or(TextError::InvalidNumber {
        what: "slot size in pixels",
        value: w.min(h) as f32,
        expected: "at least 1 pixel each way",
    })
}

fn paint(hex: &str) -> Paint<'static> {
    let [r, g, b] = parse_hex_rgb(hex).unwrap_or([0, 0, 0]);
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(r, g, b, 255));
    p.anti_alias = true;
    p
}

/// Draws a laid-out text into a raster of its slot at `dpi`: the stroke
/// (its colour filling the glyphs too, so no gap shows under the fill's
/// anti-aliased edge), then the fill, then colour bitmaps (emoji).
///
/// # Errors
///
/// [`TextError::InvalidNumber`] for a bad dpi or raster size.
pub fn rasterize_text(
    fonts: &mut FontLibrary,
    layout: &TextLayout,
    dpi: f32,
) -> Result<Raster, TextError> {
    let mut pixmap = slot_pixmap(layout.width_mm, layout.height_mm, dpi)?;
    let ppm = dpi / 25.4;
    let ts = Transform::from_scale(ppm, ppm);
    let outlines = || {
        layout.glyphs.iter().filter_map(|g| match &g.shape {
            GlyphShape::Outline(p) => Some(p),
            _ => None,
        })
    };
    if let Some((color, width)) = &layout.stroke {
        let paint = paint(color);
        let stroke = Stroke {
            width: 2.0 * width,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        for p in outlines() {
            pixmap.stroke_path(p, &paint, &stroke, ts, None);
            pixmap.fill_path(p, &paint, FillRule::Winding, ts, None);
        }
    }
    let fill = paint(&layout.color);
    for p in outlines() {
        pixmap.fill_path(p, &fill, FillRule::Winding, ts, None);
    }
    for g in &layout.glyphs {
        if let GlyphShape::Bitmap { rect } = g.shape
            && let Some(bitmap) =
                glyph_bitmap(fonts, g.font_id, g.weight, g.glyph_id, layout.size_mm * ppm)
        {
            let sx = rect.width() * ppm / bitmap.width() as f32;
            let sy = rect.height() * ppm / bitmap.height() as f32;
            let place = Transform::from_row(sx, 0.0, 0.0, sy, rect.left() * ppm, rect.top() * ppm);
            let pp = PixmapPaint {
                quality: FilterQuality::Bicubic,
                ..PixmapPaint::default()
            };
            pixmap.draw_pixmap(0, 0, bitmap.as_ref(), &pp, place, None);
        }
    }
    Ok(Raster::from_pixmap(&pixmap))
}

/// A colour glyph (emoji) scaled by the font to `px_per_em`, premultiplied.
pub(crate) fn glyph_bitmap(
    fonts: &mut FontLibrary,
    font_id: fontdb::ID,
    weight: u16,
    glyph_id: u16,
    px_per_em: f32,
) -> Option<Pixmap> {
    let (system, cache) = fonts.parts();
    let (key, _, _) = CacheKey::new(
        font_id,
        glyph_id,
        px_per_em.max(1.0),
        (0.0, 0.0),
        fontdb::Weight(weight),
        CacheKeyFlags::DISABLE_HINTING,
    );
    let image = cache.get_image_uncached(system, key)?;
    let (w, h) = (image.placement.width, image.placement.height);
    let mut pixmap = Pixmap::new(w, h)?;
    match image.content {
        SwashContent::Color => {
            for (dst, src) in pixmap
                .pixels_mut()
                .iter_mut()
                .zip(image.data.chunks_exact(4))
            {
                let c = tiny_skia::ColorU8::from_rgba(src[0], src[1], src[2], src[3]);
                *dst = c.premultiply();
            }
        }
        SwashContent::Mask => {
            for (dst, &a) in pixmap.pixels_mut().iter_mut().zip(image.data.iter()) {
                *dst = tiny_skia::ColorU8::from_rgba(0, 0, 0, a).premultiply();
            }
        }
        SwashContent::SubpixelMask => return None,
    }
    Some(pixmap)
}
