//! On-disk cache of baked IBL data, keyed by the environment file's content hash,
//! so a second start skips the GPU bake. Entries are written atomically (temp file
//! + rename); a corrupt or mismatched entry is ignored and rebaked.

use super::{BAKE_VERSION, GpuEnvironment, IRRADIANCE_SIZE, brdf_lut_texture, cube_format};
use crate::gpu::{ReadbackError, read_texture_level};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"SRIBL002";
const LUT_MAGIC: &[u8; 8] = b"SRLUT001";
const TEXEL: usize = 8; // the BRDF table is Rgba16Float

/// A cache read or write failed.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// File system error.
    #[error("IBL cache {path}: {source}")]
    Io {
        /// The cache file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Reading the baked data back from the GPU failed.
    #[error("IBL cache readback: {0}")]
    Readback(#[from] ReadbackError),
}

/// The cache folder: `$SHOWROOM_CACHE_DIR`, else the user cache dir + `showroom`.
pub fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("SHOWROOM_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("showroom")))
}

/// Cache file for an environment with content hash `hash`.
pub fn environment_path(dir: &Path, hash: &str) -> PathBuf {
    dir.join(format!("ibl-{hash}-v{BAKE_VERSION}.bin"))
}

/// Cache file of the BRDF lookup table.
pub fn brdf_lut_path(dir: &Path) -> PathBuf {
    dir.join(format!("brdf-lut-v{BAKE_VERSION}.bin"))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let io = |source| CacheError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Read back a baked environment and store it at `path`.
pub fn save_environment(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    env: &GpuEnvironment,
    path: &Path,
) -> Result<(), CacheError> {
    let size = env.specular.width();
    let mips = env.specular_mips();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(MAGIC);
    let texel = env.specular.format().block_copy_size(None).unwrap_or(8);
    for v in [size, mips, IRRADIANCE_SIZE, texel] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    for mip in 0..mips {
        bytes.extend(read_texture_level(device, queue, &env.specular, mip)?);
    }
    bytes.extend(read_texture_level(device, queue, &env.irradiance, 0)?);
    write_atomic(path, &bytes)
}

fn level_bytes(size: u32, mip: u32, texel: usize) -> usize {
    let s = (size >> mip).max(1) as usize;
    s * s * 6 * texel
}

fn upload_level(queue: &wgpu::Queue, tex: &wgpu::Texture, mip: u32, data: &[u8]) {
    let s = (tex.width() >> mip).max(1);
    let texel = tex.format().block_copy_size(None).unwrap_or(8);
    queue.write_texture(
        wgpu::TexelCopyTextureInfo {
            texture: tex,
            mip_level: mip,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        data,
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(s * texel),
            rows_per_image: Some(s),
        },
        wgpu::Extent3d {
            width: s,
            height: s,
            depth_or_array_layers: tex.depth_or_array_layers(),
        },
    );
}

/// Load a cached environment; `None` when absent, corrupt or from another version.
pub fn load_environment(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    path: &Path,
) -> Option<GpuEnvironment> {
    let bytes = std::fs::read(path).ok()?;
    let header = bytes.get(..24)?;
    if &header[..8] != MAGIC {
        return None;
    }
    let word =
        |i: usize| u32::from_le_bytes(header[8 + 4 * i..12 + 4 * i].try_into().unwrap_or_default());
    let (size, mips, irr, texel) = (word(0), word(1), word(2), word(3));
    let format = cube_format(device);
    if !size.is_power_of_two()
        || size > 4096
        || irr != IRRADIANCE_SIZE
        || Some(texel) != format.block_copy_size(None)
    {
        return None;
    }
    let texel = texel as usize;
    let env = GpuEnvironment::allocate(device, size);
    if env.specular_mips() != mips {
        return None;
    }
    let expected: usize = (0..mips)
        .map(|m| level_bytes(size, m, texel))
        .sum::<usize>()
        + level_bytes(irr, 0, texel);
    if bytes.len() != 24 + expected {
        tracing::warn!(path = %path.display(), "IBL cache entry has the wrong size; rebaking");
        return None;
    }
    let mut at = 24;
    for mip in 0..mips {
        let n = level_bytes(size, mip, texel);
        upload_level(queue, &env.specular, mip, &bytes[at..at + n]);
        at += n;
    }
    upload_level(queue, &env.irradiance, 0, &bytes[at..]);
    Some(env)
}

/// Store the BRDF lookup table.
pub fn save_brdf_lut(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    lut: &wgpu::Texture,
    path: &Path,
) -> Result<(), CacheError> {
    let mut bytes = LUT_MAGIC.to_vec();
    bytes.extend(read_texture_level(device, queue, lut, 0)?);
    write_atomic(path, &bytes)
}

/// Load the BRDF lookup table; `None` when absent or corrupt.
pub fn load_brdf_lut(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    path: &Path,
) -> Option<wgpu::Texture> {
    let bytes = std::fs::read(path).ok()?;
    let lut = brdf_lut_texture(device);
    let (w, h) = (lut.width(), lut.height());
    if bytes.get(..8)? != LUT_MAGIC || bytes.len() != 8 + (w * h) as usize * TEXEL {
        return None;
    }
    queue.write_texture(
        lut.as_image_copy(),
        &bytes[8..],
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(w * TEXEL as u32),
            rows_per_image: Some(h),
        },
        lut.size(),
    );
    Some(lut)
}
