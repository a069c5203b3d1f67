//! Render a product thumbnail with the library API:
//! `cargo run --release -p showroom-examples --example render_thumbnail -- MODEL.glb out.png`

use showroom::output::{ImageFormat, save};
use showroom::render::RenderSettings;
use showroom::studio::{Studio, default_environment_path};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assets/products/sneaker/sneaker.glb"
        )
        .into()
    }));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "thumbnail.png".into()));

    // One studio per process: it owns the GPU, the pipelines and baked environments.
    let mut studio = Studio::new(&Default::default())?;
    let env = studio.environment(&default_environment_path())?;
    let scene = studio.load_model(&model)?;
    let settings = RenderSettings {
        width: 512,
        height: 512,
        ..Default::default()
    };
    let frame = studio.render(&scene, &env, &settings)?;
    save(&frame, &out, ImageFormat::Png, 90)?;
    println!("wrote {}", out.display());
    Ok(())
}
