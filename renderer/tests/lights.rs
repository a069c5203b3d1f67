//! KHR_lights_punctual: in a black environment a white Lambertian-ish sphere lit
//! head-on reflects exactly the BRDF × illuminance the glTF spec defines, and a
//! point light falls off with the inverse square of distance.

use glam::Vec3;
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuError, GpuOptions};
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{Light, LightKind, Material, shapes};

fn centre_radiance(r: &mut Renderer, light: Light) -> f32 {
    let env = r.bake_environment(64, 32, &vec![0.0; 64 * 32 * 3]);
    let mut scene = shapes::sphere_row(vec![Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 0.0,
        roughness_factor: 1.0,
        ..Default::default()
    }]);
    scene.lights.push(light);
    let scene = r.upload(scene);
    let s = RenderSettings {
        width: 64,
        height: 64,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(10.0),
            fov_y_deg: 15.0,
            target: Target::Point(Vec3::ZERO),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        ..Default::default()
    };
    let f = r.render(&scene, &env, &s).unwrap();
    let lin = f.linear.unwrap();
    let i = (32 * 64 + 32) * 4;
    lin[i + 1]
}

/// glTF BRDF at normal incidence for base colour 1, metallic 0, roughness 1:
/// (1 − F0)/π + F0·D·V with F0 = 0.04, D = 1/π, V = 1/4.
const BRDF_NORMAL: f32 = 0.96 / std::f32::consts::PI + 0.04 / std::f32::consts::PI * 0.25;

#[test]
fn directional_and_point_lights_follow_the_spec() {
    let ctx = GpuContext::new(&GpuOptions::default()).expect("GPU adapter");
    let mut r = Renderer::new(ctx);
    let sun = Light {
        name: None,
        kind: LightKind::Directional,
        color: [1.0; 3],
        intensity: 2.0,
        range: None,
        position: Vec3::ZERO,
        direction: Vec3::NEG_Z,
    };
    let got = centre_radiance(&mut r, sun.clone());
    let want = 2.0 * BRDF_NORMAL;
    assert!(
        (got - want).abs() / want < 0.03,
        "directional: {got} vs {want}"
    );

    // A point light 4 m in front of the sphere's surface (at z = 1): E = I / d².
    let point = Light {
        kind: LightKind::Point,
        intensity: 32.0,
        position: Vec3::new(0.0, 0.0, 5.0),
        ..sun.clone()
    };
    let got = centre_radiance(&mut r, point.clone());
    let want = 32.0 / 16.0 * BRDF_NORMAL;
    assert!((got - want).abs() / want < 0.03, "point: {got} vs {want}");

    // Outside its range a light contributes nothing.
    let ranged = Light {
        range: Some(3.0),
        ..point
    };
    assert!(centre_radiance(&mut r, ranged) < 1e-4);

    // A spot pointing away leaves the sphere dark.
    let spot = Light {
        kind: LightKind::Spot {
            inner_cone_angle: 0.2,
            outer_cone_angle: 0.4,
        },
        intensity: 32.0,
        position: Vec3::new(0.0, 0.0, 5.0),
        direction: Vec3::Z,
        ..sun
    };
    assert!(centre_radiance(&mut r, spot) < 1e-4);
}

#[test]
fn no_adapter_is_an_error_that_says_how_to_fix_it() {
    // No Metal on Linux (and no DX12): nothing can be found.
    let backends = if cfg!(target_os = "macos") {
        showroom::wgpu::Backends::DX12
    } else {
        showroom::wgpu::Backends::METAL
    };
    match GpuContext::new(&GpuOptions {
        backends: Some(backends),
    }) {
        Err(e @ GpuError::NoAdapter { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("mesa-vulkan-drivers"), "{msg}");
        }
        other => panic!("expected NoAdapter, got {other:?}"),
    }
}

/// Mean of the linear green channel over a vertical strip of the image.
fn strip_mean(f: &showroom::output::Frame, x0: u32, x1: u32) -> f32 {
    let lin = f.linear.as_ref().unwrap();
    let (mut sum, mut n) = (0.0, 0);
    for y in f.height / 2 - 4..f.height / 2 + 4 {
        for x in x0..x1 {
            let i = ((y * f.width + x) * 4) as usize;
            if lin[i + 3] > 0.999 {
                sum += lin[i + 1];
                n += 1;
            }
        }
    }
    sum / n.max(1) as f32
}

#[test]
fn directional_and_spot_lights_cast_shadows_without_acne() {
    // Two spheres along +X, a light shining along +X: the second sphere's
    // lit side lies in the first's shadow. (No acne: the directional light of
    // `directional_and_point_lights_follow_the_spec` now casts a shadow map
    // and its lit sphere still gives the spec's radiance within 3 %.)
    let mut r = Renderer::new(GpuContext::new(&GpuOptions::default()).expect("a GPU adapter"));
    let env = r.bake_environment(64, 32, &vec![0.0; 64 * 32 * 3]);
    let white = || Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 0.0,
        roughness_factor: 1.0,
        ..Default::default()
    };
    let settings = RenderSettings {
        width: 256,
        height: 128,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 80.0,
            distance: Distance::Metres(12.0),
            fov_y_deg: 30.0,
            target: Target::Point(Vec3::ZERO),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        ..Default::default()
    };
    let lights = [
        Light {
            name: None,
            kind: LightKind::Directional,
            color: [1.0; 3],
            intensity: 3.0,
            range: None,
            position: Vec3::ZERO,
            direction: Vec3::X,
        },
        Light {
            name: None,
            kind: LightKind::Spot {
                inner_cone_angle: 0.3,
                outer_cone_angle: 0.5,
            },
            color: [1.0; 3],
            intensity: 300.0,
            range: None,
            position: Vec3::new(-10.0, 0.0, 0.0),
            direction: Vec3::X,
        },
    ];
    for light in lights {
        let mut pair = shapes::sphere_row(vec![white(), white()]);
        pair.lights.push(light.clone());
        let pair = r.upload(pair);
        let shadowed = r.render(&pair, &env, &settings).unwrap();
        let w = settings.width;
        let lit_first = strip_mean(&shadowed, w / 2 - 44, w / 2 - 30);
        let lit_second = strip_mean(&shadowed, w / 2 + 8, w / 2 + 22);
        println!(
            "{:?}: first sphere's lit side {lit_first:.4}, second's {lit_second:.4}",
            light.kind
        );
        assert!(lit_first > 0.2, "the first sphere is not lit ({lit_first})");
        assert!(
            lit_second < 0.1 * lit_first,
            "the second sphere is not in the first's shadow ({lit_second} vs {lit_first})"
        );
    }
}

/// Head-on directional light on a white metal sphere in a black environment:
/// the highlight's luminance-weighted second moments along x and y of the
/// image (sum, var x, var y).
fn highlight_moments(r: &mut Renderer, anisotropy: Option<(f32, f32)>) -> (f64, f64, f64) {
    use showroom::scene::Anisotropy;
    let env = r.bake_environment(64, 32, &vec![0.0; 64 * 32 * 3]);
    let mut scene = shapes::sphere_row(vec![Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 1.0,
        roughness_factor: 0.3,
        anisotropy: anisotropy.map(|(strength, rotation)| Anisotropy {
            strength,
            rotation,
            texture: None,
        }),
        ..Default::default()
    }]);
    scene.lights.push(Light {
        name: None,
        kind: LightKind::Directional,
        color: [1.0; 3],
        intensity: 1.0,
        range: None,
        position: Vec3::ZERO,
        direction: Vec3::NEG_Z,
    });
    let scene = r.upload(scene);
    let size = 96;
    let s = RenderSettings {
        width: size,
        height: size,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(10.0),
            fov_y_deg: 15.0,
            target: Target::Point(Vec3::ZERO),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        ..Default::default()
    };
    let f = r.render(&scene, &env, &s).unwrap();
    let lin = f.linear.unwrap();
    let (mut sum, mut sx, mut sy, mut sxx, mut syy) = (0.0f64, 0.0, 0.0, 0.0, 0.0);
    for y in 0..size as usize {
        for x in 0..size as usize {
            let p = &lin[(y * size as usize + x) * 4..][..4];
            let w = f64::from(p[0] + p[1] + p[2]) / 3.0;
            assert!(w.is_finite(), "NaN at {x},{y}");
            let (fx, fy) = (x as f64, y as f64);
            sum += w;
            sx += w * fx;
            sy += w * fy;
            sxx += w * fx * fx;
            syy += w * fy * fy;
        }
    }
    let (mx, my) = (sx / sum, sy / sum);
    (sum, sxx / sum - mx * mx, syy / sum - my * my)
}

/// KHR_materials_anisotropy under a punctual light: the highlight stretches
/// along the anisotropy direction (the sphere's tangent runs along +X where
/// it faces the camera; a rotation of 90° turns it to the bitangent, +Y),
/// and a vanishing strength gives back the isotropic highlight.
#[test]
fn anisotropic_highlights_stretch_along_the_direction() {
    let ctx = GpuContext::new(&GpuOptions::default()).expect("GPU adapter");
    let mut r = Renderer::new(ctx);
    let (iso, ix, iy) = highlight_moments(&mut r, None);
    let (tiny, tx, ty) = highlight_moments(&mut r, Some((1e-3, 0.0)));
    let (_, ax, ay) = highlight_moments(&mut r, Some((0.8, 0.0)));
    let (_, bx, by) = highlight_moments(&mut r, Some((0.8, std::f32::consts::FRAC_PI_2)));
    println!("isotropic: sum {iso:.2} var x {ix:.2} y {iy:.2}");
    println!("strength 0.001: sum {tiny:.2} var x {tx:.2} y {ty:.2}");
    println!("strength 0.8 along the tangent: var x {ax:.2} y {ay:.2}");
    println!("strength 0.8 turned 90°: var x {bx:.2} y {by:.2}");
    assert!((ix / iy - 1.0).abs() < 0.1, "isotropic highlight is round");
    assert!((tiny / iso - 1.0).abs() < 0.01, "strength → 0 is isotropic");
    assert!((tx / ix - 1.0).abs() < 0.02 && (ty / iy - 1.0).abs() < 0.02);
    assert!(ax > 2.0 * ay, "stretched along x: {ax} vs {ay}");
    assert!(by > 2.0 * bx, "stretched along y: {bx} vs {by}");
}
