//! Any bytes as a `product.json`: parsing and the self-check never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showroom::product::ProductPackage;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = ProductPackage::from_json_str(text, std::path::Path::new("/nonexistent")) {
        let _ = p.check_self();
        let _ = p.to_owned();
    }
});
