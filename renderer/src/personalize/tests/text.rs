//! Shaping, layout, auto-fit, stroke, rasters and SVG of texts.

use super::{library, out_dir};
use crate::personalize::artwork::{png_dpi, text_artwork};
use crate::personalize::limits::LimitError;
use crate::personalize::text::{Align, GlyphShape, TextError, TextLayout, TextSpec, layout_text};
use crate::personalize::{FontLibrary, Raster, rasterize_text, slot_pixels};

fn spec(content: &str) -> TextSpec {
    TextSpec::new(content)
}

fn layout(s: &TextSpec, w: f32, h: f32) -> TextLayout {
    let lib = library();
    let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
    layout_text(&mut lib, s, w, h).unwrap_or_else(|e| panic!("{:?}: {e}", s.content))
}

fn raster(s: &TextSpec, w: f32, h: f32, dpi: f32) -> Raster {
    let lib = library();
    let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
    let l = layout_text(&mut lib, s, w, h).unwrap();
    rasterize_text(&mut lib, &l, dpi).unwrap()
}

fn families(l: &TextLayout) -> Vec<&str> {
    l.glyphs.iter().map(|g| g.family.as_str()).collect()
}

#[test]
fn kerning_changes_the_advance() {
    let mut s = spec("AVAVAV To");
    s.size_mm = Some(10.0);
    let kerned = layout(&s, 200.0, 20.0).line_widths_mm[0];
    s.kerning = false;
    let plain = layout(&s, 200.0, 20.0).line_widths_mm[0];
    assert!(
        kerned < plain - 1.0,
        "kerned {kerned} mm, not kerned {plain} mm"
    );
}

#[test]
fn fi_ligature_in_noto_sans() {
    let mut s = spec("fi");
    s.size_mm = Some(10.0);
    let lig = layout(&s, 100.0, 20.0);
    assert_eq!(lig.glyphs.len(), 1, "one ligature glyph");
    assert_eq!(lig.glyphs[0].cluster, 0..2);
    assert_eq!(lig.glyphs[0].family, "Noto Sans");
    s.ligatures = false;
    assert_eq!(layout(&s, 100.0, 20.0).glyphs.len(), 2);
}

#[test]
fn letter_spacing_widens_lines() {
    let mut s = spec("SPACE");
    s.size_mm = Some(10.0);
    let tight = layout(&s, 200.0, 20.0).line_widths_mm[0];
    s.letter_spacing = 0.2;
    let wide = layout(&s, 200.0, 20.0).line_widths_mm[0];
    // Five letters, 0.2 em = 2 mm each (the last one's too, as cosmic-text adds it).
    assert!((wide - tight - 10.0).abs() < 2.5, "{tight} → {wide}");
}

#[test]
fn arabic_is_right_to_left_from_the_arabic_font() {
    let l = layout(&spec("محمد"), 60.0, 20.0);
    assert!(!l.glyphs.is_empty());
    assert!(
        families(&l).iter().all(|f| *f == "Noto Sans Arabic"),
        "{:?}",
        families(&l)
    );
    assert!(l.glyphs.iter().all(|g| g.rtl));
    // In logical order (by cluster), pen positions decrease: the first letter is rightmost.
    let mut logical = l.glyphs.clone();
    logical.sort_by_key(|g| g.cluster.start);
    for w in logical.windows(2) {
        assert!(
            w[0].x_mm > w[1].x_mm,
            "{:?}",
            logical
                .iter()
                .map(|g| (g.cluster.clone(), g.x_mm))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn hebrew_chinese_devanagari_fall_back_and_draw() {
    for (text, family) in [
        ("שרה", "Noto Sans Hebrew"),
        ("李小龍", "Droid Sans Fallback"),
        ("अनन्या", "Noto Sans Devanagari"),
    ] {
        let l = layout(&spec(text), 60.0, 20.0);
        assert!(
            families(&l).iter().all(|f| *f == family),
            "{text}: {:?}",
            families(&l)
        );
        let r = raster(&spec(text), 60.0, 20.0, 150.0);
        assert!(
            r.covered_pixels() > 500,
            "{text}: {} px",
            r.covered_pixels()
        );
    }
    // Devanagari shaping: the conjunct न्य uses fewer glyphs than code points.
    let l = layout(&spec("अनन्या"), 60.0, 20.0);
    assert!(
        l.glyphs.len() < "अनन्या".chars().count(),
        "{} glyphs",
        l.glyphs.len()
    );
}

#[test]
fn emoji_come_from_the_colour_font() {
    let l = layout(&spec("Hi 😀"), 60.0, 20.0);
    let emoji = l
        .glyphs
        .iter()
        .find(|g| g.family == "Noto Color Emoji")
        .expect("an emoji glyph");
    assert!(
        matches!(emoji.shape, GlyphShape::Bitmap { .. }),
        "{:?}",
        emoji.shape
    );
    let r = raster(&spec("😀"), 20.0, 20.0, 150.0);
    let coloured = r
        .rgba
        .chunks_exact(4)
        .filter(|p| p[3] > 200 && (i32::from(p[0]) - i32::from(p[2])).abs() > 60)
        .count();
    assert!(coloured > 100, "{coloured} coloured pixels");
}

#[test]
fn auto_fit_shrinks_long_text_and_keeps_ink_inside() {
    let short = layout(&spec("ANNA"), 60.0, 15.0);
    let long = layout(&spec("ANNA-MARIA LUISE"), 60.0, 15.0);
    assert!(
        long.size_mm < short.size_mm * 0.6,
        "{} vs {}",
        long.size_mm,
        short.size_mm
    );
    for l in [&short, &long] {
        let ink = l.ink_mm.unwrap();
        assert!(ink.left() >= -1e-3 && ink.top() >= -1e-3, "{ink:?}");
        assert!(
            ink.right() <= 60.0 + 1e-3 && ink.bottom() <= 15.0 + 1e-3,
            "{ink:?}"
        );
    }
    // Width-bound: the long line spans the box.
    let ink = long.ink_mm.unwrap();
    assert!(ink.width() > 55.0, "{ink:?}");
    // Two lines in the same box: smaller than one, both lines present.
    let two = layout(&spec("ANNA\nMARIA"), 60.0, 15.0);
    assert_eq!(two.line_widths_mm.len(), 2);
    assert!(two.size_mm < short.size_mm);
    let baselines: std::collections::BTreeSet<i64> =
        two.glyphs.iter().map(|g| (g.y_mm * 100.0) as i64).collect();
    assert_eq!(baselines.len(), 2);
}

#[test]
fn auto_fit_below_the_minimum_is_an_error_naming_it() {
    let mut s = spec(&"W".repeat(80));
    s.min_size_mm = 3.0;
    let lib = library();
    let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
    let e = layout_text(&mut lib, &s, 60.0, 15.0).unwrap_err();
    assert!(
        matches!(e, TextError::Limit(LimitError::TooSmall { min_mm, .. }) if min_mm == 3.0),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("minimum of 3 mm") && msg.contains("min_size_mm"),
        "{msg}"
    );
    // A given size that does not fit names the largest that does.
    let mut s = spec("ANNA");
    s.size_mm = Some(40.0);
    let e = layout_text(&mut lib, &s, 60.0, 15.0).unwrap_err();
    assert!(matches!(e, TextError::DoesNotFit { .. }), "{e:?}");
    // Unknown font, bad colour.
    let mut s = spec("ANNA");
    s.font = "Papyrus".into();
    assert!(matches!(
        layout_text(&mut lib, &s, 60.0, 15.0),
        Err(TextError::Font(_))
    ));
    let mut s = spec("ANNA");
    s.color = "red".into();
    assert!(matches!(
        layout_text(&mut lib, &s, 60.0, 15.0),
        Err(TextError::Limit(LimitError::InvalidColor { .. }))
    ));
}

#[test]
fn alignment_moves_lines() {
    let mut s = spec("AB\nABCDEFGH");
    s.size_mm = Some(5.0);
    s.align = Align::Left;
    let left = layout(&s, 80.0, 20.0);
    s.align = Align::Right;
    let right = layout(&s, 80.0, 20.0);
    let first = |l: &TextLayout| l.glyphs.iter().find(|g| g.line == 0).unwrap().x_mm;
    let last_of_line0 = |l: &TextLayout| {
        l.glyphs
            .iter()
            .filter(|g| g.line == 0)
            .map(|g| g.x_mm + g.advance_mm)
            .fold(0.0, f32::max)
    };
    assert!(first(&left) < 1.0, "{}", first(&left));
    assert!(
        (last_of_line0(&right) - 80.0).abs() < 1.0,
        "{}",
        last_of_line0(&right)
    );
}

#[test]
fn stroke_widens_coverage_and_lies_under_the_fill() {
    let mut s = spec("10");
    s.font = "slab".into();
    s.size_mm = Some(20.0);
    s.color = "#ffffff".into();
    let plain = raster(&s, 40.0, 30.0, 150.0);
    s.stroke = Some(("#1030a0".into(), 1.0));
    let stroked = raster(&s, 40.0, 30.0, 150.0);
    assert!(
        stroked.covered_pixels() > plain.covered_pixels() * 5 / 4,
        "{} vs {}",
        stroked.covered_pixels(),
        plain.covered_pixels()
    );
    // Inside the glyphs the fill (white) wins; the stroke colour shows around them.
    let white = stroked
        .rgba
        .chunks_exact(4)
        .filter(|p| p[3] == 255 && p[0] > 250 && p[2] > 250)
        .count();
    let blue = stroked
        .rgba
        .chunks_exact(4)
        .filter(|p| p[3] == 255 && p[0] < 30 && p[2] > 150)
        .count();
    assert!(white > 1000 && blue > 1000, "white {white}, blue {blue}");
    assert!(white.abs_diff(plain.rgba.chunks_exact(4).filter(|p| p[3] == 255).count()) < white / 5);
}

#[test]
fn artwork_size_dpi_and_svg_outlines() {
    let lib = library();
    let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
    let a = text_artwork(&mut lib, &spec("ANNA"), 60.0, 15.0, 300.0).unwrap();
    assert_eq!((a.raster.width, a.raster.height), (709, 177));
    assert_eq!(slot_pixels(60.0, 15.0, 300.0), (709, 177));
    assert_eq!(slot_pixels(25.4, 50.8, 72.0), (72, 144));
    let png = a.png();
    let img = ::image::load_from_memory(&png).unwrap();
    assert_eq!((img.width(), img.height()), (709, 177));
    assert!((png_dpi(&png).unwrap() - 300.0).abs() < 0.1);
    let svg = a.svg.unwrap();
    assert!(svg.contains("<path d=\"M"), "{svg}");
    assert!(!svg.contains("<text"), "{svg}");
    assert!(
        svg.contains("width=\"60mm\" height=\"15mm\" viewBox=\"0 0 60 15\""),
        "{svg}"
    );
    // The SVG draws what the raster does: render it and compare coverage.
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
    let mut pixmap = tiny_skia::Pixmap::new(709, 177).unwrap();
    // usvg sizes the tree in px at 96 dpi (60 mm = 226.8 px).
    let (kx, ky) = (709.0 / tree.size().width(), 177.0 / tree.size().height());
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(kx, ky),
        &mut pixmap.as_mut(),
    );
    let svg_cov: Vec<u8> = pixmap.pixels().iter().map(|p| p.alpha()).collect();
    let raster_cov = a.raster.coverage();
    let (mut both, mut either) = (0usize, 0usize);
    for (s, r) in svg_cov.iter().zip(&raster_cov) {
        both += usize::from(*s > 127 && *r > 127);
        either += usize::from(*s > 127 || *r > 127);
    }
    assert!(
        either > 1000 && both as f32 / either as f32 > 0.97,
        "{both}/{either}"
    );
}

#[test]
fn empty_text_draws_nothing() {
    let l = layout(&spec("  "), 60.0, 15.0);
    assert!(
        l.glyphs
            .iter()
            .all(|g| matches!(g.shape, GlyphShape::Empty))
    );
    assert!(l.ink_mm.is_none());
}

/// Real names written to `target/personalize/` (PNG and SVG) to look at.
#[test]
fn write_sample_artwork() {
    let lib = library();
    let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
    let dir = out_dir();
    type Sample<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<(&'a str, f32)>,
        (f32, f32),
    );
    let samples: [Sample; 7] = [
        ("anna", "ANNA", "script", None, (60.0, 15.0)),
        ("anna-slab", "ANNA", "slab", None, (60.0, 15.0)),
        ("muhammad", "محمد", "sans", None, (60.0, 15.0)),
        ("bruce-lee", "李小龍", "sans", None, (60.0, 15.0)),
        ("ananya", "अनन्या", "sans", None, (60.0, 15.0)),
        (
            "number-10",
            "10",
            "slab",
            Some(("#0b1f4b", 1.5)),
            (40.0, 40.0),
        ),
        (
            "two-lines-emoji",
            "Happy birthday\nAnna 🎂😀",
            "serif",
            None,
            (60.0, 25.0),
        ),
    ];
    for (name, text, font, stroke, (w, h)) in samples {
        let mut s = spec(text);
        s.font = font.into();
        s.color = if stroke.is_some() {
            "#c8102e"
        } else {
            "#1a1a1a"
        }
        .into();
        s.stroke = stroke.map(|(c, w)| (c.to_string(), w));
        let a = text_artwork(&mut lib, &s, w, h, 300.0).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), a.png()).unwrap();
        let svg = a.svg.unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
        assert!(a.raster.covered_pixels() > 1000, "{name}");
        // The SVG as a reader draws it (resvg, no fonts), to compare by eye.
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(a.raster.width, a.raster.height).unwrap();
        let k = a.raster.width as f32 / tree.size().width();
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(k, k),
            &mut pixmap.as_mut(),
        );
        pixmap
            .save_png(dir.join(format!("{name}.svg.png")))
            .unwrap();
    }
}

#[test]
fn fonts_from_a_folder_are_named_by_family() {
    // A package font: the bundled script face loaded as if it were the package's.
    let mut lib = FontLibrary::bundled().unwrap();
    let fam = lib.resolve("Dancing Script").unwrap().name.clone();
    assert_eq!(fam, "Dancing Script");
    let mut s = spec("Anna");
    s.font = "dancing script".into();
    let l = layout_text(&mut lib, &s, 60.0, 15.0).unwrap();
    assert!(l.glyphs.iter().all(|g| g.family == "Dancing Script"));
}
