//! A glTF material as the GPU reads it: its uniform (factors, texture slots
//! with their UV set and transform), the pipeline-key facts about it, and
//! its bind group.

use super::gpu_scene::{GpuMaterial, GpuTexture, UploadContext};
use super::layouts::{MaterialUniform, TexSlot};
use crate::scene::{AlphaMode, Material, Sampler, Scene, TextureRef, TextureTransform};
use wgpu::util::DeviceExt;

fn slot(t: Option<TextureRef>) -> TexSlot {
    let (m, set) = t
        .map(|t| (t.transform.matrix(), t.tex_coord as f32))
        .unwrap_or(([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], 0.0));
    // Column-major columns → the two rows used by the shader.
    TexSlot {
        row0: [m[0][0], m[1][0], m[2][0], set],
        row1: [m[0][1], m[1][1], m[2][1], 0.0],
    }
}

/// Number of texture slots of a material (`TEX_SLOTS` in `pbr.wgsl`).
pub const TEXTURE_SLOTS: usize = 17;

/// Every texture slot of a material, in binding order, with whether it
/// holds colour (sampled through the sRGB view): the core five, then
/// clearcoat (factor R, roughness G, normal), sheen (colour, roughness A),
/// specular (strength A, colour), transmission (R), thickness (G),
/// iridescence (strength R, film thickness G) and anisotropy (direction RG,
/// strength B). Slot `i` sets presence bit `1 << i` of `flags.x`.
pub fn texture_slots(m: &Material) -> [(Option<TextureRef>, bool); TEXTURE_SLOTS] {
    let cc = m.clearcoat.as_ref();
    let sheen = m.sheen.as_ref();
    let spec = m.specular.as_ref();
    let irid = m.iridescence.as_ref();
    [
        (m.base_color_texture, true),
        (m.metallic_roughness_texture, false),
        (m.normal_texture, false),
        (m.occlusion_texture, false),
        (m.emissive_texture, true),
        (cc.and_then(|c| c.texture), false),
        (cc.and_then(|c| c.roughness_texture), false),
        (cc.and_then(|c| c.normal_texture), false),
        (sheen.and_then(|s| s.color_texture), true),
        (sheen.and_then(|s| s.roughness_texture), false),
        (spec.and_then(|s| s.texture), false),
        (spec.and_then(|s| s.color_texture), true),
        (m.transmission.and_then(|t| t.texture), false),
        (m.volume.and_then(|v| v.thickness_texture), false),
        (irid.and_then(|i| i.texture), false),
        (irid.and_then(|i| i.thickness_texture), false),
        (m.anisotropy.and_then(|a| a.texture), false),
    ]
}

/// Whether the material's anisotropy can stretch anything: a strength above
/// zero (the texture's blue channel only multiplies it).
fn has_anisotropy(m: &Material) -> bool {
    m.anisotropy.is_some_and(|a| a.strength > 0.0)
}

/// The uniform block of a material.
pub fn material_uniform(m: &Material) -> MaterialUniform {
    let slots = texture_slots(m);
    let mut bits = 0u32;
    for (i, (s, _)) in slots.iter().enumerate() {
        if s.is_some() {
            bits |= 1 << i;
        }
    }
    let (mode, cutoff) = match m.alpha_mode {
        AlphaMode::Opaque => (0.0, 0.0),
        AlphaMode::Mask { cutoff } => (1.0, cutoff),
        AlphaMode::Blend => (2.0, 0.0),
    };
    let e = m.emissive_factor.map(|c| c * m.emissive_strength);
    let clearcoat = m.clearcoat.as_ref().map_or([0.0, 0.0, 1.0, 0.0], |c| {
        [c.factor, c.roughness, c.normal_scale, 1.0]
    });
    let sheen = m.sheen.as_ref().map_or([0.0; 4], |s| {
        [s.color[0], s.color[1], s.color[2], s.roughness]
    });
    let specular = m
        .specular
        .as_ref()
        .map_or([1.0; 4], |s| [s.factor, s.color[0], s.color[1], s.color[2]]);
    MaterialUniform {
        base_color: m.base_color_factor,
        emissive: [e[0], e[1], e[2], 0.0],
        params: [
            m.metallic_factor,
            m.roughness_factor,
            m.normal_scale,
            m.occlusion_strength,
        ],
        alpha: [
            mode,
            cutoff,
            if m.unlit { 1.0 } else { 0.0 },
            if m.double_sided { 1.0 } else { 0.0 },
        ],
        // y: the material has a volume (KHR_materials_volume), whatever its
        // thickness factor: a gem's volume is its traced geometry.
        flags: [bits, u32::from(m.volume.is_some()), 0, 0],
        clearcoat,
        sheen,
        specular,
        dielectric: [
            m.ior,
            m.transmission.map_or(0.0, |t| t.factor),
            m.volume.map_or(0.0, |v| v.thickness),
            // 0: no attenuation (the extension's infinite distance)
            m.volume.map_or(0.0, |v| {
                if v.attenuation_distance.is_finite() {
                    v.attenuation_distance
                } else {
                    0.0
                }
            }),
        ],
        attenuation: m.volume.map_or([1.0, 1.0, 1.0, m.dispersion], |v| {
            let c = v.attenuation_color;
            [c[0], c[1], c[2], m.dispersion]
        }),
        // Without its thickness texture the film has the maximum thickness
        // everywhere (the extension's rule); with it the shader mixes
        // minimum → maximum by the texture's green channel.
        iridescence: m.iridescence.as_ref().map_or([0.0; 4], |i| {
            [i.factor, i.ior, i.thickness_max, i.thickness_min]
        }),
        // Strength, the rotation as cos/sin, and whether to shade it.
        anisotropy: match m.anisotropy {
            Some(a) if has_anisotropy(m) => {
                let (sin, cos) = a.rotation.sin_cos();
                [a.strength, cos, sin, 1.0]
            }
            _ => [0.0, 1.0, 0.0, 0.0],
        },
        slots: slots.map(|(t, _)| slot(t)),
    }
}

/// Whether the material needs the `LAYERS` shader specialisation: clearcoat,
/// sheen, a visible film, anisotropy, transmission, specular, or an IOR
/// other than 1.5. Plain materials get the pipeline without that code.
pub fn has_layers(m: &Material) -> bool {
    m.clearcoat.is_some()
        || m.sheen.is_some()
        || m.iridescence.as_ref().is_some_and(|i| i.factor > 0.0)
        || has_anisotropy(m)
        || m.transmission.is_some()
        || m.specular.is_some()
        || (m.ior - 1.5).abs() > 1e-6
}

/// The presence bits of the core texture slots (base colour,
/// metallic-roughness, normal, occlusion, emissive).
pub const CORE_TEXTURES: u32 = 0b1_1111;

/// Whether every core texture of `m` reads UV set 0 with no transform.
pub fn core_uv_plain(m: &Material) -> bool {
    [
        m.base_color_texture,
        m.metallic_roughness_texture,
        m.normal_texture,
        m.occlusion_texture,
        m.emissive_texture,
    ]
    .iter()
    .flatten()
    .all(|t| t.tex_coord == 0 && t.transform == TextureTransform::default())
}

/// Build a material's uniform buffer and bind group.
pub fn gpu_material(
    device: &wgpu::Device,
    ctx: &mut UploadContext,
    layout: &wgpu::BindGroupLayout,
    scene: &Scene,
    textures: &[GpuTexture],
    m: &Material,
) -> GpuMaterial {
    let uniform = material_uniform(m);
    let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("material"),
        contents: bytemuck::bytes_of(&uniform),
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    });
    let slots = texture_slots(m);
    let mut views = Vec::new();
    let mut samplers = Vec::new();
    for (t, is_srgb) in slots {
        let resolved = t.and_then(|t| {
            let tex = scene.textures.get(t.texture)?;
            Some((textures.get(tex.image)?, tex.sampler))
        });
        let (gt, s) = resolved.unwrap_or((&ctx.white, Sampler::default()));
        views.push(if is_srgb {
            gt.srgb.clone()
        } else {
            gt.linear.clone()
        });
        samplers.push(ctx.sampler(device, s));
    }
    let mut entries = vec![wgpu::BindGroupEntry {
        binding: 0,
        resource: buffer.as_entire_binding(),
    }];
    for (i, v) in views.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: 1 + i as u32,
            resource: wgpu::BindingResource::TextureView(v),
        });
    }
    for (i, s) in samplers.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: 1 + (TEXTURE_SLOTS + i) as u32,
            resource: wgpu::BindingResource::Sampler(s),
        });
    }
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: m.name.as_deref(),
        layout,
        entries: &entries,
    });
    GpuMaterial {
        buffer,
        bind_group,
        blend: m.alpha_mode == AlphaMode::Blend,
        mask: matches!(m.alpha_mode, AlphaMode::Mask { .. }),
        double_sided: m.double_sided,
        layers: has_layers(m),
        textures: (uniform.flags[0] & CORE_TEXTURES) as u8,
        orm: m.occlusion_texture.is_some() && m.occlusion_texture == m.metallic_roughness_texture,
        uv_plain: core_uv_plain(m),
        unlit: m.unlit,
        transmissive: m.transmission.is_some_and(|t| t.factor > 0.0),
        invisible: m.base_color_texture.is_none()
            && match m.alpha_mode {
                AlphaMode::Opaque => false,
                AlphaMode::Mask { cutoff } => m.base_color_factor[3] < cutoff,
                AlphaMode::Blend => m.base_color_factor[3] <= 0.0,
            },
    }
}

#[cfg(test)]
#[path = "gpu_material_tests.rs"]
mod tests;
