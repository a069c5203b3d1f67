//! Mip chain generation on the GPU: one render pass per level, each sampling the
//! level above bilinearly. Base-colour and emissive textures go through their sRGB
//! view so averaging happens in linear light.

use super::layouts::{sampler, texture_entry};
use super::pipelines::fullscreen_pipeline;
use crate::shaders;
use std::collections::HashMap;

/// Mip generator: a pipeline per target format, built once.
#[derive(Debug)]
pub struct MipGenerator {
    module: wgpu::ShaderModule,
    layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    sampler: wgpu::Sampler,
    pipelines: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
}

impl MipGenerator {
    /// Create the shared layout and sampler.
    pub fn new(device: &wgpu::Device) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("mipmap"),
            entries: &[
                texture_entry(0, wgpu::TextureViewDimension::D2, true),
                sampler(1),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("mipmap"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        Self {
            module: shaders::MIPMAP.create(device),
            layout,
            pipeline_layout,
            sampler: device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some("mipmap"),
                mag_filter: wgpu::FilterMode::Linear,
                min_filter: wgpu::FilterMode::Linear,
                ..Default::default()
            }),
            pipelines: HashMap::new(),
        }
    }

    fn pipeline(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> &wgpu::RenderPipeline {
        let (module, layout) = (&self.module, &self.pipeline_layout);
        self.pipelines.entry(format).or_insert_with(|| {
            fullscreen_pipeline(
                device,
                "mipmap",
                layout,
                module,
                "fs_main",
                &[Some(format.into())],
                None,
                1,
                &[],
            )
        })
    }

    /// Views and bind groups for generating `texture`'s mip chain viewed as
    /// `format`: made once for a texture that is regenerated often.
    pub fn chain(
        &self,
        device: &wgpu::Device,
        texture: &wgpu::Texture,
        format: wgpu::TextureFormat,
    ) -> MipChain {
        let views: Vec<_> = (0..texture.mip_level_count())
            .map(|mip| {
                texture.create_view(&wgpu::TextureViewDescriptor {
                    label: Some("mip"),
                    format: Some(format),
                    base_mip_level: mip,
                    mip_level_count: Some(1),
                    ..Default::default()
                })
            })
            .collect();
        let binds = views
            .iter()
            .take(views.len().saturating_sub(1))
            .map(|source| {
                device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("mip"),
                    layout: &self.layout,
                    entries: &[
                        wgpu::BindGroupEntry {
                            binding: 0,
                            resource: wgpu::BindingResource::TextureView(source),
                        },
                        wgpu::BindGroupEntry {
                            binding: 1,
                            resource: wgpu::BindingResource::Sampler(&self.sampler),
                        },
                    ],
                })
            })
            .collect();
        MipChain {
            format,
            views,
            binds,
        }
    }

    /// Record the generation of every mip level below 0, viewing the texture as `format`.
    pub fn generate(
        &mut self,
        device: &wgpu::Device,
        enc: &mut wgpu::CommandEncoder,
        texture: &wgpu::Texture,
        format: wgpu::TextureFormat,
    ) {
        let chain = self.chain(device, texture, format);
        self.record(device, enc, &chain);
    }

    /// Record the generation of `chain`'s levels below 0 from level 0.
    pub fn record(
        &mut self,
        device: &wgpu::Device,
        enc: &mut wgpu::CommandEncoder,
        chain: &MipChain,
    ) {
        let pipeline = self.pipeline(device, chain.format).clone();
        for (bind, target) in chain.binds.iter().zip(&chain.views[1..]) {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("mip"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                ..Default::default()
            });
            pass.set_pipeline(&pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.draw(0..3, 0..1);
        }
    }
}

/// The per-level views and bind groups of one texture's mip generation.
#[derive(Debug)]
pub struct MipChain {
    format: wgpu::TextureFormat,
    views: Vec<wgpu::TextureView>,
    /// `binds[i]` samples level `i` to draw level `i + 1`.
    binds: Vec<wgpu::BindGroup>,
}
