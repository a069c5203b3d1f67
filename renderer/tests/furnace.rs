//! White-furnace tests (pbrt-v4 style): in a uniform white environment a white,
//! non-absorbing surface must reflect exactly the environment's radiance, whatever
//! its roughness; no material may reflect more than it receives.

use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::output::Frame;
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{Material, shapes};

fn renderer() -> Renderer {
    let ctx = GpuContext::new(&GpuOptions::default())
        .expect("a GPU adapter (install mesa-vulkan-drivers)");
    Renderer::new(ctx)
}

fn white_env(r: &Renderer) -> showroom::ibl::GpuEnvironment {
    let (w, h) = (256, 128);
    r.bake_environment(w, h, &vec![1.0; (w * h * 3) as usize])
}

/// One 200×200 cell per sphere: the camera distance makes each cell 2.5 m wide,
/// the spacing of `sphere_row`.
fn settings(spheres: u32) -> RenderSettings {
    RenderSettings {
        width: 200 * spheres,
        height: 200,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(1.25 / 15f32.to_radians().tan()),
            fov_y_deg: 30.0,
            target: Target::Auto,
        }),
        tonemap: ToneMapping::None,
        linear: true,
        lights: false,
        ..Default::default()
    }
}

/// Per sphere (columns split evenly): mean and extreme luminance of covered pixels.
fn sphere_stats(frame: &Frame, spheres: usize) -> Vec<(f32, f32, f32)> {
    let lin = frame.linear.as_ref().expect("linear output");
    let (w, h) = (frame.width as usize, frame.height as usize);
    let cell = w / spheres;
    (0..spheres)
        .map(|s| {
            let (mut sum, mut n, mut lo, mut hi) = (0.0f64, 0usize, f32::MAX, f32::MIN);
            for y in 0..h {
                for x in s * cell..(s + 1) * cell {
                    let p = &lin[(y * w + x) * 4..(y * w + x) * 4 + 4];
                    // Only fully covered pixels, away from the silhouette.
                    if p[3] < 0.999 {
                        continue;
                    }
                    let cx = (x as f32 - ((s as f32 + 0.5) * cell as f32)) / (cell as f32 * 0.5);
                    let cy = (y as f32 - h as f32 * 0.5) / (cell as f32 * 0.5);
                    if cx * cx + cy * cy > 0.8 * 0.8 * 0.8 {
                        continue;
                    }
                    for c in &p[..3] {
                        lo = lo.min(*c);
                        hi = hi.max(*c);
                    }
                    sum += f64::from(p[0] + p[1] + p[2]) / 3.0;
                    n += 1;
                }
            }
            assert!(n > 100, "sphere {s} covers too few pixels ({n})");
            ((sum / n as f64) as f32, lo, hi)
        })
        .collect()
}

fn material(metallic: f32, roughness: f32) -> Material {
    Material {
        base_color_factor: [1.0; 4],
        metallic_factor: metallic,
        roughness_factor: roughness,
        ..Default::default()
    }
}

#[test]
fn white_diffuse_and_rough_metal_match_the_environment() {
    let mut r = renderer();
    let env = white_env(&r);
    let scene = r.upload(shapes::sphere_row(vec![
        material(0.0, 1.0),
        material(1.0, 1.0),
    ]));
    let frame = r.render(&scene, &env, &settings(2)).unwrap();
    for (i, (mean, lo, hi)) in sphere_stats(&frame, 2).into_iter().enumerate() {
        println!("sphere {i}: mean {mean:.4} min {lo:.4} max {hi:.4}");
        assert!((mean - 1.0).abs() < 0.02, "sphere {i} mean {mean}");
        assert!(lo > 0.95 && hi < 1.05, "sphere {i} range {lo}..{hi}");
    }
}

#[test]
fn roughness_metalness_grid_gains_no_energy() {
    let mut r = renderer();
    let env = white_env(&r);
    // 0.5: the diffuse half must lose only what the dielectric reflection takes.
    for metallic in [0.0, 0.5, 1.0] {
        let mats = (0..5).map(|i| material(metallic, i as f32 / 4.0)).collect();
        let scene = r.upload(shapes::sphere_row(mats));
        let frame = r.render(&scene, &env, &settings(5)).unwrap();
        for (i, (mean, _lo, hi)) in sphere_stats(&frame, 5).into_iter().enumerate() {
            println!(
                "metallic {metallic} roughness {}: mean {mean:.4} max {hi:.4}",
                i as f32 / 4.0
            );
            assert!(
                mean < 1.02,
                "energy gain: metallic {metallic} sphere {i} mean {mean}"
            );
            assert!(
                mean > 0.95,
                "energy loss: metallic {metallic} sphere {i} mean {mean}"
            );
        }
    }
}

#[test]
fn sheen_and_clearcoat_layers_create_no_energy() {
    use showroom::scene::{Clearcoat, Sheen};
    let mut r = renderer();
    let env = white_env(&r);
    // White bases under a white sheen of every roughness, and under a full
    // clearcoat (smooth and rough): each layer reflects only what it takes
    // from the layer below.
    let mut mats = Vec::new();
    for rough in [0.2, 0.5, 1.0] {
        let mut m = material(0.0, 0.6);
        m.sheen = Some(Sheen {
            color: [1.0; 3],
            roughness: rough,
            ..Default::default()
        });
        mats.push(m);
    }
    for rough in [0.0, 0.6] {
        let mut m = material(0.0, 0.5);
        m.clearcoat = Some(Clearcoat {
            factor: 1.0,
            roughness: rough,
            ..Default::default()
        });
        mats.push(m);
    }
    let n = mats.len();
    let scene = r.upload(shapes::sphere_row(mats));
    let frame = r.render(&scene, &env, &settings(n as u32)).unwrap();
    for (i, (mean, _lo, hi)) in sphere_stats(&frame, n).into_iter().enumerate() {
        println!("layered sphere {i}: mean {mean:.4} max {hi:.4}");
        assert!(mean < 1.02, "energy gain: sphere {i} mean {mean}");
        assert!(mean > 0.9, "energy loss: sphere {i} mean {mean}");
    }
}

#[test]
fn non_absorbing_transmissive_spheres_match_the_environment() {
    use showroom::scene::{Transmission, Volume};
    let mut r = renderer();
    let env = white_env(&r);
    // Clear glass: thin-walled, and a solid volume with IOR 1.5 and 2.4
    // (diamond); smooth and rough. Nothing is absorbed, so each must show
    // the uniform environment within 5 %.
    let mut mats = Vec::new();
    for (ior, thickness, rough) in [
        (1.5, 0.0, 0.0),
        (1.5, 1.0, 0.0),
        (2.4, 1.0, 0.0),
        (1.5, 1.0, 0.5),
    ] {
        let mut m = material(0.0, rough);
        m.ior = ior;
        m.transmission = Some(Transmission {
            factor: 1.0,
            ..Default::default()
        });
        m.volume = Some(Volume {
            thickness,
            ..Default::default()
        });
        mats.push(m);
    }
    let n = mats.len();
    let scene = r.upload(shapes::sphere_row(mats));
    let frame = r.render(&scene, &env, &settings(n as u32)).unwrap();
    for (i, (mean, lo, hi)) in sphere_stats(&frame, n).into_iter().enumerate() {
        println!("transmissive sphere {i}: mean {mean:.4} min {lo:.4} max {hi:.4}");
        assert!((mean - 1.0).abs() < 0.05, "sphere {i} mean {mean}");
    }
}

#[test]
fn faceted_gems_traced_inside_match_the_environment() {
    use showroom::scene::{Transmission, Volume};
    let mut r = renderer();
    let env = white_env(&r);
    // Low-poly spheres are closed convex polyhedra: the renderer treats them
    // as gems and traces light inside them (total internal reflection,
    // per-channel IOR). Without absorption every path leaves the stone
    // eventually, so each must show the uniform environment within 5 %.
    let mut mats = Vec::new();
    for (ior, dispersion) in [(1.5, 0.0), (2.417, 0.0), (2.417, 0.36), (1.77, 1.0)] {
        let mut m = material(0.0, 0.0);
        m.ior = ior;
        m.dispersion = dispersion;
        m.transmission = Some(Transmission {
            factor: 1.0,
            ..Default::default()
        });
        m.volume = Some(Volume::default());
        mats.push(m);
    }
    let n = mats.len();
    let mut scene = shapes::sphere_row(mats);
    for (i, mesh) in scene.meshes.iter_mut().enumerate() {
        let mut facets = shapes::uv_sphere(1.0, 10, 6);
        facets.material = Some(i);
        mesh.primitives = vec![facets];
    }
    scene.compute_bounds();
    let scene = r.upload(scene);
    assert!(
        scene.draws.iter().all(|d| d.gem),
        "the faceted spheres are recognised as gems"
    );
    let frame = r.render(&scene, &env, &settings(n as u32)).unwrap();
    for (i, (mean, lo, hi)) in sphere_stats(&frame, n).into_iter().enumerate() {
        println!("gem {i}: mean {mean:.4} min {lo:.4} max {hi:.4}");
        assert!((mean - 1.0).abs() < 0.05, "gem {i} mean {mean}");
        assert!(hi < 1.1, "gem {i} creates energy somewhere: max {hi}");
    }
}

#[test]
fn iridescent_films_create_no_energy() {
    use showroom::scene::Iridescence;
    let mut r = renderer();
    let env = white_env(&r);
    // A thin film over a white dielectric base (thin, mid, thick films) and
    // over a white metal: interference moves reflectance between colours
    // and angles; it must not create any on average.
    let mut mats = Vec::new();
    for (metallic, thickness) in [(0.0, 100.0), (0.0, 400.0), (0.0, 1200.0), (1.0, 400.0)] {
        let mut m = material(metallic, 0.3);
        m.iridescence = Some(Iridescence {
            factor: 1.0,
            ior: 1.3,
            thickness_min: 100.0,
            thickness_max: thickness,
            ..Default::default()
        });
        mats.push(m);
    }
    let n = mats.len();
    let scene = r.upload(shapes::sphere_row(mats));
    let frame = r.render(&scene, &env, &settings(n as u32)).unwrap();
    for (i, (mean, _lo, hi)) in sphere_stats(&frame, n).into_iter().enumerate() {
        println!("iridescent sphere {i}: mean {mean:.4} max {hi:.4}");
        assert!(mean < 1.03, "energy gain: sphere {i} mean {mean}");
        assert!(mean > 0.85, "energy loss: sphere {i} mean {mean}");
    }
}

#[test]
fn anisotropic_metal_gains_no_energy() {
    use showroom::scene::Anisotropy;
    let mut r = renderer();
    let env = white_env(&r);
    // White metal stretched along the tangent (and turned across it): the
    // bent-normal environment lookup reads a uniform environment in another
    // direction, so the sphere must still reflect exactly what it receives.
    let cases = [
        (0.5, 0.5, 0.0),
        (0.5, 1.0, 0.0),
        (1.0, 0.5, 0.0),
        (1.0, 1.0, 0.0),
        (0.3, 1.0, std::f32::consts::FRAC_PI_2),
    ];
    let mats = cases
        .iter()
        .map(|&(rough, strength, rotation)| {
            let mut m = material(1.0, rough);
            m.anisotropy = Some(Anisotropy {
                strength,
                rotation,
                texture: None,
            });
            m
        })
        .collect();
    let n = cases.len();
    let scene = r.upload(shapes::sphere_row(mats));
    assert!(
        scene.materials[..n].iter().all(|m| m.layers),
        "anisotropy takes the LAYERS pipeline"
    );
    let frame = r.render(&scene, &env, &settings(n as u32)).unwrap();
    for (i, (mean, lo, hi)) in sphere_stats(&frame, n).into_iter().enumerate() {
        let (rough, strength, rotation) = cases[i];
        println!(
            "anisotropic metal roughness {rough} strength {strength} rotation {rotation:.2}: \
             mean {mean:.4} min {lo:.4} max {hi:.4}"
        );
        assert!(mean < 1.02, "energy gain: sphere {i} mean {mean}");
        assert!(mean > 0.95, "energy loss: sphere {i} mean {mean}");
        assert!(hi < 1.05, "sphere {i} creates energy somewhere: max {hi}");
    }
}
