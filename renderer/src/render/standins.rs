//! The frame's stand-in bindings (1×1 textures for what a frame does not
//! use) and the conversion of scene lights to their uniform.

use super::layouts::LightUniform;
use super::{shadows, targets};
use crate::scene::LightKind;

/// A 1×1 texture for a binding a frame does not use.
pub(super) fn one_texel(
    device: &wgpu::Device,
    label: &str,
    format: wgpu::TextureFormat,
    usage: wgpu::TextureUsages,
) -> wgpu::Texture {
    targets::texture(device, label, (1, 1), 1, format, usage)
}

/// A 1×1 transparent backdrop for frames without transmissive surfaces
/// (refraction then sees the environment).
pub(super) fn no_backdrop(device: &wgpu::Device) -> wgpu::TextureView {
    one_texel(
        device,
        "no backdrop",
        targets::HDR_FORMAT,
        wgpu::TextureUsages::TEXTURE_BINDING,
    )
    .create_view(&Default::default())
}

/// A 1×1 white occlusion map (nothing occluded) for frames without SSAO.
pub(super) fn no_ssao(device: &wgpu::Device, queue: &wgpu::Queue) -> wgpu::TextureView {
    let texture = one_texel(
        device,
        "no ssao",
        wgpu::TextureFormat::R8Unorm,
        wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
    );
    queue.write_texture(
        texture.as_image_copy(),
        &[255],
        wgpu::TexelCopyBufferLayout::default(),
        texture.size(),
    );
    texture.create_view(&Default::default())
}

/// A 1×1 shadow map array (everything lit) for frames without shadows.
pub(super) fn no_shadow_map(device: &wgpu::Device) -> (wgpu::TextureView, wgpu::Sampler) {
    let texture = one_texel(
        device,
        "no shadows",
        shadows::SHADOW_FORMAT,
        wgpu::TextureUsages::TEXTURE_BINDING,
    );
    let view = texture.create_view(&wgpu::TextureViewDescriptor {
        dimension: Some(wgpu::TextureViewDimension::D2Array),
        ..Default::default()
    });
    let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
        label: Some("no shadows"),
        compare: Some(wgpu::CompareFunction::LessEqual),
        ..Default::default()
    });
    (view, sampler)
}

pub(super) fn lights_buffer(device: &wgpu::Device, size: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("lights"),
        size,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

pub(super) fn light_uniform(l: &crate::scene::Light) -> LightUniform {
    let (kind, cone) = match l.kind {
        LightKind::Directional => (0.0, [0.0; 4]),
        LightKind::Point => (1.0, [0.0; 4]),
        LightKind::Spot {
            inner_cone_angle,
            outer_cone_angle,
        } => {
            // KHR_lights_punctual: scale = 1 / max(0.001, cos(inner) − cos(outer)).
            let scale = 1.0 / (inner_cone_angle.cos() - outer_cone_angle.cos()).max(0.001);
            (2.0, [scale, -outer_cone_angle.cos() * scale, 0.0, 0.0])
        }
    };
    let c = l.color.map(|c| c * l.intensity);
    LightUniform {
        position_range: [
            l.position.x,
            l.position.y,
            l.position.z,
            l.range.unwrap_or(0.0),
        ],
        direction_kind: [l.direction.x, l.direction.y, l.direction.z, kind],
        color: [c[0], c[1], c[2], 0.0],
        cone,
        shadow_view_proj: glam::Mat4::IDENTITY.to_cols_array_2d(),
        shadow: [-1.0, 0.0, 0.0, 0.0],
    }
}
