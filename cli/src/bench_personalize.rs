//! `showroom bench`, personalization: a shopper typing a 12-character name
//! into a resident product, each change followed by a render.

use crate::bench::{BenchArgs, median, ms};
use showroom::product::OptionKind;
use showroom::product::config::Configuration;
use showroom::render::RenderSettings;
use showroom::studio::Studio;
use std::time::Instant;

/// Twelve characters each, Latin with kerning pairs and a ligature.
const NAMES: [&str; 8] = [
    "ALEXANDRA 23",
    "Maximilian K",
    "Jo & Tiffany",
    "WAVE OFFICE!",
    "Bartholomew ",
    "Finn Avery 7",
    "VALENTINA 10",
    "office fjord",
];

/// Times a name change + render on the product's first placed text slot.
///
/// # Errors
///
/// A product that cannot be loaded, configured or rendered.
pub fn live_name(studio: &mut Studio, a: &BenchArgs) -> anyhow::Result<()> {
    let dir = a.product.clone().unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker")
    });
    let mut p = studio.load_product(&dir)?;
    let d = p.package.definition.clone();
    let Some(option) = d.options.iter().find(|o| match &o.kind {
        OptionKind::Text(s) => s.placement.is_some() && s.max_length.is_none_or(|m| m >= 12),
        _ => false,
    }) else {
        println!(
            "\n(no placed text slot on {}: name benchmark skipped)",
            d.id
        );
        return Ok(());
    };
    let settings = RenderSettings {
        width: a.size,
        height: a.size,
        camera: p.shot_camera(None)?,
        ..Default::default()
    };
    let config = |name: &str| Configuration {
        product: d.id.clone(),
        selections: [(option.id.clone(), serde_json::json!(name))].into(),
    };
    // Warm-up: shaders, fonts, glyph caches.
    for name in &NAMES[..2] {
        studio.configure(&mut p, &config(name))?;
        studio.render_product(&mut p, &settings)?;
    }
    let (mut layout, mut place, mut render, mut total) = (vec![], vec![], vec![], vec![]);
    for name in NAMES.iter().cycle().skip(2).take(a.runs.max(NAMES.len())) {
        let t0 = Instant::now();
        studio.configure(&mut p, &config(name))?;
        let t1 = Instant::now();
        studio.place_decals(&mut p, &settings)?;
        let t2 = Instant::now();
        studio.render_product(&mut p, &settings)?;
        let t3 = Instant::now();
        layout.push(t1 - t0);
        place.push(t2 - t1);
        render.push(t3 - t2);
        total.push(t3 - t0);
    }
    println!();
    println!(
        "personalization — {} option {:?}, a new 12-character name each time ({}×{})",
        d.id, option.id, a.size, a.size
    );
    println!("| measure | time |");
    println!("|---|---:|");
    println!("| validate + shape + lay out | {} |", ms(median(layout)));
    println!("| rasterise + upload decals | {} |", ms(median(place)));
    println!("| render + readback | {} |", ms(median(render)));
    println!("| name change → new image | {} |", ms(median(total)));
    Ok(())
}
