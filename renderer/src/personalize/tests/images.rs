//! Uploaded images: limits before decoding, SVG isolation, fit modes.

use super::out_dir;
use crate::personalize::artwork::image_artwork;
use crate::personalize::image::{
    Decoded, Fit, ImageError, ImageFormat, ImageLimits, data_uri_bytes, decode, fit_rect, probe,
    render_fitted,
};
use ::image::{ImageEncoder as _, Rgba, RgbaImage};

fn png(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    ::image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            ::image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let crc = crc32fast::hash(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

/// A valid PNG header declaring 100 000 × 100 000 RGBA pixels (40 GB
/// decoded) in a few dozen bytes.
fn bomb() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend(chunk(b"IHDR", &ihdr));
    b.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    b.extend(chunk(b"IEND", &[]));
    b
}

#[test]
fn decompression_bomb_is_refused_from_its_header() {
    let b = bomb();
    assert!(b.len() < 100);
    let limits = ImageLimits::default();
    let e = probe(&b, &limits).unwrap_err();
    assert!(
        matches!(
            e,
            ImageError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("10000 MP"), "{e}");
    // decode refuses it the same way, before allocating.
    assert!(matches!(
        decode(&b, &limits),
        Err(ImageError::TooManyPixels { .. })
    ));
}

#[test]
fn byte_limit_and_unsupported_formats() {
    let img = png(&RgbaImage::from_pixel(10, 10, Rgba([255, 0, 0, 255])));
    let small = ImageLimits {
        max_bytes: 20,
        ..ImageLimits::default()
    };
    let e = probe(&img, &small).unwrap_err();
    assert!(
        matches!(e, ImageError::TooManyBytes { max: 20, .. }),
        "{e:?}"
    );
    let e = probe(b"GIF89a....", &ImageLimits::default()).unwrap_err();
    assert!(e.to_string().contains("GIF"), "{e}");
    assert!(matches!(
        probe(b"hello", &ImageLimits::default()),
        Err(ImageError::Unsupported { name: None })
    ));
    assert!(matches!(
        decode(&img[..40], &ImageLimits::default()),
        Err(ImageError::Decode { .. })
    ));
}

#[test]
fn jpeg_and_webp_decode() {
    let img =
        ::image::DynamicImage::ImageRgba8(RgbaImage::from_pixel(32, 16, Rgba([0, 128, 255, 255])));
    for (format, kind) in [
        (::image::ImageFormat::Jpeg, ImageFormat::Jpeg),
        (::image::ImageFormat::WebP, ImageFormat::Webp),
    ] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        let source = if kind == ImageFormat::Jpeg {
            ::image::DynamicImage::ImageRgb8(img.to_rgb8())
        } else {
            img.clone()
        };
        source.write_to(&mut bytes, format).unwrap();
        let bytes = bytes.into_inner();
        assert_eq!(
            probe(&bytes, &ImageLimits::default()).unwrap(),
            (kind, 32.0, 16.0)
        );
        let Decoded::Raster(d) = decode(&bytes, &ImageLimits::default()).unwrap() else {
            panic!()
        };
        assert_eq!(d.dimensions(), (32, 16));
    }
}

const RECT_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 20 10"><rect width="20" height="10" fill="#0a0"/></svg>"##;

#[test]
fn oversized_svg_is_refused_before_parsing() {
    let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="10"><rect width="1" height="1"/></svg>"#;
    let e = probe(huge.as_bytes(), &ImageLimits::default()).unwrap_err();
    assert!(matches!(e, ImageError::SvgTooLarge { .. }), "{e:?}");
    let vb = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90000 90000"></svg>"#;
    assert!(matches!(
        probe(vb.as_bytes(), &ImageLimits::default()),
        Err(ImageError::SvgTooLarge { .. })
    ));
    let mm = r#"<svg xmlns="http://www.w3.org/2000/svg" width='50mm' height="25mm"></svg>"#;
    let (_, w, h) = probe(mm.as_bytes(), &ImageLimits::default()).unwrap();
    assert!(
        (w - 188.98).abs() < 0.1 && (h - 94.49).abs() < 0.1,
        "{w} {h}"
    );
    let big = format!("{RECT_SVG}<!--{}-->", "x".repeat(2000));
    let small = ImageLimits {
        max_bytes: 1000,
        ..ImageLimits::default()
    };
    assert!(matches!(
        probe(big.as_bytes(), &small),
        Err(ImageError::TooManyBytes { .. })
    ));
}

#[test]
fn svg_external_references_are_not_loaded() {
    // A real file next to nothing: an absolute path the default resolver would read.
    let target = out_dir().join("external-target.png");
    std::fs::write(
        &target,
        png(&RgbaImage::from_pixel(4, 4, Rgba([255, 0, 0, 255]))),
    )
    .unwrap();
    for href in [
        target.display().to_string(),
        "logo.png".into(),
        "https://example.com/x.png".into(),
    ] {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="{href}"/></svg>"#
        );
        let e = decode(svg.as_bytes(), &ImageLimits::default()).unwrap_err();
        assert!(
            matches!(&e, ImageError::SvgExternalReference { href: h } if *h == href),
            "{href}: {e:?}"
        );
    }
    // Embedded rasters are fine (and pass the pixel limit first).
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(png(&RgbaImage::from_pixel(
        4,
        4,
        Rgba([255, 0, 0, 255]),
    )));
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image width="10" height="10" href="data:image/png;base64,{data}"/></svg>"#
    );
    let d = decode(svg.as_bytes(), &ImageLimits::default()).unwrap();
    let r = render_fitted(&d, 10, 10, Fit::Stretch).unwrap();
    assert!(
        r.rgba
            .chunks_exact(4)
            .filter(|p| p[0] > 200 && p[3] > 200)
            .count()
            > 50
    );
    let bomb = base64::engine::general_purpose::STANDARD.encode(bomb());
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image width="10" height="10" href="data:image/png;base64,{bomb}"/></svg>"#
    );
    assert!(matches!(
        decode(svg.as_bytes(), &ImageLimits::default()),
        Err(ImageError::SvgExternalReference { .. })
    ));
    // Text needs fonts: refused with advice.
    let svg =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>Hi</text></svg>"#;
    assert!(matches!(
        decode(svg.as_bytes(), &ImageLimits::default()),
        Err(ImageError::SvgText)
    ));
}

#[test]
fn fit_modes_place_the_image() {
    assert_eq!(
        fit_rect((200.0, 100.0), (100.0, 100.0), Fit::Contain),
        (0.0, 25.0, 100.0, 50.0)
    );
    assert_eq!(
        fit_rect((200.0, 100.0), (100.0, 100.0), Fit::Cover),
        (-50.0, 0.0, 200.0, 100.0)
    );
    assert_eq!(
        fit_rect((200.0, 100.0), (100.0, 100.0), Fit::Stretch),
        (0.0, 0.0, 100.0, 100.0)
    );
    // Half red, half blue left to right: cover keeps the middle.
    let mut img = RgbaImage::from_pixel(200, 100, Rgba([255, 0, 0, 255]));
    for (x, _, p) in img.enumerate_pixels_mut() {
        if x >= 100 {
            *p = Rgba([0, 0, 255, 255]);
        }
    }
    let bytes = png(&img);
    let d = decode(&bytes, &ImageLimits::default()).unwrap();
    let alpha = |r: &crate::personalize::Raster, x: u32, y: u32| {
        r.rgba[((y * r.width + x) * 4 + 3) as usize]
    };
    let contain = render_fitted(&d, 100, 100, Fit::Contain).unwrap();
    assert_eq!(alpha(&contain, 50, 10), 0, "bar above");
    assert_eq!(alpha(&contain, 50, 50), 255);
    assert_eq!(alpha(&contain, 50, 90), 0, "bar below");
    let cover = render_fitted(&d, 100, 100, Fit::Cover).unwrap();
    assert!(cover.rgba.chunks_exact(4).all(|p| p[3] == 255));
    let px = |r: &crate::personalize::Raster, x: u32| {
        r.rgba[((50 * r.width + x) * 4) as usize..][..3].to_vec()
    };
    assert_eq!(px(&cover, 10), [255, 0, 0]);
    assert_eq!(px(&cover, 90), [0, 0, 255]);
    let stretch = render_fitted(&d, 100, 100, Fit::Stretch).unwrap();
    assert!(stretch.rgba.chunks_exact(4).all(|p| p[3] == 255));
    assert_eq!(px(&stretch, 10), [255, 0, 0]);
    // SVG: a 2:1 rectangle contained in a square fills the middle half.
    let d = decode(RECT_SVG.as_bytes(), &ImageLimits::default()).unwrap();
    let r = render_fitted(&d, 100, 100, Fit::Contain).unwrap();
    assert_eq!(alpha(&r, 50, 10), 0);
    assert_eq!(alpha(&r, 50, 50), 255);
    assert_eq!(r.covered_pixels(), 100 * 50);
}

#[test]
fn image_artwork_at_dpi_and_data_uris() {
    use base64::Engine as _;
    let mut img = RgbaImage::from_pixel(64, 64, Rgba([0, 0, 0, 0]));
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - 31.5, y as f32 - 31.5);
        if dx * dx + dy * dy < 900.0 {
            *p = Rgba([20, 120, 220, 255]);
        }
    }
    let uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(&img))
    );
    let bytes = data_uri_bytes(&uri, 1 << 20).unwrap();
    let a = image_artwork(
        &bytes,
        &ImageLimits::default(),
        Fit::Contain,
        30.0,
        20.0,
        300.0,
    )
    .unwrap();
    assert_eq!((a.raster.width, a.raster.height), (354, 236));
    std::fs::write(out_dir().join("logo-transparent.png"), a.png()).unwrap();
    assert!(data_uri_bytes("data:image/png,abc", 100).is_err());
    assert!(matches!(
        data_uri_bytes(&uri, 10),
        Err(ImageError::TooManyBytes { .. })
    ));
}

#[test]
fn configuration_artwork_of_every_slot_with_content() {
    use crate::personalize::FontLibrary;
    use crate::personalize::artwork::configuration_artwork;
    use crate::product::{Configuration, ProductPackage};
    use serde_json::json;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products");
    let p = ProductPackage::load(&root.join("sneaker")).unwrap();
    let cfg = Configuration::new("sneaker")
        .with(
            "name",
            json!({ "text": "Anna", "font": "script", "color": "#C8102E" }),
        )
        .with("logo", "logo.png");
    let r = p.validate(&cfg).unwrap();
    let mut fonts = FontLibrary::bundled().unwrap();
    let logo = png(&RgbaImage::from_pixel(40, 40, Rgba([0, 90, 200, 255])));
    let mut asked = Vec::new();
    let mut load = |reference: &str| {
        asked.push(reference.to_string());
        Ok(logo.clone())
    };
    let art = configuration_artwork(&p, &r, &mut fonts, 200.0, &mut load).unwrap();
    assert_eq!(asked, ["logo.png"]);
    let kinds: Vec<(&str, &str, u32, u32)> = art
        .iter()
        .map(|a| {
            (
                a.option.as_str(),
                a.kind,
                a.artwork.raster.width,
                a.artwork.raster.height,
            )
        })
        .collect();
    // 60 × 12 mm and 22 × 22 mm at 200 dpi.
    assert_eq!(
        kinds,
        [("name", "text", 472, 94), ("logo", "image", 173, 173)]
    );
    assert!(
        art[0]
            .artwork
            .svg
            .as_deref()
            .unwrap()
            .contains("fill=\"#c8102e\"")
    );
    // A refused upload names the option; an empty configuration makes nothing.
    let mut refuse = |_: &str| Ok(bomb());
    let e = configuration_artwork(&p, &r, &mut fonts, 200.0, &mut refuse).unwrap_err();
    assert!(
        e.to_string().contains("option \"logo\"") && e.to_string().contains("MP"),
        "{e}"
    );
    let empty = p.validate(&Configuration::new("sneaker")).unwrap();
    let mut none = |_: &str| Ok(Vec::new());
    assert!(
        configuration_artwork(&p, &empty, &mut fonts, 200.0, &mut none)
            .unwrap()
            .is_empty()
    );
    // An image value with adjustments (the logo slot may move here): the
    // artwork loads its reference and is the same slot-sized picture; an
    // object with an empty image makes nothing.
    let mut moved = p.clone();
    let logo_option = moved
        .definition
        .options
        .iter_mut()
        .find(|o| o.id == "logo")
        .unwrap();
    let crate::product::OptionKind::Image(slot) = &mut logo_option.kind else {
        panic!()
    };
    slot.adjust = Some(crate::product::Adjust {
        move_mm: [5.0, 5.0],
        ..Default::default()
    });
    let r = moved
        .validate(
            &Configuration::new("sneaker")
                .with("logo", json!({ "image": "logo.png", "offset_mm": [2, -1] })),
        )
        .unwrap();
    assert!(r.get("logo").unwrap().is_object());
    let mut asked = Vec::new();
    let mut load = |reference: &str| {
        asked.push(reference.to_string());
        Ok(logo.clone())
    };
    let adjusted = configuration_artwork(&moved, &r, &mut fonts, 200.0, &mut load).unwrap();
    assert_eq!(asked, ["logo.png"]);
    assert_eq!(adjusted.len(), 1);
    // The artwork shows the content where the customer moved it: same
    // slot size and DPI, other pixels.
    let (a, b) = (&adjusted[0].artwork, &art[1].artwork);
    assert_eq!(
        (a.raster.width, a.raster.height, a.dpi),
        (b.raster.width, b.raster.height, b.dpi)
    );
    assert_ne!(a.raster.rgba, b.raster.rgba);
    let r = moved
        .validate(&Configuration::new("sneaker").with("logo", json!({ "image": "" })))
        .unwrap();
    assert!(
        configuration_artwork(&moved, &r, &mut fonts, 200.0, &mut none)
            .unwrap()
            .is_empty()
    );
}
