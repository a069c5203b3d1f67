//! glTF cameras by name: the image is seen from the file's camera (a sphere in
//! front of it is centred), and an unknown name is an error listing the cameras.

use glam::{Mat4, Vec3};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::render::{CameraChoice, RenderError, RenderSettings, Renderer};
use showroom::scene::{CameraProjection, Material, SceneCamera, shapes};

#[test]
fn named_camera_frames_what_it_looks_at() {
    let ctx = GpuContext::new(&GpuOptions::default()).expect("GPU adapter");
    let mut r = Renderer::new(ctx);
    let env = r.bake_environment(64, 32, &vec![1.0; 64 * 32 * 3]);
    let mut scene = shapes::sphere_row(vec![Material::default()]);
    // Camera 6 m up the +X axis looking back at the sphere (−Z of the camera
    // pointing to −X in the world).
    let world = Mat4::from_translation(Vec3::new(6.0, 0.0, 0.0))
        * Mat4::from_rotation_y(std::f32::consts::FRAC_PI_2);
    scene.cameras.push(SceneCamera {
        name: Some("side".into()),
        world,
        projection: CameraProjection::Perspective {
            yfov: 0.6,
            aspect_ratio: None,
            znear: 0.1,
            zfar: None,
        },
    });
    let scene = r.upload(scene);
    let mut s = RenderSettings {
        width: 96,
        height: 64,
        camera: CameraChoice::Named("side".into()),
        ..Default::default()
    };
    let f = r.render(&scene, &env, &s).unwrap();
    let alpha = |x: usize, y: usize| f.rgba8[(y * 96 + x) * 4 + 3];
    assert_eq!(alpha(48, 32), 255, "sphere not in the centre");
    assert_eq!(alpha(2, 2), 0, "corner should be background");
    // Symmetric coverage left/right of centre: the camera looks straight at it.
    let row: Vec<u8> = (0..96).map(|x| alpha(x, 32)).collect();
    let left = row[..48].iter().filter(|a| **a > 127).count();
    let right = row[48..].iter().filter(|a| **a > 127).count();
    assert!(left.abs_diff(right) <= 1, "{left} vs {right}");

    s.camera = CameraChoice::Named("nope".into());
    match r.render(&scene, &env, &s) {
        Err(RenderError::NoCamera { available, .. }) => assert_eq!(available, "side"),
        other => panic!("expected NoCamera, got {other:?}"),
    }
}
