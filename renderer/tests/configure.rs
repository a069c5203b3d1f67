//! Configurations applied in place: the sneaker package's variants, a lace
//! colour, hidden laces, eyelet materials and a texture print rendered by
//! switching one loaded scene must match (FLIP mean < 0.005) the same
//! configuration rendered from a fresh load, and match their goldens. The
//! exported GLB of a configuration must pass the Khronos glTF-Validator and
//! render like the configured product (FLIP mean < 0.02).

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
/// The bound for "identical": in-place switching vs a fresh load.
const SAME_PICTURE: f32 = 0.005;
/// The bound for the exported GLB against the configured product.
const EXPORT_MATCH: f32 = 0.02;
const SIZE: u32 = 384;

static STUDIO: Mutex<Option<Studio>> = Mutex::new(None);

fn package(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assets/products")
        .join(name)
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

fn settings(p: &LoadedProduct) -> RenderSettings {
    RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: p.shot_camera(None).unwrap(),
        lights: false,
        ..Default::default()
    }
}

fn render(studio: &mut Studio, p: &LoadedProduct) -> Frame {
    let env = p.environment.clone();
    studio.render(&p.scene, &env, &settings(p)).unwrap()
}

fn flip_mean(a: &Frame, b: &Frame) -> f32 {
    flip_rgba8(&a.rgba8, &b.rgba8, a.width, a.height)
        .unwrap()
        .mean
}

fn sneaker_cases() -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::json;
    vec![
        ("config_sneaker_midnight", json!({"colorway": "midnight"})),
        ("config_sneaker_beach", json!({"colorway": "beach"})),
        ("config_sneaker_street", json!({"colorway": "street"})),
        (
            "config_sneaker_red_laces",
            json!({"colorway": "beach", "lace_color": "red"}),
        ),
        (
            "config_sneaker_no_laces",
            json!({"colorway": "street", "laces": false, "eyelets": "gold"}),
        ),
        (
            "config_sneaker_speckle",
            json!({"colorway": "midnight", "print": "speckle", "lace_color": "#3366ff"}),
        ),
    ]
}

#[test]
fn switching_in_place_matches_a_fresh_load() {
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let mut shared = studio.load_product(&package("sneaker")).unwrap();
    let cases = sneaker_cases();
    // Each configuration is applied on top of the previous one (and the
    // list is walked twice, so every case also follows a different one).
    let mut failures = Vec::new();
    for (pass, order) in [(0, false), (1, true)] {
        let mut list: Vec<_> = cases.iter().collect();
        if order {
            list.reverse();
        }
        for (name, selections) in list {
            let cfg = config("sneaker", selections.clone());
            studio.configure(&mut shared, &cfg).unwrap();
            let switched = render(studio, &shared);
            let mut fresh = studio.load_product(&package("sneaker")).unwrap();
            studio.configure(&mut fresh, &cfg).unwrap();
            let reference = render(studio, &fresh);
            let m = flip_mean(&reference, &switched);
            println!("{name} (pass {pass}): switched vs fresh FLIP mean {m:.5}");
            if m >= SAME_PICTURE {
                failures.push(format!("{name}: FLIP {m:.5} ≥ {SAME_PICTURE}"));
            }
            if pass == 0 {
                match check_golden(name, &goldens(), &switched, THRESHOLDS) {
                    Ok(r) => println!("{name}: golden FLIP mean {:.5} p95 {:.5}", r.mean, r.p95),
                    Err(e) => failures.push(e.to_string()),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn configurations_change_the_picture() {
    // Guards against a look that silently does nothing.
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let mut p = studio.load_product(&package("sneaker")).unwrap();
    let mut frames = Vec::new();
    for (name, selections) in sneaker_cases() {
        studio
            .configure(&mut p, &config("sneaker", selections))
            .unwrap();
        frames.push((name, render(studio, &p)));
    }
    for i in 0..frames.len() {
        for j in i + 1..frames.len() {
            let m = flip_mean(&frames[i].1, &frames[j].1);
            assert!(
                m > 0.002,
                "{} and {} look the same (FLIP {m:.5})",
                frames[i].0,
                frames[j].0
            );
        }
    }
}

#[test]
fn chair_configuration_applies_every_option_kind() {
    use serde_json::json;
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let mut p = studio.load_product(&package("sheen-chair")).unwrap();
    let cfg = config(
        "sheen-chair",
        json!({"fabric": "mango", "pattern": "tartan", "hardware": "brass",
               "wood_tone": "honey", "label": false, "monogram": "AVK"}),
    );
    studio.configure(&mut p, &cfg).unwrap();
    let frame = render(studio, &p);
    if let Err(e) = check_golden("config_chair_club", &goldens(), &frame, THRESHOLDS) {
        panic!("{e}");
    }
}

/// Runs the Khronos glTF-Validator (npm `gltf-validator`, installed by
/// `scripts/test.sh` into `tools/gltf-validator`) and returns its error count
/// and the messages of its errors.
fn validate(glb: &Path) -> (u64, String) {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/gltf-validator");
    assert!(
        tool.join("node_modules/gltf-validator").exists(),
        "the glTF-Validator is not installed: run `npm ci --prefix tools/gltf-validator`"
    );
    let out = std::process::Command::new("node")
        .arg(tool.join("validate.mjs"))
        .arg(glb)
        .output()
        .expect("node (Node.js) must be installed to run the glTF-Validator");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "validator output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let errors = report["issues"]["numErrors"].as_u64().unwrap();
    let messages = report["issues"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["severity"] == 0)
        .map(|m| format!("{} {} {}", m["code"], m["pointer"], m["message"]))
        .collect::<Vec<_>>()
        .join("\n");
    (errors, messages)
}

#[test]
fn exported_glb_is_valid_and_renders_like_the_configuration() {
    use serde_json::json;
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let dir = std::env::temp_dir().join(format!("showroom-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (product, name, selections) in [
        (
            "sneaker",
            "sneaker",
            json!({"colorway": "street", "lace_color": "red", "eyelets": "gold"}),
        ),
        (
            "sneaker",
            "sneaker_speckle",
            json!({"print": "speckle", "laces": false}),
        ),
        (
            "sheen-chair",
            "chair",
            json!({"fabric": "mango", "pattern": "houndstooth", "hardware": "steel", "label": false}),
        ),
    ] {
        let mut p = studio.load_product(&package(product)).unwrap();
        let resolved = studio
            .configure(&mut p, &config(product, selections))
            .unwrap();
        let configured = render(studio, &p);

        let scene = Studio::import(&p.package.model_path()).unwrap();
        let look = p.package.look(&resolved);
        let glb = showroom::export::export_glb(&p.package.model_path(), &scene, &look).unwrap();
        let path = dir.join(format!("{name}.glb"));
        std::fs::write(&path, &glb).unwrap();

        let (errors, messages) = validate(&path);
        assert_eq!(errors, 0, "{name}: glTF-Validator errors:\n{messages}");

        let exported = studio.load_model(&path).unwrap();
        let frame = studio
            .render(&exported, &p.environment.clone(), &settings(&p))
            .unwrap();
        let m = flip_mean(&configured, &frame);
        println!("{name}: exported GLB vs configured FLIP mean {m:.5}");
        assert!(
            m < EXPORT_MATCH,
            "{name}: exported GLB renders differently (FLIP {m:.5})"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
