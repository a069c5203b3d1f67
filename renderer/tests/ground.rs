//! The ground contact shadow: under the product over a transparent
//! background the shadow is in the alpha alone, the product's own pixels
//! are untouched, and its golden image.

use showroom::golden::{Thresholds, check_golden};
use showroom::render::{GroundShadow, RenderSettings};
use showroom::studio::Studio;
use std::path::Path;

/// Set on lavapipe (Mesa 22.3.6, LLVM 15, 256-bit), like `golden.rs`.
const THRESHOLDS: Thresholds = Thresholds {
    mean: 0.01,
    p95: 0.05,
};
const SIZE: u32 = 256;

#[test]
fn ground_shadow_is_alpha_under_the_product() {
    let mut studio = Studio::new(&Default::default()).expect("a GPU adapter");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker");
    let mut p = studio.load_product(&dir).unwrap();
    let mut s = RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: p.shot_camera(Some("side")).unwrap(),
        lights: false,
        ..Default::default()
    };
    let plain = studio.render_product(&mut p, &s).unwrap();
    s.ground_shadow = Some(GroundShadow::default());
    let shadowed = studio.render_product(&mut p, &s).unwrap();
    let px = |f: &showroom::output::Frame, x: u32, y: u32| {
        let i = ((y * SIZE + x) * 4) as usize;
        [f.rgba8[i], f.rgba8[i + 1], f.rgba8[i + 2], f.rgba8[i + 3]]
    };
    let (mut product, mut same, mut shadow_px) = (0, 0, 0);
    for y in 0..SIZE {
        for x in 0..SIZE {
            let (a, b) = (px(&plain, x, y), px(&shadowed, x, y));
            if a[3] == 255 {
                product += 1;
                if a == b {
                    same += 1;
                }
            } else if a[3] == 0 && b[3] > 8 {
                shadow_px += 1;
                // Black: the shadow darkens whatever it is laid over.
                assert!(b[0] < 4 && b[1] < 4 && b[2] < 4, "shadow colour {b:?}");
            }
        }
    }
    // Every opaque product pixel is unchanged (the shadow is under it).
    assert_eq!(same, product, "{} product pixels changed", product - same);
    assert!(shadow_px > 300, "only {shadow_px} shadow pixels");
    check_golden(
        "ground_shadow_sneaker",
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens"),
        &shadowed,
        THRESHOLDS,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
