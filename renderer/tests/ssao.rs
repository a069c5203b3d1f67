//! Screen-space ambient occlusion: darkens the ambient light where surfaces
//! meet (a ball resting on a slab), leaves open flat surfaces alone, and is
//! off unless asked for.

use glam::{Mat4, Quat, Vec3};
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::output::Frame;
use showroom::render::{CameraChoice, RenderSettings, Renderer, Ssao, ToneMapping};
use showroom::scene::{Material, Scene, shapes};

const SIZE: u32 = 256;

/// A white diffuse ball of radius 1 resting on a white slab (a flattened
/// ball, 8 m wide, 0.2 m thick, its top at y = 0).
fn scene() -> Scene {
    let white = Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 0.0,
        roughness_factor: 1.0,
        ..Default::default()
    };
    let mut s = shapes::sphere_row(vec![white.clone(), white]);
    s.instances[0].world = Mat4::from_translation(Vec3::new(0.0, 1.0, 0.0));
    s.instances[1].world = Mat4::from_scale_rotation_translation(
        Vec3::new(4.0, 0.1, 4.0),
        Quat::IDENTITY,
        Vec3::new(0.0, -0.1, 0.0),
    );
    s.compute_bounds();
    s
}

fn render(r: &mut Renderer, ssao: Option<Ssao>) -> Frame {
    let (w, h) = (64, 32);
    let env = r.bake_environment(w, h, &vec![1.0; (w * h * 3) as usize]);
    let scene = r.upload(scene());
    let s = RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 30.0,
            distance: Distance::Metres(9.0),
            fov_y_deg: 30.0,
            target: Target::Point(Vec3::new(0.0, 0.5, 0.0)),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        lights: false,
        ssao,
        ..Default::default()
    };
    r.render(&scene, &env, &s).unwrap()
}

fn luminance(f: &Frame, x: u32, y: u32) -> f32 {
    let lin = f.linear.as_ref().expect("linear output");
    let i = ((y * f.width + x) * 4) as usize;
    (lin[i] + lin[i + 1] + lin[i + 2]) / 3.0
}

#[test]
fn ambient_occlusion_darkens_contacts_only() {
    let mut r = Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    );
    let plain = render(&mut r, None);
    let ao = render(&mut r, Some(Ssao::default()));
    if let Ok(dir) = std::env::var("SSAO_DEBUG_DIR") {
        for (name, f) in [("plain", &plain), ("ssao", &ao)] {
            image::RgbaImage::from_raw(f.width, f.height, f.rgba8.clone())
                .unwrap()
                .save(format!("{dir}/{name}.png"))
                .unwrap();
        }
    }
    // Down the middle column: the top of the ball, its contact with the
    // slab, the open slab in front.
    let x = SIZE / 2;
    let ratio = |y: u32| luminance(&ao, x, y) / luminance(&plain, x, y);
    for y in (100..256).step_by(8) {
        println!(
            "y {y}: {:.3} -> {:.3}",
            luminance(&plain, x, y),
            luminance(&ao, x, y)
        );
    }
    // lavapipe: 0.60 at the contact (y 164), 1.000 on the open slab and the
    // ball's top.
    let contact = (150..190).map(ratio).fold(f32::MAX, f32::min);
    assert!(contact < 0.75, "the contact is darkened ({contact})");
    for y in (60..140).chain(200..256) {
        let r = ratio(y);
        assert!(r > 0.99, "y {y}: open surfaces keep their light ({r})");
    }
}

#[test]
fn ambient_occlusion_is_off_by_default_and_at_zero_strength() {
    let mut r = Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    );
    assert_eq!(RenderSettings::default().ssao, None);
    let plain = render(&mut r, None);
    let zero = render(
        &mut r,
        Some(Ssao {
            intensity: 0.0,
            ..Ssao::default()
        }),
    );
    assert_eq!(plain.rgba8, zero.rgba8);
}
