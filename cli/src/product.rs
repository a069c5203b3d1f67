//! Product packages on the command line: `render PRODUCT --config … --shot …`
//! and `export`.

use crate::render::RenderArgs;
use anyhow::Context;
use clap::Args;
use showroom::output::{Frame, ImageFormat};
use showroom::product::config::Configuration;
use showroom::render::CameraChoice;
use showroom::showcase::{LoadedProduct, file_loader};
use showroom::studio::Studio;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether `path` is a product package (a folder with product.json, or a
/// product.json file) rather than a model file.
pub fn is_package(path: &Path) -> bool {
    path.is_dir() || path.file_name().is_some_and(|n| n == "product.json")
}

/// Read a configuration file; absent = the product's defaults.
pub fn read_config(path: Option<&Path>, product: &str) -> anyhow::Result<Configuration> {
    match path {
        None => Ok(Configuration {
            product: product.to_string(),
            selections: Default::default(),
        }),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text).with_context(|| {
                format!(
                    "{}: not a configuration ({{\"product\": …, \"selections\": {{…}}}})",
                    p.display()
                )
            })
        }
    }
}

/// Load a product and apply the configuration file (or the defaults).
pub fn load_configured(
    studio: &mut Studio,
    product: &Path,
    config: Option<&Path>,
) -> anyhow::Result<LoadedProduct> {
    let mut p = studio.load_product(product)?;
    let cfg = read_config(config, &p.package.definition.id)?;
    // Image references are file paths relative to the configuration file
    // (or `data:` URIs).
    let base = config
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    studio.configure_with_images(&mut p, &cfg, &mut file_loader(&base))?;
    Ok(p)
}

/// `showroom render PRODUCT [--config c.json] [--shot NAME]`.
pub fn render_product(
    studio: &mut Studio,
    a: &RenderArgs,
    format: ImageFormat,
    elapsed: &mut dyn FnMut() -> Duration,
) -> anyhow::Result<(Frame, Duration)> {
    if a.variant.is_some() {
        anyhow::bail!("--variant is for model files; a product's variant is an option of --config");
    }
    let mut p = load_configured(studio, &a.model, a.config.as_deref())?;
    let t_model = elapsed();
    let shot = match p.shot_camera(a.shot.as_deref())? {
        CameraChoice::Orbit(o) => Some(o),
        CameraChoice::Named(_) => None,
    };
    let settings = a.settings(format, shot.as_ref());
    let env = match &a.env {
        Some(path) => studio.environment(path)?,
        None => p.environment.clone(),
    };
    studio.place_decals(&mut p, &settings)?;
    let frame = studio.render(&p.scene, &env, &settings)?;
    eprintln!(
        "configuration {} — {}",
        p.configuration.hash(&serde_json::json!({})),
        showroom::product::format_money(
            p.package.price(&p.configuration)?.total,
            &p.package.definition.currency
        )
    );
    Ok((frame, t_model))
}

/// Arguments of `showroom export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The product package (folder or product.json).
    pub product: PathBuf,
    /// Configuration JSON; absent = the product's defaults.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Output GLB.
    #[arg(short, long, default_value = "configured.glb")]
    pub output: PathBuf,
}

/// `showroom export`: the configured product as a standalone GLB.
pub fn export(a: ExportArgs) -> anyhow::Result<()> {
    let package = showroom::product::ProductPackage::load(&a.product)?;
    let model = package.model_path();
    let scene = Studio::import(&model)?;
    let problems = package.check(&showroom::showcase::model_info(&scene));
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("  - {p}");
        }
        anyhow::bail!(
            "{}: {} problem(s)",
            package.definition_path().display(),
            problems.len()
        );
    }
    let cfg = read_config(a.config.as_deref(), &package.definition.id)?;
    let resolved = package
        .validate(&cfg)
        .map_err(|errors| showroom::showcase::ProductSceneError::Configuration { errors })?;
    let look = package.look(&resolved);
    let glb = showroom::export::export_glb(&model, &scene, &look)?;
    showroom::output::write_atomic(&a.output, &glb)?;
    eprintln!(
        "{} ({} KiB): {} configured as {}",
        a.output.display(),
        glb.len() / 1024,
        package.definition.id,
        resolved.canonical_json()
    );
    Ok(())
}
