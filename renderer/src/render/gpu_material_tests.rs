//! Material uniform packing: presence bits, UV transforms and extension
//! parameters of the texture slots, and the Rust struct against the WGSL one.

use super::*;
use crate::scene::{Anisotropy, Iridescence, TextureTransform};

fn tex(texture: usize, tex_coord: u32) -> Option<TextureRef> {
    Some(TextureRef {
        texture,
        tex_coord,
        transform: TextureTransform::default(),
    })
}

#[test]
fn plain_material_has_no_extension_bits_and_no_layers() {
    let m = Material::default();
    let u = material_uniform(&m);
    assert_eq!(u.flags[0], 0);
    assert_eq!(u.anisotropy, [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(u.iridescence, [0.0; 4]);
    assert!(!has_layers(&m));
}

#[test]
fn iridescence_and_anisotropy_textures_take_their_slots() {
    let moved = TextureTransform {
        offset: [0.25, -0.5],
        rotation: 0.0,
        scale: [2.0, 3.0],
    };
    let m = Material {
        iridescence: Some(Iridescence {
            factor: 0.8,
            texture: tex(0, 0),
            ior: 1.4,
            thickness_min: 150.0,
            thickness_max: 450.0,
            thickness_texture: tex(1, 1),
        }),
        anisotropy: Some(Anisotropy {
            strength: 0.5,
            rotation: std::f32::consts::FRAC_PI_2,
            texture: Some(TextureRef {
                texture: 2,
                tex_coord: 1,
                transform: moved,
            }),
        }),
        ..Default::default()
    };
    let slots = texture_slots(&m);
    // All three are linear data.
    assert_eq!(
        slots[14..]
            .iter()
            .map(|s| (s.0.map(|t| t.texture), s.1))
            .collect::<Vec<_>>(),
        [(Some(0), false), (Some(1), false), (Some(2), false)]
    );
    let u = material_uniform(&m);
    assert_eq!(u.flags[0], (1 << 14) | (1 << 15) | (1 << 16));
    assert_eq!(u.iridescence, [0.8, 1.4, 450.0, 150.0]);
    assert_eq!(u.anisotropy[0], 0.5);
    assert!(u.anisotropy[1].abs() < 1e-6 && (u.anisotropy[2] - 1.0).abs() < 1e-6);
    assert_eq!(u.anisotropy[3], 1.0);
    // The UV set and KHR_texture_transform travel with each slot.
    assert_eq!((u.slots[14].row0[3], u.slots[15].row0[3]), (0.0, 1.0));
    assert_eq!(u.slots[16].row0, [2.0, 0.0, 0.25, 1.0]);
    assert_eq!(u.slots[16].row1, [0.0, 3.0, -0.5, 0.0]);
    assert!(has_layers(&m));
}

#[test]
fn anisotropy_without_strength_stays_plain() {
    let m = Material {
        anisotropy: Some(Anisotropy::default()),
        ..Default::default()
    };
    assert!(!has_layers(&m));
    assert_eq!(material_uniform(&m).anisotropy[3], 0.0);
}

/// The bytemuck struct has the size and `slots` offset of `Material` in
/// `pbr.wgsl` as naga lays it out.
#[test]
fn material_uniform_matches_the_wgsl_struct() {
    let src = crate::shaders::PBR.source();
    let module = naga::front::wgsl::parse_str(&src).unwrap();
    let (members, span) = module
        .types
        .iter()
        .find_map(|(_, t)| match (&t.name, &t.inner) {
            (Some(n), naga::TypeInner::Struct { members, span }) if n == "Material" => {
                Some((members.clone(), *span))
            }
            _ => None,
        })
        .expect("Material in pbr.wgsl");
    assert_eq!(span as usize, std::mem::size_of::<MaterialUniform>());
    let offset = |name: &str| {
        members
            .iter()
            .find(|m| m.name.as_deref() == Some(name))
            .unwrap()
            .offset as usize
    };
    assert_eq!(
        offset("anisotropy"),
        std::mem::offset_of!(MaterialUniform, anisotropy)
    );
    assert_eq!(
        offset("slots"),
        std::mem::offset_of!(MaterialUniform, slots)
    );
}
