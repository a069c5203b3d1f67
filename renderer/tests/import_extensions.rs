//! Import of the glTF material extensions read from raw JSON (clearcoat,
//! sheen, transmission, volume, IOR, dispersion, specular, iridescence,
//! anisotropy): values read from the Khronos samples in
//! `shared/assets/models` (skipped when that folder is absent), texture
//! references, bad values, required extensions, and the agreement of the
//! exporter with `apply_params_extensions`.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Value, json};
use showroom::product::library::presets;
use showroom::product::{Look, MaterialChange, Slot, SlotEdit, apply_params_extensions};
use showroom::scene::{
    ImportError, ImportOptions, Material, Scene, TextureRef, TextureSlot, TextureTransform,
    import_file, import_slice,
};

// ---------------------------------------------------------------------------
// Capturing warnings
// ---------------------------------------------------------------------------

/// A `tracing` subscriber that keeps every WARN and ERROR event as text.
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, meta: &tracing::Metadata<'_>) -> bool {
        *meta.level() <= tracing::Level::WARN
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut f = Fields(String::new());
        event.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Run `f` and return its result and the warnings it logged on this thread
/// (material conversion runs on the importing thread).
fn logged<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let out = tracing::subscriber::with_default(Capture(logs.clone()), f);
    let logs = logs.lock().unwrap().clone();
    (out, logs)
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const OURS: [&str; 9] = [
    "KHR_materials_clearcoat",
    "KHR_materials_sheen",
    "KHR_materials_transmission",
    "KHR_materials_volume",
    "KHR_materials_ior",
    "KHR_materials_dispersion",
    "KHR_materials_specular",
    "KHR_materials_iridescence",
    "KHR_materials_anisotropy",
];

fn models_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/assets/models");
    dir.is_dir().then_some(dir)
}

/// Import sample `name` (its folder's .glb or .gltf) and check that nothing
/// about the material extensions was warned about. `None` (test skipped)
/// when the samples are absent.
fn sample(name: &str) -> Option<Scene> {
    let Some(dir) = models_dir() else {
        eprintln!("shared/assets/models not found; skipping {name}");
        return None;
    };
    let path = ["glb", "gltf"]
        .iter()
        .map(|e| dir.join(name).join(format!("{name}.{e}")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name}: no .glb or .gltf in {}", dir.display()));
    let (scene, logs) = logged(|| import_file(&path, &ImportOptions::default()));
    let scene = scene.unwrap_or_else(|e| panic!("{name}: {e}"));
    for line in &logs {
        assert!(
            !line.contains("KHR_materials") && !line.contains("valid range"),
            "{name}: unexpected warning: {line}"
        );
    }
    for e in &scene.ignored_extensions {
        assert!(!OURS.contains(&e.as_str()), "{name}: {e} ignored");
    }
    Some(scene)
}

fn mat<'a>(s: &'a Scene, name: &str) -> &'a Material {
    s.materials
        .iter()
        .find(|m| m.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no material {name:?}"))
}

/// A material without any of the extensions read here.
fn assert_plain(m: &Material) {
    assert!(m.clearcoat.is_none(), "{:?}", m.name);
    assert!(m.sheen.is_none(), "{:?}", m.name);
    assert!(m.transmission.is_none(), "{:?}", m.name);
    assert!(m.volume.is_none(), "{:?}", m.name);
    assert!(m.specular.is_none(), "{:?}", m.name);
    assert!(m.iridescence.is_none(), "{:?}", m.name);
    assert!(m.anisotropy.is_none(), "{:?}", m.name);
    assert_eq!((m.ior, m.dispersion), (1.5, 0.0), "{:?}", m.name);
}

fn tex(texture: usize) -> Option<TextureRef> {
    Some(TextureRef {
        texture,
        tex_coord: 0,
        transform: TextureTransform::default(),
    })
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

// ---------------------------------------------------------------------------
// Khronos samples
// ---------------------------------------------------------------------------

#[test]
fn clearcoat_test() {
    let Some(s) = sample("ClearCoatTest") else {
        return;
    };
    let c = mat(&s, "Simple_Coated").clearcoat.unwrap();
    assert_eq!((c.factor, c.roughness), (1.0, 0.03));
    assert_eq!(
        (c.texture, c.roughness_texture, c.normal_texture),
        (None, None, None)
    );
    assert_eq!(mat(&s, "Partial_Coated").clearcoat.unwrap().texture, tex(0));
    let r = mat(&s, "RoughVariations_Coated").clearcoat.unwrap();
    assert_eq!((r.roughness, r.roughness_texture), (1.0, tex(2)));
    let n = mat(&s, "CoatNorm_Coated").clearcoat.unwrap();
    assert_eq!((n.normal_texture, n.normal_scale), (tex(5), 1.0));
    assert_eq!(mat(&s, "CoatNorm_Coated").normal_texture, None);
    // The coat and the base share one normal map.
    let shared = mat(&s, "SharedNorm_Coated");
    assert_eq!(shared.clearcoat.unwrap().normal_texture, tex(7));
    assert_eq!(shared.normal_texture, tex(7));
    assert_plain(mat(&s, "Simple_Base"));
    assert_plain(mat(&s, "CoatNorm_Coating"));
}

#[test]
fn clearcoat_textures_carry_tex_coord_and_transform() {
    let Some(s) = sample("TextureTransformMultiTest") else {
        return;
    };
    let want = |texture, tex_coord| TextureRef {
        texture,
        tex_coord,
        // The file's numbers, as f64 JSON read into f32.
        transform: TextureTransform {
            offset: [0.7049999535083774f64 as f32, 0.28500004152502995f64 as f32],
            rotation: 1.5707963705062866f64 as f32,
            scale: [0.3499999940395355f64 as f32; 2],
        },
    };
    let n1 = mat(&s, "ClearcoatNormalTest1Mat").clearcoat.unwrap();
    assert_eq!(n1.normal_texture, Some(want(26, 1)));
    assert_eq!(n1.normal_scale, 1.0);
    let n0 = mat(&s, "ClearcoatNormalTest0Mat").clearcoat.unwrap();
    assert_eq!(n0.normal_texture, Some(want(25, 0)));
    let c0 = mat(&s, "ClearcoatTest0Mat").clearcoat.unwrap();
    assert_eq!(c0.texture, Some(want(19, 0)));
    let r1 = mat(&s, "ClearcoatRoughTest1Mat").clearcoat.unwrap();
    assert_eq!(r1.roughness_texture, Some(want(23, 1)));
    let plain = mat(&s, "ClearcoatNormalSampleMat").clearcoat.unwrap();
    assert_eq!(plain.normal_texture, tex(27));
}

#[test]
fn clearcoat_car_paint_may_require_clearcoat() {
    let Some(s) = sample("ClearCoatCarPaint") else {
        return;
    };
    let m = mat(&s, "Clear Coat Car Paint");
    let c = m.clearcoat.unwrap();
    assert_eq!((c.factor, c.roughness, c.normal_texture), (1.0, 0.0, None));
    // The core normal map is unchanged by the clearcoat.
    assert_eq!(m.normal_scale, 0.2);
    assert_eq!(m.normal_texture.unwrap().transform.scale, [3.0, 3.0]);
}

#[test]
fn sheen_chair() {
    let Some(s) = sample("SheenChair") else {
        return;
    };
    let sh = mat(&s, "fabric Mystere Mango Velvet").sheen.unwrap();
    assert_eq!((sh.color, sh.roughness), ([1.0, 0.329, 0.1], 0.8));
    assert_eq!((sh.color_texture, sh.roughness_texture), (None, None));
    let peacock = mat(&s, "fabric Mystere Peacock Velvet").sheen.unwrap();
    assert_eq!(peacock.color, [0.013, 0.284, 0.298]);
    assert_plain(mat(&s, "wood Brown"));
    assert_plain(mat(&s, "metal"));
}

#[test]
fn glam_velvet_sofa() {
    let Some(s) = sample("GlamVelvetSofa") else {
        return;
    };
    let navy = mat(&s, "GlamVelvetSofa_fabric_navy");
    let sh = navy.sheen.unwrap();
    assert_eq!((sh.color, sh.roughness), ([0.05, 0.17, 0.5], 0.6));
    let sp = navy.specular.unwrap();
    assert_eq!((sp.factor, sp.color), (1.0, [0.1, 0.34, 1.0]));
    assert_eq!((sp.texture, sp.color_texture), (None, None));
    let champagne = mat(&s, "GlamVelvetSofa_fabric_champagne");
    assert_eq!(champagne.specular.unwrap().color, [0.0; 3]);
    assert_eq!(champagne.sheen.unwrap().color, [0.9, 0.7, 0.6]);
    assert_plain(mat(&s, "GlamVelvetSofa_legs"));
}

#[test]
fn transmission_test() {
    let Some(s) = sample("TransmissionTest") else {
        return;
    };
    let t = mat(&s, "RedTransTexture").transmission.unwrap();
    assert_eq!((t.factor, t.texture), (1.0, tex(1)));
    let y = mat(&s, "YellowTrans");
    assert_eq!(y.transmission.unwrap().texture, None);
    assert!(y.volume.is_none());
    assert_eq!(y.ior, 1.5);
    assert_plain(mat(&s, "Cloth Backdrop"));
    // KHR_xmp is still an ignored optional extension.
    assert_eq!(s.ignored_extensions, ["KHR_xmp"]);
}

#[test]
fn transmission_roughness_test() {
    let Some(s) = sample("TransmissionRoughnessTest") else {
        return;
    };
    for (name, ior) in [
        ("Mat_IOR_1.0", 1.0),
        ("Mat_IOR_1.33", 1.33),
        ("Mat_IOR_1.50", 1.5),
        ("Mat_IOR_1.76", 1.76),
        ("Mat_IOR_2.42", 2.42),
    ] {
        let m = mat(&s, name);
        assert_eq!(m.ior, ior, "{name}");
        assert_eq!(m.transmission.unwrap().factor, 1.0, "{name}");
        let v = m.volume.unwrap();
        assert_eq!(v.thickness, 0.005, "{name}");
        assert_eq!(v.attenuation_distance, f32::INFINITY, "{name}");
        assert_eq!(v.attenuation_color, [1.0; 3], "{name}");
    }
    assert_plain(mat(&s, "Mat_Opaque"));
}

#[test]
fn attenuation_test() {
    let Some(s) = sample("AttenuationTest") else {
        return;
    };
    let v = mat(&s, "R5_Attenuation_1.5").volume.unwrap();
    assert!(close(v.attenuation_distance, 2.0 / 3.0));
    assert_eq!((v.attenuation_color, v.thickness), ([0.1, 0.5, 0.9], 1.0));
    let v = mat(&s, "R5_Attenuation_0.25").volume.unwrap();
    assert_eq!(v.attenuation_distance, 4.0);
    let v = mat(&s, "R3_ThicknessTex_Mat").volume.unwrap();
    assert_eq!((v.thickness, v.thickness_texture), (2.0, tex(1)));
    let thin = mat(&s, "R1_Sample_1.0");
    assert_eq!(thin.transmission.unwrap().factor, 1.0);
    assert!(thin.volume.is_none());
    assert_plain(mat(&s, "FlatBackdrop"));
}

#[test]
fn specular_test() {
    let Some(s) = sample("SpecularTest") else {
        return;
    };
    let sp = mat(&s, "M1.2_specFac").specular.unwrap();
    assert_eq!((sp.factor, sp.color), (0.051269, [1.0; 3]));
    assert_eq!(mat(&s, "M1.1_specFac").specular.unwrap().factor, 0.0);
    assert_eq!(mat(&s, "M2_SpecTex").specular.unwrap().texture, tex(1));
    let white = mat(&s, "M4_whiteTex");
    assert_eq!(white.specular.unwrap().color_texture, tex(2));
    assert_eq!(
        white.textures().collect::<Vec<_>>(),
        [(TextureSlot::SpecularColor, tex(2).unwrap())]
    );
    assert!(TextureSlot::SpecularColor.is_srgb() && !TextureSlot::Specular.is_srgb());
    assert_eq!(
        mat(&s, "M5.4_yellowFac").specular.unwrap().color,
        [0.520996, 0.520996, 0.0]
    );
    // Specular colours above 1 are legal and kept.
    assert_eq!(mat(&s, "M7.5_HDR").specular.unwrap().color, [25.0; 3]);
    assert_plain(mat(&s, "LabelMat"));
}

#[test]
fn iridescence_lamp() {
    let Some(s) = sample("IridescenceLamp") else {
        return;
    };
    let i = mat(&s, "IridescenceLampIridescence").iridescence.unwrap();
    assert_eq!((i.factor, i.ior), (1.0, 1.8));
    assert_eq!((i.thickness_min, i.thickness_max), (485.0, 515.0));
    assert_eq!((i.texture, i.thickness_texture), (None, tex(2)));
    let ti = mat(&s, "IridescenceLampTransmissionIridescence");
    let i = ti.iridescence.unwrap();
    assert_eq!(
        (i.ior, i.thickness_min, i.thickness_max),
        (1.67, 395.0, 405.0)
    );
    assert_eq!(ti.transmission.unwrap().factor, 1.0);
    assert_eq!(ti.volume.unwrap().thickness, 0.005);
    assert_plain(mat(&s, "IridescenceLamp"));
}

#[test]
fn iridescence_suzanne_may_require_iridescence() {
    let Some(s) = sample("IridescenceSuzanne") else {
        return;
    };
    let m0 = &s.materials[0];
    assert_eq!(m0.ior, 2.0);
    let i = m0.iridescence.unwrap();
    assert_eq!(
        (i.ior, i.thickness_min, i.thickness_max),
        (1.33, 100.0, 400.0)
    );
    assert_eq!(m0.transmission.unwrap().factor, 0.0);
    assert_eq!(m0.volume.unwrap().thickness, 2.0);
    assert_eq!(s.materials[1].ior, 1.5);
    let i = s.materials[2].iridescence.unwrap();
    assert_eq!((i.thickness_min, i.thickness_max), (200.0, 600.0));
    assert_eq!(i.thickness_texture, tex(0));
}

/// The dish's film strength and thickness come from one texture (R and G).
#[test]
fn iridescent_dish_has_iridescence_textures() {
    let Some(s) = sample("IridescentDishWithOlives") else {
        return;
    };
    for (name, texture) in [("glassDish", 0), ("glassCover", 6)] {
        let m = mat(&s, name);
        let i = m.iridescence.unwrap();
        assert_eq!((i.factor, i.ior), (1.0, 1.3), "{name}");
        assert_eq!((i.thickness_min, i.thickness_max), (500.0, 550.0), "{name}");
        assert_eq!(
            (i.texture, i.thickness_texture),
            (tex(texture), tex(texture))
        );
        assert_eq!(m.texture(TextureSlot::Iridescence), tex(texture));
        assert_eq!(m.texture(TextureSlot::IridescenceThickness), tex(texture));
    }
}

#[test]
fn sunglasses() {
    let Some(s) = sample("SunglassesKhronos") else {
        return;
    };
    let lens = mat(&s, "lens_exterior");
    assert_eq!(lens.ior, 1.0);
    let i = lens.iridescence.unwrap();
    assert_eq!((i.factor, i.ior), (1.0, 2.0));
    assert_eq!((i.thickness_min, i.thickness_max), (100.0, 300.01));
    assert_eq!(lens.transmission.unwrap().factor, 1.0);
    let v = mat(&s, "nose_pads").volume.unwrap();
    assert!(close(v.attenuation_distance, 0.007));
    assert_eq!((v.thickness, v.attenuation_color), (0.01, [1.0; 3]));
    assert_plain(mat(&s, "earhooks"));
    assert_plain(mat(&s, "temples"));
}

#[test]
fn toy_car() {
    let Some(s) = sample("ToyCar") else {
        return;
    };
    let c = mat(&s, "ToyCar").clearcoat.unwrap();
    assert_eq!((c.factor, c.roughness, c.texture), (1.0, 0.0, tex(7)));
    let sh = mat(&s, "Fabric").sheen.unwrap();
    assert_eq!((sh.color, sh.roughness), ([1.0, 0.0, 0.0], 0.5));
    let glass = mat(&s, "Glass");
    assert_eq!(glass.transmission.unwrap().factor, 1.0);
    assert!(glass.volume.is_none() && glass.clearcoat.is_none());
}

#[test]
fn glass_hurricane_candle_holder() {
    let Some(s) = sample("GlassHurricaneCandleHolder") else {
        return;
    };
    let g = mat(&s, "GlassHurricaneCandleHolder-glass");
    assert_eq!(g.transmission.unwrap().factor, 1.0);
    let v = g.volume.unwrap();
    assert_eq!((v.thickness, v.thickness_texture), (0.1, tex(2)));
    assert_eq!(v.attenuation_color, [0.8, 0.95, 1.0]);
    assert!(close(v.attenuation_distance, 0.001));
    assert_plain(mat(&s, "GlassHurricaneCandleHolder-opaque"));
}

#[test]
fn every_extension_sample_imports_without_extension_warnings() {
    for name in [
        "ChairDamaskPurplegold",
        "ClearcoatWicker",
        "GlassVaseFlowers",
        "IridescentDishWithOlives",
    ] {
        let Some(s) = sample(name) else {
            return;
        };
        assert!(s.materials.iter().any(|m| m.clearcoat.is_some()
            || m.sheen.is_some()
            || m.transmission.is_some()
            || m.iridescence.is_some()));
    }
}

// ---------------------------------------------------------------------------
// Documents built here
// ---------------------------------------------------------------------------

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn png_1x1() -> String {
    let mut c = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(1, 1, image::Rgba([255; 4])))
        .write_to(&mut c, image::ImageFormat::Png)
        .unwrap();
    format!("data:image/png;base64,{}", b64(&c.into_inner()))
}

/// One triangle in the XY plane (normal +Z) whose U runs along +Y, with
/// `materials` (the primitive uses material 0), two textures (texture 1 with
/// a nearest-filter sampler) and `extra` merged into the root.
fn triangle(materials: Value, extra: Value) -> Value {
    let mut bin = Vec::new();
    for v in [[0.0f32, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]] {
        bin.extend(v.iter().flat_map(|x| x.to_le_bytes()));
    }
    for _ in 0..3 {
        bin.extend([0.0f32, 0.0, 1.0].iter().flat_map(|x| x.to_le_bytes()));
    }
    for uv in [[0.0f32, 0.0], [0.0, 1.0], [1.0, 0.0]] {
        bin.extend(uv.iter().flat_map(|x| x.to_le_bytes()));
    }
    let mut doc = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": bin.len(),
                     "uri": format!("data:application/octet-stream;base64,{}", b64(&bin))}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36},
                        {"buffer": 0, "byteOffset": 36, "byteLength": 36},
                        {"buffer": 0, "byteOffset": 72, "byteLength": 24}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "type": "VEC3", "count": 3,
             "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5126, "type": "VEC3", "count": 3},
            {"bufferView": 2, "componentType": 5126, "type": "VEC2", "count": 3}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2},
                                    "material": 0}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}],
        "scene": 0,
        "images": [{"uri": png_1x1()}],
        "samplers": [{"magFilter": 9728, "minFilter": 9728}],
        "textures": [{"source": 0}, {"source": 0, "sampler": 0}],
        "materials": materials,
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc
}

fn import_doc(doc: &Value) -> (Result<Scene, ImportError>, Vec<String>) {
    let bytes = serde_json::to_vec(doc).unwrap();
    logged(|| import_slice(&bytes, None, &ImportOptions::default()))
}

#[test]
fn extension_textures_take_the_core_texture_path() {
    let transform = json!({"KHR_texture_transform":
        {"offset": [0.5, 0.25], "rotation": 0.3, "scale": [2, 4], "texCoord": 1}});
    let doc = triangle(
        json!([{"name": "all", "extensions": {
            "KHR_materials_clearcoat": {
                "clearcoatFactor": 0.5,
                "clearcoatTexture": {"index": 1, "extensions": transform},
                "clearcoatNormalTexture": {"index": 0, "texCoord": 1, "scale": -0.5,
                                           "extensions": transform}},
            "KHR_materials_sheen": {"sheenColorTexture": {"index": 1},
                                    "sheenRoughnessTexture": {"index": 0, "texCoord": 1}},
            "KHR_materials_transmission": {"transmissionTexture": {"index": 0}},
            "KHR_materials_volume": {"thicknessTexture": {"index": 1}},
            "KHR_materials_specular": {"specularTexture": {"index": 0},
                                       "specularColorTexture": {"index": 1}},
            "KHR_materials_iridescence": {"iridescenceTexture": {"index": 0},
                                          "iridescenceThicknessTexture": {"index": 1}},
            "KHR_materials_anisotropy": {"anisotropyStrength": 0.6,
                                         "anisotropyRotation": -1.25,
                                         "anisotropyTexture": {"index": 1, "extensions": transform}},
            "KHR_materials_dispersion": {"dispersion": 0.25},
            "KHR_materials_ior": {"ior": 0}
        }}]),
        json!({"extensionsUsed": OURS, "extensionsRequired": OURS}),
    );
    let (s, logs) = import_doc(&doc);
    let s = s.unwrap();
    assert!(logs.is_empty(), "{logs:?}");
    assert!(s.ignored_extensions.is_empty());
    let m = &s.materials[0];
    let moved = TextureTransform {
        offset: [0.5, 0.25],
        rotation: 0.3,
        scale: [2.0, 4.0],
    };
    let c = m.clearcoat.unwrap();
    assert_eq!(c.factor, 0.5);
    // texCoord from KHR_texture_transform overrides the info's.
    assert_eq!(
        c.texture,
        Some(TextureRef {
            texture: 1,
            tex_coord: 1,
            transform: moved
        })
    );
    assert_eq!(
        c.normal_texture,
        Some(TextureRef {
            texture: 0,
            tex_coord: 1,
            transform: moved
        })
    );
    assert_eq!(c.normal_scale, -0.5);
    let sh = m.sheen.unwrap();
    assert_eq!(sh.color_texture, tex(1));
    assert_eq!(sh.roughness_texture.unwrap().tex_coord, 1);
    assert_eq!(m.transmission.unwrap().texture, tex(0));
    assert_eq!(m.volume.unwrap().thickness_texture, tex(1));
    assert_eq!(m.specular.unwrap().color_texture, tex(1));
    assert_eq!(m.iridescence.unwrap().thickness_texture, tex(1));
    let a = m.anisotropy.unwrap();
    assert_eq!((a.strength, a.rotation), (0.6, -1.25));
    assert_eq!(a.texture.unwrap().transform, moved);
    assert_eq!((m.dispersion, m.ior), (0.25, 0.0));
    // Every slot is listed, and the sampler comes with the texture.
    assert_eq!(m.textures().count(), 11);
    let sampler = |slot| s.textures[m.texture(slot).unwrap().texture].sampler;
    assert_eq!(
        sampler(TextureSlot::SheenColor).mag_filter,
        showroom::scene::Filter::Nearest
    );
    assert_eq!(
        sampler(TextureSlot::Transmission),
        showroom::scene::Sampler::default()
    );
    // Clearcoat normals and anisotropy need UV-aligned tangents: U runs
    // along +Y here (uv1 is absent, so UV0 is used).
    let t = s.meshes[0].primitives[0].tangents[0];
    assert!(t[1] > 0.99, "MikkTSpace tangent expected, got {t:?}");
}

#[test]
fn anisotropy_alone_gets_mikktspace_tangents() {
    let doc = triangle(
        json!([{"extensions": {"KHR_materials_anisotropy": {"anisotropyStrength": 1}}}]),
        json!({}),
    );
    let s = import_doc(&doc).0.unwrap();
    let t = s.meshes[0].primitives[0].tangents[0];
    assert!(t[1] > 0.99, "{t:?}");
    // Without anything needing them, the orthonormal fallback (+X here).
    let plain = triangle(json!([{}]), json!({}));
    let t = import_doc(&plain).0.unwrap().meshes[0].primitives[0].tangents[0];
    assert!(t[0] > 0.99, "{t:?}");
}

#[test]
fn bad_values_are_clamped_with_a_warning_naming_the_material() {
    let doc = triangle(
        json!([{"name": "Bad Glass", "extensions": {
            "KHR_materials_clearcoat": {"clearcoatFactor": -1, "clearcoatRoughnessFactor": 7},
            "KHR_materials_sheen": {"sheenColorFactor": [2, -1, 0.5], "sheenRoughnessFactor": "x"},
            "KHR_materials_transmission": {"transmissionFactor": 1e39},
            "KHR_materials_volume": {"thicknessFactor": -2, "attenuationDistance": 0,
                                     "attenuationColor": [1, 2]},
            "KHR_materials_ior": {"ior": 0.5},
            "KHR_materials_dispersion": {"dispersion": -3},
            "KHR_materials_specular": {"specularFactor": 2, "specularColorFactor": [-1, 30, 1]},
            "KHR_materials_iridescence": {"iridescenceIor": 0.2,
                                          "iridescenceThicknessMinimum": -5,
                                          "iridescenceTexture": {"texCoord": 1}},
            "KHR_materials_anisotropy": 3
        }}]),
        json!({}),
    );
    let (s, logs) = import_doc(&doc);
    let m = &s.unwrap().materials[0];
    let c = m.clearcoat.unwrap();
    assert_eq!((c.factor, c.roughness), (0.0, 1.0));
    let sh = m.sheen.unwrap();
    assert_eq!((sh.color, sh.roughness), ([1.0, 0.0, 0.5], 0.0));
    // 1e39 overflows f32 to infinity, clamped to 1.
    assert_eq!(m.transmission.unwrap().factor, 1.0);
    let v = m.volume.unwrap();
    assert_eq!((v.thickness, v.attenuation_distance), (0.0, f32::INFINITY));
    assert_eq!(v.attenuation_color, [1.0; 3]);
    assert_eq!((m.ior, m.dispersion), (1.0, 0.0));
    let sp = m.specular.unwrap();
    assert_eq!((sp.factor, sp.color), (1.0, [0.0, 30.0, 1.0]));
    let i = m.iridescence.unwrap();
    assert_eq!((i.ior, i.thickness_min, i.texture), (1.0, 0.0, None));
    assert!(m.anisotropy.is_none());
    // One warning per bad property, each naming the material.
    for (ext, property) in [
        ("KHR_materials_clearcoat", "clearcoatFactor"),
        ("KHR_materials_clearcoat", "clearcoatRoughnessFactor"),
        ("KHR_materials_sheen", "sheenColorFactor"),
        ("KHR_materials_sheen", "sheenRoughnessFactor"),
        ("KHR_materials_transmission", "transmissionFactor"),
        ("KHR_materials_volume", "thicknessFactor"),
        ("KHR_materials_volume", "attenuationDistance"),
        ("KHR_materials_volume", "attenuationColor"),
        ("KHR_materials_ior", "ior"),
        ("KHR_materials_dispersion", "dispersion"),
        ("KHR_materials_specular", "specularFactor"),
        ("KHR_materials_specular", "specularColorFactor"),
        ("KHR_materials_iridescence", "iridescenceIor"),
        ("KHR_materials_iridescence", "iridescenceThicknessMinimum"),
        ("KHR_materials_iridescence", "iridescenceTexture"),
    ] {
        assert!(
            logs.iter().any(|l| l.contains("Bad Glass")
                && l.contains(ext)
                && l.contains(&format!("property=\"{property}\""))),
            "no warning for {ext} {property}: {logs:#?}"
        );
    }
    assert!(
        logs.iter()
            .any(|l| l.contains("Bad Glass") && l.contains("KHR_materials_anisotropy")),
        "{logs:#?}"
    );
}

#[test]
fn extension_texture_past_the_textures_is_an_error() {
    let doc = triangle(
        json!([{"extensions": {"KHR_materials_sheen": {"sheenColorTexture": {"index": 9}}}}]),
        json!({}),
    );
    let err = import_doc(&doc).0.unwrap_err();
    assert!(
        matches!(&err, ImportError::MissingReference { index: 9, kind: "texture", from }
                 if from.contains("sheenColorTexture")),
        "{err}"
    );
}

#[test]
fn exported_presets_import_as_apply_params_extensions_sets_them() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("triangle.gltf");
    let doc = triangle(json!([{"name": "part"}]), json!({}));
    std::fs::write(&model, serde_json::to_vec(&doc).unwrap()).unwrap();
    let scene = import_file(&model, &ImportOptions::default()).unwrap();
    for preset in presets() {
        let p = preset.params();
        let look = Look {
            edits: vec![SlotEdit {
                slot: Slot::Material("part".into()),
                change: MaterialChange::Replace(Box::new(p.clone())),
            }],
            ..Look::default()
        };
        let glb = showroom::export::export_glb(&model, &scene, &look).unwrap();
        let (s, logs) = logged(|| import_slice(&glb, None, &ImportOptions::default()));
        let s = s.unwrap();
        assert!(logs.is_empty(), "{}: {logs:?}", p.name);
        let got = s.material(s.meshes[0].primitives[0].material);
        let mut want = got.clone();
        apply_params_extensions(&mut want, &p);
        assert_eq!(got, &want, "{}", p.name);
    }
}
