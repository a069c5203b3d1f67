//! A minimal glTF 2.0 binary writer for the ring: the JSON written with
//! serde_json, the BIN chunk by hand (every buffer view 4-byte aligned).

use super::mesh::MeshData;
use serde_json::{Map, Value, json};

/// Builds the JSON and the binary buffer of a GLB.
#[derive(Default)]
pub(super) struct Glb {
    bin: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
    pub meshes: Vec<Value>,
    pub nodes: Vec<Value>,
    pub materials: Vec<Value>,
    pub extensions_used: Vec<&'static str>,
    pub extensions: Map<String, Value>,
}

impl Glb {
    fn view(&mut self, bytes: &[u8], target: u32) -> usize {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
        let offset = self.bin.len();
        self.bin.extend_from_slice(bytes);
        self.views.push(json!({
            "buffer": 0, "byteOffset": offset, "byteLength": bytes.len(), "target": target
        }));
        self.views.len() - 1
    }

    fn accessor(&mut self, a: Value) -> usize {
        self.accessors.push(a);
        self.accessors.len() - 1
    }

    fn vec3(&mut self, data: &[[f32; 3]], bounds: bool) -> usize {
        let bytes: Vec<u8> = data
            .iter()
            .flatten()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        let view = self.view(&bytes, 34962);
        let mut a = json!({
            "bufferView": view, "componentType": 5126, "count": data.len(), "type": "VEC3"
        });
        if bounds {
            let mut lo = [f32::INFINITY; 3];
            let mut hi = [f32::NEG_INFINITY; 3];
            for p in data {
                for k in 0..3 {
                    lo[k] = lo[k].min(p[k]);
                    hi[k] = hi[k].max(p[k]);
                }
            }
            a["min"] = json!(lo);
            a["max"] = json!(hi);
        }
        self.accessor(a)
    }

    /// A triangle-list primitive of `mesh` (millimetres, written in metres).
    pub fn primitive(&mut self, mesh: &MeshData, material: usize) -> Value {
        let pos: Vec<[f32; 3]> = mesh
            .positions
            .iter()
            .map(|p| [p.x, p.y, p.z].map(|c| (c * 1e-3) as f32))
            .collect();
        let nor: Vec<[f32; 3]> = mesh
            .normals
            .iter()
            .map(|n| {
                let n = n.normalize();
                [n.x as f32, n.y as f32, n.z as f32]
            })
            .collect();
        let position = self.vec3(&pos, true);
        let normal = self.vec3(&nor, false);
        let mut attributes = json!({"POSITION": position, "NORMAL": normal});
        if !mesh.uvs.is_empty() {
            let bytes: Vec<u8> = mesh
                .uvs
                .iter()
                .flat_map(|uv| [uv[0] as f32, uv[1] as f32])
                .flat_map(|f| f.to_le_bytes())
                .collect();
            let view = self.view(&bytes, 34962);
            let uv = self.accessor(json!({
                "bufferView": view, "componentType": 5126, "count": mesh.uvs.len(), "type": "VEC2"
            }));
            attributes["TEXCOORD_0"] = json!(uv);
        }
        let (bytes, component): (Vec<u8>, u32) = if mesh.positions.len() <= 65535 {
            (
                mesh.indices
                    .iter()
                    .flat_map(|&i| (i as u16).to_le_bytes())
                    .collect(),
                5123,
            )
        } else {
            (
                mesh.indices.iter().flat_map(|i| i.to_le_bytes()).collect(),
                5125,
            )
        };
        let view = self.view(&bytes, 34963);
        let indices = self.accessor(json!({
            "bufferView": view, "componentType": component, "count": mesh.indices.len(), "type": "SCALAR"
        }));
        json!({"attributes": attributes, "indices": indices, "material": material, "mode": 4})
    }

    /// Adds a mesh and returns its index.
    pub fn mesh(&mut self, name: &str, primitives: Vec<Value>) -> usize {
        self.meshes
            .push(json!({"name": name, "primitives": primitives}));
        self.meshes.len() - 1
    }

    /// Adds a node and returns its index.
    pub fn node(&mut self, node: Value) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Declares an extension as used (never required).
    pub fn use_extension(&mut self, name: &'static str) {
        if !self.extensions_used.contains(&name) {
            self.extensions_used.push(name);
        }
    }

    /// The GLB bytes, with `roots` as the scene's nodes.
    pub fn finish(mut self, roots: &[usize]) -> Vec<u8> {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
        let mut doc = json!({
            "asset": {"version": "2.0", "generator": "Showroom ring generator"},
            "scene": 0,
            "scenes": [{"name": "Ring", "nodes": roots}],
            "nodes": self.nodes,
            "meshes": self.meshes,
            "materials": self.materials,
            "accessors": self.accessors,
            "bufferViews": self.views,
            "buffers": [{"byteLength": self.bin.len()}],
        });
        if !self.extensions_used.is_empty() {
            doc["extensionsUsed"] = json!(self.extensions_used);
        }
        if !self.extensions.is_empty() {
            doc["extensions"] = Value::Object(self.extensions);
        }
        let mut js = serde_json::to_vec(&doc).expect("JSON values serialize");
        while !js.len().is_multiple_of(4) {
            js.push(b' ');
        }
        let total = 12 + 8 + js.len() + 8 + self.bin.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"glTF");
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(js.len() as u32).to_le_bytes());
        out.extend_from_slice(b"JSON");
        out.extend_from_slice(&js);
        out.extend_from_slice(&(self.bin.len() as u32).to_le_bytes());
        out.extend_from_slice(b"BIN\0");
        out.extend_from_slice(&self.bin);
        out
    }
}
