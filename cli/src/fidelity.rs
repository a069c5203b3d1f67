//! `showroom fidelity`: render the reference scenarios and score them with FLIP.

use anyhow::Context;
use clap::Args;
use showroom::output::{ImageFormat, save};
use showroom::studio::Studio;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments of `showroom fidelity`.
#[derive(Debug, Args)]
pub struct FidelityArgs {
    /// The reference folder (scenarios.json, flip.json, renders/).
    #[arg(long, default_value = "../shared/reference")]
    pub reference: PathBuf,
    /// The assets folder the scenario paths are relative to.
    #[arg(long, default_value = "../shared/assets")]
    pub assets: PathBuf,
    /// Where to write OUT/<scenario>/showroom.png and the FLIP error maps.
    #[arg(short, long, default_value = "target/fidelity")]
    pub out: PathBuf,
    /// Only these scenarios (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Supersampling factor per axis.
    #[arg(long, default_value_t = 1)]
    pub ssaa: u32,
    /// Screen-space ambient occlusion at this strength (off by default, as
    /// in the scored renders).
    #[arg(long, value_parser = crate::render::ssao_strength)]
    pub ssao: Option<f32>,
}

/// Run `showroom fidelity`.
pub fn run(a: FidelityArgs) -> anyhow::Result<()> {
    let scenarios = showroom::scenario::load(&a.reference.join("scenarios.json"))?;
    let peers: BTreeMap<String, BTreeMap<String, f64>> =
        std::fs::read_to_string(a.reference.join("flip.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
    let mut studio = Studio::new(&Default::default())?;
    println!(
        "{:<28} {:>9} {:>13} {:>9}  verdict   ({})",
        "scenario", "showroom", "model-viewer", "filament", studio.renderer.ctx.summary
    );
    for sc in scenarios
        .iter()
        .filter(|s| a.only.is_empty() || a.only.contains(&s.name))
    {
        let env = studio.environment(&a.assets.join(&sc.env))?;
        let mut scene = studio.load_model(&a.assets.join(&sc.model))?;
        studio.set_variant(&mut scene, sc.variant.as_deref())?;
        let mut settings = sc.settings();
        settings.ssaa = a.ssaa;
        settings.ssao = a.ssao.map(|intensity| showroom::render::Ssao {
            intensity,
            ..Default::default()
        });
        let frame = studio.render(&scene, &env, &settings)?;
        let dir = a.out.join(&sc.name);
        std::fs::create_dir_all(&dir)?;
        let png = dir.join("showroom.png");
        save(&frame, &png, ImageFormat::Png, 100)?;
        let reference = a
            .reference
            .join("renders")
            .join(&sc.name)
            .join("cycles.neutral.png");
        let report = showroom::flip::flip_files(&reference, &png)
            .with_context(|| format!("scoring {}", sc.name))?;
        showroom::flip::save_error_map(&report, &dir.join("showroom-flip.png"))?;
        let peer = peers.get(&sc.name);
        let mv = peer
            .and_then(|p| p.get("model-viewer"))
            .copied()
            .unwrap_or(f64::NAN);
        let fi = peer
            .and_then(|p| p.get("filament"))
            .copied()
            .unwrap_or(f64::NAN);
        let best = mv.min(fi);
        let verdict = if f64::from(report.mean) < best {
            "better"
        } else {
            "worse"
        };
        println!(
            "{:<28} {:>9.4} {:>13.4} {:>9.4}  {verdict}",
            sc.name, report.mean, mv, fi
        );
    }
    Ok(())
}
