//! A row of spheres from smooth to rough, dielectric and metal, under an environment:
//! `cargo run --release -p showroom-examples --example material_spheres -- [ENV.hdr] [out.png]`

use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::output::{ImageFormat, save};
use showroom::render::{CameraChoice, RenderSettings};
use showroom::scene::{Material, shapes};
use showroom::studio::{Studio, default_environment_path};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let env_path = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(default_environment_path);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "spheres.png".into()));
    let mut studio = Studio::new(&Default::default())?;
    let env = studio.environment(&env_path)?;
    let mut materials = Vec::new();
    for metallic in [1.0, 0.0] {
        for i in 0..5 {
            materials.push(Material {
                base_color_factor: if metallic > 0.5 {
                    [0.95, 0.93, 0.88, 1.0]
                } else {
                    [0.8, 0.1, 0.1, 1.0]
                },
                metallic_factor: metallic,
                roughness_factor: i as f32 / 4.0,
                ..Default::default()
            });
        }
    }
    let scene = studio.renderer.upload(shapes::sphere_row(materials));
    let settings = RenderSettings {
        width: 1500,
        height: 150,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(1.25 / 15f32.to_radians().tan()),
            fov_y_deg: 30.0,
            target: Target::Auto,
        }),
        ..Default::default()
    };
    let frame = studio.render(&scene, &env, &settings)?;
    save(&frame, &out, ImageFormat::Png, 90)?;
    println!("wrote {}", out.display());
    Ok(())
}
