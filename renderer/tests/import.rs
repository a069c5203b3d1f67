//! Importer tests on glTF files built in the test (self-contained) and on the
//! Khronos samples in `shared/assets/models` when that folder exists.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use glam::{Mat4, Quat, Vec3};
use serde_json::{Value, json};
use showroom::scene::{
    AlphaMode, CameraProjection, Filter, ImportError, ImportOptions, LightKind, Sampler, Scene,
    TextureTransform, Wrap, import_file, import_slice,
};

// ---------------------------------------------------------------------------
// Test helper: assembles one binary buffer, its bufferViews and accessors.
// ---------------------------------------------------------------------------

const BYTE: u32 = 5120;
const UBYTE: u32 = 5121;
const SHORT: u32 = 5122;
const USHORT: u32 = 5123;
const UINT: u32 = 5125;
const FLOAT: u32 = 5126;

#[derive(Default)]
struct Gltf {
    bin: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn type_name(n: usize) -> &'static str {
    match n {
        1 => "SCALAR",
        2 => "VEC2",
        3 => "VEC3",
        4 => "VEC4",
        _ => unreachable!(),
    }
}

impl Gltf {
    /// Append `bytes` (4-byte aligned) as a new bufferView.
    fn view(&mut self, bytes: &[u8], stride: Option<usize>) -> usize {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
        let mut v = json!({"buffer": 0, "byteOffset": self.bin.len(), "byteLength": bytes.len()});
        if let Some(s) = stride {
            v["byteStride"] = json!(s);
        }
        self.bin.extend_from_slice(bytes);
        self.views.push(v);
        self.views.len() - 1
    }

    fn accessor(&mut self, acc: Value) -> usize {
        self.accessors.push(acc);
        self.accessors.len() - 1
    }

    /// An accessor over freshly added bytes.
    fn raw(
        &mut self,
        bytes: &[u8],
        component_type: u32,
        comps: usize,
        count: usize,
        normalized: bool,
        stride: Option<usize>,
    ) -> usize {
        let view = self.view(bytes, stride);
        let mut a = json!({"bufferView": view, "componentType": component_type,
                           "type": type_name(comps), "count": count});
        if normalized {
            a["normalized"] = json!(true);
        }
        self.accessor(a)
    }

    fn floats<const N: usize>(&mut self, data: &[[f32; N]]) -> usize {
        let flat: Vec<f32> = data.iter().flatten().copied().collect();
        let i = self.raw(&f32_bytes(&flat), FLOAT, N, data.len(), false, None);
        if N == 3 {
            let mut min = [f32::INFINITY; N];
            let mut max = [f32::NEG_INFINITY; N];
            for v in data {
                for c in 0..N {
                    min[c] = min[c].min(v[c]);
                    max[c] = max[c].max(v[c]);
                }
            }
            self.accessors[i]["min"] = json!(min.to_vec());
            self.accessors[i]["max"] = json!(max.to_vec());
        }
        i
    }

    fn indices_u8(&mut self, idx: &[u8]) -> usize {
        self.raw(idx, UBYTE, 1, idx.len(), false, None)
    }

    fn indices_u16(&mut self, idx: &[u16]) -> usize {
        let b: Vec<u8> = idx.iter().flat_map(|x| x.to_le_bytes()).collect();
        self.raw(&b, USHORT, 1, idx.len(), false, None)
    }

    fn indices_u32(&mut self, idx: &[u32]) -> usize {
        let b: Vec<u8> = idx.iter().flat_map(|x| x.to_le_bytes()).collect();
        self.raw(&b, UINT, 1, idx.len(), false, None)
    }

    /// The document with `extra`'s keys, buffer as a base64 data URI.
    fn json(&self, extra: Value) -> Value {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.bin);
        let mut doc = self.json_without_buffer(extra);
        doc["buffers"] = json!([{"byteLength": self.bin.len(),
            "uri": format!("data:application/octet-stream;base64,{b64}")}]);
        doc
    }

    fn json_without_buffer(&self, extra: Value) -> Value {
        let mut doc = json!({"asset": {"version": "2.0"}});
        if !self.views.is_empty() {
            doc["bufferViews"] = json!(self.views);
            doc["accessors"] = json!(self.accessors);
        }
        for (k, v) in extra.as_object().expect("extra is an object") {
            doc[k] = v.clone();
        }
        doc
    }

    fn gltf_bytes(&self, extra: Value) -> Vec<u8> {
        serde_json::to_vec(&self.json(extra)).unwrap()
    }

    /// A GLB with the buffer as BIN chunk.
    fn glb(&self, extra: Value) -> Vec<u8> {
        let mut doc = self.json_without_buffer(extra);
        if !self.bin.is_empty() {
            doc["buffers"] = json!([{"byteLength": self.bin.len()}]);
        }
        glb_from(&serde_json::to_vec(&doc).unwrap(), Some(&self.bin))
    }
}

fn glb_from(json: &[u8], bin: Option<&[u8]>) -> Vec<u8> {
    let mut json = json.to_vec();
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    let mut body = Vec::new();
    body.extend_from_slice(&(json.len() as u32).to_le_bytes());
    body.extend_from_slice(b"JSON");
    body.extend_from_slice(&json);
    if let Some(bin) = bin.filter(|b| !b.is_empty()) {
        let mut bin = bin.to_vec();
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        body.extend_from_slice(&(bin.len() as u32).to_le_bytes());
        body.extend_from_slice(b"BIN\0");
        body.extend_from_slice(&bin);
    }
    let mut out = b"glTF".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(12 + body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn import(bytes: &[u8]) -> Result<Scene, ImportError> {
    import_slice(bytes, None, &ImportOptions::default())
}

fn import_ok(bytes: &[u8]) -> Scene {
    match import(bytes) {
        Ok(s) => s,
        Err(e) => panic!("import failed: {e}"),
    }
}

/// One mesh of one primitive on one node: `{"meshes", "nodes", "scenes"}`.
fn single(prim: Value) -> Value {
    json!({
        "meshes": [{"primitives": [prim]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}],
        "scene": 0,
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    for (k, v) in b.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

const TRI: [[f32; 3]; 3] = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];

fn approx(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-4
}

fn approx3(a: [f32; 3], b: [f32; 3]) -> bool {
    (0..3).all(|i| approx(a[i], b[i]))
}

fn png(img: image::DynamicImage) -> Vec<u8> {
    let mut c = Cursor::new(Vec::new());
    img.write_to(&mut c, image::ImageFormat::Png).unwrap();
    c.into_inner()
}

fn rgba_png(w: u32, h: u32, px: [u8; 4]) -> Vec<u8> {
    png(image::DynamicImage::ImageRgba8(
        image::RgbaImage::from_pixel(w, h, image::Rgba(px)),
    ))
}

fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("showroom-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------
// Containers and sources
// ---------------------------------------------------------------------------

fn triangle() -> (Gltf, Value) {
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    let nrm = g.floats(&[[0.0, 0.0, 1.0]; 3]);
    let idx = g.indices_u16(&[0, 1, 2]);
    let doc = single(json!({"attributes": {"POSITION": pos, "NORMAL": nrm}, "indices": idx}));
    (g, doc)
}

fn check_triangle(s: &Scene) {
    assert_eq!(s.meshes.len(), 1);
    assert_eq!(s.instances.len(), 1);
    let p = &s.meshes[0].primitives[0];
    assert_eq!(p.positions, TRI);
    assert_eq!(p.indices, [0, 1, 2]);
    assert_eq!(p.normals, [[0.0, 0.0, 1.0]; 3]);
    assert_eq!(p.uv0, [[0.0; 2]; 3], "missing UVs are zeros");
    assert!(p.uv1.is_empty() && p.colors.is_empty());
    assert_eq!(p.tangents.len(), 3, "tangents are always filled");
    for t in &p.tangents {
        assert!(approx(t[2], 0.0) && approx(t[0] * t[0] + t[1] * t[1], 1.0));
    }
    assert_eq!(p.material, None);
    assert_eq!(s.bounds.min, Vec3::ZERO);
    assert_eq!(s.bounds.max, Vec3::new(1.0, 1.0, 0.0));
}

#[test]
fn gltf_with_data_uri() {
    let (g, doc) = triangle();
    check_triangle(&import_ok(&g.gltf_bytes(doc)));
}

#[test]
fn glb_container() {
    let (g, doc) = triangle();
    let glb = g.glb(doc);
    check_triangle(&import_ok(&glb));
    // Also from a file on disk.
    let dir = temp_dir("glb");
    let path = dir.join("tri.glb");
    std::fs::write(&path, &glb).unwrap();
    check_triangle(&import_file(&path, &ImportOptions::default()).unwrap());
}

#[test]
fn gltf_with_external_files() {
    let (g, mut doc) = triangle();
    let dir = temp_dir("external");
    std::fs::create_dir_all(dir.join("sub dir")).unwrap();
    std::fs::write(dir.join("sub dir/geometry.bin"), &g.bin).unwrap();
    std::fs::write(dir.join("tex.png"), rgba_png(2, 1, [1, 2, 3, 4])).unwrap();
    doc["images"] = json!([{"uri": "tex.png"}]);
    doc["textures"] = json!([{"source": 0}]);
    doc["materials"] = json!([{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}]);
    let mut full = g.json_without_buffer(doc);
    full["buffers"] = json!([{"byteLength": g.bin.len(), "uri": "sub%20dir/geometry.bin"}]);
    let path = dir.join("scene.gltf");
    std::fs::write(&path, serde_json::to_vec(&full).unwrap()).unwrap();

    let s = import_file(&path, &ImportOptions::default()).unwrap();
    check_triangle(&s);
    assert_eq!(s.images.len(), 1);
    assert_eq!(s.images[0].name.as_deref(), Some("tex.png"));
    assert_eq!((s.images[0].width, s.images[0].height), (2, 1));
    assert_eq!(s.images[0].rgba8, [1, 2, 3, 4, 1, 2, 3, 4]);

    // Same bytes without a base directory: relative URIs are an error.
    let bytes = std::fs::read(&path).unwrap();
    let err = import(&bytes).unwrap_err();
    assert!(
        matches!(err, ImportError::MissingBuffer { index: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("sub%20dir/geometry.bin"), "{err}");
    // With the base directory it works.
    import_slice(&bytes, Some(&dir), &ImportOptions::default()).unwrap();

    // The external buffer file is absent.
    std::fs::remove_file(dir.join("sub dir/geometry.bin")).unwrap();
    let err = import_file(&path, &ImportOptions::default()).unwrap_err();
    assert!(
        matches!(err, ImportError::MissingBuffer { index: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("geometry.bin"), "{err}");

    // The image file is absent.
    std::fs::write(dir.join("sub dir/geometry.bin"), &g.bin).unwrap();
    std::fs::remove_file(dir.join("tex.png")).unwrap();
    let err = import_file(&path, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
    assert!(err.to_string().contains("tex.png"), "{err}");

    // A missing .gltf file is an Io error naming it.
    let err = import_file(&dir.join("nope.gltf"), &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("nope.gltf"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Scene graph
// ---------------------------------------------------------------------------

fn mesh_doc() -> (Gltf, Value) {
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    (
        g,
        json!({"meshes": [{"name": "tri", "primitives": [{"attributes": {"POSITION": pos}}]}]}),
    )
}

#[test]
fn node_hierarchy_transforms() {
    let (g, base) = mesh_doc();
    let rot = Quat::from_rotation_z(std::f32::consts::FRAC_PI_2);
    let child_local = Mat4::from_scale_rotation_translation(Vec3::splat(2.0), rot, Vec3::ZERO);
    let expected = Mat4::from_translation(Vec3::new(1.0, 2.0, 3.0)) * child_local;
    for matrix_form in [false, true] {
        let child = if matrix_form {
            json!({"name": "child", "mesh": 0, "matrix": child_local.to_cols_array().to_vec()})
        } else {
            json!({"name": "child", "mesh": 0, "rotation": rot.to_array().to_vec(),
                   "scale": [2.0, 2.0, 2.0]})
        };
        let doc = merge(
            base.clone(),
            json!({
                "nodes": [{"name": "parent", "translation": [1.0, 2.0, 3.0], "children": [1]}, child],
                "scenes": [{"nodes": [0]}],
            }),
        );
        let s = import_ok(&g.gltf_bytes(doc));
        assert_eq!(s.instances.len(), 1);
        let inst = &s.instances[0];
        assert_eq!((inst.node, inst.mesh), (1, 0));
        assert_eq!(inst.node_name.as_deref(), Some("child"));
        assert!(inst.world.abs_diff_eq(expected, 1e-5), "{:?}", inst.world);
        // Vertex (1,0,0) → scaled 2, rotated to +Y, translated.
        let p = inst.world.transform_point3(Vec3::X);
        assert!(p.abs_diff_eq(Vec3::new(1.0, 4.0, 3.0), 1e-5), "{p}");
        assert!(s.bounds.max.abs_diff_eq(Vec3::new(1.0, 4.0, 3.0), 1e-5));
        assert!(s.bounds.min.abs_diff_eq(Vec3::new(-1.0, 2.0, 3.0), 1e-5));
        assert_eq!(s.meshes[0].name.as_deref(), Some("tri"));
    }
}

#[test]
fn default_scene_selection() {
    let (g, base) = mesh_doc();
    let nodes =
        json!([{"mesh": 0}, {"mesh": 0, "translation": [5.0, 0.0, 0.0]}, {"children": [0]}]);
    // `scene` picks scene 1.
    let doc = merge(
        base.clone(),
        json!({"nodes": nodes, "scenes": [{"nodes": [2]}, {"nodes": [1]}], "scene": 1}),
    );
    let s = import_ok(&g.gltf_bytes(doc));
    assert_eq!(s.instances.len(), 1);
    assert_eq!(s.instances[0].node, 1);
    // No `scene`: scene 0.
    let doc = merge(
        base.clone(),
        json!({"nodes": nodes, "scenes": [{"nodes": [2]}, {"nodes": [1]}]}),
    );
    let s = import_ok(&g.gltf_bytes(doc));
    assert_eq!(s.instances.iter().map(|i| i.node).collect::<Vec<_>>(), [0]);
    // No scenes: every root node (1 and 2, which holds 0).
    let doc = merge(base.clone(), json!({"nodes": nodes}));
    let s = import_ok(&g.gltf_bytes(doc));
    let mut nodes: Vec<_> = s.instances.iter().map(|i| i.node).collect();
    nodes.sort();
    assert_eq!(nodes, [0, 1]);
    // Nothing at all.
    assert!(matches!(
        import(&g.gltf_bytes(json!({}))),
        Err(ImportError::NoScene)
    ));
    // `scene` out of range.
    let doc = merge(
        base,
        json!({"nodes": [{"mesh": 0}], "scenes": [{"nodes": [0]}], "scene": 3}),
    );
    assert!(matches!(
        import(&g.gltf_bytes(doc)),
        Err(ImportError::MissingReference {
            kind: "scene",
            index: 3,
            ..
        })
    ));
}

#[test]
fn unused_meshes_are_left_empty() {
    let (g, base) = mesh_doc();
    let mut doc = merge(base, json!({"nodes": [{}], "scenes": [{"nodes": [0]}]}));
    doc["meshes"] = json!([doc["meshes"][0].clone(), doc["meshes"][0].clone()]);
    doc["nodes"] = json!([{"mesh": 1}]);
    let s = import_ok(&g.gltf_bytes(doc));
    assert_eq!(s.meshes.len(), 2);
    assert!(s.meshes[0].primitives.is_empty());
    assert_eq!(s.meshes[1].primitives.len(), 1);
    assert_eq!(s.instances[0].mesh, 1);
}

#[test]
fn cyclic_and_shared_nodes_are_errors() {
    let (g, base) = mesh_doc();
    let cases = [
        (
            json!([{"children": [1]}, {"children": [0], "mesh": 0}]),
            json!([{"nodes": [0]}]),
        ),
        (
            json!([{"children": [1]}, {"children": [0], "mesh": 0}]),
            Value::Null,
        ),
        (json!([{"children": [0]}]), json!([{"nodes": [0]}])),
        (
            json!([{"mesh": 0}, {"children": [2]}, {"children": [1]}]),
            json!([{"nodes": [0]}]),
        ),
    ];
    for (nodes, scenes) in cases {
        let mut doc = merge(base.clone(), json!({"nodes": nodes}));
        if !scenes.is_null() {
            doc["scenes"] = scenes;
        }
        let err = import(&g.gltf_bytes(doc)).unwrap_err();
        assert!(matches!(err, ImportError::CyclicNodeGraph { .. }), "{err}");
        assert!(err.to_string().contains("node"), "{err}");
    }
    // Two parents.
    let doc = merge(
        base.clone(),
        json!({"nodes": [{"children": [2]}, {"children": [2]}, {"mesh": 0}],
               "scenes": [{"nodes": [0, 1]}]}),
    );
    let err = import(&g.gltf_bytes(doc)).unwrap_err();
    assert!(
        matches!(err, ImportError::MultipleParents { node: 2 }),
        "{err}"
    );
    // A scene listing the same root twice.
    let doc = merge(
        base.clone(),
        json!({"nodes": [{"mesh": 0}], "scenes": [{"nodes": [0, 0]}]}),
    );
    assert!(matches!(
        import(&g.gltf_bytes(doc)),
        Err(ImportError::MultipleParents { node: 0 })
    ));
    // A child that does not exist.
    let doc = merge(
        base,
        json!({"nodes": [{"children": [7]}], "scenes": [{"nodes": [0]}]}),
    );
    let err = import(&g.gltf_bytes(doc)).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::MissingReference {
                kind: "node",
                index: 7,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn deep_hierarchy_does_not_overflow() {
    let (g, base) = mesh_doc();
    let n = 100_000;
    // Built as text: serde_json::Value trees of this size are slow unoptimised.
    let mut nodes = String::from("[");
    for i in 0..n - 1 {
        nodes += &format!("{{\"children\":[{}],\"translation\":[0,0,1]}},", i + 1);
    }
    nodes += "{\"mesh\":0}]";
    let doc = serde_json::to_string(&g.json(base)).unwrap();
    let doc = format!(
        "{},\"nodes\":{nodes},\"scenes\":[{{\"nodes\":[0]}}]}}",
        doc.strip_suffix('}').unwrap()
    );
    let s = import_ok(doc.as_bytes());
    assert_eq!(s.instances.len(), 1);
    assert!(approx(s.instances[0].world.w_axis.z, (n - 1) as f32));
}

// ---------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------

fn first_prim(s: &Scene) -> &showroom::scene::Primitive {
    &s.meshes[0].primitives[0]
}

#[test]
fn strips_and_fans_become_lists() {
    // A strip of 5 vertices zig-zagging along +X, all facing +Z.
    let strip = [
        [0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [2.0, 0.0, 0.0],
    ];
    let mut g = Gltf::default();
    let pos = g.floats(&strip);
    let nrm = g.floats(&[[0.0, 0.0, 1.0]; 5]);
    let idx = g.indices_u8(&[0, 1, 2, 3, 4]);
    // Indexed and not.
    for indices in [Some(idx), None] {
        let mut prim = json!({"attributes": {"POSITION": pos, "NORMAL": nrm}, "mode": 5});
        if let Some(i) = indices {
            prim["indices"] = json!(i);
        }
        let s = import_ok(&g.gltf_bytes(single(prim)));
        let p = first_prim(&s);
        assert_eq!(p.indices, [0, 1, 2, 1, 3, 2, 2, 3, 4]);
        // Every triangle keeps the winding of the first one: all clockwise
        // seen from +Z here (0,1,2 is clockwise), i.e. consistent.
        for t in p.indices.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|k| Vec3::from(p.positions[t[k] as usize]));
            assert!((b - a).cross(c - a).z < 0.0, "winding flipped in {t:?}");
        }
    }
    // Fan around vertex 0, counter-clockwise.
    let fan = [
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0],
        [-1.0, 1.0, 0.0],
    ];
    let mut g = Gltf::default();
    let pos = g.floats(&fan);
    let s = import_ok(&g.gltf_bytes(single(json!({"attributes": {"POSITION": pos}, "mode": 6}))));
    let p = first_prim(&s);
    // Flat normals unweld: 3 triangles → 9 vertices, in fan order.
    assert_eq!(p.indices, (0..9).collect::<Vec<u32>>());
    let expected = [0, 1, 2, 0, 2, 3, 0, 3, 4].map(|i| fan[i]);
    assert_eq!(p.positions, expected);
    assert!(p.normals.iter().all(|n| approx3(*n, [0.0, 0.0, 1.0])));
}

#[test]
fn points_and_lines_are_skipped() {
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    let doc = json!({
        "meshes": [{"primitives": [
            {"attributes": {"POSITION": pos}, "mode": 0},
            {"attributes": {"POSITION": pos}, "mode": 1},
            {"attributes": {"POSITION": pos}, "mode": 3},
            {"attributes": {"POSITION": pos}},
        ]}],
        "nodes": [{"mesh": 0}],
    });
    let s = import_ok(&g.gltf_bytes(doc));
    assert_eq!(s.meshes[0].primitives.len(), 1);
}

#[test]
fn index_types_and_non_indexed() {
    let quad = [
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0],
    ];
    let list = [0u32, 1, 2, 0, 2, 3];
    let mut g = Gltf::default();
    let pos = g.floats(&quad);
    let nrm = g.floats(&[[0.0, 0.0, 1.0]; 4]);
    let i8s = g.indices_u8(&list.map(|i| i as u8));
    let i16s = g.indices_u16(&list.map(|i| i as u16));
    let i32s = g.indices_u32(&list);
    for idx in [i8s, i16s, i32s] {
        let doc = single(json!({"attributes": {"POSITION": pos, "NORMAL": nrm}, "indices": idx}));
        let s = import_ok(&g.gltf_bytes(doc));
        assert_eq!(first_prim(&s).indices, list);
        assert_eq!(first_prim(&s).positions.len(), 4);
    }
    let doc = single(json!({"attributes": {"POSITION": pos, "NORMAL": nrm}}));
    let s = import_ok(&g.gltf_bytes(doc));
    // 4 vertices as a list: one triangle, the partial one dropped.
    assert_eq!(first_prim(&s).indices, [0, 1, 2]);
}

#[test]
fn interleaved_and_sparse_accessors() {
    // POSITION and TEXCOORD_0 interleaved in one view (stride 20).
    let mut bytes = Vec::new();
    for (i, p) in TRI.iter().enumerate() {
        bytes.extend(f32_bytes(p));
        bytes.extend(f32_bytes(&[i as f32, 0.5]));
    }
    let mut g = Gltf::default();
    let view = g.view(&bytes, Some(20));
    let pos = g.accessor(
        json!({"bufferView": view, "componentType": FLOAT, "type": "VEC3",
        "count": 3, "min": [0, 0, 0], "max": [1, 1, 0]}),
    );
    let uv = g.accessor(
        json!({"bufferView": view, "byteOffset": 12, "componentType": FLOAT,
        "type": "VEC2", "count": 3}),
    );
    // A sparse COLOR_0 without a bufferView: zeros, then vertex 2 set.
    let si = g.view(&[2u8, 0, 0, 0], None);
    let sv = g.view(&f32_bytes(&[0.25, 0.5, 0.75]), None);
    let col = g.accessor(json!({"componentType": FLOAT, "type": "VEC3", "count": 3,
        "sparse": {"count": 1, "indices": {"bufferView": si, "componentType": UBYTE},
                   "values": {"bufferView": sv}}}));
    let s = import_ok(&g.gltf_bytes(single(
        json!({"attributes": {"POSITION": pos, "TEXCOORD_0": uv, "COLOR_0": col}}),
    )));
    let p = first_prim(&s);
    assert_eq!(p.uv0, [[0.0, 0.5], [1.0, 0.5], [2.0, 0.5]]);
    assert_eq!(
        p.colors,
        [
            [0.0, 0.0, 0.0, 1.0],
            [0.0, 0.0, 0.0, 1.0],
            [0.25, 0.5, 0.75, 1.0]
        ]
    );
    // Flat normals unwelded the single triangle: same order.
    assert_eq!(p.positions, TRI);

    // A sparse index past the count is an error.
    let mut g2 = Gltf::default();
    let pos = g2.floats(&TRI);
    let si = g2.view(&[9u8, 0, 0, 0], None);
    let sv = g2.view(&f32_bytes(&[1.0, 1.0, 1.0]), None);
    let col = g2.accessor(json!({"componentType": FLOAT, "type": "VEC3", "count": 3,
        "sparse": {"count": 1, "indices": {"bufferView": si, "componentType": UBYTE},
                   "values": {"bufferView": sv}}}));
    let err = import(&g2.gltf_bytes(single(
        json!({"attributes": {"POSITION": pos, "COLOR_0": col}}),
    )))
    .unwrap_err();
    assert!(
        matches!(err, ImportError::AccessorOutOfRange { .. }),
        "{err}"
    );
}

#[test]
fn quantized_attributes() {
    let mut g = Gltf::default();
    // POSITION: i16 normalized, padded to 8 bytes per element.
    let mut b = Vec::new();
    for p in [[0i16, 0, 0], [32767, 0, 0], [0, -32767, 16384]] {
        for c in p {
            b.extend(c.to_le_bytes());
        }
        b.extend([0, 0]);
    }
    let pos_n = g.raw(&b, SHORT, 3, 3, true, Some(8));
    // POSITION: u16 not normalized (plain integers).
    let mut b = Vec::new();
    for p in [[0u16, 0, 0], [100, 0, 0], [0, 200, 65535]] {
        for c in p {
            b.extend(c.to_le_bytes());
        }
        b.extend([0, 0]);
    }
    let pos_u = g.raw(&b, USHORT, 3, 3, false, Some(8));
    // NORMAL: i8 normalized, padded to 4 bytes.
    let nrm = g.raw(
        &[0, 0, 127, 0, 0, 127, 0, 0, 0, 0, 0x81, 0],
        BYTE,
        3,
        3,
        true,
        Some(4),
    );
    // TANGENT: i8 normalized VEC4.
    let tan = g.raw(
        &[127, 0, 0, 127, 127, 0, 0, 0x81, 0, 127, 0, 127],
        BYTE,
        4,
        3,
        true,
        None,
    );
    // TEXCOORD_0: u16 normalized; TEXCOORD_1: u8 normalized (padded to 4).
    let mut b = Vec::new();
    for c in [0u16, 65535, 32768, 0, 65535, 65535] {
        b.extend(c.to_le_bytes());
    }
    let uv0 = g.raw(&b, USHORT, 2, 3, true, None);
    let uv1 = g.raw(
        &[0, 255, 0, 0, 255, 0, 0, 0, 51, 102, 0, 0],
        UBYTE,
        2,
        3,
        true,
        Some(4),
    );
    // TEXCOORD: i8 normalized too (via a second primitive).
    let uv_i8 = g.raw(
        &[0x81, 127, 0, 0, 64, 0, 0, 0, 0, 0x80, 0, 0],
        BYTE,
        2,
        3,
        true,
        Some(4),
    );
    // TEXCOORD as non-normalized u8 (allowed by KHR_mesh_quantization, scaled by a transform).
    let uv_u8 = g.raw(
        &[3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0],
        UBYTE,
        2,
        3,
        false,
        Some(4),
    );
    for a in [pos_n, pos_u] {
        g.accessors[a]["min"] = json!([0, 0, 0]);
        g.accessors[a]["max"] = json!([1, 1, 1]);
    }
    let doc = json!({
        "extensionsUsed": ["KHR_mesh_quantization"],
        "extensionsRequired": ["KHR_mesh_quantization"],
        "meshes": [{"primitives": [
            {"attributes": {"POSITION": pos_n, "NORMAL": nrm, "TANGENT": tan,
                            "TEXCOORD_0": uv0, "TEXCOORD_1": uv1}},
            {"attributes": {"POSITION": pos_u, "NORMAL": nrm, "TEXCOORD_0": uv_i8,
                            "TEXCOORD_1": uv_u8}},
        ]}],
        "nodes": [{"mesh": 0}],
    });
    let s = import_ok(&g.gltf_bytes(doc));
    assert!(s.ignored_extensions.is_empty());
    let [p, q] = &s.meshes[0].primitives[..] else {
        panic!()
    };
    let expect_pos = [
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, -1.0, 16384.0 / 32767.0],
    ];
    for (a, b) in p.positions.iter().zip(expect_pos) {
        assert!(approx3(*a, b), "{a:?} vs {b:?}");
    }
    assert_eq!(
        q.positions,
        [[0.0, 0.0, 0.0], [100.0, 0.0, 0.0], [0.0, 200.0, 65535.0]]
    );
    assert_eq!(
        p.normals,
        [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]]
    );
    assert_eq!(
        p.tangents,
        [
            [1.0, 0.0, 0.0, 1.0],
            [1.0, 0.0, 0.0, -1.0],
            [0.0, 1.0, 0.0, 1.0]
        ]
    );
    let expect_uv0 = [[0.0, 1.0], [32768.0 / 65535.0, 0.0], [1.0, 1.0]];
    for (a, b) in p.uv0.iter().zip(expect_uv0) {
        assert!(approx(a[0], b[0]) && approx(a[1], b[1]), "{a:?} vs {b:?}");
    }
    assert_eq!(p.uv1, [[0.0, 1.0], [1.0, 0.0], [0.2, 0.4]]);
    let expect_i8 = [[-1.0, 1.0], [64.0 / 127.0, 0.0], [0.0, -1.0]];
    for (a, b) in q.uv0.iter().zip(expect_i8) {
        assert!(approx(a[0], b[0]) && approx(a[1], b[1]), "{a:?} vs {b:?}");
    }
    assert_eq!(q.uv1, [[3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]);
}

#[test]
fn missing_normals_become_flat_normals() {
    // Two triangles sharing an edge, folded 90° along it.
    let pos = [
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
    ];
    let mut g = Gltf::default();
    let p = g.floats(&pos);
    let uv = g.floats(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]);
    let col = g.raw(
        &[
            255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 0,
        ],
        UBYTE,
        4,
        4,
        true,
        None,
    );
    let idx = g.indices_u16(&[0, 1, 2, 0, 3, 1]);
    let s = import_ok(&g.gltf_bytes(single(
        json!({"attributes": {"POSITION": p, "TEXCOORD_0": uv, "COLOR_0": col}, "indices": idx}),
    )));
    let p = first_prim(&s);
    assert_eq!(p.positions.len(), 6, "unwelded");
    assert_eq!(p.indices, [0, 1, 2, 3, 4, 5]);
    assert_eq!(p.positions, [0, 1, 2, 0, 3, 1].map(|i| pos[i]));
    assert_eq!(p.uv0[4], [0.5, 0.5]);
    assert_eq!(p.colors[4], [1.0, 1.0, 1.0, 0.0]);
    assert_eq!(p.colors[0], [1.0, 0.0, 0.0, 1.0]);
    for n in &p.normals[..3] {
        assert!(approx3(*n, [0.0, 0.0, 1.0]), "{n:?}");
    }
    // (0,0,0),(0,0,1),(1,0,0): normal is +Y... cross((0,0,1),(1,0,0)) = (0,1,0).
    for n in &p.normals[3..] {
        assert!(approx3(*n, [0.0, 1.0, 0.0]), "{n:?}");
    }
    for (t, n) in p.tangents.iter().zip(&p.normals) {
        assert!(approx(Vec3::from_slice(t).dot(Vec3::from(*n)), 0.0));
    }

    // Provided tangents are ignored when normals are missing (glTF 3.7.2.1).
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    let tan = g.floats(&[[0.0, 0.0, 1.0, 1.0]; 3]);
    let s = import_ok(&g.gltf_bytes(single(
        json!({"attributes": {"POSITION": pos, "TANGENT": tan}}),
    )));
    for t in &first_prim(&s).tangents {
        assert!(approx(t[2], 0.0), "tangent along the normal kept: {t:?}");
    }
}

fn quad_with_normal_map(v_down: bool) -> Scene {
    let quad = [
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0],
    ];
    let mut g = Gltf::default();
    let p = g.floats(&quad);
    let n = g.floats(&[[0.0, 0.0, 1.0]; 4]);
    let uvs: Vec<[f32; 2]> = quad
        .iter()
        .map(|q| [q[0], if v_down { 1.0 - q[1] } else { q[1] }])
        .collect();
    let uv = g.floats(&uvs);
    let idx = g.indices_u16(&[0, 1, 2, 0, 2, 3]);
    let doc = merge(
        single(
            json!({"attributes": {"POSITION": p, "NORMAL": n, "TEXCOORD_0": uv},
                      "indices": idx, "material": 0}),
        ),
        json!({
            "images": [{"uri": data_uri("image/png", &rgba_png(1, 1, [128, 128, 255, 255]))}],
            "textures": [{"source": 0}],
            "materials": [{"normalTexture": {"index": 0}}],
        }),
    );
    import_ok(&g.gltf_bytes(doc))
}

#[test]
fn missing_tangents_use_mikktspace() {
    for (v_down, sign) in [(false, -1.0), (true, 1.0)] {
        let s = quad_with_normal_map(v_down);
        let p = first_prim(&s);
        assert_eq!(p.tangents.len(), 4);
        for (t, n) in p.tangents.iter().zip(&p.normals) {
            let tv = Vec3::from_slice(t);
            assert!(approx(tv.dot(Vec3::from(*n)), 0.0), "not orthogonal: {t:?}");
            assert!(approx(tv.length(), 1.0));
            // dP/du = +X.
            assert!(tv.abs_diff_eq(Vec3::X, 1e-4), "{t:?}");
            // Bitangent cross(N, T) * w must point up the image (the normal
            // map's +green), i.e. along −dP/dv since glTF's v grows downwards.
            assert_eq!(t[3], sign);
            let b = Vec3::from(*n).cross(tv) * t[3];
            let image_up = if v_down { Vec3::Y } else { -Vec3::Y };
            assert!(b.abs_diff_eq(image_up, 1e-4));
        }
    }
}

#[test]
fn colors_and_second_uv_set() {
    let mut g = Gltf::default();
    let p = g.floats(&TRI);
    let mut b = Vec::new();
    for c in [0u16, 32768, 65535, 65535, 0, 0, 0, 0, 0] {
        b.extend(c.to_le_bytes());
    }
    b.extend([0, 0]);
    let col = g.raw(&b, USHORT, 3, 3, true, None);
    let uv1 = g.floats(&[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
    let s = import_ok(&g.gltf_bytes(single(
        json!({"attributes": {"POSITION": p, "COLOR_0": col, "TEXCOORD_1": uv1}}),
    )));
    let pr = first_prim(&s);
    assert!(approx(pr.colors[0][1], 32768.0 / 65535.0));
    assert_eq!(pr.colors[1], [1.0, 0.0, 0.0, 1.0]);
    assert_eq!(pr.colors[0][3], 1.0);
    assert_eq!(pr.uv1, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
    assert_eq!(pr.uv0, [[0.0; 2]; 3]);
}

// ---------------------------------------------------------------------------
// Materials, textures, samplers, images
// ---------------------------------------------------------------------------

fn tex_info(index: usize, tex_coord: u32, transform: Option<Value>) -> Value {
    let mut v = json!({"index": index, "texCoord": tex_coord});
    if let Some(t) = transform {
        v["extensions"] = json!({"KHR_texture_transform": t});
    }
    v
}

#[test]
fn every_material_field() {
    let (g, base) = mesh_doc();
    let img = data_uri("image/png", &rgba_png(1, 1, [255, 255, 255, 255]));
    let tr =
        |o: f32| json!({"offset": [o, 0.5], "rotation": 0.25, "scale": [2.0, 3.0], "texCoord": 1});
    let doc = merge(
        base,
        json!({
            "extensionsUsed": ["KHR_texture_transform", "KHR_materials_emissive_strength",
                               "KHR_materials_unlit"],
            "nodes": [{"mesh": 0}],
            "images": [{"uri": img}],
            "textures": [{"source": 0}, {"source": 0}, {"source": 0}, {"source": 0}, {"source": 0}],
            "materials": [
                {
                    "name": "everything",
                    "pbrMetallicRoughness": {
                        "baseColorFactor": [0.1, 0.2, 0.3, 0.4],
                        "baseColorTexture": tex_info(0, 1, None),
                        "metallicFactor": 0.25,
                        "roughnessFactor": 0.75,
                        "metallicRoughnessTexture": tex_info(1, 0, Some(tr(0.1))),
                    },
                    "normalTexture": {"index": 2, "scale": 0.5, "texCoord": 0,
                        "extensions": {"KHR_texture_transform": tr(0.2)}},
                    "occlusionTexture": {"index": 3, "strength": 0.6, "texCoord": 1,
                        "extensions": {"KHR_texture_transform": {"rotation": 1.5}}},
                    "emissiveFactor": [1.0, 0.5, 0.25],
                    "emissiveTexture": tex_info(4, 0, Some(json!({"offset": [0.3, 0.4]}))),
                    "alphaMode": "MASK",
                    "alphaCutoff": 0.3,
                    "doubleSided": true,
                    "extensions": {
                        "KHR_materials_emissive_strength": {"emissiveStrength": 5.0},
                        "KHR_materials_unlit": {},
                    },
                },
                {"alphaMode": "MASK"},
                {"alphaMode": "BLEND"},
                {"alphaMode": "OPAQUE"},
                {},
            ],
        }),
    );
    let s = import_ok(&g.gltf_bytes(doc));
    assert!(s.ignored_extensions.is_empty());
    let m = &s.materials[0];
    assert_eq!(m.name.as_deref(), Some("everything"));
    assert_eq!(m.base_color_factor, [0.1, 0.2, 0.3, 0.4]);
    let bc = m.base_color_texture.unwrap();
    assert_eq!((bc.texture, bc.tex_coord), (0, 1));
    assert_eq!(bc.transform, TextureTransform::default());
    assert_eq!((m.metallic_factor, m.roughness_factor), (0.25, 0.75));
    let mr = m.metallic_roughness_texture.unwrap();
    assert_eq!(
        (mr.texture, mr.tex_coord),
        (1, 1),
        "texCoord overridden by the transform"
    );
    assert_eq!(
        mr.transform,
        TextureTransform {
            offset: [0.1, 0.5],
            rotation: 0.25,
            scale: [2.0, 3.0]
        }
    );
    let n = m.normal_texture.unwrap();
    assert_eq!((n.texture, n.tex_coord), (2, 1));
    assert_eq!(n.transform.offset, [0.2, 0.5]);
    assert_eq!(m.normal_scale, 0.5);
    let o = m.occlusion_texture.unwrap();
    assert_eq!((o.texture, o.tex_coord), (3, 1));
    assert_eq!(
        o.transform,
        TextureTransform {
            rotation: 1.5,
            ..Default::default()
        }
    );
    assert_eq!(m.occlusion_strength, 0.6);
    assert_eq!(m.emissive_factor, [1.0, 0.5, 0.25]);
    let e = m.emissive_texture.unwrap();
    assert_eq!((e.texture, e.tex_coord), (4, 0));
    assert_eq!(e.transform.offset, [0.3, 0.4]);
    assert_eq!(e.transform.scale, [1.0, 1.0]);
    assert_eq!(m.emissive_strength, 5.0);
    assert_eq!(m.alpha_mode, AlphaMode::Mask { cutoff: 0.3 });
    assert!(m.double_sided && m.unlit);

    assert_eq!(s.materials[1].alpha_mode, AlphaMode::Mask { cutoff: 0.5 });
    assert_eq!(s.materials[2].alpha_mode, AlphaMode::Blend);
    assert_eq!(s.materials[3].alpha_mode, AlphaMode::Opaque);
    let d = &s.materials[4];
    assert_eq!(*d, showroom::scene::Material::default());
    assert!(!d.unlit && d.emissive_strength == 1.0 && d.alpha_mode == AlphaMode::Opaque);
}

#[test]
fn samplers() {
    let (g, base) = mesh_doc();
    let img = data_uri("image/png", &rgba_png(1, 1, [0, 0, 0, 255]));
    let samplers = json!([
        {"magFilter": 9728, "minFilter": 9728, "wrapS": 33071, "wrapT": 33648},
        {"magFilter": 9729, "minFilter": 9729},
        {"minFilter": 9984},
        {"minFilter": 9985},
        {"minFilter": 9986},
        {"minFilter": 9987, "wrapS": 10497, "wrapT": 33071},
        {},
    ]);
    let mut textures: Vec<Value> = (0..7).map(|i| json!({"source": 0, "sampler": i})).collect();
    textures.push(json!({"source": 0}));
    let doc = merge(
        base,
        json!({"nodes": [{"mesh": 0}], "images": [{"uri": img}], "samplers": samplers,
               "textures": textures}),
    );
    let s = import_ok(&g.gltf_bytes(doc));
    let t: Vec<Sampler> = s.textures.iter().map(|t| t.sampler).collect();
    use Filter::{Linear as L, Nearest as N};
    let sm = |mag, min, mip, wrap_u, wrap_v| Sampler {
        mag_filter: mag,
        min_filter: min,
        mipmap_filter: mip,
        wrap_u,
        wrap_v,
    };
    assert_eq!(
        t[0],
        sm(N, N, None, Wrap::ClampToEdge, Wrap::MirroredRepeat)
    );
    assert_eq!(t[1], sm(L, L, None, Wrap::Repeat, Wrap::Repeat));
    assert_eq!(t[2], sm(L, N, Some(N), Wrap::Repeat, Wrap::Repeat));
    assert_eq!(t[3], sm(L, L, Some(N), Wrap::Repeat, Wrap::Repeat));
    assert_eq!(t[4], sm(L, N, Some(L), Wrap::Repeat, Wrap::Repeat));
    assert_eq!(t[5], sm(L, L, Some(L), Wrap::Repeat, Wrap::ClampToEdge));
    assert_eq!(t[6], Sampler::default());
    assert_eq!(t[7], Sampler::default());
    assert!(s.textures.iter().all(|t| t.image == 0));
}

#[test]
fn image_formats_become_rgba8() {
    let (g, base) = mesh_doc();
    let grey16 = png(image::DynamicImage::ImageLuma16(
        image::ImageBuffer::from_pixel(2, 2, image::Luma([0x8080u16])),
    ));
    let grey_alpha = png(image::DynamicImage::ImageLumaA8(
        image::ImageBuffer::from_pixel(1, 1, image::LumaA([10u8, 20])),
    ));
    let rgb16 = png(image::DynamicImage::ImageRgb16(
        image::ImageBuffer::from_pixel(1, 1, image::Rgb([0xffffu16, 0, 0x0101])),
    ));
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        8,
        8,
        image::Rgb([200, 100, 50]),
    ))
    .write_to(&mut jpeg, image::ImageFormat::Jpeg)
    .unwrap();
    let mut webp = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        3,
        2,
        image::Rgba([9, 8, 7, 6]),
    ))
    .write_to(&mut webp, image::ImageFormat::WebP)
    .unwrap();
    // The PNG also sits in the buffer, referenced by a bufferView.
    let mut g = g;
    let view = g.view(&rgba_png(1, 2, [5, 6, 7, 8]), None);
    let doc = merge(
        base,
        json!({
            "extensionsUsed": ["EXT_texture_webp"],
            "nodes": [{"mesh": 0}],
            "images": [
                {"uri": data_uri("image/png", &grey16), "name": "grey16"},
                {"uri": data_uri("image/png", &grey_alpha)},
                {"uri": data_uri("image/png", &rgb16)},
                {"uri": data_uri("image/jpeg", &jpeg.into_inner())},
                {"uri": data_uri("image/webp", &webp.into_inner())},
                {"bufferView": view, "mimeType": "image/png"},
                {"uri": "never-read.png"},
            ],
            "textures": [
                {"source": 0}, {"source": 1}, {"source": 2}, {"source": 3},
                // WebP via EXT_texture_webp, with a PNG fallback source.
                {"source": 5, "extensions": {"EXT_texture_webp": {"source": 4}}},
                {"source": 5},
                // KTX2-only texture: no image we can decode.
                {"extensions": {"KHR_texture_basisu": {"source": 6}}},
            ],
        }),
    );
    let s = import_ok(&g.gltf_bytes(doc));
    assert!(s.ignored_extensions.is_empty());
    assert_eq!(s.images.len(), 8, "7 images + 1 placeholder");
    let im = &s.images;
    assert_eq!(im[0].name.as_deref(), Some("grey16"));
    assert_eq!((im[0].width, im[0].height), (2, 2));
    assert_eq!(&im[0].rgba8[..4], [0x80, 0x80, 0x80, 255]);
    assert_eq!(im[1].rgba8, [10, 10, 10, 20]);
    assert_eq!(im[2].rgba8, [255, 0, 1, 255]);
    let j = &im[3].rgba8;
    assert_eq!(j.len(), 8 * 8 * 4);
    assert!((j[0] as i32 - 200).abs() < 8 && (j[1] as i32 - 100).abs() < 8 && j[3] == 255);
    assert_eq!((im[4].width, im[4].height), (3, 2));
    assert_eq!(&im[4].rgba8[..4], [9, 8, 7, 6]);
    assert_eq!(im[5].rgba8, [5, 6, 7, 8, 5, 6, 7, 8]);
    // Image 6 is used by no texture we can decode: a placeholder, never read.
    assert_eq!((im[6].width, im[6].height), (1, 1));
    assert_eq!(s.textures[4].image, 4, "EXT_texture_webp source preferred");
    assert_eq!(s.textures[5].image, 5);
    assert_eq!(s.textures[6].image, 7, "placeholder appended");
    assert_eq!(im[7].rgba8, [255; 4]);
    for img in im {
        assert_eq!(img.rgba8.len(), (img.width * img.height * 4) as usize);
    }
}

#[test]
fn max_texture_size_downscales() {
    let (g, base) = mesh_doc();
    let doc = merge(
        base,
        json!({"nodes": [{"mesh": 0}],
               "images": [{"uri": data_uri("image/png", &rgba_png(64, 16, [1, 2, 3, 255]))},
                          {"uri": data_uri("image/png", &rgba_png(8, 8, [1, 2, 3, 255]))}],
               "textures": [{"source": 0}, {"source": 1}]}),
    );
    let opts = ImportOptions {
        max_texture_size: Some(16),
    };
    let s = import_slice(&g.gltf_bytes(doc), None, &opts).unwrap();
    assert_eq!((s.images[0].width, s.images[0].height), (16, 4));
    assert_eq!(&s.images[0].rgba8[..4], [1, 2, 3, 255]);
    assert_eq!((s.images[1].width, s.images[1].height), (8, 8));
}

#[test]
fn broken_images_are_errors() {
    let (g, base) = mesh_doc();
    let cases = [
        (
            json!({"uri": data_uri("image/png", b"not a png")}),
            "image 0",
        ),
        (json!({"uri": "data:image/png;base64,%%%"}), "base64"),
        (json!({"name": "nothing"}), "neither"),
        (json!({"bufferView": 99}), "bufferView 99"),
    ];
    for (img, needle) in cases {
        let doc = merge(
            base.clone(),
            json!({"nodes": [{"mesh": 0}], "images": [img], "textures": [{"source": 0}]}),
        );
        let err = import(&g.gltf_bytes(doc)).unwrap_err();
        assert!(err.to_string().contains(needle), "{err} lacks {needle}");
    }
    // A texture pointing to a missing image or sampler.
    for tex in [json!({"source": 3}), json!({"sampler": 2})] {
        let doc = merge(
            base.clone(),
            json!({"nodes": [{"mesh": 0}], "textures": [tex]}),
        );
        assert!(matches!(
            import(&g.gltf_bytes(doc)),
            Err(ImportError::MissingReference { .. })
        ));
    }
    // A material pointing to a missing texture.
    let doc = merge(
        base,
        json!({"nodes": [{"mesh": 0}], "materials": [{"emissiveTexture": {"index": 0}}]}),
    );
    let err = import(&g.gltf_bytes(doc)).unwrap_err();
    assert!(
        err.to_string().contains("material 0 emissiveTexture"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Extensions: variants, lights, cameras, required/optional
// ---------------------------------------------------------------------------

#[test]
fn material_variants() {
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    let doc = json!({
        "extensionsUsed": ["KHR_materials_variants"],
        "extensions": {"KHR_materials_variants": {"variants": [
            {"name": "red"}, {"name": "green"}, {"name": "blue"}]}},
        "materials": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
        "meshes": [{"primitives": [{
            "attributes": {"POSITION": pos}, "material": 0,
            "extensions": {"KHR_materials_variants": {"mappings": [
                {"material": 1, "variants": [0, 2]},
                {"material": 2, "variants": [1]},
            ]}},
        }]}],
        "nodes": [{"mesh": 0}],
    });
    let s = import_ok(&g.gltf_bytes(doc.clone()));
    assert_eq!(s.variants, ["red", "green", "blue"]);
    let p = first_prim(&s);
    let mut vm = p.variant_materials.clone();
    vm.sort();
    assert_eq!(vm, [(0, 1), (1, 2), (2, 1)]);
    assert_eq!(p.material_for(s.variant_index("green")), Some(2));
    assert_eq!(p.material_for(None), Some(0));

    // A mapping to a variant or material that does not exist.
    let mut bad = doc.clone();
    bad["meshes"][0]["primitives"][0]["extensions"]["KHR_materials_variants"]["mappings"][0]["variants"] =
        json!([5]);
    assert!(matches!(
        import(&g.gltf_bytes(bad)),
        Err(ImportError::MissingReference {
            kind: "variant",
            index: 5,
            ..
        })
    ));
    let mut bad = doc;
    bad["meshes"][0]["primitives"][0]["material"] = json!(9);
    assert!(matches!(
        import(&g.gltf_bytes(bad)),
        Err(ImportError::MissingReference {
            kind: "material",
            index: 9,
            ..
        })
    ));
}

#[test]
fn punctual_lights() {
    let down = Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2);
    let doc = json!({
        "asset": {"version": "2.0"},
        "extensionsUsed": ["KHR_lights_punctual"],
        "extensions": {"KHR_lights_punctual": {"lights": [
            {"type": "directional", "name": "sun", "color": [1.0, 0.9, 0.8], "intensity": 3.0},
            {"type": "point", "intensity": 100.0, "range": 5.0},
            {"type": "spot", "spot": {"innerConeAngle": 0.1, "outerConeAngle": 0.5}},
        ]}},
        "nodes": [
            {"rotation": down.to_array().to_vec(), "translation": [0.0, 10.0, 0.0],
             "extensions": {"KHR_lights_punctual": {"light": 0}}},
            {"translation": [1.0, 2.0, 3.0], "children": [2]},
            {"scale": [4.0, 4.0, 4.0], "extensions": {"KHR_lights_punctual": {"light": 1}},
             "children": [3]},
            {"rotation": Quat::from_rotation_y(std::f32::consts::FRAC_PI_2).to_array().to_vec(),
             "extensions": {"KHR_lights_punctual": {"light": 2}}},
        ],
        "scenes": [{"nodes": [0, 1]}],
    });
    let s = import_ok(&serde_json::to_vec(&doc).unwrap());
    assert_eq!(s.lights.len(), 3);
    let sun = &s.lights[0];
    assert_eq!(sun.kind, LightKind::Directional);
    assert_eq!(sun.name.as_deref(), Some("sun"));
    assert_eq!((sun.color, sun.intensity), ([1.0, 0.9, 0.8], 3.0));
    assert!(
        sun.direction.abs_diff_eq(-Vec3::Y, 1e-5),
        "{}",
        sun.direction
    );
    assert!(sun.position.abs_diff_eq(Vec3::new(0.0, 10.0, 0.0), 1e-5));
    let point = &s.lights[1];
    assert_eq!(point.kind, LightKind::Point);
    assert_eq!(point.range, Some(5.0));
    assert_eq!(point.color, [1.0, 1.0, 1.0]);
    assert!(point.position.abs_diff_eq(Vec3::new(1.0, 2.0, 3.0), 1e-5));
    let spot = &s.lights[2];
    assert_eq!(
        spot.kind,
        LightKind::Spot {
            inner_cone_angle: 0.1,
            outer_cone_angle: 0.5
        }
    );
    assert_eq!(spot.range, None);
    // −Z rotated 90° about Y points to −X; the parent's scale does not
    // change the (normalised) direction.
    assert!(
        spot.direction.abs_diff_eq(-Vec3::X, 1e-5),
        "{}",
        spot.direction
    );
    assert!(approx(spot.direction.length(), 1.0));

    let mut bad = doc;
    bad["nodes"][0]["extensions"]["KHR_lights_punctual"]["light"] = json!(7);
    assert!(matches!(
        import(&serde_json::to_vec(&bad).unwrap()),
        Err(ImportError::MissingReference { index: 7, .. })
    ));
}

#[test]
fn cameras() {
    let doc = json!({
        "asset": {"version": "2.0"},
        "cameras": [
            {"type": "perspective", "name": "persp",
             "perspective": {"yfov": 0.8, "znear": 0.1, "aspectRatio": 1.5}},
            {"type": "orthographic",
             "orthographic": {"xmag": 2.0, "ymag": 1.0, "znear": 0.01, "zfar": 100.0}},
        ],
        "nodes": [
            {"camera": 0, "translation": [0.0, 1.0, 5.0], "scale": [3.0, 3.0, 3.0]},
            {"camera": 1, "name": "ortho node"},
        ],
        "scenes": [{"nodes": [0, 1]}],
    });
    let s = import_ok(&serde_json::to_vec(&doc).unwrap());
    assert_eq!(s.cameras.len(), 2);
    let c = &s.cameras[0];
    assert_eq!(c.name.as_deref(), Some("persp"));
    assert_eq!(
        c.projection,
        CameraProjection::Perspective {
            yfov: 0.8,
            aspect_ratio: Some(1.5),
            znear: 0.1,
            zfar: None
        }
    );
    assert!(
        c.world
            .abs_diff_eq(Mat4::from_translation(Vec3::new(0.0, 1.0, 5.0)), 1e-5)
    );
    let o = &s.cameras[1];
    assert_eq!(o.name.as_deref(), Some("ortho node"));
    assert_eq!(
        o.projection,
        CameraProjection::Orthographic {
            xmag: 2.0,
            ymag: 1.0,
            znear: 0.01,
            zfar: 100.0
        }
    );
}

#[test]
fn required_and_optional_extensions() {
    let (g, base) = mesh_doc();
    let with = |req: &[&str], used: &[&str]| {
        merge(
            base.clone(),
            json!({"nodes": [{"mesh": 0}], "extensionsRequired": req, "extensionsUsed": used}),
        )
    };
    let err = import(&g.gltf_bytes(with(
        &["KHR_draco_mesh_compression"],
        &["KHR_draco_mesh_compression"],
    )))
    .unwrap_err();
    assert!(
        matches!(&err, ImportError::UnsupportedRequiredExtension(e) if e == "KHR_draco_mesh_compression")
    );
    assert!(err.to_string().contains("KHR_draco_mesh_compression"));
    // Also from a GLB.
    let err = import(&g.glb(with(&["EXT_meshopt_compression"], &[]))).unwrap_err();
    assert!(err.to_string().contains("EXT_meshopt_compression"), "{err}");
    // Supported or known material extensions may be required.
    let ok = [
        "KHR_materials_variants",
        "KHR_texture_transform",
        "KHR_mesh_quantization",
        "EXT_texture_webp",
        "KHR_materials_clearcoat",
        "KHR_materials_transmission",
        "KHR_materials_anisotropy",
    ];
    let s = import_ok(&g.gltf_bytes(with(&ok, &ok)));
    assert!(s.ignored_extensions.is_empty());
    // Unknown optional extensions are listed once.
    let s = import_ok(&g.gltf_bytes(with(
        &[],
        &["EXT_foo", "KHR_materials_sheen", "EXT_foo", "KHR_xmp"],
    )));
    assert_eq!(s.ignored_extensions, ["EXT_foo", "KHR_xmp"]);
}

// ---------------------------------------------------------------------------
// Broken input
// ---------------------------------------------------------------------------

#[test]
fn truncated_glb_is_an_error_at_every_length() {
    let (g, doc) = triangle();
    let glb = g.glb(doc);
    for len in 0..glb.len() {
        assert!(
            import(&glb[..len]).is_err(),
            "truncated to {len} bytes was accepted"
        );
    }
    // Header length beyond the file.
    let mut long = glb.clone();
    long[8..12].copy_from_slice(&(glb.len() as u32 + 100).to_le_bytes());
    let err = import(&long).unwrap_err();
    assert!(matches!(err, ImportError::Parse(_)), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn garbage_is_an_error() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for len in [0usize, 1, 3, 4, 12, 20, 100, 4096] {
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        assert!(import(&bytes).is_err());
        let mut glb = b"glTF".to_vec();
        glb.extend(&bytes);
        assert!(import(&glb).is_err());
    }
    for text in [
        "",
        "{}",
        "[]",
        "null",
        "{\"asset\": 3}",
        "{\"asset\":{\"version\":\"2.0\"}",
    ] {
        assert!(import(text.as_bytes()).is_err(), "{text}");
    }
}

#[test]
fn mutated_files_never_panic() {
    // Flip bytes all over a small but feature-rich GLB and glTF: every
    // outcome is fine except a panic.
    let s = quad_with_normal_map(false);
    assert_eq!(s.meshes.len(), 1);
    let (g, doc) = triangle();
    let glb = g.glb(doc.clone());
    let gltf = g.gltf_bytes(doc);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for base in [glb, gltf] {
        for _ in 0..400 {
            let mut b = base.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % b.len();
                b[at] = match next() % 4 {
                    0 => next() as u8,
                    1 => b'9',
                    2 => 0xff,
                    _ => 0,
                };
            }
            let _ = import(&b);
        }
    }
}

/// A small document touching most of the importer.
fn rich_doc() -> Value {
    let mut g = Gltf::default();
    let pos = g.floats(&[
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0],
    ]);
    let nrm = g.floats(&[[0.0, 0.0, 1.0]; 4]);
    let uv = g.floats(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]);
    let col = g.raw(&[255; 16], UBYTE, 4, 4, true, None);
    let idx = g.indices_u16(&[0, 1, 2, 3]);
    let si = g.view(&[1u8, 0, 0, 0], None);
    let sv = g.view(&f32_bytes(&[0.5, 0.5]), None);
    let uv1 = g.accessor(json!({"componentType": FLOAT, "type": "VEC2", "count": 4,
        "sparse": {"count": 1, "indices": {"bufferView": si, "componentType": UBYTE},
                   "values": {"bufferView": sv}}}));
    let img = g.view(&rgba_png(1, 1, [1, 2, 3, 4]), None);
    g.json(json!({
        "extensionsUsed": ["KHR_materials_variants", "KHR_lights_punctual", "EXT_other"],
        "extensions": {
            "KHR_materials_variants": {"variants": [{"name": "a"}, {"name": "b"}]},
            "KHR_lights_punctual": {"lights": [{"type": "spot", "spot": {}}, {"type": "point"}]},
        },
        "images": [{"bufferView": img, "mimeType": "image/png"}],
        "samplers": [{"magFilter": 9728, "minFilter": 9987, "wrapS": 33071}],
        "textures": [{"source": 0, "sampler": 0}],
        "materials": [
            {"normalTexture": {"index": 0, "texCoord": 1},
             "pbrMetallicRoughness": {"baseColorTexture": {"index": 0,
                "extensions": {"KHR_texture_transform": {"texCoord": 1, "scale": [2, 2]}}}}},
            {"alphaMode": "MASK", "alphaCutoff": 0.2},
        ],
        "meshes": [{"primitives": [
            {"attributes": {"POSITION": pos, "NORMAL": nrm, "TEXCOORD_0": uv, "TEXCOORD_1": uv1,
                            "COLOR_0": col},
             "indices": idx, "mode": 5, "material": 0,
             "extensions": {"KHR_materials_variants": {"mappings": [{"material": 1, "variants": [1]}]}}},
            {"attributes": {"POSITION": pos, "TEXCOORD_0": uv}, "mode": 6, "material": 0},
        ]}],
        "cameras": [{"type": "perspective", "perspective": {"yfov": 1.0, "znear": 0.1}}],
        "nodes": [
            {"children": [1, 2], "translation": [1, 2, 3]},
            {"mesh": 0, "rotation": [0.0, 0.0, std::f32::consts::FRAC_1_SQRT_2, std::f32::consts::FRAC_1_SQRT_2], "camera": 0},
            {"mesh": 0, "matrix": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 0, 0, 1],
             "extensions": {"KHR_lights_punctual": {"light": 0}}},
        ],
        "scenes": [{"nodes": [0]}],
        "scene": 0,
    }))
}

#[test]
fn rich_document_imports() {
    let s = import_ok(&serde_json::to_vec(&rich_doc()).unwrap());
    assert_eq!(s.instances.len(), 2);
    assert_eq!(s.ignored_extensions, ["EXT_other"]);
    let p = first_prim(&s);
    assert_eq!(p.uv1, [[0.0, 0.0], [0.5, 0.5], [0.0, 0.0], [0.0, 0.0]]);
    assert_eq!(p.indices, [0, 1, 2, 1, 3, 2]);
    assert_eq!(p.material_for(Some(1)), Some(1));
    assert_eq!(s.lights.len(), 1);
    assert_eq!(s.cameras.len(), 1);
    assert_eq!(s.materials[0].base_color_texture.unwrap().tex_coord, 1);
}

/// Replace numbers all over a valid document with hostile values: every
/// outcome is fine except a panic (indices, counts, offsets, enums…).
#[test]
fn hostile_numbers_never_panic() {
    fn numbers(v: &Value, path: String, out: &mut Vec<String>) {
        match v {
            Value::Number(_) => out.push(path),
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    numbers(x, format!("{path}/{i}"), out);
                }
            }
            Value::Object(o) => {
                for (k, x) in o {
                    numbers(x, format!("{path}/{k}"), out);
                }
            }
            _ => {}
        }
    }
    let doc = rich_doc();
    let mut paths = Vec::new();
    numbers(&doc, String::new(), &mut paths);
    let hostile = [
        json!(0),
        json!(1),
        json!(2),
        json!(3),
        json!(7),
        json!(-1),
        json!(255),
        json!(65535),
        json!(4294967295u64),
        json!(u64::MAX),
        json!(1e30),
        json!(-0.5),
        json!(5121),
        json!(5126),
    ];
    let mut state = 0x1234_5678_9abc_def1u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut ok = 0;
    for _ in 0..600 {
        let mut d = doc.clone();
        for _ in 0..1 + next() % 3 {
            let path = &paths[(next() as usize) % paths.len()];
            if let Some(slot) = d.pointer_mut(path) {
                *slot = hostile[(next() as usize) % hostile.len()].clone();
            }
        }
        if import(&serde_json::to_vec(&d).unwrap()).is_ok() {
            ok += 1;
        }
    }
    assert!(ok > 0);
}

#[test]
fn out_of_range_views_and_accessors() {
    // A bufferView longer than its buffer.
    let (mut g, doc) = triangle();
    g.views[0]["byteLength"] = json!(4096);
    let err = import(&g.gltf_bytes(doc.clone())).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::BufferViewOutOfRange {
                view: 0,
                buffer: 0,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("bufferView 0"), "{err}");

    // An accessor reaching past its bufferView.
    let (mut g, doc) = triangle();
    g.accessors[0]["count"] = json!(4);
    let err = import(&g.gltf_bytes(doc.clone())).unwrap_err();
    assert!(
        matches!(err, ImportError::AccessorOutOfRange { accessor: 0, .. }),
        "{err}"
    );
    let (mut g, doc) = triangle();
    g.accessors[1]["byteOffset"] = json!(8);
    let err = import(&g.gltf_bytes(doc.clone())).unwrap_err();
    assert!(
        matches!(err, ImportError::AccessorOutOfRange { accessor: 1, .. }),
        "{err}"
    );
    // Huge counts and offsets overflow nothing.
    for (field, v) in [
        ("count", json!(u64::MAX)),
        ("byteOffset", json!(u64::MAX)),
        ("count", json!(0)),
    ] {
        let (mut g, doc) = triangle();
        g.accessors[0][field] = v;
        let _ = import(&g.gltf_bytes(doc));
    }
    // A stride smaller than the element.
    let (mut g, doc) = triangle();
    g.views[0]["byteStride"] = json!(4);
    assert!(import(&g.gltf_bytes(doc.clone())).is_err());

    // Buffer shorter than its byteLength.
    let (g, doc) = triangle();
    let mut j = g.json(doc.clone());
    j["buffers"][0]["byteLength"] = json!(g.bin.len() + 10);
    let err = import(&serde_json::to_vec(&j).unwrap()).unwrap_err();
    assert!(
        matches!(err, ImportError::BufferTooShort { index: 0, .. }),
        "{err}"
    );

    // A GLB buffer without BIN chunk.
    let mut j = g.json_without_buffer(doc.clone());
    j["buffers"] = json!([{"byteLength": 4}]);
    let err = import(&glb_from(&serde_json::to_vec(&j).unwrap(), None)).unwrap_err();
    assert!(
        matches!(err, ImportError::MissingBuffer { index: 0, .. }),
        "{err}"
    );

    // Accessor references that do not exist; wrong types.
    let (g, mut doc) = triangle();
    doc["meshes"][0]["primitives"][0]["attributes"]["NORMAL"] = json!(42);
    assert!(matches!(
        import(&g.gltf_bytes(doc)),
        Err(ImportError::MissingReference {
            kind: "accessor",
            index: 42,
            ..
        })
    ));
    let (mut g, doc) = triangle();
    g.accessors[1]["type"] = json!("VEC2");
    let err = import(&g.gltf_bytes(doc)).unwrap_err();
    assert!(
        matches!(err, ImportError::InvalidAccessor { accessor: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("NORMAL"), "{err}");
    let (mut g, doc) = triangle();
    g.accessors[2]["componentType"] = json!(FLOAT);
    assert!(matches!(
        import(&g.gltf_bytes(doc)),
        Err(ImportError::InvalidAccessor { accessor: 2, .. })
    ));
    // Attribute counts that differ.
    let (mut g, doc) = triangle();
    let n = g.floats(&[[0.0, 0.0, 1.0]; 2]);
    let mut doc = doc;
    doc["meshes"][0]["primitives"][0]["attributes"]["NORMAL"] = json!(n);
    assert!(matches!(
        import(&g.gltf_bytes(doc)),
        Err(ImportError::InvalidAccessor { .. })
    ));
}

#[test]
fn index_out_of_range_is_an_error() {
    let mut g = Gltf::default();
    let pos = g.floats(&TRI);
    let idx = g.indices_u16(&[0, 1, 3]);
    let err = import(&g.gltf_bytes(single(
        json!({"attributes": {"POSITION": pos}, "indices": idx}),
    )))
    .unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::IndexOutOfRange {
                mesh: 0,
                primitive: 0,
                index: 3,
                vertex_count: 3
            }
        ),
        "{err}"
    );
}

#[test]
fn nan_and_degenerate_data_do_not_panic() {
    let mut g = Gltf::default();
    let pos = g.floats(&[
        [f32::NAN, 0.0, 0.0],
        [0.0, f32::INFINITY, 0.0],
        [0.0, 0.0, 0.0],
        [0.0; 3],
    ]);
    let uv = g.floats(&[[f32::NAN, 0.0]; 4]);
    let nrm = g.floats(&[[0.0; 3], [f32::NAN; 3], [0.0, 0.0, 2.0], [0.0, 0.0, 1.0]]);
    let idx = g.indices_u8(&[0, 1, 2, 2, 3, 3, 3, 3, 3]);
    let mat = json!({"materials": [{"normalTexture": {"index": 0}}], "textures": [{"source": 0}],
        "images": [{"uri": data_uri("image/png", &rgba_png(1, 1, [0; 4]))}]});
    for attrs in [
        json!({"POSITION": pos, "TEXCOORD_0": uv, "NORMAL": nrm}),
        json!({"POSITION": pos, "TEXCOORD_0": uv}),
        json!({"POSITION": pos}),
    ] {
        let doc = merge(
            single(json!({"attributes": attrs, "indices": idx, "material": 0})),
            mat.clone(),
        );
        let s = import_ok(&g.gltf_bytes(doc));
        let p = first_prim(&s);
        assert_eq!(p.tangents.len(), p.positions.len());
        assert_eq!(p.normals.len(), p.positions.len());
        for n in &p.normals {
            assert!(n.iter().all(|c| c.is_finite()), "{n:?}");
        }
        for t in &p.tangents {
            assert!(t.iter().all(|c| c.is_finite()), "{t:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Real files
// ---------------------------------------------------------------------------

fn models_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/assets/models");
    dir.is_dir().then_some(dir)
}

#[test]
fn khronos_samples() {
    let Some(dir) = models_dir() else {
        eprintln!("shared/assets/models not found; skipping");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("glb" | "gltf")))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in &files {
        let t = std::time::Instant::now();
        let s = import_file(path, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let name = path.file_stem().unwrap().to_string_lossy();
        let prims: usize = s.meshes.iter().map(|m| m.primitives.len()).sum();
        let verts: usize = s
            .meshes
            .iter()
            .flat_map(|m| &m.primitives)
            .map(|p| p.positions.len())
            .sum();
        eprintln!(
            "{name}: {ms:.0} ms, {} instances, {prims} primitives, {verts} vertices, {} materials, \
             {} images, {} variants, {} lights, ignored {:?}",
            s.instances.len(),
            s.materials.len(),
            s.images.len(),
            s.variants.len(),
            s.lights.len(),
            s.ignored_extensions
        );
        assert!(!s.instances.is_empty(), "{name}");
        assert!(!s.bounds.is_empty(), "{name}");
        assert!(
            s.bounds.min.is_finite() && s.bounds.max.is_finite(),
            "{name}"
        );
        for p in s.meshes.iter().flat_map(|m| &m.primitives) {
            let n = p.positions.len();
            assert_eq!(
                (p.normals.len(), p.tangents.len(), p.uv0.len()),
                (n, n, n),
                "{name}"
            );
            assert!(p.uv1.is_empty() || p.uv1.len() == n);
            assert!(p.colors.is_empty() || p.colors.len() == n);
            assert!(
                p.indices.len().is_multiple_of(3) && p.indices.iter().all(|&i| (i as usize) < n)
            );
            assert!(p.material.is_none_or(|m| m < s.materials.len()));
        }
        for t in &s.textures {
            assert!(t.image < s.images.len());
        }
        for img in &s.images {
            assert_eq!(img.rgba8.len(), (img.width * img.height * 4) as usize);
        }
        if name == "MaterialsVariantsShoe" {
            assert_eq!(s.variants.len(), 3);
            let p = &s.meshes[s.instances[0].mesh].primitives[0];
            assert_eq!(p.variant_materials.len(), 3);
            eprintln!("MaterialsVariantsShoe import: {ms:.1} ms");
        }
        if name == "DamagedHelmet" {
            assert_eq!(s.images.len(), 5);
            assert!(s.materials[0].normal_texture.is_some());
        }
        if name == "TextureTransformTest" {
            assert!(s.materials.iter().any(|m| {
                m.base_color_texture
                    .is_some_and(|t| t.transform != TextureTransform::default())
            }));
        }
        if name == "EmissiveStrengthTest" {
            assert!(s.materials.iter().any(|m| m.emissive_strength > 1.0));
        }
        if name == "AlphaBlendModeTest" {
            assert!(s.materials.iter().any(|m| m.alpha_mode == AlphaMode::Blend));
            assert!(
                s.materials
                    .iter()
                    .any(|m| matches!(m.alpha_mode, AlphaMode::Mask { .. }))
            );
        }
    }
}
