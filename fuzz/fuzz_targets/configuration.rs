//! Any bytes as a configuration of the sample sneaker: parsing and validation
//! never panic; a valid configuration's canonical form validates to the same
//! hash, and it prices and yields a look.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showroom::product::{Configuration, ProductPackage};
use std::sync::OnceLock;

fn package() -> &'static ProductPackage {
    static P: OnceLock<ProductPackage> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker");
        ProductPackage::load(&dir).expect("the sample sneaker package")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(cfg) = serde_json::from_slice::<Configuration>(data) else {
        return;
    };
    let p = package();
    if let Ok(resolved) = p.validate(&cfg) {
        let settings = serde_json::json!({"width": 64});
        let hash = resolved.hash(&settings);
        let canonical: serde_json::Value = serde_json::from_str(&resolved.canonical_json()).unwrap();
        let again: Configuration = serde_json::from_value(canonical).unwrap();
        let again = p.validate(&again).expect("a canonical configuration is valid");
        assert_eq!(again.hash(&settings), hash, "canonical form changed the hash");
        let _ = p.price(&resolved);
        let _ = p.look(&resolved);
        let _ = p.production_sheet(&resolved);
    }
});
