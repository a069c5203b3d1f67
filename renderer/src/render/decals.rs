//! Personalization decals on the GPU (bind group 3): the rasterised decals
//! of a scene packed into one atlas (premultiplied colour + relief), their
//! placements as uniforms, and per draw the set of decals it receives.
//! `shaders/decal.wgsl` composites them into the material per fragment.

use super::Renderer;
use super::gpu_scene::GpuScene;
use super::layouts::{DecalUniform, DecalsUniform, MAX_DECALS};
use crate::personalize::decal::{Decal, DecalImage};
use crate::product::slots::{FinishKind, Placement};
use glam::Vec3;

/// Transparent texels left around each atlas entry so bilinear filtering
/// never reads a neighbour.
const GUTTER: u32 = 2;

/// Why decals could not be placed.
#[derive(Debug, thiserror::Error)]
pub enum DecalGpuError {
    /// More decals than one scene draws.
    #[error("{count} decals on one product; at most {MAX_DECALS} are drawn")]
    TooMany {
        /// How many were given.
        count: usize,
    },
    /// The atlas would exceed the adapter's texture size.
    #[error("the decals need a {width}×{height} atlas; this adapter allows {max} pixels per side")]
    AtlasTooLarge {
        /// Packed width.
        width: u32,
        /// Packed height.
        height: u32,
        /// The adapter's limit.
        max: u32,
    },
    /// A decal has no placement on the product (artwork only).
    #[error("option {option:?} has no placement on the product")]
    NoPlacement {
        /// The option.
        option: String,
    },
}

/// A scene's decals on the GPU.
#[derive(Debug)]
pub struct GpuDecals {
    /// Group 3 bind group.
    pub bind_group: wgpu::BindGroup,
    /// What each decal paints (for the per-draw masks).
    targets: Vec<Placement>,
    /// Atlas size in pixels.
    pub atlas_size: (u32, u32),
}

impl GpuDecals {
    /// How many decals are placed.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// Shelf packing of `sizes` into an atlas `width` wide (gutters included):
/// the top-left corner of each entry and the atlas height.
pub fn pack(sizes: &[(u32, u32)], width: u32) -> (Vec<(u32, u32)>, u32) {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i].1));
    let mut pos = vec![(0, 0); sizes.len()];
    let (mut x, mut y, mut shelf) = (0u32, 0u32, 0u32);
    for i in order {
        let (w, h) = (sizes[i].0 + 2 * GUTTER, sizes[i].1 + 2 * GUTTER);
        if x + w > width && x > 0 {
            y += shelf;
            x = 0;
            shelf = 0;
        }
        pos[i] = (x + GUTTER, y + GUTTER);
        x += w;
        shelf = shelf.max(h);
    }
    (pos, y + shelf)
}

fn finish_index(kind: FinishKind) -> f32 {
    match kind {
        FinishKind::Print => 0.0,
        FinishKind::Embroidery => 1.0,
        FinishKind::Emboss => 2.0,
        FinishKind::Deboss => 3.0,
        FinishKind::Engrave => 4.0,
        FinishKind::Foil => 5.0,
    }
}

/// The uniform of one decal placed at `atlas` (u0, v0, width, height).
fn decal_uniform(d: &Decal, p: &Placement, img: &DecalImage, atlas: [f32; 4]) -> DecalUniform {
    let [w, h] = d.slot_mm;
    let t = &d.transform;
    let theta = t.rotate_deg.to_radians();
    let mut u = DecalUniform {
        xform: [theta.cos(), theta.sin(), t.offset_mm[0], t.offset_mm[1]],
        size: [0.5 * w * t.scale, 0.5 * h * t.scale, 0.5 * w, 0.5 * h],
        atlas,
        finish: [
            finish_index(d.finish.kind),
            d.finish.depth(),
            d.finish.roughness().unwrap_or(-1.0),
            1.0 / img.width.max(1) as f32,
        ],
        ..Default::default()
    };
    let texel_y = 1.0 / img.height.max(1) as f32;
    match p {
        Placement::Uv { rect, .. } => {
            let [u0, v0, u1, v1] = *rect;
            u.uv = [
                0.5 * (u0 + u1),
                0.5 * (v0 + v1),
                w / (u1 - u0).max(1e-6),
                h / (v1 - v0).max(1e-6),
            ];
            u.kind = [0.0, 0.0, 0.0, texel_y];
        }
        Placement::Projector {
            position,
            direction,
            up,
            size_mm,
            depth_mm,
            ..
        } => {
            let axis = Vec3::from(*direction).normalize_or_zero();
            // The viewer looks along `axis`; right = axis × up.
            let right = axis.cross(Vec3::from(*up)).normalize_or_zero();
            let up = right.cross(axis);
            let pos = Vec3::from(*position);
            let row = |a: Vec3| {
                let a = a * 1000.0;
                [a.x, a.y, a.z, -a.dot(pos)]
            };
            u.proj_x = row(right);
            u.proj_y = row(up);
            u.proj_z = row(axis);
            u.size[2] = 0.5 * size_mm[0];
            u.size[3] = 0.5 * size_mm[1];
            u.kind = [1.0, 0.0, 0.5 * depth_mm, texel_y];
        }
    }
    u
}

impl Renderer {
    /// A bind group for scenes without decals.
    pub(super) fn empty_decals(&self) -> GpuDecals {
        self.build_decals(&[], (1, 1), &[])
    }

    fn build_decals(
        &self,
        decals: &[(&Decal, &DecalImage)],
        atlas_size: (u32, u32),
        positions: &[(u32, u32)],
    ) -> GpuDecals {
        let (device, queue) = (&self.ctx.device, &self.ctx.queue);
        let (aw, ah) = atlas_size;
        let texture = |format, label| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d {
                    width: aw,
                    height: ah,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format,
                usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                view_formats: &[],
            })
        };
        let color = texture(wgpu::TextureFormat::Rgba8UnormSrgb, "decal colour");
        let relief = texture(wgpu::TextureFormat::R8Unorm, "decal relief");
        let mut uniform = DecalsUniform {
            count: [decals.len() as u32, 0, 0, 0],
            items: [DecalUniform::default(); MAX_DECALS],
        };
        let mut targets = Vec::new();
        for (i, ((d, img), &(x, y))) in decals.iter().zip(positions).enumerate() {
            let Some(p) = &d.placement else { continue };
            let write = |tex: &wgpu::Texture, data: &[u8], bpp: u32| {
                queue.write_texture(
                    wgpu::TexelCopyTextureInfo {
                        texture: tex,
                        mip_level: 0,
                        origin: wgpu::Origin3d { x, y, z: 0 },
                        aspect: wgpu::TextureAspect::All,
                    },
                    data,
                    wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(img.width * bpp),
                        rows_per_image: Some(img.height),
                    },
                    wgpu::Extent3d {
                        width: img.width,
                        height: img.height,
                        depth_or_array_layers: 1,
                    },
                );
            };
            if img.width > 0 && img.height > 0 {
                write(&color, &img.color, 4);
                write(&relief, &img.relief, 1);
            }
            let atlas = [
                x as f32 / aw as f32,
                y as f32 / ah as f32,
                img.width as f32 / aw as f32,
                img.height as f32 / ah as f32,
            ];
            uniform.items[i] = decal_uniform(d, p, img, atlas);
            targets.push(p.clone());
        }
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("decals"),
            size: std::mem::size_of::<DecalsUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        queue.write_buffer(&buffer, 0, bytemuck::bytes_of(&uniform));
        let cv = color.create_view(&Default::default());
        let rv = relief.create_view(&Default::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("decals"),
            layout: &self.layouts.decals,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: buffer.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&cv),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::TextureView(&rv),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: wgpu::BindingResource::Sampler(&self.decal_sampler),
                },
            ],
        });
        GpuDecals {
            bind_group,
            targets,
            atlas_size,
        }
    }

    /// Places `decals` (each with its rasterised image) on a resident scene,
    /// replacing any before. Only decals with a placement are drawn.
    ///
    /// # Errors
    ///
    /// [`DecalGpuError`]: too many decals, one without a placement, or an
    /// atlas larger than the adapter allows.
    pub fn set_decals(
        &self,
        scene: &mut GpuScene,
        decals: &[(&Decal, &DecalImage)],
    ) -> Result<(), DecalGpuError> {
        if decals.len() > MAX_DECALS {
            return Err(DecalGpuError::TooMany {
                count: decals.len(),
            });
        }
        if let Some((d, _)) = decals.iter().find(|(d, _)| d.placement.is_none()) {
            return Err(DecalGpuError::NoPlacement {
                option: d.option.clone(),
            });
        }
        let max = self.ctx.max_image_size();
        let sizes: Vec<(u32, u32)> = decals.iter().map(|(_, i)| (i.width, i.height)).collect();
        let widest = sizes.iter().map(|s| s.0 + 2 * GUTTER).max().unwrap_or(1);
        let area: u64 = sizes
            .iter()
            .map(|s| u64::from(s.0 + 2 * GUTTER) * u64::from(s.1 + 2 * GUTTER))
            .sum();
        let width = widest.max((area as f64).sqrt().ceil() as u32).min(max);
        let (positions, height) = pack(&sizes, width);
        if widest > max || height > max {
            return Err(DecalGpuError::AtlasTooLarge {
                width: widest.max(width),
                height,
                max,
            });
        }
        scene.decals = Some(self.build_decals(decals, (width, height.max(1)), &positions));
        self.update_decal_masks(scene);
        Ok(())
    }

    /// Removes every decal from a scene.
    pub fn clear_decals(&self, scene: &mut GpuScene) {
        scene.decals = None;
        self.update_decal_masks(scene);
    }

    /// Writes, for every draw, which decals it receives: UV decals go to
    /// the draws whose default or variant material has the slot's material
    /// name; projected decals to every draw (or those of the named meshes).
    pub(super) fn update_decal_masks(&self, scene: &mut GpuScene) {
        let targets = scene
            .decals
            .as_ref()
            .map(|d| d.targets.clone())
            .unwrap_or_default();
        for i in 0..scene.draws.len() {
            let d = &scene.draws[i];
            let names = [d.material, Some(scene.variant_material_index(d))];
            let material_named = |name: &str| {
                names.iter().flatten().any(|&m| {
                    scene.scene.materials.get(m).and_then(|m| m.name.as_deref()) == Some(name)
                })
            };
            let mesh = scene
                .scene
                .instances
                .get(d.instance)
                .and_then(|inst| scene.scene.meshes.get(inst.mesh))
                .and_then(|m| m.name.as_deref());
            let mut mask = 0u32;
            for (bit, t) in targets.iter().enumerate() {
                let hit = match t {
                    Placement::Uv { material, .. } => material_named(material),
                    Placement::Projector { meshes, .. } => {
                        meshes.is_empty() || mesh.is_some_and(|m| meshes.iter().any(|n| n == m))
                    }
                };
                if hit {
                    mask |= 1 << bit;
                }
            }
            scene.draws[i].decal_mask = mask;
            let d = &scene.draws[i];
            let sign = if d.mirrored { -1.0f32 } else { 1.0 };
            // `flags` follows the two matrices of DrawUniform.
            let offset = u64::from(d.draw_offset) + 128;
            self.ctx.queue.write_buffer(
                &scene.draw_uniforms,
                offset,
                bytemuck::bytes_of(&[sign, mask as f32, 0.0, 0.0]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelves_do_not_overlap() {
        let sizes = [(600, 120), (300, 300), (50, 40), (500, 120)];
        let (pos, height) = pack(&sizes, 1000);
        let rects: Vec<_> = pos
            .iter()
            .zip(&sizes)
            .map(|(&(x, y), &(w, h))| (x, y, x + w, y + h))
            .collect();
        for (i, a) in rects.iter().enumerate() {
            assert!(a.2 <= 1000 && a.3 <= height, "{a:?} outside");
            for b in &rects[i + 1..] {
                let apart = a.2 + GUTTER <= b.0
                    || b.2 + GUTTER <= a.0
                    || a.3 + GUTTER <= b.1
                    || b.3 + GUTTER <= a.1;
                assert!(apart, "{a:?} and {b:?} overlap or touch");
            }
        }
    }
}
