//! Any bytes as a render request, the way the service parses them: the first
//! byte picks a JSON body (`POST /v1/render`) or an image URL query
//! (`GET /v1/products/sneaker/image?…`). Parsing, parameter limits and
//! configuration validation never panic, and a request that passes has a
//! stable cache key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showroom_server::catalog::{Catalog, Product};
use showroom_server::params::SizeLimits;
use showroom_server::pipeline::check_request;
use showroom_server::routes::extract::parse_json;
use showroom_server::routes::render::{RenderRequest, parse_image_query};
use std::sync::{Arc, OnceLock};

fn sneaker() -> Arc<Product> {
    static P: OnceLock<Arc<Product>> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products");
        Catalog::load(&dir).get("sneaker").expect("the sample sneaker")
    })
    .clone()
}

const LIMITS: SizeLimits = SizeLimits {
    max_width: 4096,
    max_height: 4096,
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let p = sneaker();
    let parsed = if mode % 2 == 0 {
        parse_json::<RenderRequest>(rest)
            .map(|r| (r.raw_params(), r.selections, Some(r.product)))
    } else {
        let Ok(q) = std::str::from_utf8(rest) else {
            return;
        };
        let Ok(uri) = format!("/v1/products/sneaker/image?{q}").parse::<axum::http::Uri>() else {
            return;
        };
        parse_image_query(&p, &uri).map(|(raw, sel)| (raw, sel, None))
    };
    let Ok((raw, selections, given)) = parsed else {
        return;
    };
    if let Ok(a) = check_request(p.clone(), selections.clone(), given.clone(), &raw, LIMITS) {
        let b = check_request(p, selections, given, &raw, LIMITS).expect("same input, same answer");
        assert_eq!(a.key, b.key, "the cache key is not stable");
    }
});
