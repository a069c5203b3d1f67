//! Screenshots of the window: the surface texture as presented (product and
//! panel), copied in the frame's own submission and written as PNG.

use anyhow::Context;
use showroom::gpu::StagingBuffer;
use showroom::wgpu;
use std::path::Path;

/// A copy of the surface texture recorded into the frame's encoder.
pub struct PendingCapture {
    staging: StagingBuffer,
    format: wgpu::TextureFormat,
    size: (u32, u32),
}

impl PendingCapture {
    /// Record the copy of `texture` (a surface texture with `COPY_SRC`).
    pub fn record(
        device: &wgpu::Device,
        enc: &mut wgpu::CommandEncoder,
        texture: &wgpu::Texture,
    ) -> anyhow::Result<Self> {
        let staging = StagingBuffer::new(device, texture, 0)?;
        staging.record_copy(enc, texture);
        Ok(Self {
            staging,
            format: texture.format(),
            size: (texture.width(), texture.height()),
        })
    }

    /// After the submission: read the pixels back and write them to `path`.
    pub fn write(self, device: &wgpu::Device, path: &Path) -> anyhow::Result<()> {
        let mapped = self.staging.map();
        let mut px = self.staging.read(device, mapped)?;
        match self.format {
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb => {
                for p in px.chunks_exact_mut(4) {
                    p.swap(0, 2);
                }
            }
            wgpu::TextureFormat::Rgba8Unorm | wgpu::TextureFormat::Rgba8UnormSrgb => {}
            f => anyhow::bail!("cannot write a screenshot of a {f:?} surface"),
        }
        // The window is opaque: whatever alpha the compositor was given.
        for p in px.chunks_exact_mut(4) {
            p[3] = 255;
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        image::RgbaImage::from_raw(self.size.0, self.size.1, px)
            .context("screenshot size")?
            .save(path)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}
