//! Text: shaped with `cosmic-text` (HarfRust: kerning, ligatures,
//! right-to-left, complex scripts, font fallback) and laid out into a slot
//! box given in millimetres, as glyph outlines in millimetres (the same
//! outlines are rasterised and written to SVG, see [`super::raster`]).
//!
//! The text is shaped once at a reference size; every size is a scale of
//! that layout (no automatic wrapping: lines come from `\n`), so auto-fit
//! is exact, not a search.

use super::fonts::{FontError, FontLibrary};
use super::limits::{LimitError, normalize_color};
use cosmic_text::{
    Attrs, Buffer, CacheKey, CacheKeyFlags, Command, Family, FeatureTag, FontFeatures, Metrics,
    Shaping, Weight, Wrap, fontdb,
};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use thiserror::Error;
use tiny_skia::{Path, PathBuilder, Rect};

/// The size (px per em) text is shaped at before scaling to millimetres.
const REF: f32 = 100.0;

/// Horizontal alignment of the lines within the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Lines start at the left edge.
    Left,
    /// Lines are centred.
    #[default]
    Center,
    /// Lines end at the right edge.
    Right,
}

/// What to set and how.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpec {
    /// The text; `\n` separates lines.
    pub content: String,
    /// A family name or a role alias (`sans`, `serif`, `script`, `slab`, `mono`).
    pub font: String,
    /// Fill colour, sRGB hex.
    pub color: String,
    /// Outline drawn under the fill: sRGB hex colour and its width in
    /// millimetres outside the glyph edge.
    pub stroke: Option<(String, f32)>,
    /// Extra space between letters, in em.
    pub letter_spacing: f32,
    /// Baseline-to-baseline distance as a multiple of the size.
    pub line_height: f32,
    /// Line alignment.
    pub align: Align,
    /// The size (em) in millimetres; `None` = the largest that fits.
    pub size_mm: Option<f32>,
    /// The smallest size allowed, in millimetres (auto-fit below it is an error).
    pub min_size_mm: f32,
    /// Apply the fonts' kerning.
    pub kerning: bool,
    /// Apply standard and contextual ligatures.
    pub ligatures: bool,
}

impl TextSpec {
    /// A text in the default font, black, auto-fit, minimum 2 mm.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            font: "sans".to_string(),
            color: "#000000".to_string(),
            stroke: None,
            letter_spacing: 0.0,
            line_height: 1.2,
            align: Align::Center,
            size_mm: None,
            min_size_mm: 2.0,
            kerning: true,
            ligatures: true,
        }
    }
}

/// Why a text could not be laid out or drawn.
#[derive(Debug, Error)]
pub enum TextError {
    /// The font is unknown.
    #[error(transparent)]
    Font(#[from] FontError),
    /// A slot limit was broken (too small after auto-fit, a bad colour…).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A given size does not fit the box.
    #[error(
        "at {size_mm} mm the text does not fit the {width_mm}×{height_mm} mm slot; at most {max_size_mm:.2} mm fits"
    )]
    DoesNotFit {
        /// The size asked for.
        size_mm: f32,
        /// The largest size that fits.
        max_size_mm: f32,
        /// The slot's width.
        width_mm: f32,
        /// The slot's height.
        height_mm: f32,
    },
    /// A number of the spec or the box is not usable.
    #[error("{what} {value} must be {expected}")]
    InvalidNumber {
        /// Which number.
        what: &'static str,
        /// Its value.
        value: f32,
        /// What it must be.
        expected: &'static str,
    },
}

/// How a glyph is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum GlyphShape {
    /// An outline in millimetres, in slot coordinates (origin top-left, y down).
    Outline(Path),
    /// A colour bitmap (emoji): drawn from the font at the output size.
    Bitmap {
        /// Its bounds in millimetres, slot coordinates.
        rect: Rect,
    },
    /// Nothing to draw (a space).
    Empty,
}

/// One shaped glyph placed in the slot.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// The family of the font it came from (after fallback).
    pub family: String,
    /// The face it came from.
    pub font_id: fontdb::ID,
    /// Its weight (for scaling it again).
    pub weight: u16,
    /// Glyph id in that face.
    pub glyph_id: u16,
    /// Pen position on the baseline, millimetres from the slot's left edge.
    pub x_mm: f32,
    /// Baseline, millimetres from the slot's top edge.
    pub y_mm: f32,
    /// Advance width in millimetres.
    pub advance_mm: f32,
    /// Byte range of the text (within its line) the glyph draws.
    pub cluster: Range<usize>,
    /// Line index.
    pub line: usize,
    /// Whether the glyph is in a right-to-left run.
    pub rtl: bool,
    /// What to draw.
    pub shape: GlyphShape,
}

/// A text laid out in a slot box.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLayout {
    /// The slot's width in millimetres.
    pub width_mm: f32,
    /// The slot's height in millimetres.
    pub height_mm: f32,
    /// The size (em) in millimetres (0 for an empty text).
    pub size_mm: f32,
    /// Every glyph, line by line in visual order.
    pub glyphs: Vec<PlacedGlyph>,
    /// Width of each line (advances, letter spacing included), millimetres.
    pub line_widths_mm: Vec<f32>,
    /// Bounds of what is drawn (stroke included), millimetres; `None` when
    /// nothing is.
    pub ink_mm: Option<Rect>,
    /// Fill colour, `#rrggbb`.
    pub color: String,
    /// Stroke colour (`#rrggbb`) and width outside the edge (mm).
    pub stroke: Option<(String, f32)>,
}

struct Shaped {
    glyph: PlacedGlyph,
    path: Option<Path>,
}

/// Lays a text out in a `width_mm` × `height_mm` box: shaped, aligned,
/// sized (given, or auto-fit) and centred vertically on its ink.
///
/// # Errors
///
/// [`TextError`]: unknown font, a bad colour or number, a given size that
/// does not fit, or a size below the minimum.
pub fn layout_text(
    fonts: &mut FontLibrary,
    spec: &TextSpec,
    width_mm: f32,
    height_mm: f32,
) -> Result<TextLayout, TextError> {
    let positive = |what, value: f32| {
        if value.is_finite() && value > 0.0 {
            Ok(())
        } else {
            Err(TextError::InvalidNumber {
                what,
                value,
                expected: "a positive number",
            })
        }
    };
    positive("slot width", width_mm)?;
    positive("slot height", height_mm)?;
    positive("line height", spec.line_height)?;
    if let Some(s) = spec.size_mm {
        positive("text size", s)?;
    }
    if !(spec.letter_spacing.is_finite() && spec.letter_spacing.abs() <= 2.0) {
        return Err(TextError::InvalidNumber {
            what: "letter spacing",
            value: spec.letter_spacing,
            expected: "within [-2, 2] em",
        });
    }
    let color = normalize_color("colour", &spec.color)?;
    let stroke = match &spec.stroke {
        Some((c, w)) => {
            positive("stroke width", *w)?;
            Some((normalize_color("stroke colour", c)?, *w))
        }
        None => None,
    };
    let family = fonts.resolve(&spec.font)?.clone();
    let (shaped, line_widths) = shape(fonts, spec, &family.name, family.weight);
    let margin = stroke.as_ref().map_or(0.0, |s| s.1);
    let empty = TextLayout {
        width_mm,
        height_mm,
        size_mm: 0.0,
        glyphs: Vec::new(),
        line_widths_mm: Vec::new(),
        ink_mm: None,
        color: color.clone(),
        stroke: stroke.clone(),
    };
    // Ink of the reference layout (outlines and bitmaps).
    let ink = shaped
        .iter()
        .filter_map(|s| match (&s.path, &s.glyph.shape) {
            (Some(p), _) => Some(p.bounds()),
            (None, GlyphShape::Bitmap { rect }) => Some(*rect),
            _ => None,
        })
        .reduce(union);
    let Some(ink) = ink else {
        return Ok(empty);
    };
    let block_w = line_widths.iter().copied().fold(0.0f32, f32::max);
    let lines = line_widths.len().max(1) as f32;
    let logical =
        Rect::from_ltrb(0.0, 0.0, block_w.max(1e-3), lines * REF * spec.line_height).unwrap_or(ink);
    let all = union(ink, logical);
    let fit_w = (width_mm - 2.0 * margin) / all.width();
    let fit_h = (height_mm - 2.0 * margin) / all.height();
    let fit = fit_w.min(fit_h).max(0.0);
    let scale = match spec.size_mm {
        Some(size) => {
            if size / REF > fit * 1.0001 {
                return Err(TextError::DoesNotFit {
                    size_mm: size,
                    max_size_mm: fit * REF,
                    width_mm,
                    height_mm,
                });
            }
            size / REF
        }
        None => fit,
    };
    let size_mm = scale * REF;
    if size_mm < spec.min_size_mm {
        return Err(LimitError::TooSmall {
            size_mm,
            min_mm: spec.min_size_mm,
        }
        .into());
    }
    let ox = match spec.align {
        Align::Left => margin - scale * all.left(),
        Align::Center => width_mm / 2.0 - scale * (all.left() + all.right()) / 2.0,
        Align::Right => width_mm - margin - scale * all.right(),
    };
    let centred = height_mm / 2.0 - scale * (ink.top() + ink.bottom()) / 2.0;
    let lo = margin - scale * ink.top();
    let hi = height_mm - margin - scale * ink.bottom();
    let oy = centred.clamp(lo.min(hi), hi.max(lo));
    let map = tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, ox, oy);
    let glyphs: Vec<PlacedGlyph> = shaped
        .into_iter()
        .map(|s| {
            let mut g = s.glyph;
            g.x_mm = ox + scale * g.x_mm;
            g.y_mm = oy + scale * g.y_mm;
            g.advance_mm *= scale;
            g.shape = match (s.path, g.shape) {
                (Some(p), _) => p
                    .transform(map)
                    .map_or(GlyphShape::Empty, GlyphShape::Outline),
                (None, GlyphShape::Bitmap { rect }) => rect
                    .transform(map)
                    .map_or(GlyphShape::Empty, |rect| GlyphShape::Bitmap { rect }),
                _ => GlyphShape::Empty,
            };
            g
        })
        .collect();
    let ink_mm = ink
        .transform(map)
        .and_then(|r| r.outset(margin, margin))
        .or(Some(ink));
    Ok(TextLayout {
        width_mm,
        height_mm,
        size_mm,
        glyphs,
        line_widths_mm: line_widths.iter().map(|w| w * scale).collect(),
        ink_mm,
        color,
        stroke,
    })
}

fn union(a: Rect, b: Rect) -> Rect {
    Rect::from_ltrb(
        a.left().min(b.left()),
        a.top().min(b.top()),
        a.right().max(b.right()),
        a.bottom().max(b.bottom()),
    )
    .unwrap_or(a)
}

/// Shapes the text at [`REF`] px/em: glyphs positioned in reference units
/// (lines aligned within the widest), outlines in reference units, and the
/// width of each line.
fn shape(
    fonts: &mut FontLibrary,
    spec: &TextSpec,
    family: &str,
    weight: u16,
) -> (Vec<Shaped>, Vec<f32>) {
    let mut features = FontFeatures::new();
    if !spec.kerning {
        features.disable(FeatureTag::KERNING);
    }
    if !spec.ligatures {
        features
            .disable(FeatureTag::STANDARD_LIGATURES)
            .disable(FeatureTag::CONTEXTUAL_LIGATURES);
    }
    let attrs = Attrs::new()
        .family(Family::Name(family))
        .weight(Weight(weight))
        .letter_spacing(spec.letter_spacing)
        .font_features(features);
    let mut families: Vec<(fontdb::ID, String)> = Vec::new();
    let (system, cache) = fonts.parts();
    let mut buffer = Buffer::new(system, Metrics::new(REF, REF * spec.line_height));
    buffer.set_wrap(Wrap::None);
    buffer.set_size(None, None);
    buffer.set_text(
        &spec.content,
        &attrs,
        Shaping::Advanced,
        Some(cosmic_text::Align::Left),
    );
    buffer.shape_until_scroll(system, false);
    let mut raw = Vec::new();
    let mut widths = Vec::new();
    for run in buffer.layout_runs() {
        widths.push(run.line_w);
        for g in run.glyphs {
            raw.push((run.line_i, run.line_y, run.rtl, run.line_w, g.clone()));
        }
    }
    let block_w = widths.iter().copied().fold(0.0f32, f32::max);
    let mut out = Vec::with_capacity(raw.len());
    for (line, line_y, rtl, line_w, g) in raw {
        let shift = match spec.align {
            Align::Left => 0.0,
            Align::Center => (block_w - line_w) / 2.0,
            Align::Right => block_w - line_w,
        };
        let x = shift + g.x + g.font_size * g.x_offset;
        let y = line_y + g.y - g.font_size * g.y_offset;
        let flags = g.cache_key_flags | CacheKeyFlags::DISABLE_HINTING;
        let (key, _, _) = CacheKey::new(
            g.font_id,
            g.glyph_id,
            g.font_size,
            (0.0, 0.0),
            g.font_weight,
            flags,
        );
        let path = cache
            .get_outline_commands(system, key)
            .and_then(|cmds| outline_path(cmds, x, y));
        let shape = if path.is_some() {
            GlyphShape::Empty
        } else {
            // No outline: a colour bitmap glyph, if the font has one.
            cache
                .get_image_uncached(system, key)
                .filter(|i| i.placement.width > 0 && i.placement.height > 0)
                .and_then(|i| {
                    let p = i.placement;
                    Rect::from_xywh(
                        x + p.left as f32,
                        y - p.top as f32,
                        p.width as f32,
                        p.height as f32,
                    )
                })
                .map_or(GlyphShape::Empty, |rect| GlyphShape::Bitmap { rect })
        };
        let name = match families.iter().find(|(id, _)| *id == g.font_id) {
            Some((_, n)) => n.clone(),
            None => {
                let n = system
                    .db()
                    .face(g.font_id)
                    .and_then(|f| f.families.first())
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                families.push((g.font_id, n.clone()));
                n
            }
        };
        out.push(Shaped {
            glyph: PlacedGlyph {
                family: name,
                font_id: g.font_id,
                weight: g.font_weight.0,
                glyph_id: g.glyph_id,
                x_mm: x,
                y_mm: y,
                advance_mm: g.w,
                cluster: g.start..g.end,
                line,
                rtl: rtl || g.level.is_rtl(),
                shape,
            },
            path,
        });
    }
    (out, widths)
}

/// A glyph outline (font units scaled, y up) as a path at pen position
/// (`x`, `y`) with y down; `None` when it draws nothing.
fn outline_path(cmds: &[Command], x: f32, y: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for c in cmds {
        match *c {
            Command::MoveTo(a) => pb.move_to(x + a.x, y - a.y),
            Command::LineTo(a) => pb.line_to(x + a.x, y - a.y),
            Command::QuadTo(a, b) => pb.quad_to(x + a.x, y - a.y, x + b.x, y - b.y),
            Command::CurveTo(a, b, c) => {
                pb.cubic_to(x + a.x, y - a.y, x + b.x, y - b.y, x + c.x, y - c.y)
            }
            Command::Close => pb.close(),
        }
    }
    pb.finish()
}
