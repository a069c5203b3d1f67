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
    let padded =
        row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("readback"),
        size: u64::from(padded) * u64::from(h) * u64::from(layers),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("readback"),
    });
    enc.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture,
            mip_level: mip,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(h),
            },
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: layers,
        },
    );
    queue.submit([enc.finish()]);
    let slice = buffer.slice(..);
    let (tx, rx) = std::sync::mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    device.poll(wgpu::PollType::wait_indefinitely())?;
    rx.recv().unwrap_or(Err(wgpu::BufferAsyncError))?;
    let data = slice.get_mapped_range()?;
    let mut out = Vec::with_capacity((row * h * layers) as usize);
    for y in 0..(h * layers) as usize {
        let start = y * padded as usize;
        out.extend_from_slice(&data[start..start + row as usize]);
    }
    drop(data);
    buffer.unmap();
    Ok(out)
}
