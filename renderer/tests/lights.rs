//! KHR_lights_punctual: in a black environment a white Lambertian-ish sphere lit
//! head-on reflects exactly the BRDF × illuminance the glTF spec defines, and a
//! point light falls off with the inverse square of distance. Every kind of
//! light casts shadows (directional, spot, and point lights' cube maps):
//! complete in the umbra, without acne, leaks at cube seams or peter-panning.

use glam::Vec3;
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuError, GpuOptions};
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{Light, LightKind, Material, shapes};

fn centre_radiance(r: &mut Renderer, light: Light) -> f32 {
    centre_radiance_from(r, light, 0.0, 0.0)
}

/// The linear radiance at the image centre of a white rough sphere at the
/// origin seen from the orbit direction `yaw`, `pitch` (degrees).
fn centre_radiance_from(r: &mut Renderer, light: Light, yaw: f32, pitch: f32) -> f32 {
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
            yaw_deg: yaw,
            pitch_deg: pitch,
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

    // The point light casts a cube shadow: no acne where the lit point lies
    // on a seam of two faces (direction (0, 1, 1) from the sphere) or on a
    // corner of three ((1, 1, 1)), seen head-on from the light's side.
    for (yaw, pitch, what) in [(0.0f32, 45.0f32, "seam"), (45.0, 35.264_39, "corner")] {
        let (y, p) = (yaw.to_radians(), pitch.to_radians());
        let dir = Vec3::new(p.cos() * y.sin(), p.sin(), p.cos() * y.cos());
        let light = Light {
            position: 5.0 * dir,
            ..point.clone()
        };
        let got = centre_radiance_from(&mut r, light, yaw, pitch);
        println!("point light on a cube {what}: {got:.4} vs {want:.4}");
        assert!(
            (got - want).abs() / want < 0.03,
            "point on a cube {what}: {got} vs {want}"
        );
    }

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

/// White rough spheres of radius 1 at `centres`.
fn spheres(centres: &[Vec3]) -> showroom::scene::Scene {
    let white = Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 0.0,
        roughness_factor: 1.0,
        ..Default::default()
    };
    let mut scene = shapes::sphere_row(vec![white; centres.len()]);
    for (inst, c) in scene.instances.iter_mut().zip(centres) {
        inst.world = glam::Mat4::from_translation(*c);
    }
    scene.compute_bounds();
    scene
}

/// The closest distance from `c` to the segment `a`–`b`.
fn segment_distance(a: Vec3, b: Vec3, c: Vec3) -> f32 {
    let ab = b - a;
    let t = ((c - a).dot(ab) / ab.length_squared()).clamp(0.0, 1.0);
    (a + t * ab - c).length()
}

/// What a point light's shadow did to one scene, pixel by pixel against the
/// same render without the shadow.
#[derive(Debug, Default)]
struct ShadowCheck {
    /// Pixels whose path to the light passes well inside another sphere.
    occluded: usize,
    /// The largest shadowed / unshadowed radiance among them.
    occluded_max: f32,
    /// The smallest unshadowed radiance among them (the reference is lit).
    occluded_reference_min: f32,
    /// Lit pixels whose path to the light passes well clear of every other
    /// sphere (n·l > 0.2).
    clear: usize,
    /// The smallest shadowed / unshadowed radiance among them.
    clear_min: f32,
    /// Their mean ratio.
    clear_mean: f32,
}

/// Renders `centres` lit by a point light at `light`, with its cube shadow
/// and without (the light budget taken by [`MAX_SHADOWS`] black directional
/// lights listed first), from the front (+Z), and compares every pixel
/// against the geometry: traced from the camera to the spheres, then to the
/// light.
fn check_point_shadow(r: &mut Renderer, name: &str, centres: &[Vec3], light: Vec3) -> ShadowCheck {
    use showroom::render::shadows::MAX_SHADOWS;
    let env = r.bake_environment(64, 32, &vec![0.0; 64 * 32 * 3]);
    // About 0.5 head-on on the farthest sphere.
    let farthest = centres
        .iter()
        .map(|c| (*c - light).length() - 1.0)
        .fold(0.0, f32::max);
    let point = Light {
        name: None,
        kind: LightKind::Point,
        color: [1.0; 3],
        intensity: 0.5 / BRDF_NORMAL * farthest * farthest,
        range: None,
        position: light,
        direction: Vec3::NEG_Z,
    };
    let black_sun = Light {
        kind: LightKind::Directional,
        intensity: 0.0,
        direction: Vec3::NEG_Y,
        ..point.clone()
    };
    let settings = RenderSettings {
        width: 320,
        height: 320,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Fit(1.05),
            fov_y_deg: 30.0,
            target: Target::Auto,
        }),
        tonemap: ToneMapping::None,
        linear: true,
        ..Default::default()
    };
    let mut shadowed = spheres(centres);
    let b = shadowed.bounds;
    println!(
        "point light, {name}: the light is {} the bounds",
        if light.cmpge(b.min).all() && light.cmple(b.max).all() {
            "inside"
        } else {
            "outside"
        }
    );
    shadowed.lights.push(point.clone());
    let shadowed = r.upload(shadowed);
    let mut unshadowed = spheres(centres);
    unshadowed.lights = vec![black_sun; MAX_SHADOWS];
    unshadowed.lights.push(point);
    let unshadowed = r.upload(unshadowed);
    let with = r.render(&shadowed, &env, &settings).unwrap();
    let without = r.render(&unshadowed, &env, &settings).unwrap();
    if let Ok(dir) = std::env::var("LIGHTS_DEBUG_DIR") {
        for (f, what) in [(&with, "shadowed"), (&without, "unshadowed")] {
            let path = std::path::Path::new(&dir).join(format!("point-{name}-{what}.png"));
            showroom::output::save(f, &path, showroom::output::ImageFormat::Png, 90).unwrap();
        }
    }
    let (w, h) = (settings.width, settings.height);
    let cam = r.camera_view(&shadowed.scene, &settings, w, h).unwrap();
    let inv = cam.view_proj().inverse();
    let (lin_with, lin_without) = (with.linear.unwrap(), without.linear.unwrap());
    let mut c = ShadowCheck {
        occluded_max: 0.0,
        occluded_reference_min: f32::INFINITY,
        clear_min: f32::INFINITY,
        ..Default::default()
    };
    let mut clear_sum = 0.0;
    for py in 0..h {
        for px in 0..w {
            let ndc = glam::Vec2::new(
                (px as f32 + 0.5) / w as f32 * 2.0 - 1.0,
                1.0 - (py as f32 + 0.5) / h as f32 * 2.0,
            );
            // Reversed Z: 1 is the near plane.
            let a = inv.project_point3(ndc.extend(1.0));
            let b = inv.project_point3(ndc.extend(0.5));
            let d = (b - a).normalize();
            // The nearest sphere the pixel's ray hits.
            let hit = centres
                .iter()
                .enumerate()
                .filter_map(|(k, &s)| {
                    let oc = cam.eye - s;
                    let bq = oc.dot(d);
                    let disc = bq * bq - (oc.length_squared() - 1.0);
                    (disc > 0.0).then(|| (-bq - disc.sqrt(), k))
                })
                .min_by(|x, y| x.0.total_cmp(&y.0));
            let Some((t, k)) = hit else { continue };
            let p = cam.eye + t * d;
            let n = p - centres[k];
            let l = (light - p).normalize();
            let i = ((py * w + px) * 4) as usize;
            // Off the silhouettes (multisampled edges) and the terminator.
            if n.dot(-d) < 0.25 || lin_with[i + 3] < 0.999 || n.dot(l) < 0.2 {
                continue;
            }
            let (lit, reference) = (lin_with[i + 1], lin_without[i + 1]);
            let ratio = lit / reference;
            let nearest_other = centres
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != k)
                .map(|(_, &s)| segment_distance(p, light, s))
                .fold(f32::INFINITY, f32::min);
            if nearest_other < 0.95 {
                c.occluded += 1;
                c.occluded_max = c.occluded_max.max(ratio);
                c.occluded_reference_min = c.occluded_reference_min.min(reference);
            } else if nearest_other > 1.05 {
                c.clear += 1;
                c.clear_min = c.clear_min.min(ratio);
                clear_sum += ratio;
            }
        }
    }
    c.clear_mean = clear_sum / c.clear.max(1) as f32;
    println!("point light, {name}: {c:?}");
    c
}

#[test]
fn point_lights_cast_cube_shadows_without_acne_leaks_or_peter_panning() {
    let mut r = Renderer::new(GpuContext::new(&GpuOptions::default()).expect("a GPU adapter"));
    // Each case: sphere centres (occluders first, then what lies behind
    // them) and the light. A sphere behind an occluder is 1.6 times as far
    // from the light and 1.5 m to the side (in the image plane), so the
    // shadow's edge crosses it.
    let behind = |light: Vec3, occluder: Vec3| {
        let ray = occluder - light;
        light + 1.6 * ray + 1.5 * ray.cross(Vec3::Z).normalize()
    };
    let cases = {
        // One face (+X): the light far to the left, a little in front.
        let l1 = Vec3::new(-8.0, 0.0, 1.5);
        let o1 = Vec3::new(-1.5, 0.0, 0.0);
        // The occluder across the seam of the +X and +Y faces: direction
        // (1, 1, −0.43) from the light, so its shadow falls on both faces.
        let l2 = Vec3::new(-4.0, -4.0, 1.5);
        let o2 = Vec3::new(-0.5, -0.5, 0.0);
        // Across the corner of the +X, +Y and −Z faces: direction (1, 1, −1).
        let l3 = Vec3::new(-3.0, -3.0, 3.0);
        let o3 = Vec3::new(0.0, 0.0, 0.0);
        // The light inside the bounds, between two occluders (−X and +X
        // faces) and above a third (+Y), each shadowing a sphere behind.
        let l4 = Vec3::new(0.0, 0.0, 0.8);
        let o4 = [
            Vec3::new(-2.2, 0.0, 0.0),
            Vec3::new(2.2, 0.0, 0.0),
            Vec3::new(0.0, 2.2, 0.0),
        ];
        // Peter-panning: a sphere sunk into the occluder's far side, so the
        // shadow must start right at the curve where they meet.
        let l5 = Vec3::new(-6.0, 1.0, 2.0);
        let o5 = Vec3::new(-1.0, 0.0, 0.0);
        let ray5 = (o5 - l5).normalize();
        let r5 = o5 + 1.2 * ray5 + ray5.cross(Vec3::Z).normalize();
        vec![
            ("one-face", vec![o1, behind(l1, o1)], l1),
            ("seam", vec![o2, behind(l2, o2)], l2),
            ("corner", vec![o3, behind(l3, o3)], l3),
            (
                "inside",
                o4.iter()
                    .copied()
                    .chain(o4.iter().map(|&o| behind(l4, o)))
                    .collect(),
                l4,
            ),
            ("contact", vec![o5, r5], l5),
        ]
    };
    for (name, centres, light) in cases {
        let c = check_point_shadow(&mut r, name, &centres, light);
        // The reference really is unshadowed there, and the shadow is
        // complete: the geometric umbra gets none of the light.
        assert!(
            c.occluded > 500,
            "{name}: only {} occluded pixels",
            c.occluded
        );
        assert!(
            c.occluded_reference_min > 0.03,
            "{name}: the unshadowed reference is dark ({})",
            c.occluded_reference_min
        );
        assert!(
            c.occluded_max < 0.01,
            "{name}: light leaks into the shadow (up to {:.4} of the lit value)",
            c.occluded_max
        );
        // No acne and no peter-panning: everything the geometry leaves lit
        // (up to 5 cm from the shadow's edge on unit spheres) keeps its
        // radiance.
        assert!(c.clear > 2000, "{name}: only {} lit pixels", c.clear);
        assert!(
            c.clear_min > 0.995,
            "{name}: a lit pixel lost light (down to {:.4})",
            c.clear_min
        );
        assert!(
            c.clear_mean > 0.9995,
            "{name}: lit pixels lost light on average ({:.5})",
            c.clear_mean
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
