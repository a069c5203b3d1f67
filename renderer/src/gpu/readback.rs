//! Reading textures back to the CPU, with rows padded to 256 bytes as wgpu requires.

/// A readback failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadbackError {
    /// Mapping the staging buffer failed (device lost or out of memory).
    #[error("could not map the readback buffer: {0}")]
    Map(#[from] wgpu::BufferAsyncError),
    /// The device did not finish the work.
    #[error("waiting for the GPU failed: {0}")]
    Poll(#[from] wgpu::PollError),
    /// The mapped range could not be viewed.
    #[error("could not view the mapped readback buffer: {0}")]
    MapRange(#[from] wgpu::MapRangeError),
    /// The texture format has no fixed texel size.
    #[error("texture format {0:?} cannot be read back")]
    Format(wgpu::TextureFormat),
}

/// A mappable buffer sized for one mip level of a texture (every layer), with
/// rows padded to 256 bytes. Reused between frames so warm renders allocate
/// nothing; the copy can be recorded into the frame's own command encoder.
#[derive(Debug)]
pub struct StagingBuffer {
    buffer: wgpu::Buffer,
    texture_size: (u32, u32, u32),
    format: wgpu::TextureFormat,
    mip: u32,
    row: u32,
    padded_row: u32,
}

impl StagingBuffer {
    /// A staging buffer for mip `mip` of `texture`.
    pub fn new(
        device: &wgpu::Device,
        texture: &wgpu::Texture,
        mip: u32,
    ) -> Result<Self, ReadbackError> {
        let format = texture.format();
        let bpp = format
            .block_copy_size(None)
            .ok_or(ReadbackError::Format(format))?;
        let (w, h) = (
            (texture.width() >> mip).max(1),
            (texture.height() >> mip).max(1),
        );
        let layers = texture.depth_or_array_layers();
        let row = w * bpp;
        let padded_row =
            row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: u64::from(padded_row) * u64::from(h) * u64::from(layers),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        Ok(Self {
            buffer,
            texture_size: (w, h, layers),
            format,
            mip,
            row,
            padded_row,
        })
    }

    /// Whether this buffer fits mip `mip` of `texture`.
    pub fn fits(&self, texture: &wgpu::Texture, mip: u32) -> bool {
        self.format == texture.format()
            && self.mip == mip
            && self.texture_size
                == (
                    (texture.width() >> mip).max(1),
                    (texture.height() >> mip).max(1),
                    texture.depth_or_array_layers(),
                )
    }

    /// Record the copy of the texture level into this buffer.
    pub fn record_copy(&self, enc: &mut wgpu::CommandEncoder, texture: &wgpu::Texture) {
        let (w, h, layers) = self.texture_size;
        enc.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture,
                mip_level: self.mip,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &self.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(self.padded_row),
                    rows_per_image: Some(h),
                },
            },
            wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: layers,
            },
        );
    }

    /// Start mapping after the copy was submitted; [`Self::read`] waits for it.
    pub fn map(&self) -> std::sync::mpsc::Receiver<Result<(), wgpu::BufferAsyncError>> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.buffer
            .slice(..)
            .map_async(wgpu::MapMode::Read, move |r| {
                let _ = tx.send(r);
            });
        rx
    }

    /// Wait for the mapping started by [`Self::map`] and unpad the rows.
    pub fn read(
        &self,
        device: &wgpu::Device,
        mapped: std::sync::mpsc::Receiver<Result<(), wgpu::BufferAsyncError>>,
    ) -> Result<Vec<u8>, ReadbackError> {
        device.poll(wgpu::PollType::wait_indefinitely())?;
        mapped.recv().unwrap_or(Err(wgpu::BufferAsyncError))?;
        let (_, h, layers) = self.texture_size;
        let slice = self.buffer.slice(..);
        let data = slice.get_mapped_range()?;
        let mut out = Vec::with_capacity((self.row * h * layers) as usize);
        for y in 0..(h * layers) as usize {
            let start = y * self.padded_row as usize;
            out.extend_from_slice(&data[start..start + self.row as usize]);
        }
        drop(data);
        self.buffer.unmap();
        Ok(out)
    }
}

/// Copy mip 0 of a 2D texture into tightly packed rows (top to bottom).
pub fn read_texture(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
) -> Result<Vec<u8>, ReadbackError> {
    read_texture_level(device, queue, texture, 0)
}

/// Copy one mip level of a 2D or 2D-array texture (every layer, one after the
/// other) into tightly packed rows (top to bottom).
pub fn read_texture_level(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
    mip: u32,
) -> Result<Vec<u8>, ReadbackError> {
    let staging = StagingBuffer::new(device, texture, mip)?;
    let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("readback"),
    });
    staging.record_copy(&mut enc, texture);
    queue.submit([enc.finish()]);
    let mapped = staging.map();
    staging.read(device, mapped)
}
