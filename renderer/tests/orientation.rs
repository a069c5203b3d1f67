//! The environment is where the reference convention says it is: a chrome sphere
//! seen from +Z shows a light placed at +X on its right, one at +Y at its top,
//! and one at +Z (behind the camera) in its centre; rotating the environment by
//! 90° (from +Z toward +X) moves a light at +Z to +X.

use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{Material, shapes};

const W: u32 = 128;
const H: u32 = 64;

/// An equirect image (reference mapping u = 0.5 + atan2(z, x)/2π,
/// v = 0.5 + asin(y)/π, rows top-down) dark except near direction `d`.
fn spot_env(d: [f32; 3]) -> Vec<f32> {
    let mut rgb = vec![0.05; (W * H * 3) as usize];
    for row in 0..H {
        for col in 0..W {
            let u = (col as f32 + 0.5) / W as f32;
            let v = 1.0 - (row as f32 + 0.5) / H as f32;
            let phi = (u - 0.5) * std::f32::consts::TAU;
            let lat = (v - 0.5) * std::f32::consts::PI;
            let dir = [lat.cos() * phi.cos(), lat.sin(), lat.cos() * phi.sin()];
            let dot = dir[0] * d[0] + dir[1] * d[1] + dir[2] * d[2];
            if dot > 0.97 {
                let i = ((row * W + col) * 3) as usize;
                rgb[i..i + 3].copy_from_slice(&[50.0, 50.0, 50.0]);
            }
        }
    }
    rgb
}

/// Centroid of the brightest pixels, in [-1, 1] (x right, y up).
fn highlight(r: &mut Renderer, d: [f32; 3], rotation: f32) -> (f32, f32) {
    let env = r.bake_environment(W, H, &spot_env(d));
    let scene = r.upload(shapes::sphere_row(vec![Material {
        metallic_factor: 1.0,
        roughness_factor: 0.0,
        ..Default::default()
    }]));
    let s = RenderSettings {
        width: 256,
        height: 256,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(20.0),
            fov_y_deg: 8.0,
            target: Target::Auto,
        }),
        env_rotation_deg: rotation,
        tonemap: ToneMapping::None,
        lights: false,
        ..Default::default()
    };
    let f = r.render(&scene, &env, &s).unwrap();
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    for y in 0..256 {
        for x in 0..256 {
            let i = (y * 256 + x) * 4;
            if f.rgba8[i] > 200 {
                sx += x as f32;
                sy += y as f32;
                n += 1.0;
            }
        }
    }
    assert!(n > 0.0, "no highlight for a light at {d:?}");
    (sx / n / 128.0 - 1.0, 1.0 - sy / n / 128.0)
}

#[test]
fn environment_directions_follow_the_reference_convention() {
    let ctx = GpuContext::new(&GpuOptions::default()).expect("GPU adapter");
    let mut r = Renderer::new(ctx);
    let (x, y) = highlight(&mut r, [1.0, 0.0, 0.0], 0.0);
    assert!(x > 0.4 && y.abs() < 0.2, "+X light at ({x}, {y})");
    let (x, y) = highlight(&mut r, [0.0, 1.0, 0.0], 0.0);
    assert!(y > 0.4 && x.abs() < 0.2, "+Y light at ({x}, {y})");
    let (x, y) = highlight(&mut r, [0.0, 0.0, 1.0], 0.0);
    assert!(x.abs() < 0.2 && y.abs() < 0.2, "+Z light at ({x}, {y})");
    // Rotating by 90° turns the content from +Z toward +X.
    let (x, y) = highlight(&mut r, [0.0, 0.0, 1.0], 90.0);
    assert!(
        x > 0.4 && y.abs() < 0.2,
        "+Z light rotated 90° at ({x}, {y})"
    );
}
