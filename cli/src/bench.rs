//! `showroom bench`: the numbers a product renderer is judged by, on whatever
//! adapter is present. Timings live here, never in pass/fail tests.

use clap::Args;
use showroom::camera::OrbitCamera;
use showroom::environment::image::load_equirect;
use showroom::output::{ImageFormat, encode};
use showroom::product::config::Configuration;
use showroom::render::{CameraChoice, RenderSettings};
use showroom::studio::{Studio, default_environment_path};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Arguments of `showroom bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The product to render (default: the sample shoe in assets/).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Environment (default: the studio HDR in assets/).
    #[arg(long)]
    pub env: Option<PathBuf>,
    /// Image size (square).
    #[arg(long, default_value_t = 1024)]
    pub size: u32,
    /// Warm renders to time (the median is reported).
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Product package for the configuration-switch measures (default: the sneaker).
    #[arg(long)]
    pub product: Option<PathBuf>,
}

pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn default_model() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker/sneaker.glb")
}

/// Run the benchmark and print a table.
pub fn run(a: BenchArgs) -> anyhow::Result<()> {
    let model = a.model.clone().unwrap_or_else(default_model);
    let env_path = a.env.clone().unwrap_or_else(default_environment_path);
    let exe = std::env::current_exe()?;
    let tmp = std::env::temp_dir().join(format!("showroom-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let size = format!("{0}x{0}", a.size);
    // `driver_cache`: where Mesa keeps compiled shaders (an empty folder
    // makes the driver compile every pipeline, as on a fresh machine).
    let cold_with = |cache: &std::path::Path,
                     driver_cache: Option<&std::path::Path>|
     -> anyhow::Result<Duration> {
        let t = Instant::now();
        let mut cmd = Command::new(&exe);
        cmd.args(["render", "--size", &size, "-o"])
            .arg(tmp.join("cold.png"))
            .arg(&model)
            .arg("--env")
            .arg(&env_path)
            .env("SHOWROOM_CACHE_DIR", cache);
        if let Some(d) = driver_cache {
            cmd.env("MESA_SHADER_CACHE_DIR", d);
        }
        let status = cmd.status()?;
        anyhow::ensure!(status.success(), "cold render failed");
        Ok(t.elapsed())
    };
    let cold = |cache: &std::path::Path| cold_with(cache, None);
    // Cold: a new process to the PNG on disk; first as on a fresh machine
    // (no IBL bake cached, and the driver's shader cache empty), then with
    // an empty IBL cache only, then as a restarted service would find it
    // (cache filled).
    let fresh = cold_with(&tmp.join("fresh"), Some(&tmp.join("driver-cache")))?;
    let empty_cache = tmp.join("cache");
    let cold_first = cold(&empty_cache)?;
    let cold_cached = median(
        (0..3)
            .map(|_| cold(&empty_cache))
            .collect::<Result<_, _>>()?,
    );

    let mut studio = Studio::new(&Default::default())?;
    let summary = studio.renderer.ctx.summary.clone();
    let env = studio.environment(&env_path)?;
    let mut scene = studio.load_model(&model)?;
    let variants = scene.scene.variants.clone();
    let mut settings = RenderSettings {
        width: a.size,
        height: a.size,
        ..Default::default()
    };
    // Warm up: compile every pipeline the scene needs.
    studio.render(&scene, &env, &settings)?;
    let (mut render, mut readback, mut enc, mut total) = (vec![], vec![], vec![], vec![]);
    for i in 0..a.runs.max(1) {
        // Change something each time, as a configurator would.
        if !variants.is_empty() {
            studio.set_variant(&mut scene, Some(&variants[i % variants.len()]))?;
        } else {
            settings.camera = CameraChoice::Orbit(OrbitCamera {
                yaw_deg: 35.0 + i as f32,
                ..Default::default()
            });
        }
        let t = Instant::now();
        let frame = studio.render(&scene, &env, &settings)?;
        let t_enc = Instant::now();
        let png = encode(&frame, ImageFormat::Png, 90)?;
        std::hint::black_box(png);
        enc.push(t_enc.elapsed());
        total.push(t.elapsed());
        render.push(studio.renderer.last_timings.render);
        readback.push(studio.renderer.last_timings.readback);
    }

    // IBL bake (GPU compute), pipelines already compiled by a first bake.
    let img = load_equirect(&env_path)?;
    let bake = |s: &Studio| {
        let t = Instant::now();
        let e = s.renderer.bake_environment(img.width, img.height, &img.rgb);
        s.renderer.ctx.wait_idle();
        drop(e);
        t.elapsed()
    };
    bake(&studio);
    let ibl = median((0..3).map(|_| bake(&studio)).collect());

    println!(
        "showroom bench — {} ({}×{}), adapter: {summary}",
        model.display(),
        a.size,
        a.size
    );
    println!("| measure | time |");
    println!("|---|---:|");
    println!(
        "| cold start → PNG (fresh machine: empty IBL and driver shader caches) | {} |",
        ms(fresh)
    );
    println!(
        "| cold start → PNG (empty IBL cache) | {} |",
        ms(cold_first)
    );
    println!("| cold start → PNG (IBL cached) | {} |", ms(cold_cached));
    println!("| warm render (GPU) | {} |", ms(median(render)));
    println!("| warm readback | {} |", ms(median(readback)));
    println!("| warm PNG encode | {} |", ms(median(enc)));
    println!(
        "| warm total (render + readback + encode) | {} |",
        ms(median(total))
    );
    println!(
        "| IBL precompute ({}×{} HDR) | {} |",
        img.width,
        img.height,
        ms(ibl)
    );
    configuration_switch(&mut studio, &a)?;
    crate::bench_personalize::live_name(&mut studio, &a)?;
    crate::bench_ring::ring_frames(&mut studio, &a)?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

/// Configuration switches on a resident product against full reloads.
fn configuration_switch(studio: &mut Studio, a: &BenchArgs) -> anyhow::Result<()> {
    let dir = a.product.clone().unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker")
    });
    let reload = |studio: &mut Studio| -> anyhow::Result<Duration> {
        let t = Instant::now();
        let p = studio.load_product(&dir)?;
        // Uploads are queued: a reload is done when the GPU has them.
        studio.renderer.ctx.wait_idle();
        let d = t.elapsed();
        drop(p);
        Ok(d)
    };
    reload(studio)?;
    let reload = median((0..3).map(|_| reload(studio)).collect::<Result<_, _>>()?);

    let mut p = studio.load_product(&dir)?;
    let d = p.package.definition.clone();
    // Every template and every value of every variant/material/colour
    // option, one at a time: what a shopper clicking swatches does.
    let mut configs: Vec<Configuration> = d
        .templates
        .iter()
        .map(|t| Configuration {
            product: d.id.clone(),
            selections: t.selections.clone(),
        })
        .collect();
    for o in &d.options {
        for v in o.values() {
            let cfg = Configuration {
                product: d.id.clone(),
                selections: [(o.id.clone(), serde_json::json!(v.id))].into(),
            };
            if p.package.validate(&cfg).is_ok() {
                configs.push(cfg);
            }
        }
    }
    anyhow::ensure!(
        !configs.is_empty(),
        "{}: nothing to configure",
        dir.display()
    );
    let settings = RenderSettings {
        width: a.size,
        height: a.size,
        camera: p.shot_camera(None)?,
        ..Default::default()
    };
    let env = p.environment.clone();
    // First pass: builds the derived materials and loads texture files once.
    let mut first = Vec::new();
    for c in &configs {
        let t = Instant::now();
        studio.configure(&mut p, c)?;
        first.push(t.elapsed());
        studio.render(&p.scene, &env, &settings)?;
    }
    let (mut apply, mut with_render) = (Vec::new(), Vec::new());
    for c in configs.iter().cycle().take(configs.len().max(a.runs)) {
        let t = Instant::now();
        studio.configure(&mut p, c)?;
        apply.push(t.elapsed());
        studio.render(&p.scene, &env, &settings)?;
        with_render.push(t.elapsed());
    }
    let first_max = first.iter().max().copied().unwrap_or_default();
    let apply = median(apply);
    println!();
    println!(
        "configuration switch — {} ({} configurations, {}×{})",
        d.id,
        configs.len(),
        a.size,
        a.size
    );
    println!("| measure | time |");
    println!("|---|---:|");
    println!("| full reload (import + upload) | {} |", ms(reload));
    println!(
        "| switch, first time (slowest; texture files load) | {} |",
        ms(first_max)
    );
    println!("| switch, apply only | {} |", ms(apply));
    println!(
        "| switch + render + readback | {} |",
        ms(median(with_render))
    );
    println!(
        "| reload ÷ switch | {:8.0}× |",
        reload.as_secs_f64() / apply.as_secs_f64().max(1e-9)
    );
    Ok(())
}
