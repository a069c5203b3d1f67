//! Tests of the product model, on a small inline product (no glTF needed).

mod config;
mod definition;
mod finishes;
mod output;
mod slots;

use super::{ConfigError, Configuration, ProductPackage};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The test product: every option kind, both rule kinds, a template.
pub(super) fn fixture() -> Value {
    json!({
        "id": "sneaker", "name": "Test Sneaker", "version": "1.0.0",
        "model": "sneaker.glb", "environment": null,
        "currency": "EUR", "base_price": 12900,
        "shots": [
            { "id": "front", "label": "Front", "yaw": 0, "pitch": 10, "fov": 30, "distance": "fit", "target": null },
            { "id": "side", "label": "Side", "yaw": 90, "distance": 1.5, "target": [0, 0.1, 0] }
        ],
        "default_shot": "front",
        "materials": {
            "red-suede": { "preset": "suede", "base_color": "#8e1b1b" },
            "gum": { "base_color": "#b5773a", "metallic": 0, "roughness": 0.7,
                     "base_color_texture": "textures/gum.png" }
        },
        "options": [
            { "id": "colorway", "label": "Colourway", "kind": "variant", "values": [
                { "id": "midnight", "label": "Midnight", "variant": "midnight", "code": "SNK-MID" },
                { "id": "beach", "label": "Beach", "variant": "beach", "price": 500, "code": "SNK-BCH" } ] },
            { "id": "lace_color", "label": "Lace colour", "kind": "color", "slot": { "node": "Laces" },
              "mode": "tint",
              "palette": [
                { "id": "white", "label": "White", "hex": "#F4F4F0", "code": "LACE-01" },
                { "id": "sand", "label": "Sand", "hex": "#c2b280", "code": "LACE-02" },
                { "id": "red", "label": "Red", "hex": "#aa0000", "price": -200, "code": "LACE-03" } ],
              "free": { "price": 500, "code": "LACE-CUSTOM", "lightness": [0.1, 0.95] } },
            { "id": "sole", "label": "Sole", "kind": "material", "slot": { "material": "sole" }, "values": [
                { "id": "rubber", "label": "Rubber", "material": "library:rubber" },
                { "id": "gum", "label": "Gum", "material": "gum", "price": 1000 },
                { "id": "suede", "label": "Red suede", "material": "red-suede", "price": 1500 } ] },
            { "id": "print", "label": "Print", "kind": "texture", "slot": { "mesh": "seat" },
              "channel": "base_color", "values": [
                { "id": "plain", "label": "Plain", "file": null },
                { "id": "tartan", "label": "Tartan", "file": "textures/tartan.png", "price": 2000 } ] },
            { "id": "laces", "label": "Laces", "kind": "visibility", "nodes": ["Laces"],
              "default": true, "price": 0, "code": "LACES" },
            { "id": "name", "label": "Name", "kind": "text", "max_length": 12, "price": 1500,
              "code": "EMB-NAME", "visible_when": { "option": "laces", "in": [true] } },
            { "id": "logo", "label": "Logo", "kind": "image", "price": 900 }
        ],
        "rules": [
            { "kind": "requires",
              "if": { "option": "colorway", "in": ["beach"] },
              "then": { "option": "lace_color", "in": ["white", "sand"] },
              "message": "Beach laces come in white or sand" },
            { "kind": "excludes",
              "if": { "option": "sole", "in": ["gum"] },
              "then": { "option": "colorway", "in": ["midnight"] } }
        ],
        "templates": [
            { "id": "classic", "label": "Classic white laces",
              "selections": { "colorway": "midnight", "lace_color": "white" } }
        ]
    })
}

/// A package from a definition value, its paths pointing at `dir`.
pub(super) fn package_at(def: &Value, dir: &Path) -> ProductPackage {
    ProductPackage::from_json_str(&def.to_string(), dir).expect("definition parses")
}

/// The fixture as a package (no files behind it).
pub(super) fn package() -> ProductPackage {
    package_at(&fixture(), Path::new("/nonexistent/sneaker"))
}

/// A configuration of the fixture from `{option: value}` JSON.
pub(super) fn cfg(selections: Value) -> Configuration {
    serde_json::from_value(json!({ "product": "sneaker", "selections": selections })).unwrap()
}

/// Validation errors of a configuration (panics if it validates).
pub(super) fn errors(p: &ProductPackage, selections: Value) -> Vec<ConfigError> {
    match p.validate(&cfg(selections.clone())) {
        Ok(r) => panic!("{selections} validated as {}", r.canonical_json()),
        Err(e) => {
            assert!(!e.is_empty());
            e
        }
    }
}

/// A temporary folder, removed on drop.
pub(super) struct TempDir(pub PathBuf);

impl TempDir {
    pub(super) fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("showroom-product-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub(super) fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The fixture written out as a package folder with its files.
pub(super) fn package_dir(tag: &str, def: &Value) -> TempDir {
    let t = TempDir::new(tag);
    t.write(
        "product.json",
        serde_json::to_string_pretty(def).unwrap().as_bytes(),
    );
    t.write("sneaker.glb", b"glTF stand-in");
    t.write("textures/gum.png", b"gum");
    t.write("textures/tartan.png", b"tartan");
    t
}
