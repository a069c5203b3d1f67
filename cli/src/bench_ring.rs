//! `showroom bench`, jewelry: frame times of the ring product, whose stones
//! are traced inside their facets, as a viewer orbiting it would draw them
//! (render into the display texture and wait for the GPU; no readback).

use crate::bench::{BenchArgs, median, ms};
use showroom::product::config::Configuration;
use showroom::render::{CameraChoice, RenderSettings};
use showroom::studio::Studio;
use std::time::{Duration, Instant};

/// Times orbiting frames of the shipped ring for two shots and two stones.
///
/// # Errors
///
/// The ring product cannot be loaded, configured or drawn.
pub fn ring_frames(studio: &mut Studio, a: &BenchArgs) -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/ring");
    let mut p = studio.load_product(&dir)?;
    let id = p.package.definition.id.clone();
    let env = p.environment.clone();
    let frames = a.runs.max(5);
    println!();
    println!(
        "ring frames — {id}: orbiting 3° a frame, {frames} frames each, draw + GPU wait (no readback)"
    );
    println!("| shot | stone | size | frame, median | frame, slowest | fps (median) |");
    println!("|---|---|---|---:|---:|---:|");
    for (shot, gem) in [
        ("three-quarter", "diamond"),
        ("gem", "diamond"),
        ("gem", "sapphire"),
    ] {
        let cfg = Configuration {
            product: id.clone(),
            selections: [("gem".to_string(), serde_json::json!(gem))].into(),
        };
        studio.configure(&mut p, &cfg)?;
        let CameraChoice::Orbit(base) = p.shot_camera(Some(shot))? else {
            anyhow::bail!("the ring's {shot:?} shot is not an orbit camera");
        };
        for (w, h) in [(1920, 1080), (a.size, a.size)] {
            let mut times: Vec<Duration> = Vec::new();
            // Two warm-up frames compile the pipelines and allocate targets.
            for i in 0..frames + 2 {
                let mut camera = base;
                camera.yaw_deg += 3.0 * i as f32;
                let settings = RenderSettings {
                    width: w,
                    height: h,
                    camera: CameraChoice::Orbit(camera),
                    ..Default::default()
                };
                let t = Instant::now();
                studio.place_decals(&mut p, &settings)?;
                studio.renderer.draw(&p.scene, &env, &settings)?;
                studio.renderer.ctx.wait_idle();
                if i >= 2 {
                    times.push(t.elapsed());
                }
            }
            let slowest = times.iter().max().copied().unwrap_or_default();
            let med = median(times);
            println!(
                "| {shot} | {gem} | {w}×{h} | {} | {} | {:.1} |",
                ms(med),
                ms(slowest),
                1.0 / med.as_secs_f64().max(1e-9)
            );
        }
    }
    Ok(())
}
