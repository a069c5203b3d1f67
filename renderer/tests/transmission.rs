//! Screen-space transmission: a glass surface shows the opaque scene behind
//! it (the backdrop), sharp when smooth and blurred by its roughness, and
//! falls back to the environment where nothing is behind it.

use glam::{Mat4, Vec3};
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::output::Frame;
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{Material, Scene, Transmission, Volume, shapes};

/// A red diffuse ball at the origin (radius 1) and, with `glass`, a glass
/// ball of radius 0.6 (centre `GLASS_X`, 0, 2) in front of it, toward the camera (+Z), offset along
/// +X so that it straddles the red ball's silhouette.
fn scene(glass: Option<Material>) -> Scene {
    let red = Material {
        base_color_factor: [0.8, 0.05, 0.05, 1.0],
        metallic_factor: 0.0,
        roughness_factor: 1.0,
        ..Default::default()
    };
    let mut materials = vec![red];
    materials.extend(glass);
    let mut s = shapes::sphere_row(materials);
    s.instances[0].world = Mat4::IDENTITY;
    if s.instances.len() > 1 {
        s.instances[1].world = Mat4::from_scale_rotation_translation(
            Vec3::splat(0.6),
            Default::default(),
            Vec3::new(GLASS_X, 0.0, 2.0),
        );
    }
    s.compute_bounds();
    s
}

fn glass(roughness: f32, thickness: f32) -> Material {
    Material {
        base_color_factor: [1.0; 4],
        metallic_factor: 0.0,
        roughness_factor: roughness,
        transmission: Some(Transmission {
            factor: 1.0,
            ..Default::default()
        }),
        volume: Some(Volume {
            thickness,
            ..Default::default()
        }),
        ..Default::default()
    }
}

const SIZE: u32 = 256;
/// The glass ball's centre along x (m): the red ball's edge is seen
/// through the outer half of the glass, where refraction bends rays most.
const GLASS_X: f32 = 1.0;

fn render(r: &mut Renderer, scene: Scene) -> Frame {
    // A uniform grey environment: behind the glass it gives (0.5, 0.5, 0.5),
    // the red ball a strongly red colour.
    let (w, h) = (64, 32);
    let env = r.bake_environment(w, h, &vec![0.5; (w * h * 3) as usize]);
    let scene = r.upload(scene);
    let s = RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(6.0),
            fov_y_deg: 30.0,
            target: Target::Point(Vec3::ZERO),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        lights: false,
        ..Default::default()
    };
    r.render(&scene, &env, &s).unwrap()
}

/// Linear RGBA at pixel (x, y).
fn px(f: &Frame, x: u32, y: u32) -> [f32; 4] {
    let lin = f.linear.as_ref().expect("linear output");
    let i = ((y * f.width + x) * 4) as usize;
    [lin[i], lin[i + 1], lin[i + 2], lin[i + 3]]
}

/// Redness (r − g) along the image's middle row, x in `xs`.
fn redness(f: &Frame, xs: std::ops::Range<u32>) -> Vec<f32> {
    xs.map(|x| {
        let p = px(f, x, SIZE / 2);
        p[0] - p[1]
    })
    .collect()
}

/// Columns of the middle row (camera 6 m away, 30° field of view): the glass
/// ball (centre x = `GLASS_X`, radius 0.6 m, 4 m from the eye) spans 175–319 px;
/// the red ball (radius 1 m, 6 m away) ends at 208 px. Returns two columns
/// where the glass covers the red ball, one where it covers nothing.
fn glass_columns() -> ([u32; 2], u32) {
    let px_per_m = |depth: f32| SIZE as f32 * 0.5 / (depth * 15f32.to_radians().tan());
    let half = SIZE as f32 * 0.5;
    let (glass_centre, glass_r) = (half + GLASS_X * px_per_m(4.0), 0.6 * px_per_m(4.0));
    let red_edge = half + px_per_m(6.0);
    let left = glass_centre - 0.8 * glass_r;
    let covered = [left + 4.0, (left + red_edge) * 0.5];
    let clear = (glass_centre + 0.4 * glass_r).min(SIZE as f32 - 4.0);
    (covered.map(|x| x as u32), clear as u32)
}

#[test]
fn smooth_thin_glass_shows_the_opaque_scene_behind_it() {
    let mut r = Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    );
    let bare = render(&mut r, scene(None));
    let glazed = render(&mut r, scene(Some(glass(0.0, 0.0))));
    let (covered, right) = glass_columns();
    // Thin-walled glass (no volume) does not bend rays: through its centre
    // the red ball is seen as it is, less what the glass reflects
    // (Fresnel ≈ 4 % head on) plus the reflected grey environment.
    for x in covered {
        let (b, g) = (px(&bare, x, SIZE / 2), px(&glazed, x, SIZE / 2));
        println!("x {x}: bare {b:?} through glass {g:?}");
        assert!(g[3] > 0.999, "the glass covers x {x}");
        let ratio = g[0] / b[0];
        assert!(
            (0.85..=1.02).contains(&ratio),
            "x {x}: red through the glass {} vs bare {} (ratio {ratio})",
            g[0],
            b[0]
        );
        // What the environment alone would give: neutral grey.
        assert!(g[0] > 2.0 * g[1], "x {x}: the red ball is seen ({g:?})");
    }
    // Where nothing is behind it the glass shows the environment: neutral.
    let g = px(&glazed, right, SIZE / 2);
    let b = px(&bare, right, SIZE / 2);
    println!("x {right}: bare {b:?} through glass {g:?}");
    assert!(b[3] < 0.01, "nothing opaque at x {right} without the glass");
    assert!(
        (g[0] - g[1]).abs() < 0.02 && (g[0] - 0.5).abs() < 0.05,
        "x {right}: the environment through the glass ({g:?})"
    );
}

#[test]
fn rough_glass_blurs_what_is_behind_it() {
    let mut r = Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    );
    let ([left, _], right) = glass_columns();
    let steepest = |f: &Frame| {
        redness(f, left..right)
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0f32, f32::max)
    };
    let smooth = render(&mut r, scene(Some(glass(0.0, 0.0))));
    let rough = render(&mut r, scene(Some(glass(0.6, 0.0))));
    // Across the red ball's edge seen through the glass: one-pixel steps
    // when smooth, a soft ramp when rough; the red is still there.
    let (s, q) = (steepest(&smooth), steepest(&rough));
    println!("steepest step: smooth {s:.4}, rough {q:.4}");
    assert!(s > 0.15, "the smooth glass shows a sharp edge ({s})");
    assert!(q < 0.4 * s, "rough glass blurs it ({q} vs {s})");
    let red_rough = redness(&rough, left..left + 4).iter().sum::<f32>() / 4.0;
    assert!(red_rough > 0.2, "the red ball is still seen ({red_rough})");
}

#[test]
fn a_glass_volume_refracts_what_is_behind_it() {
    let mut r = Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    );
    let thin = render(&mut r, scene(Some(glass(0.0, 0.0))));
    // A solid ball of glass (its diameter as thickness) bends rays toward
    // its axis, so the red ball's edge, seen through it, moves.
    let solid = render(&mut r, scene(Some(glass(0.0, 2.0))));
    let ([left, _], right) = glass_columns();
    let edge = |f: &Frame| {
        redness(f, left..right)
            .iter()
            .position(|v| *v < 0.1)
            .map_or(right, |i| left + i as u32)
    };
    let (a, b) = (edge(&thin), edge(&solid));
    println!("red edge through the glass: thin {a}, solid {b}");
    // lavapipe: thin 209, solid 194.
    assert!(a.abs_diff(b) >= 8, "refraction moves the edge ({a} vs {b})");
}
