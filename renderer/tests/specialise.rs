//! Surface pipelines are specialised per material (its core textures, a
//! packed ORM texture, unlit) and per frame (lights, SSAO): what a material
//! lacks is compiled out. These tests check that specialising changes only
//! the work, never the picture: a material with white textures renders as
//! the same material without them, occlusion read from a packed ORM texture
//! equals occlusion read from its own texture slot, and an unlit material
//! shows its base colour whatever lights the scene has, and textures read
//! with the plain UV path (UV set 0, no transform) equal the general one.

use glam::Vec3;
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::gpu::{GpuContext, GpuOptions};
use showroom::output::Frame;
use showroom::render::{CameraChoice, RenderSettings, Renderer, ToneMapping};
use showroom::scene::{
    ImageData, Light, LightKind, Material, Scene, Texture, TextureRef, TextureTransform, shapes,
};

const SIZE: u32 = 96;

fn renderer() -> Renderer {
    Renderer::new(
        GpuContext::new(&GpuOptions::default()).expect("a GPU adapter (mesa-vulkan-drivers)"),
    )
}

/// A ball of `material` in a studio-like environment (brighter above,
/// coloured sideways), seen head on; linear output, no tone mapping.
fn render(r: &mut Renderer, scene: Scene, lights: bool) -> Frame {
    let (w, h) = (64, 32);
    let mut env = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let up = 1.0 - y as f32 / h as f32;
            let side = x as f32 / w as f32;
            env.extend([0.2 + up, 0.3 + 0.5 * side, 0.4 + 0.3 * up * side]);
        }
    }
    let env = r.bake_environment(w, h, &env);
    let scene = r.upload(scene);
    let s = RenderSettings {
        width: SIZE,
        height: SIZE,
        camera: CameraChoice::Orbit(OrbitCamera {
            yaw_deg: 20.0,
            pitch_deg: 15.0,
            distance: Distance::Metres(4.0),
            fov_y_deg: 35.0,
            target: Target::Point(Vec3::ZERO),
        }),
        tonemap: ToneMapping::None,
        linear: true,
        lights,
        ..Default::default()
    };
    r.render(&scene, &env, &s).unwrap()
}

fn ball(material: Material, images: Vec<ImageData>, textures: usize) -> Scene {
    let mut s = shapes::sphere_row(vec![material]);
    s.images = images;
    s.textures = (0..textures)
        .map(|i| Texture {
            image: i.min(s.images.len() - 1),
            sampler: Default::default(),
        })
        .collect();
    s.compute_bounds();
    s
}

fn image(width: u32, height: u32, texel: impl Fn(u32, u32) -> [u8; 4]) -> ImageData {
    let mut rgba8 = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            rgba8.extend(texel(x, y));
        }
    }
    ImageData {
        name: None,
        width,
        height,
        rgba8,
    }
}

fn tex(texture: usize) -> Option<TextureRef> {
    Some(TextureRef {
        texture,
        tex_coord: 0,
        transform: TextureTransform::default(),
    })
}

fn plain() -> Material {
    Material {
        base_color_factor: [0.7, 0.4, 0.2, 1.0],
        metallic_factor: 0.3,
        roughness_factor: 0.45,
        emissive_factor: [0.05, 0.02, 0.0],
        occlusion_strength: 0.8,
        ..Default::default()
    }
}

/// Largest difference between two frames' linear pixels, and the mean value
/// of the first (so a black frame cannot pass).
fn compare(a: &Frame, b: &Frame) -> (f32, f32) {
    let (a, b) = (a.linear.as_ref().unwrap(), b.linear.as_ref().unwrap());
    let max = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    (max, a.iter().sum::<f32>() / a.len() as f32)
}

#[test]
fn white_textures_render_as_no_textures() {
    let mut r = renderer();
    let white = image(4, 4, |_, _| [255; 4]);
    let bare = render(&mut r, ball(plain(), vec![white.clone()], 1), true);
    let textured = Material {
        base_color_texture: tex(0),
        metallic_roughness_texture: tex(0),
        occlusion_texture: tex(0),
        emissive_texture: tex(0),
        ..plain()
    };
    let textured = render(&mut r, ball(textured, vec![white], 1), true);
    let (max, mean) = compare(&bare, &textured);
    println!("white textures vs none: max difference {max}, mean {mean}");
    assert!(mean > 0.05, "the ball is lit");
    // Sampling white gives exactly 1: only rounding may differ.
    assert!(max < 1e-3, "max difference {max}");
}

#[test]
fn packed_orm_occlusion_equals_its_own_texture() {
    let mut r = renderer();
    // Occlusion (R) varies along u, roughness (G) along v, metallic (B) fixed.
    let orm = image(64, 64, |x, y| {
        [(40 + 3 * x) as u8, (60 + 3 * y) as u8, 90, 255]
    });
    let packed = Material {
        metallic_roughness_texture: tex(0),
        occlusion_texture: tex(0),
        ..plain()
    };
    // The same image through a second texture: not recognised as packed,
    // so occlusion is read from its own slot.
    let separate = Material {
        occlusion_texture: tex(1),
        ..packed.clone()
    };
    let a = render(&mut r, ball(packed, vec![orm.clone()], 2), false);
    let b = render(&mut r, ball(separate, vec![orm], 2), false);
    let no_occlusion = Material {
        occlusion_texture: None,
        ..plain()
    };
    let c = render(
        &mut r,
        ball(no_occlusion, vec![image(1, 1, |_, _| [255; 4])], 1),
        false,
    );
    let (max, mean) = compare(&a, &b);
    println!("packed vs separate occlusion: max difference {max}, mean {mean}");
    assert!(max < 1e-3, "max difference {max}");
    // And the occlusion does something: the frames differ from one without it.
    let (diff, _) = compare(&a, &c);
    assert!(diff > 0.05, "occlusion shows ({diff})");
}

#[test]
fn unlit_shows_its_base_colour_under_any_light() {
    let mut r = renderer();
    let unlit = Material {
        base_color_factor: [0.2, 0.5, 0.8, 1.0],
        unlit: true,
        ..Default::default()
    };
    let mut scene = ball(unlit, vec![image(1, 1, |_, _| [255; 4])], 0);
    scene.lights.push(Light {
        name: None,
        kind: LightKind::Directional,
        color: [1.0; 3],
        intensity: 5.0,
        range: None,
        position: Vec3::ZERO,
        direction: Vec3::new(-0.3, -0.5, -0.8).normalize(),
    });
    for lights in [false, true] {
        let f = render(&mut r, scene.clone(), lights);
        let lin = f.linear.as_ref().unwrap();
        let i = ((SIZE / 2 * SIZE + SIZE / 2) * 4) as usize;
        let centre = &lin[i..i + 4];
        println!("lights {lights}: centre {centre:?}");
        for (got, want) in centre.iter().zip([0.2, 0.5, 0.8, 1.0]) {
            assert!((got - want).abs() < 2e-3, "lights {lights}: {centre:?}");
        }
    }
}

#[test]
fn plain_uvs_equal_the_transformed_path() {
    let mut r = renderer();
    let checker = image(8, 8, |x, y| {
        let c = if (x + y) % 2 == 0 { 230 } else { 40 };
        [c, (20 * x) as u8, (25 * y) as u8, 255]
    });
    let plain_uv = Material {
        base_color_texture: tex(0),
        metallic_roughness_texture: tex(0),
        ..plain()
    };
    // Shifted by a whole repeat: the same texels, through the transform
    // path (the pipeline without UV_PLAIN).
    let shifted = |t: Option<TextureRef>| {
        t.map(|t| TextureRef {
            transform: TextureTransform {
                offset: [1.0, 0.0],
                ..Default::default()
            },
            ..t
        })
    };
    let transformed = Material {
        base_color_texture: shifted(plain_uv.base_color_texture),
        metallic_roughness_texture: shifted(plain_uv.metallic_roughness_texture),
        ..plain()
    };
    let a = render(&mut r, ball(plain_uv, vec![checker.clone()], 1), false);
    let b = render(&mut r, ball(transformed, vec![checker.clone()], 1), false);
    let c = render(&mut r, ball(plain(), vec![checker], 1), false);
    let (max, mean) = compare(&a, &b);
    println!("plain vs transformed UVs: max difference {max}, mean {mean}");
    assert!(mean > 0.05, "the ball is lit");
    assert!(max < 1e-3, "max difference {max}");
    let (diff, _) = compare(&a, &c);
    assert!(diff > 0.05, "the texture shows ({diff})");
}
