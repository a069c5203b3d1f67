//! Render targets, kept between renders of the same size (warm renders allocate nothing).

use super::mipmap::{MipChain, MipGenerator};
use super::ssao::{SsaoPass, SsaoTargets};
use crate::gpu::{ReadbackError, StagingBuffer};

/// HDR format of the surface pass.
pub const HDR_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba16Float;
/// Depth format (reversed Z).
pub const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
/// Display output: sRGB-encoded by the tone-mapping shader, stored as plain unorm.
pub const DISPLAY_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;
/// Scene-referred output for EXR.
pub const LINEAR_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba16Float;

/// 4× MSAA where the adapter supports it for the HDR and depth formats, else 1×.
pub fn msaa_samples(adapter: &wgpu::Adapter) -> u32 {
    let ok = |f| {
        adapter
            .get_texture_format_features(f)
            .flags
            .sample_count_supported(4)
    };
    if ok(HDR_FORMAT) && ok(DEPTH_FORMAT) {
        4
    } else {
        1
    }
}

/// How many image sizes keep their targets.
pub const TARGET_CACHE: usize = 3;

/// The textures of one image size.
#[derive(Debug)]
pub struct Targets {
    key: (u32, u32, u32, u32, u32),
    msaa_view: Option<wgpu::TextureView>,
    /// Resolved HDR image (premultiplied linear).
    pub resolve: wgpu::Texture,
    /// Its view.
    pub resolve_view: wgpu::TextureView,
    /// Depth buffer view.
    pub depth_view: wgpu::TextureView,
    /// Tone-mapped output at the final size.
    pub display: wgpu::Texture,
    /// Its view.
    pub display_view: wgpu::TextureView,
    /// Staging buffer the display image is copied into.
    pub display_staging: StagingBuffer,
    linear: Option<LinearTarget>,
    backdrop: Option<Backdrop>,
    ssao: Option<SsaoTargets>,
}

/// The opaque scene behind transmissive surfaces: a copy of the resolved HDR
/// image with a full mip chain, which refraction samples at a level set by
/// the roughness. Allocated on the first frame that has a transmissive
/// surface.
#[derive(Debug)]
pub struct Backdrop {
    /// The texture (HDR, premultiplied linear, full mip chain).
    pub texture: wgpu::Texture,
    /// A view of every level.
    pub view: wgpu::TextureView,
    /// Its mip generation, prepared once.
    pub chain: MipChain,
}

/// The scene-referred output (for EXR), allocated on first request.
#[derive(Debug)]
pub struct LinearTarget {
    /// The texture.
    pub texture: wgpu::Texture,
    /// Its view.
    pub view: wgpu::TextureView,
    /// Staging buffer it is copied into.
    pub staging: StagingBuffer,
}

/// A single-level 2D texture.
pub(super) fn texture(
    device: &wgpu::Device,
    label: &str,
    (w, h): (u32, u32),
    samples: u32,
    format: wgpu::TextureFormat,
    usage: wgpu::TextureUsages,
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: samples,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage,
        view_formats: &[],
    })
}

impl Targets {
    /// Reuse the cached targets of this size (most recently used last), else
    /// allocate new ones, keeping at most [`TARGET_CACHE`] sizes: a viewer
    /// that alternates a coarse and a full resolution, or a service with a
    /// few thumbnail sizes, allocates nothing once warm.
    pub fn ensure<'a>(
        cache: &'a mut Vec<Targets>,
        device: &wgpu::Device,
        w: u32,
        h: u32,
        out_w: u32,
        out_h: u32,
        samples: u32,
    ) -> Result<&'a mut Targets, ReadbackError> {
        let key = (w, h, out_w, out_h, samples);
        if let Some(i) = cache.iter().position(|t| t.key == key) {
            let t = cache.remove(i);
            cache.push(t);
        } else {
            if cache.len() >= TARGET_CACHE {
                cache.remove(0);
            }
            use wgpu::TextureUsages as U;
            let view = |t: wgpu::Texture| t.create_view(&Default::default());
            let msaa_view = (samples > 1).then(|| {
                view(texture(
                    device,
                    "msaa colour",
                    (w, h),
                    samples,
                    HDR_FORMAT,
                    // Read (and resolved) by the display pass.
                    U::RENDER_ATTACHMENT | U::TEXTURE_BINDING,
                ))
            });
            let display = texture(
                device,
                "display",
                (out_w, out_h),
                1,
                DISPLAY_FORMAT,
                // Sampled by the viewer, which shows it without a readback.
                U::RENDER_ATTACHMENT | U::COPY_SRC | U::TEXTURE_BINDING,
            );
            let resolve = texture(
                device,
                "hdr",
                (w, h),
                1,
                HDR_FORMAT,
                // Copied into the backdrop of transmissive frames.
                U::RENDER_ATTACHMENT | U::TEXTURE_BINDING | U::COPY_SRC,
            );
            cache.push(Targets {
                key,
                msaa_view,
                resolve_view: view(resolve.clone()),
                resolve,
                depth_view: view(texture(
                    device,
                    "depth",
                    (w, h),
                    samples,
                    DEPTH_FORMAT,
                    U::RENDER_ATTACHMENT,
                )),
                display_view: view(display.clone()),
                display_staging: StagingBuffer::new(device, &display, 0)?,
                display,
                linear: None,
                backdrop: None,
                ssao: None,
            });
        }
        Ok(cache.last_mut().expect("targets were just cached"))
    }

    /// The colour attachment and its resolve target (used only where the
    /// resolved image is copied: the backdrop of transmissive frames).
    pub fn color_attachment(&self) -> (&wgpu::TextureView, Option<&wgpu::TextureView>) {
        match &self.msaa_view {
            Some(m) => (m, Some(&self.resolve_view)),
            None => (&self.resolve_view, None),
        }
    }

    /// What the display pass reads: the multisampled image, which it resolves
    /// itself, or the single-sampled one.
    pub fn display_source(&self) -> &wgpu::TextureView {
        self.msaa_view.as_ref().unwrap_or(&self.resolve_view)
    }

    /// Allocate the linear output texture and its staging buffer on first use.
    pub fn ensure_linear(&mut self, device: &wgpu::Device) -> Result<(), ReadbackError> {
        if self.linear.is_none() {
            let (w, h) = (self.display.width(), self.display.height());
            let t = texture(
                device,
                "linear",
                (w, h),
                1,
                LINEAR_FORMAT,
                wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            );
            let staging = StagingBuffer::new(device, &t, 0)?;
            self.linear = Some(LinearTarget {
                view: t.create_view(&Default::default()),
                texture: t,
                staging,
            });
        }
        Ok(())
    }
}

impl Targets {
    /// Allocate the backdrop (the resolved image's size, full mip chain) on
    /// first use.
    pub fn ensure_backdrop(&mut self, device: &wgpu::Device, mips: &MipGenerator) -> &Backdrop {
        self.backdrop.get_or_insert_with(|| {
            let (w, h) = (self.resolve.width(), self.resolve.height());
            let texture = device.create_texture(&wgpu::TextureDescriptor {
                label: Some("backdrop"),
                size: wgpu::Extent3d {
                    width: w,
                    height: h,
                    depth_or_array_layers: 1,
                },
                mip_level_count: w.max(h).ilog2() + 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: HDR_FORMAT,
                usage: wgpu::TextureUsages::COPY_DST
                    | wgpu::TextureUsages::TEXTURE_BINDING
                    | wgpu::TextureUsages::RENDER_ATTACHMENT,
                view_formats: &[],
            });
            Backdrop {
                view: texture.create_view(&Default::default()),
                chain: mips.chain(device, &texture, HDR_FORMAT),
                texture,
            }
        })
    }

    /// Allocate the ambient-occlusion targets on first use.
    pub fn ensure_ssao(&mut self, device: &wgpu::Device, pass: &SsaoPass) {
        if self.ssao.is_none() {
            let (w, h) = (self.resolve.width(), self.resolve.height());
            self.ssao = Some(pass.targets(device, w, h));
        }
    }

    /// The ambient-occlusion targets, if allocated.
    pub fn ssao(&self) -> Option<&SsaoTargets> {
        self.ssao.as_ref()
    }

    /// The backdrop, if allocated.
    pub fn backdrop(&self) -> Option<&Backdrop> {
        self.backdrop.as_ref()
    }

    /// The linear output texture and its staging buffer, if allocated.
    pub fn linear(&self) -> Option<&LinearTarget> {
        self.linear.as_ref()
    }
}
