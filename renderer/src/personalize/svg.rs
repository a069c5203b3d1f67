//! SVG text in both directions: the declared size of an uploaded SVG (read
//! from its root element before parsing it), and a laid-out text written
//! as outlined glyphs in millimetres (no font needed by the reader).

use super::fonts::FontLibrary;
use super::raster::glyph_bitmap;
use super::text::{GlyphShape, TextLayout};
use crate::product::slots::DecalTransform;
use std::fmt::Write as _;
use tiny_skia::{Path, PathSegment};

/// The size an SVG declares on its root `<svg>` element, in user units
/// (px): `width`/`height` (with units converted at 96 px/in), else the
/// viewBox's size. `None` when there is no root element or no size.
pub fn declared_size(text: &str) -> Option<(f32, f32)> {
    let start = text.find("<svg")?;
    let rest = &text[start + 4..];
    let tag = &rest[..rest.find('>')?];
    let width = attr(tag, "width").and_then(length);
    let height = attr(tag, "height").and_then(length);
    let view_box = attr(tag, "viewBox").and_then(|v| {
        let n: Vec<f32> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        (n.len() == 4).then(|| (n[2], n[3]))
    });
    match (width, height, view_box) {
        (Some(w), Some(h), _) => Some((w, h)),
        (Some(w), None, Some((vw, vh))) if vw > 0.0 => Some((w, w * vh / vw)),
        (None, Some(h), Some((vw, vh))) if vh > 0.0 => Some((h * vw / vh, h)),
        (_, _, Some(v)) => Some(v),
        _ => None,
    }
}

/// The value of an attribute in a start tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = tag[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let body = &rest[1..];
        return body.find(quote).map(|end| &body[..end]);
    }
    None
}

/// A CSS length in px (96 per inch); percentages have no size.
fn length(v: &str) -> Option<f32> {
    let v = v.trim();
    let split = v
        .find(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
        })
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f32 = num.parse().ok()?;
    let k = match unit.trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "em" => 16.0,
        _ => return None,
    };
    Some(n * k)
}

/// SVG path data of a path (absolute commands, 4 decimals).
pub fn path_data(path: &Path) -> String {
    let mut d = String::new();
    let f = |v: f32| {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    };
    for seg in path.segments() {
        let _ = match seg {
            PathSegment::MoveTo(p) => write!(d, "M{} {}", f(p.x), f(p.y)),
            PathSegment::LineTo(p) => write!(d, "L{} {}", f(p.x), f(p.y)),
            PathSegment::QuadTo(a, p) => write!(d, "Q{} {} {} {}", f(a.x), f(a.y), f(p.x), f(p.y)),
            PathSegment::CubicTo(a, b, p) => write!(
                d,
                "C{} {} {} {} {} {}",
                f(a.x),
                f(a.y),
                f(b.x),
                f(b.y),
                f(p.x),
                f(p.y)
            ),
            PathSegment::Close => write!(d, "Z"),
        };
    }
    d
}

/// A laid-out text as an SVG document of its slot: `width`/`height` in mm,
/// a viewBox in mm, the stroke layer under the fill layer (one `<path>` a
/// glyph, the same outlines as the raster), and colour glyphs (emoji) as
/// embedded PNG `<image>`s drawn at `dpi`.
pub fn text_svg(fonts: &mut FontLibrary, layout: &TextLayout, dpi: f32) -> String {
    text_svg_placed(fonts, layout, dpi, &DecalTransform::default())
}

/// [`text_svg`] with the customer's move, scale and rotation applied to
/// the content inside the slot (as the render and the PNG artwork show).
pub fn text_svg_placed(
    fonts: &mut FontLibrary,
    layout: &TextLayout,
    dpi: f32,
    t: &DecalTransform,
) -> String {
    let num = |v: f32| {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let (w, h) = (num(layout.width_mm), num(layout.height_mm));
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\">\n"
    );
    let identity = *t == DecalTransform::default();
    if !identity {
        // y-down: an upward offset is negative, counter-clockwise is negative.
        let (cx, cy) = (layout.width_mm / 2.0, layout.height_mm / 2.0);
        let _ = writeln!(
            s,
            "<g transform=\"translate({} {}) rotate({}) scale({}) translate({} {})\">",
            num(cx + t.offset_mm[0]),
            num(cy - t.offset_mm[1]),
            num(-t.rotate_deg),
            num(t.scale),
            num(-cx),
            num(-cy)
        );
    }
    let paths: Vec<String> = layout
        .glyphs
        .iter()
        .filter_map(|g| match &g.shape {
            GlyphShape::Outline(p) => Some(path_data(p)),
            _ => None,
        })
        .collect();
    if let Some((color, width)) = &layout.stroke {
        let _ = writeln!(
            s,
            "  <g fill=\"{color}\" stroke=\"{color}\" stroke-width=\"{}\" stroke-linejoin=\"round\" fill-rule=\"nonzero\">",
            num(2.0 * width)
        );
        for d in &paths {
            let _ = writeln!(s, "    <path d=\"{d}\"/>");
        }
        s.push_str("  </g>\n");
    }
    let _ = writeln!(s, "  <g fill=\"{}\" fill-rule=\"nonzero\">", layout.color);
    for d in &paths {
        let _ = writeln!(s, "    <path d=\"{d}\"/>");
    }
    s.push_str("  </g>\n");
    let ppm = dpi / 25.4;
    for g in &layout.glyphs {
        let GlyphShape::Bitmap { rect } = g.shape else {
            continue;
        };
        let Some(bitmap) =
            glyph_bitmap(fonts, g.font_id, g.weight, g.glyph_id, layout.size_mm * ppm)
        else {
            continue;
        };
        let Ok(png) = bitmap.encode_png() else {
            continue;
        };
        use base64::Engine as _;
        let data = base64::engine::general_purpose::STANDARD.encode(png);
        let _ = writeln!(
            s,
            "  <image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,{data}\"/>",
            num(rect.left()),
            num(rect.top()),
            num(rect.width()),
            num(rect.height())
        );
    }
    if !identity {
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}
