//! The surface pass: the product's draws into the HDR target, in one render
//! pass, or in two around a backdrop copy when a transmissive surface must
//! see the opaque scene behind it.

use super::ground::GroundPass;
use super::pipelines::{CullKey, PipelineKey, Pipelines};
use super::targets::Targets;
use super::{DrawItem, GpuDecals, GpuScene};
use glam::Mat4;

/// One draw of the pass, with its pipeline.
pub(super) type Draw<'a> = (PipelineKey, &'a DrawItem);

/// What one frame's surface pass draws, in order.
pub(super) struct SurfaceDraws<'a> {
    /// Opaque and masked, grouped by pipeline, front to back.
    pub opaque: Vec<Draw<'a>>,
    /// Opaque transmissive surfaces: drawn after the backdrop copy.
    pub transmissive: Vec<Draw<'a>>,
    /// Blended, back to front.
    pub blended: Vec<Draw<'a>>,
}

impl<'a> SurfaceDraws<'a> {
    /// The visible draws of `scene` with their pipeline keys, in drawing
    /// order: opaque and masked grouped by pipeline, front to back (early
    /// depth tests skip hidden fragments on GPUs; llvmpipe's multisampled
    /// path shades them anyway: docs/performance.md); transmissive after
    /// the backdrop copy; blended back to front. `view` is the camera's
    /// view matrix; `lights` and `ssao` say what the frame has.
    pub fn collect(scene: &'a GpuScene, view: &Mat4, lights: bool, ssao: bool) -> Self {
        let mut opaque = Vec::new();
        let mut blended = Vec::new();
        for d in scene.draws.iter().filter(|d| d.visible) {
            let m = scene.material_of(d);
            if m.invisible {
                continue;
            }
            let cull = match (m.double_sided, d.mirrored) {
                (true, _) => CullKey::None,
                (false, false) => CullKey::Back,
                (false, true) => CullKey::Front,
            };
            let key = PipelineKey {
                blend: m.blend,
                mask: m.mask,
                cull,
                layers: m.layers,
                decals: d.decal_mask != 0 && scene.decals.is_some(),
                gem: d.gem && m.layers,
                textures: m.textures,
                orm: m.orm,
                uv_plain: m.uv_plain,
                unlit: m.unlit,
                lights,
                // The shader applies it to the opaque surfaces only.
                ssao: ssao && !m.blend && !m.transmissive,
            };
            // View-space z: more negative is farther.
            let depth = view.transform_point3(d.center).z;
            if m.blend {
                blended.push((depth, key, d));
            } else {
                opaque.push((depth, key, d));
            }
        }
        opaque.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
        blended.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (transmissive, opaque): (Vec<_>, Vec<_>) = opaque
            .into_iter()
            .map(|(_, k, d)| (k, d))
            .partition(|(_, d)| scene.material_of(d).transmissive);
        Self {
            opaque,
            transmissive,
            blended: blended.into_iter().map(|(_, k, d)| (k, d)).collect(),
        }
    }

    /// Every draw, in drawing order.
    pub fn all(&self) -> impl Iterator<Item = &Draw<'a>> {
        self.opaque
            .iter()
            .chain(&self.transmissive)
            .chain(&self.blended)
    }

    /// Whether a transmissive surface needs the backdrop.
    pub fn needs_backdrop(&self, scene: &GpuScene) -> bool {
        !self.transmissive.is_empty()
            || self
                .blended
                .iter()
                .any(|(_, d)| scene.material_of(d).transmissive)
    }
}

/// Everything the pass binds that is not per draw.
pub(super) struct SurfaceBindings<'a> {
    pub scene: &'a GpuScene,
    pub frame: &'a wgpu::BindGroup,
    pub decals: Option<&'a GpuDecals>,
    pub skybox: Option<&'a wgpu::RenderPipeline>,
    pub ground: Option<&'a GroundPass>,
}

fn begin<'e>(
    enc: &'e mut wgpu::CommandEncoder,
    targets: &Targets,
    first: bool,
    last: bool,
) -> wgpu::RenderPass<'e> {
    let (view, resolve) = targets.color_attachment();
    // The samples are kept for the display pass, which resolves them; only a
    // pass followed by the backdrop copy resolves (and keeps its depth).
    let resolve = resolve.filter(|_| !last);
    enc.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some("surface"),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view,
            depth_slice: None,
            resolve_target: resolve,
            ops: wgpu::Operations {
                load: if first {
                    wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT)
                } else {
                    wgpu::LoadOp::Load
                },
                store: wgpu::StoreOp::Store,
            },
        })],
        depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
            view: &targets.depth_view,
            depth_ops: Some(wgpu::Operations {
                load: if first {
                    wgpu::LoadOp::Clear(0.0)
                } else {
                    wgpu::LoadOp::Load
                },
                store: if last {
                    wgpu::StoreOp::Discard
                } else {
                    wgpu::StoreOp::Store
                },
            }),
            stencil_ops: None,
        }),
        ..Default::default()
    })
}

fn draw_all<'a>(
    pass: &mut wgpu::RenderPass<'_>,
    pipelines: &Pipelines,
    scene: &GpuScene,
    draws: impl IntoIterator<Item = &'a Draw<'a>>,
) {
    draw_each(pass, scene, draws, |key| pipelines.get(key));
}

/// Draw each of `draws` with the pipeline `pipeline` gives for its key (set
/// only when it changes), its material and its draw uniforms.
pub(super) fn draw_each<'a, 'p>(
    pass: &mut wgpu::RenderPass<'_>,
    scene: &GpuScene,
    draws: impl IntoIterator<Item = &'a Draw<'a>>,
    pipeline: impl Fn(PipelineKey) -> &'p wgpu::RenderPipeline,
) {
    let mut current: Option<&wgpu::RenderPipeline> = None;
    for &(key, d) in draws {
        let p = pipeline(key);
        if current.is_none_or(|c| !std::ptr::eq(c, p)) {
            pass.set_pipeline(p);
            current = Some(p);
        }
        pass.set_bind_group(1, &scene.material_of(d).bind_group, &[]);
        pass.set_bind_group(2, &scene.draw_bind_group, &[d.draw_offset]);
        pass.draw_indexed(
            d.first_index..d.first_index + d.index_count,
            d.base_vertex,
            0..1,
        );
    }
}

pub(super) fn bind_common(pass: &mut wgpu::RenderPass<'_>, b: &SurfaceBindings<'_>) {
    let scene = b.scene;
    pass.set_bind_group(0, b.frame, &[]);
    if let Some(decals) = b.decals {
        pass.set_bind_group(3, &decals.bind_group, &[]);
    }
    pass.set_vertex_buffer(0, scene.vertices.slice(..));
    pass.set_index_buffer(scene.indices.slice(..), wgpu::IndexFormat::Uint32);
}

/// Record the surface pass. With a `backdrop`, the opaque scene (and the
/// environment background) is drawn first, resolved and copied into it with
/// its mip chain, and the transmissive and blended surfaces follow in a
/// second pass over the same samples and depth. The ground shadow goes after
/// the opaque surfaces and under the blended ones.
pub(super) fn record(
    enc: &mut wgpu::CommandEncoder,
    device: &wgpu::Device,
    pipelines: &Pipelines,
    mips: &mut super::mipmap::MipGenerator,
    targets: &Targets,
    draws: &SurfaceDraws<'_>,
    b: &SurfaceBindings<'_>,
) {
    let scene = b.scene;
    let backdrop = targets.backdrop().filter(|_| draws.needs_backdrop(scene));
    {
        let mut pass = begin(enc, targets, true, backdrop.is_none());
        bind_common(&mut pass, b);
        if let Some(sky) = b.skybox {
            pass.set_pipeline(sky);
            pass.draw(0..3, 0..1);
        }
        draw_all(&mut pass, pipelines, scene, &draws.opaque);
        if backdrop.is_none() {
            finish(&mut pass, pipelines, draws, b);
            return;
        }
    }
    let backdrop = backdrop.expect("checked above");
    enc.copy_texture_to_texture(
        targets.resolve.as_image_copy(),
        backdrop.texture.as_image_copy(),
        targets.resolve.size(),
    );
    mips.record(device, enc, &backdrop.chain);
    let mut pass = begin(enc, targets, false, true);
    bind_common(&mut pass, b);
    finish(&mut pass, pipelines, draws, b);
}

/// The transmissive opaque surfaces, the ground shadow, the blended ones.
fn finish(
    pass: &mut wgpu::RenderPass<'_>,
    pipelines: &Pipelines,
    draws: &SurfaceDraws<'_>,
    b: &SurfaceBindings<'_>,
) {
    let scene = b.scene;
    draw_all(pass, pipelines, scene, &draws.transmissive);
    if let Some(g) = b.ground {
        g.draw(pass);
        // The ground pass binds its own group 3.
        if let Some(decals) = b.decals {
            pass.set_bind_group(3, &decals.bind_group, &[]);
        }
    }
    draw_all(pass, pipelines, scene, &draws.blended);
}
