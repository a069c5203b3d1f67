//! Personalization decals on the GPU: text and logos on the sample
//! products (golden images), every finish, a projected decal on a curved
//! surface (nothing on the far side, stretch within the stated bound),
//! live text changes equal to a fresh load, and the artwork matching the
//! decal seen on the render.

use showroom::flip::flip_rgba8;
use showroom::golden::{Thresholds, check_golden};
use showroom::output::Frame;
use showroom::product::config::Configuration;
use showroom::render::RenderSettings;
use showroom::showcase::LoadedProduct;
use showroom::studio::Studio;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Set on lavapipe (Mesa 22.3.6, LLVM 15, 256-bit), like `golden.rs`.
const THRESHOLDS: Thresholds = Thresholds {
    mean: 0.01,
    p95: 0.05,
};
const SIZE: u32 = 320;

static STUDIO: Mutex<Option<Studio>> = Mutex::new(None);

fn with_studio<T>(f: impl FnOnce(&mut Studio) -> T) -> T {
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    f(studio)
}

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

fn package(name: &str) -> PathBuf {
    assets().join("products").join(name)
}

fn logo(name: &str) -> String {
    assets()
        .join("products/logos")
        .join(name)
        .display()
        .to_string()
}

fn goldens() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens")
}

fn config(product: &str, json: serde_json::Value) -> Configuration {
    Configuration {
        product: product.to_string(),
        selections: serde_json::from_value(json).unwrap(),
    }
}

fn settings(p: &LoadedProduct, shot: &str) -> RenderSettings {
    RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: p.shot_camera(Some(shot)).unwrap(),
        lights: false,
        ..Default::default()
    }
}

fn shoot(studio: &mut Studio, p: &mut LoadedProduct, shot: &str) -> Frame {
    let s = settings(p, shot);
    studio.render_product(p, &s).unwrap()
}

fn flip_mean(a: &Frame, b: &Frame) -> f32 {
    flip_rgba8(&a.rgba8, &b.rgba8, a.width, a.height)
        .unwrap()
        .mean
}

/// Configures `base` plus `decal`, renders, checks the golden and that the
/// decal changed the picture against `base` alone.
fn golden_case(
    studio: &mut Studio,
    (product, shot, name): (&str, &str, &str),
    base: serde_json::Value,
    decal: serde_json::Value,
    failures: &mut Vec<String>,
) {
    let mut p = studio.load_product(&package(product)).unwrap();
    studio
        .configure(&mut p, &config(product, base.clone()))
        .unwrap();
    let plain = shoot(studio, &mut p, shot);
    let mut selections = base;
    for (k, v) in decal.as_object().unwrap() {
        selections[k] = v.clone();
    }
    studio
        .configure(&mut p, &config(product, selections))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(p.decals.decals.iter().any(|d| d.placement.is_some()));
    let frame = shoot(studio, &mut p, shot);
    let changed = flip_mean(&plain, &frame);
    println!("{name}: FLIP against no decal {changed:.5}");
    if changed < 0.003 {
        failures.push(format!(
            "{name}: the decal does not show (FLIP {changed:.5})"
        ));
    }
    match check_golden(name, &goldens(), &frame, THRESHOLDS) {
        Ok(r) => println!("{name}: golden FLIP mean {:.5} p95 {:.5}", r.mean, r.p95),
        Err(e) => failures.push(e.to_string()),
    }
}

#[test]
fn text_and_logo_decals_match_their_goldens() {
    use serde_json::json;
    let cases = [
        (
            ("sneaker", "heel", "decal_sneaker_name_latin"),
            json!({}),
            json!({"name": "ALEXANDRA 23"}),
        ),
        (
            ("sneaker", "tongue", "decal_sneaker_number_outline"),
            json!({}),
            json!({"number": "23"}),
        ),
        (
            ("bottle", "name", "decal_bottle_name_arabic"),
            json!({}),
            json!({"name": "ليلى حسن"}),
        ),
        (
            ("bottle", "logo", "decal_bottle_logo_svg"),
            json!({}),
            json!({"logo": logo("showroom-logo.svg")}),
        ),
        (
            ("bottle", "logo", "decal_bottle_logo_png_alpha"),
            json!({"body": "white"}),
            json!({"logo": logo("paw.png")}),
        ),
        (
            ("ring", "inside", "decal_ring_engraving"),
            json!({"metal": "platinum"}),
            json!({"engraving": "ANNA & TOM 2025"}),
        ),
    ];
    let mut failures = Vec::new();
    with_studio(|studio| {
        for (what, base, decal) in cases {
            golden_case(studio, what, base, decal, &mut failures);
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A copy of the bottle package whose name slot has `finish`.
fn bottle_with_finish(finish: &str) -> tempfile::TempDir {
    bottle_with(finish, 4.0)
}

/// A copy of the bottle package whose name slot has `finish` and a
/// smallest text size of `min_mm`.
fn bottle_with(finish: &str, min_mm: f32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = package("bottle");
    std::fs::copy(src.join("bottle.glb"), dir.path().join("bottle.glb")).unwrap();
    let mut def: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("product.json")).unwrap()).unwrap();
    // A close-up of the name slot, for the finishes' relief.
    def["shots"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": "finish", "label": "Finish", "yaw": 0, "pitch": 5, "fov": 25,
            "distance": 0.16, "target": [0.0, 0.06, 0.03]
        }));
    for o in def["options"].as_array_mut().unwrap() {
        if o["id"] == "name" {
            o["finish"] = serde_json::json!(finish);
            o["colors"] = serde_json::json!([]);
            o["min_size_mm"] = serde_json::json!(min_mm);
        }
    }
    std::fs::write(
        dir.path().join("product.json"),
        serde_json::to_string_pretty(&def).unwrap(),
    )
    .unwrap();
    dir
}

#[test]
fn every_finish_renders_its_own_material() {
    use serde_json::json;
    // Each finish on the surface it is made for.
    let cases = [
        ("print", "white", "#c8102e"),
        ("embroidery", "canvas", "#1f3a4d"),
        ("emboss", "leather", "#000000"),
        ("deboss", "leather", "#000000"),
        ("engrave", "steel", "#000000"),
        ("foil", "black", "#d4af37"),
    ];
    let mut failures = Vec::new();
    let mut frames = Vec::new();
    with_studio(|studio| {
        for (finish, body, color) in cases {
            let dir = bottle_with_finish(finish);
            let mut p = studio.load_product(dir.path()).unwrap();
            let selections = json!({"body": body, "name": {"text": "Aa 23", "color": color}});
            studio
                .configure(&mut p, &config("bottle", selections))
                .unwrap();
            let frame = shoot(studio, &mut p, "finish");
            let name = format!("decal_finish_{finish}");
            match check_golden(&name, &goldens(), &frame, THRESHOLDS) {
                Ok(r) => println!("{name}: golden FLIP mean {:.5} p95 {:.5}", r.mean, r.p95),
                Err(e) => failures.push(e.to_string()),
            }
            // The same text printed on the same surface: each finish is a
            // material change of its own, not a print.
            if finish != "print" {
                let dir = bottle_with_finish("print");
                let mut q = studio.load_product(dir.path()).unwrap();
                let selections = json!({"body": body, "name": {"text": "Aa 23", "color": color}});
                studio
                    .configure(&mut q, &config("bottle", selections))
                    .unwrap();
                let printed = shoot(studio, &mut q, "finish");
                let m = flip_mean(&printed, &frame);
                println!("{finish} vs print on {body}: FLIP {m:.5}");
                if m < 0.002 {
                    failures.push(format!("{finish} looks like a print (FLIP {m:.5})"));
                }
            }
            frames.push(frame);
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn projected_logo_never_reaches_the_far_side() {
    use serde_json::json;
    with_studio(|studio| {
        let mut p = studio.load_product(&package("bottle")).unwrap();
        let back_plain = shoot(studio, &mut p, "back");
        let side_plain = shoot(studio, &mut p, "side");
        studio
            .configure(
                &mut p,
                &config("bottle", json!({"logo": logo("showroom-logo.svg")})),
            )
            .unwrap();
        let back = shoot(studio, &mut p, "back");
        let side = shoot(studio, &mut p, "side");
        let front = shoot(studio, &mut p, "front");
        assert_eq!(p.decals.placed_count(), 1);
        // Seen from behind, the bottle is exactly as without the logo.
        assert_eq!(
            back.rgba8, back_plain.rgba8,
            "the logo shows on the far side"
        );
        // From the side the logo's edge is seen at a grazing angle: faded,
        // never stretched across the body.
        let m = flip_mean(&side, &side_plain);
        assert!(m < 0.01, "side view changed too much (FLIP {m:.5})");
        check_golden("decal_bottle_logo_front", &goldens(), &front, THRESHOLDS)
            .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn projector_stretch_stays_within_the_stated_bound() {
    // The shader paints at full strength only where the surface faces the
    // projector within 60° (stretch 1 / cos θ ≤ 2) and fades to nothing by
    // 75°; on the bottle's 73 mm body the 40 mm logo box reaches 33°, so the
    // stretch over the whole logo is at most 1 / cos 33° ≈ 1.19.
    let r = 36.5f32;
    let half = 20.0f32;
    let theta = (half / r).asin();
    let stretch = 1.0 / theta.cos();
    assert!(stretch < 1.2, "stretch {stretch}");
    // Measured on the render: the logo's width on the front view matches the
    // orthographic projection of its 40 mm box (no stretch along the view).
    use serde_json::json;
    with_studio(|studio| {
        let mut p = studio.load_product(&package("bottle")).unwrap();
        // A white square logo fills the box edge to edge.
        let square = tempfile::tempdir().unwrap();
        let path = square.path().join("square.png");
        image::RgbaImage::from_pixel(64, 64, image::Rgba([255, 255, 255, 255]))
            .save(&path)
            .unwrap();
        studio
            .configure(
                &mut p,
                &config(
                    "bottle",
                    json!({"body": "black", "logo": path.display().to_string()}),
                ),
            )
            .unwrap();
        let frame = shoot(studio, &mut p, "logo");
        if let Ok(dir) = std::env::var("DECAL_DEBUG_DIR") {
            let png =
                showroom::output::encode(&frame, showroom::output::ImageFormat::Png, 90).unwrap();
            std::fs::write(Path::new(&dir).join("stretch.png"), png).ok();
        }
        // Expected: the box's edges (x = ±20 mm, where they meet the
        // 36.5 mm body) projected by the shot's camera. A decal wrapped by
        // arc length would end at ±18.9 mm instead; one stretched past the
        // bound would spread wider.
        let s = settings(&p, "logo");
        let view = studio
            .renderer
            .camera_view(&p.scene.scene, &s, SIZE, SIZE)
            .unwrap();
        let z = (0.0365f32 * 0.0365 - 0.02 * 0.02).sqrt();
        let to_px = |x: f32| {
            let c = view.view_proj() * glam::Vec4::new(x, 0.11, z, 1.0);
            (c.x / c.w * 0.5 + 0.5) * SIZE as f32
        };
        let expected = to_px(0.02) - to_px(-0.02);
        // The run of bright pixels through the logo's centre, on a row 10
        // pixels above the image centre (inside the logo).
        let row = (SIZE / 2) as usize - 10;
        let bright = |x: usize| frame.rgba8[(row * SIZE as usize + x) * 4] > 128;
        let centre = to_px(0.0) as usize;
        assert!(bright(centre), "no logo at the centre");
        let left = (0..centre).rev().find(|&x| !bright(x)).map_or(0, |x| x + 1);
        let right = (centre..SIZE as usize)
            .find(|&x| !bright(x))
            .unwrap_or(SIZE as usize);
        let width_px = right - left;
        let ratio = width_px as f32 / expected;
        println!("logo width {width_px} px, projection {expected:.1} px, ratio {ratio:.3}");
        assert!(
            (0.96..1.04).contains(&ratio),
            "logo width {width_px} px vs {expected:.1} px expected"
        );
    });
}

#[test]
fn changing_the_name_equals_a_fresh_load() {
    use serde_json::json;
    with_studio(|studio| {
        let mut live = studio.load_product(&package("sneaker")).unwrap();
        for name in ["MAX", "ALEXANDRA 23", "Zoë"] {
            studio
                .configure(&mut live, &config("sneaker", json!({"name": name})))
                .unwrap();
            let _ = shoot(studio, &mut live, "heel");
        }
        let cfg = config("sneaker", json!({"name": "Jo & Tiffany"}));
        studio.configure(&mut live, &cfg).unwrap();
        let switched = shoot(studio, &mut live, "heel");
        let mut fresh = studio.load_product(&package("sneaker")).unwrap();
        studio.configure(&mut fresh, &cfg).unwrap();
        let reference = shoot(studio, &mut fresh, "heel");
        let m = flip_mean(&reference, &switched);
        assert!(
            m < 1e-4,
            "live change differs from a fresh load: FLIP {m:.5}"
        );
        // Clearing the text removes the decal.
        studio
            .configure(&mut live, &config("sneaker", json!({"name": ""})))
            .unwrap();
        let cleared = shoot(studio, &mut live, "heel");
        let mut bare = studio.load_product(&package("sneaker")).unwrap();
        let plain = shoot(studio, &mut bare, "heel");
        assert_eq!(cleared.rgba8, plain.rgba8);
    });
}

#[test]
fn a_text_that_cannot_fit_is_refused_and_the_product_unchanged() {
    use serde_json::json;
    with_studio(|studio| {
        // The slot is 100 × 20 mm; here its text may not shrink below 10 mm.
        let dir = bottle_with("print", 10.0);
        let mut p = studio.load_product(dir.path()).unwrap();
        studio
            .configure(&mut p, &config("bottle", json!({"name": "Sam"})))
            .unwrap();
        let before = shoot(studio, &mut p, "name");
        // Sixteen W are about 150 mm wide at 10 mm.
        let err = studio
            .configure(
                &mut p,
                &config("bottle", json!({"name": "WWWWWWWWWWWWWWWW"})),
            )
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("name") && err.contains("10"), "{err}");
        let after = shoot(studio, &mut p, "name");
        assert_eq!(before.rgba8, after.rgba8);
    });
}

#[test]
fn artwork_is_drawn_from_the_decal_on_the_render() {
    use serde_json::json;
    use showroom::personalize::artwork::{configuration_artwork, png_dpi};
    use showroom::showcase::file_loader;
    with_studio(|studio| {
        let mut p = studio.load_product(&package("bottle")).unwrap();
        let cfg = config(
            "bottle",
            json!({"name": {"text": "Jordan Lee", "offset_mm": [8.0, -2.0], "rotate_deg": 6.0},
                   "logo": {"image": logo("showroom-logo.svg"), "scale": 0.75}}),
        );
        let resolved = studio.configure(&mut p, &cfg).unwrap();
        let _ = shoot(studio, &mut p, "front");
        let dir = p.package.dir.clone();
        let decals = p.decals.decals.clone();
        let fonts = studio.fonts().unwrap();
        let art =
            configuration_artwork(&p.package, &resolved, fonts, 300.0, &mut file_loader(&dir))
                .unwrap();
        assert_eq!(art.len(), 2);
        for (a, d) in art.iter().zip(&decals) {
            assert_eq!(a.option, d.option);
            // The same content, moved/scaled/rotated as on the product.
            let placed = d.raster_in_slot(fonts, 300.0 / 25.4).unwrap();
            assert_eq!(a.artwork.raster, placed, "{}", a.option);
            let unmoved = d.raster(fonts, 300.0 / 25.4).unwrap();
            assert_ne!(
                a.artwork.raster, unmoved,
                "{}: adjustments ignored",
                a.option
            );
            // At its physical size: 100 × 20 mm and 40 × 40 mm at 300 dpi.
            let [w, h] = d.slot_mm;
            assert_eq!(a.artwork.raster.width, (w / 25.4 * 300.0).round() as u32);
            assert_eq!(a.artwork.raster.height, (h / 25.4 * 300.0).round() as u32);
            let dpi = png_dpi(&a.artwork.png()).unwrap();
            assert!((dpi - 300.0).abs() < 0.1, "{dpi}");
        }
        let name = art.iter().find(|a| a.option == "name").unwrap();
        let svg = name.artwork.svg.as_deref().unwrap();
        assert!(
            svg.contains("rotate(-6)"),
            "the SVG outlines are not placed"
        );
    });
}
