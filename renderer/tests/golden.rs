//! Golden images on the reference adapter (lavapipe): each scene rendered with a
//! fixed camera and environment and compared with NVIDIA FLIP against
//! `tests/goldens/<name>.png`. On failure `<name>-actual.png` and `<name>-diff.png`
//! land in `target/golden-failures/`. References change only when asked:
//! `UPDATE_GOLDENS=<name>[,<name>…]` or `UPDATE_GOLDENS=all`.
//!
//! Models come from `../shared/assets` (the Khronos samples); a test whose
//! model is absent is skipped with a message.

use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::golden::{Thresholds, check_golden};
use showroom::output::Background;
use showroom::render::{CameraChoice, RenderSettings};
use showroom::studio::Studio;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Set on lavapipe (Mesa 22.3.6, LLVM 15, 256-bit): re-renders there are
/// bit-identical, so these bounds leave room only for driver/CPU-width
/// differences between software rasterisers (e.g. a 128-bit llvmpipe).
const THRESHOLDS: Thresholds = Thresholds {
    mean: 0.01,
    p95: 0.05,
};

fn shared_assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/assets")
}

fn goldens() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens")
}

/// One studio for the whole test binary: the GPU and pipelines are built once.
static STUDIO: Mutex<Option<Studio>> = Mutex::new(None);

struct Case<'a> {
    name: &'a str,
    model: PathBuf,
    env: &'a str,
    variant: Option<&'a str>,
    yaw: f32,
    pitch: f32,
    distance: Distance,
    target: Target,
    fov: f32,
    background: Background,
}

impl Default for Case<'_> {
    fn default() -> Self {
        Self {
            name: "",
            model: PathBuf::new(),
            env: "studio_small_03_1k.hdr",
            variant: None,
            yaw: 35.0,
            pitch: 15.0,
            distance: Distance::Fit(1.0),
            target: Target::Auto,
            fov: 30.0,
            background: Background::Transparent,
        }
    }
}

fn run(case: Case) {
    if !case.model.exists() {
        eprintln!(
            "skipping golden {}: {} not found",
            case.name,
            case.model.display()
        );
        return;
    }
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    // The environments the project ships are read from `assets/` (so the
    // shoe goldens run from any checkout); others from `../shared`.
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assets/environments")
        .join(case.env);
    let env_path = if shipped.exists() {
        shipped
    } else {
        shared_assets().join("environments").join(case.env)
    };
    if !env_path.exists() {
        eprintln!(
            "skipping golden {}: {} not found",
            case.name,
            env_path.display()
        );
        return;
    }
    let env = studio.environment(&env_path).unwrap();
    let mut scene = studio.load_model(&case.model).unwrap();
    studio.set_variant(&mut scene, case.variant).unwrap();
    let settings = RenderSettings {
        width: 512,
        height: 512,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: case.yaw,
            pitch_deg: case.pitch,
            distance: case.distance,
            fov_y_deg: case.fov,
            target: case.target,
        }),
        background: case.background,
        lights: false,
        ..Default::default()
    };
    let frame = studio.render(&scene, &env, &settings).unwrap();
    drop(guard);
    // A blank or fully transparent image must never pass as a golden.
    let covered = frame.rgba8.chunks_exact(4).filter(|p| p[3] > 0).count();
    assert!(
        covered > 512 * 512 / 50,
        "{}: almost nothing rendered ({covered} px)",
        case.name
    );
    match check_golden(case.name, &goldens(), &frame, THRESHOLDS) {
        Ok(r) => println!("{}: FLIP mean {:.5} p95 {:.5}", case.name, r.mean, r.p95),
        Err(e) => panic!("{e}"),
    }
}

fn model(name: &str) -> PathBuf {
    shared_assets()
        .join("models")
        .join(name)
        .join(format!("{name}.glb"))
}

#[test]
fn shoe_variants() {
    let shoe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker/sneaker.glb");
    for (name, variant) in [
        ("shoe_midnight", "midnight"),
        ("shoe_beach", "beach"),
        ("shoe_street", "street"),
    ] {
        run(Case {
            name,
            model: shoe.clone(),
            variant: Some(variant),
            ..Default::default()
        });
    }
}

#[test]
fn damaged_helmet() {
    run(Case {
        name: "damaged_helmet",
        model: model("DamagedHelmet"),
        yaw: 20.0,
        pitch: 5.0,
        distance: Distance::Metres(4.0),
        target: Target::Point(glam::Vec3::ZERO),
        fov: 45.0,
        ..Default::default()
    });
}

#[test]
fn metal_rough_spheres() {
    run(Case {
        name: "metal_rough_spheres",
        model: model("MetalRoughSpheresNoTextures"),
        env: "spruit_sunrise_1k.hdr",
        yaw: 0.0,
        pitch: 0.0,
        distance: Distance::Fit(0.75),
        ..Default::default()
    });
}

#[test]
fn alpha_blend_modes() {
    run(Case {
        name: "alpha_blend_modes",
        model: model("AlphaBlendModeTest"),
        yaw: 0.0,
        pitch: 10.0,
        distance: Distance::Fit(0.8),
        background: Background::Color([40, 40, 48]),
        ..Default::default()
    });
}

#[test]
fn texture_transform() {
    run(Case {
        name: "texture_transform",
        model: model("TextureTransformTest"),
        yaw: 0.0,
        pitch: 0.0,
        distance: Distance::Fit(1.0),
        ..Default::default()
    });
}

#[test]
fn emissive_strength() {
    run(Case {
        name: "emissive_strength",
        model: model("EmissiveStrengthTest"),
        yaw: 0.0,
        pitch: 0.0,
        distance: Distance::Fit(0.8),
        background: Background::Color([0, 0, 0]),
        ..Default::default()
    });
}

/// The extension models of issue 6: sheen, clearcoat, transmission and
/// volume, iridescence, specular, KHR_texture_transform on extension slots.
#[test]
fn material_extension_models() {
    let fit = |name, m, yaw, pitch, f| Case {
        name,
        model: model(m),
        yaw,
        pitch,
        distance: Distance::Fit(f),
        ..Default::default()
    };
    for case in [
        fit("toy_car", "ToyCar", 40.0, 20.0, 0.85),
        fit("sunglasses", "SunglassesKhronos", 20.0, 10.0, 0.8),
        fit("sheen_chair", "SheenChair", 35.0, 15.0, 0.9),
        fit("glam_velvet_sofa", "GlamVelvetSofa", 30.0, 15.0, 0.85),
        fit("clearcoat_car_paint", "ClearCoatCarPaint", 25.0, 20.0, 0.85),
        fit("iridescence_lamp", "IridescenceLamp", 30.0, 15.0, 0.9),
        fit("specular_test", "SpecularTest", 0.0, 0.0, 0.8),
        fit("attenuation_test", "AttenuationTest", 0.0, 0.0, 0.8),
        // The checkered cloth behind the spheres is seen through them (the
        // screen-space backdrop), sharp or blurred by their roughness.
        fit("transmission_test", "TransmissionTest", 0.0, 0.0, 0.75),
        fit(
            "transmission_roughness",
            "TransmissionRoughnessTest",
            0.0,
            0.0,
            0.8,
        ),
    ] {
        // Transmission needs something behind it to show.
        let background =
            if case.name.starts_with("transmission") || case.name.starts_with("attenuation") {
                Background::Environment
            } else {
                Background::Transparent
            };
        run(Case { background, ..case });
    }
}

/// The shared studio and the shipped ring product loaded in it.
fn ring(slot: &mut Option<Studio>) -> (&mut Studio, showroom::showcase::LoadedProduct) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/ring");
    let studio = slot.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let p = studio.load_product(&dir).unwrap();
    (studio, p)
}

/// The generated ring product in two metals with two gems (its
/// gem close-up shot, over the environment so the stone has something to
/// show).
#[test]
fn ring_metals_and_gems() {
    use showroom::product::config::Configuration;
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let (studio, mut p) = ring(&mut guard);
    let mut frames = Vec::new();
    for (metal, gem) in [
        ("yellow-gold", "diamond"),
        ("yellow-gold", "sapphire"),
        ("platinum", "diamond"),
        ("platinum", "sapphire"),
    ] {
        let cfg = Configuration::new("ring")
            .with("metal", metal)
            .with("gem", gem);
        studio.configure(&mut p, &cfg).unwrap();
        let CameraChoice::Orbit(cam) = p.shot_camera(Some("gem")).unwrap() else {
            panic!("the ring's shots are orbit shots");
        };
        let settings = RenderSettings {
            width: 384,
            height: 384,
            camera: CameraChoice::Orbit(cam),
            background: Background::Environment,
            ..Default::default()
        };
        let frame = studio.render_product(&mut p, &settings).unwrap();
        frames.push((format!("ring_{metal}_{gem}"), frame));
    }
    drop(guard);
    // The four differ from each other (metal and gem both change the image).
    for i in 0..frames.len() {
        for j in i + 1..frames.len() {
            let (a, b) = (&frames[i].1, &frames[j].1);
            let r = showroom::flip::flip_rgba8(&a.rgba8, &b.rgba8, a.width, a.height).unwrap();
            assert!(
                r.mean > 0.003,
                "{} and {} look the same (FLIP {})",
                frames[i].0,
                frames[j].0,
                r.mean
            );
        }
    }
    for (name, frame) in &frames {
        match check_golden(name, &goldens(), frame, THRESHOLDS) {
            Ok(r) => println!("{name}: FLIP mean {:.5} p95 {:.5}", r.mean, r.p95),
            Err(e) => panic!("{e}"),
        }
    }
}

/// The diamond close up: light traced inside the stone shows internal
/// reflections (bright and dark facets, not the environment seen through a
/// lens) and dispersion (coloured fire in a colourless stone).
#[test]
fn diamond_close_up() {
    use showroom::product::config::Configuration;
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let (studio, mut p) = ring(&mut guard);
    let cfg = Configuration::new("ring")
        .with("metal", "platinum")
        .with("gem", "diamond");
    studio.configure(&mut p, &cfg).unwrap();
    // Looking down at the table from close by.
    let bounds = p.scene.scene.bounds;
    let gem_top = glam::Vec3::new(bounds.center().x, bounds.max.y, bounds.center().z);
    let settings = RenderSettings {
        width: 384,
        height: 384,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 20.0,
            pitch_deg: 50.0,
            distance: Distance::Metres(0.03),
            fov_y_deg: 25.0,
            target: Target::Point(gem_top - glam::Vec3::Y * 0.002),
        }),
        background: Background::Color([20, 20, 24]),
        ..Default::default()
    };
    let frame = studio.render_product(&mut p, &settings).unwrap();
    drop(guard);
    // Fire: saturated pixels in a colourless stone over a neutral studio.
    let saturated = frame
        .rgba8
        .chunks_exact(4)
        .filter(|px| {
            let (hi, lo) = (px[0].max(px[1]).max(px[2]), px[0].min(px[1]).min(px[2]));
            hi > 90 && hi - lo > 70
        })
        .count();
    // Internal reflections: many facets, bright and dark side by side.
    let luma: Vec<f32> = frame
        .rgba8
        .chunks_exact(4)
        .map(|px| 0.2126 * f32::from(px[0]) + 0.7152 * f32::from(px[1]) + 0.0722 * f32::from(px[2]))
        .collect();
    let edges = (1..384 * 384)
        .filter(|&i| i % 384 != 0 && (luma[i] - luma[i - 1]).abs() > 60.0)
        .count();
    println!("diamond: {saturated} saturated pixels, {edges} strong edges");
    assert!(
        saturated > 150,
        "no dispersion fire: {saturated} saturated pixels"
    );
    assert!(
        edges > 1500,
        "no internal reflections: {edges} strong edges"
    );
    match check_golden("diamond_close_up", &goldens(), &frame, THRESHOLDS) {
        Ok(r) => println!("diamond_close_up: FLIP mean {:.5} p95 {:.5}", r.mean, r.p95),
        Err(e) => panic!("{e}"),
    }
}

/// A tiled anisotropy direction texture (KHR_materials_anisotropy encoding:
/// RG = direction mapped from [-1, 1] to [0, 1], B = strength): 4 × 4 tiles
/// alternating between the tangent (R = 1, G = ½) and the bitangent
/// (R = ½, G = 1), at full strength.
fn brushing_tiles() -> showroom::scene::ImageData {
    let size = 64u32;
    let mut rgba8 = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let across = (x / 16 + y / 16) % 2 == 1;
            rgba8.extend_from_slice(if across {
                &[128, 255, 255, 255]
            } else {
                &[255, 128, 255, 255]
            });
        }
    }
    showroom::scene::ImageData {
        name: Some("brushing tiles".into()),
        width: size,
        height: size,
        rgba8,
    }
}

/// KHR_materials_anisotropy (no Khronos anisotropy sample is in
/// `shared/assets`): brushed aluminium spheres in the studio with a key
/// light, left to right isotropic, strength 0.6 and 1 along the sphere's
/// tangent (around the vertical axis), 0.8 turned 90° (along the meridians),
/// and a tiled direction texture under KHR_texture_transform (scaled ×2).
/// Environment reflections and the light's highlight stretch along the
/// direction.
#[test]
fn anisotropy_spheres() {
    use showroom::scene::{
        Anisotropy, Light, LightKind, Material, Texture, TextureRef, TextureTransform, shapes,
    };
    let env_path = shared_assets()
        .join("environments")
        .join("studio_small_03_1k.hdr");
    if !env_path.exists() {
        eprintln!(
            "skipping golden anisotropy_spheres: {} not found",
            env_path.display()
        );
        return;
    }
    let brushed = |strength: f32, rotation: f32, texture: Option<TextureRef>| Material {
        base_color_factor: [0.913, 0.922, 0.924, 1.0],
        metallic_factor: 1.0,
        roughness_factor: 0.3,
        anisotropy: Some(Anisotropy {
            strength,
            rotation,
            texture,
        }),
        ..Default::default()
    };
    let tiles = TextureRef {
        texture: 0,
        tex_coord: 0,
        transform: TextureTransform {
            scale: [2.0, 2.0],
            ..Default::default()
        },
    };
    let mut scene = shapes::sphere_row(vec![
        brushed(0.0, 0.0, None),
        brushed(0.6, 0.0, None),
        brushed(1.0, 0.0, None),
        brushed(0.8, std::f32::consts::FRAC_PI_2, None),
        brushed(1.0, 0.0, Some(tiles)),
    ]);
    scene.images.push(brushing_tiles());
    scene.textures.push(Texture {
        image: 0,
        sampler: Default::default(),
    });
    scene.lights.push(Light {
        name: None,
        kind: LightKind::Directional,
        color: [1.0; 3],
        intensity: 3.0,
        range: None,
        position: glam::Vec3::ZERO,
        direction: glam::Vec3::new(-0.4, -0.5, -1.0).normalize(),
    });
    let mut guard = STUDIO.lock().unwrap_or_else(|e| e.into_inner());
    let studio = guard.get_or_insert_with(|| {
        Studio::new(&Default::default()).expect("a GPU adapter (mesa-vulkan-drivers)")
    });
    let env = studio.environment(&env_path).unwrap();
    let scene = studio.renderer.upload(scene);
    let settings = RenderSettings {
        width: 640,
        height: 160,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 10.0,
            // 2.5 m per sphere, 128 px each: the row is 12.5 m wide at 4:1
            // (a narrow field keeps the outer spheres round).
            distance: Distance::Metres(6.25 / (4.0 * 6f32.to_radians().tan())),
            fov_y_deg: 12.0,
            target: Target::Point(glam::Vec3::ZERO),
        }),
        background: Background::Color([40, 40, 48]),
        ..Default::default()
    };
    let frame = studio.render(&scene, &env, &settings).unwrap();
    drop(guard);
    match check_golden("anisotropy_spheres", &goldens(), &frame, THRESHOLDS) {
        Ok(r) => println!(
            "anisotropy_spheres: FLIP mean {:.5} p95 {:.5}",
            r.mean, r.p95
        ),
        Err(e) => panic!("{e}"),
    }
}
