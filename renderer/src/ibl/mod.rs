//! Image-based lighting, precomputed on the GPU with compute shaders:
//! equirectangular HDR → radiance cube (with a mip chain) → GGX-prefiltered
//! specular cube (one roughness per mip) + diffuse irradiance cube, and the
//! split-sum BRDF lookup table. Results are cached on disk (see [`cache`]).

pub mod cache;

use crate::shaders;
use std::sync::OnceLock;

/// Texture format of the IBL cubes on this device: 32-bit float where it can be
/// filtered, so a sun (often > 65504, the half-float limit: a quarter of the
/// energy of `spruit_sunrise`) keeps its energy; half float elsewhere.
pub fn cube_format(device: &wgpu::Device) -> wgpu::TextureFormat {
    if device
        .features()
        .contains(wgpu::Features::FLOAT32_FILTERABLE)
    {
        wgpu::TextureFormat::Rgba32Float
    } else {
        wgpu::TextureFormat::Rgba16Float
    }
}
/// Face size of the diffuse irradiance cube.
pub const IRRADIANCE_SIZE: u32 = 32;
/// Face size of the radiance mip the irradiance is integrated from.
pub const IRRADIANCE_SOURCE_SIZE: u32 = 16;
/// Face size of the smallest (roughness 1) prefiltered mip.
pub const MIN_SPECULAR_SIZE: u32 = 8;
/// Size of the BRDF lookup table (N·V × roughness).
pub const BRDF_LUT_SIZE: u32 = 128;
/// GGX samples per prefiltered texel of mip 1; each smaller mip takes 4× as many
/// (the same work per level, up to [`MAX_PREFILTER_SAMPLES`]): a wide lobe sampled
/// sparsely has to read very coarse source mips, which smear a small bright light
/// (a lamp, the sun) far beyond the lobe.
pub const PREFILTER_SAMPLES: u32 = 128;
/// Upper bound of the GGX samples per prefiltered texel.
pub const MAX_PREFILTER_SAMPLES: u32 = 4096;

/// GGX samples per texel for prefiltered mip `mip` (≥ 1).
pub fn prefilter_samples(mip: u32) -> u32 {
    PREFILTER_SAMPLES
        .saturating_mul(1 << (2 * (mip.max(1) - 1)).min(30))
        .min(MAX_PREFILTER_SAMPLES)
}

/// Bumped whenever the baked data would change, so stale cache entries are ignored.
pub const BAKE_VERSION: u32 = 5;

/// GGX α of the narrowest prefiltered lobe that a cube face of `size` texels can
/// hold: the half-width at half maximum of the reflected lobe (about 1.29 α for
/// small α: the half-vector NDF falls to half at tan θh ≈ 0.64 α, and the
/// reflection doubles the angle) equals one texel (π / 2 / size). Narrower lobes
/// are read from the unfiltered mip 0.
pub fn mirror_alpha(size: u32) -> f32 {
    (std::f32::consts::FRAC_PI_2 / 1.29 / size as f32).min(1.0)
}

/// GGX α prefiltered into mip `mip` of `mips` (mip 0 is the mirror): α grows by a
/// constant factor per level, from [`mirror_alpha`] to 1, so neighbouring levels
/// hold lobes of a constant width ratio (about 3× for a 256 face and 6 levels)
/// and the trilinear blend between two levels approximates an intermediate lobe
/// at every roughness. The surface shader inverts this (`specular_lod`).
pub fn level_alpha(mip: u32, mips: u32, size: u32) -> f32 {
    let a0 = mirror_alpha(size);
    if mips <= 1 {
        return 1.0;
    }
    a0 * (1.0 / a0).powf(mip as f32 / (mips - 1) as f32)
}

/// An environment ready for shading: prefiltered specular and irradiance cubes.
#[derive(Debug)]
pub struct GpuEnvironment {
    /// Prefiltered specular cube: mip `i` holds GGX α = [`level_alpha`]`(i, ..)`.
    pub specular: wgpu::Texture,
    /// Cube view of [`Self::specular`] (all mips).
    pub specular_view: wgpu::TextureView,
    /// Diffuse irradiance cube (E/π).
    pub irradiance: wgpu::Texture,
    /// Cube view of [`Self::irradiance`].
    pub irradiance_view: wgpu::TextureView,
}

impl GpuEnvironment {
    /// Number of prefiltered mips (roughness steps).
    pub fn specular_mips(&self) -> u32 {
        self.specular.mip_level_count()
    }

    /// Create empty cubes for a specular face size (filled by baking or from the cache).
    pub fn allocate(device: &wgpu::Device, specular_size: u32) -> Self {
        let mips = specular_mip_count(specular_size);
        let specular = cube_texture(device, "env specular", specular_size, mips);
        let irradiance = cube_texture(device, "env irradiance", IRRADIANCE_SIZE, 1);
        Self {
            specular_view: cube_view(&specular),
            irradiance_view: cube_view(&irradiance),
            specular,
            irradiance,
        }
    }
}

/// Number of specular mips from `size` down to [`MIN_SPECULAR_SIZE`].
pub fn specular_mip_count(size: u32) -> u32 {
    (size.max(MIN_SPECULAR_SIZE) / MIN_SPECULAR_SIZE).ilog2() + 1
}

/// Cube face size for an equirectangular image `width` pixels wide: one face
/// spans 90°, a quarter of the width, rounded up to a power of two.
pub fn cube_size_for(width: u32) -> u32 {
    (width / 4).next_power_of_two().clamp(64, 1024)
}

fn cube_texture(device: &wgpu::Device, label: &str, size: u32, mips: u32) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: size,
            height: size,
            depth_or_array_layers: 6,
        },
        mip_level_count: mips,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: cube_format(device),
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::STORAGE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

fn cube_view(t: &wgpu::Texture) -> wgpu::TextureView {
    t.create_view(&wgpu::TextureViewDescriptor {
        label: Some("cube view"),
        dimension: Some(wgpu::TextureViewDimension::Cube),
        ..Default::default()
    })
}

fn level_view(t: &wgpu::Texture, mip: u32) -> wgpu::TextureView {
    t.create_view(&wgpu::TextureViewDescriptor {
        label: Some("cube level"),
        dimension: Some(wgpu::TextureViewDimension::D2Array),
        base_mip_level: mip,
        mip_level_count: Some(1),
        ..Default::default()
    })
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct PrefilterParams {
    roughness: f32,
    sample_count: u32,
    src_size: f32,
    src_mips: f32,
}

/// Compute pipelines of the IBL bake, created once on first use.
#[derive(Debug, Default)]
pub struct IblBaker {
    pipelines: OnceLock<Pipelines>,
}

#[derive(Debug)]
struct Pipelines {
    equirect: wgpu::ComputePipeline,
    downsample: wgpu::ComputePipeline,
    prefilter: wgpu::ComputePipeline,
    irradiance: wgpu::ComputePipeline,
    brdf: wgpu::ComputePipeline,
    linear: wgpu::Sampler,
}

fn compute(device: &wgpu::Device, s: &shaders::ShaderSource) -> wgpu::ComputePipeline {
    let mut src = s.source();
    if cube_format(device) == wgpu::TextureFormat::Rgba32Float {
        src = src.replace(
            "texture_storage_2d_array<rgba16float",
            "texture_storage_2d_array<rgba32float",
        );
    }
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(s.name),
        source: wgpu::ShaderSource::Wgsl(src.into()),
    });
    device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(s.name),
        layout: None,
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    })
}

fn dispatch(
    enc: &mut wgpu::CommandEncoder,
    pipeline: &wgpu::ComputePipeline,
    bind: &wgpu::BindGroup,
    size: u32,
    layers: u32,
) {
    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
    pass.set_pipeline(pipeline);
    pass.set_bind_group(0, bind, &[]);
    pass.dispatch_workgroups(size.div_ceil(8), size.div_ceil(8), layers);
}

impl IblBaker {
    fn pipelines(&self, device: &wgpu::Device) -> &Pipelines {
        self.pipelines.get_or_init(|| Pipelines {
            equirect: compute(device, &shaders::EQUIRECT_TO_CUBE),
            downsample: compute(device, &shaders::CUBE_DOWNSAMPLE),
            prefilter: compute(device, &shaders::PREFILTER),
            irradiance: compute(device, &shaders::IRRADIANCE),
            brdf: compute(device, &shaders::BRDF_LUT),
            linear: device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some("ibl linear"),
                address_mode_u: wgpu::AddressMode::Repeat,
                address_mode_v: wgpu::AddressMode::ClampToEdge,
                address_mode_w: wgpu::AddressMode::ClampToEdge,
                mag_filter: wgpu::FilterMode::Linear,
                min_filter: wgpu::FilterMode::Linear,
                mipmap_filter: wgpu::MipmapFilterMode::Linear,
                ..Default::default()
            }),
        })
    }

    /// Bake an equirectangular radiance image (`rgb`: 3 linear floats per pixel,
    /// rows top-down) into prefiltered cubes. Submits GPU work; does not wait.
    pub fn bake(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        width: u32,
        height: u32,
        rgb: &[f32],
    ) -> GpuEnvironment {
        let p = self.pipelines(device);
        let format = cube_format(device);
        let texels: Vec<u8> = if format == wgpu::TextureFormat::Rgba32Float {
            let v: Vec<f32> = rgb
                .chunks_exact(3)
                .flat_map(|c| [c[0], c[1], c[2], 1.0])
                .collect();
            bytemuck::cast_slice(&v).to_vec()
        } else {
            // Half floats stop at 65504: a brighter sun is clamped on such devices.
            let v: Vec<half::f16> = rgb
                .chunks_exact(3)
                .flat_map(|c| {
                    [c[0], c[1], c[2], 1.0].map(|v| half::f16::from_f32(v.clamp(0.0, 65504.0)))
                })
                .collect();
            bytemuck::cast_slice(&v).to_vec()
        };
        let texel_size = format.block_copy_size(None).unwrap_or(8);
        let src = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("equirect"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        queue.write_texture(
            src.as_image_copy(),
            &texels,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(width * texel_size),
                rows_per_image: Some(height),
            },
            src.size(),
        );

        let size = cube_size_for(width);
        let src_mips = size.ilog2() + 1;
        let radiance = cube_texture(device, "env radiance", size, src_mips);
        let env = GpuEnvironment::allocate(device, size);
        let mut enc = device.create_command_encoder(&Default::default());

        // 1. Equirect → cube mip 0.
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &p.equirect.get_bind_group_layout(0),
            entries: &[
                entry(
                    0,
                    wgpu::BindingResource::TextureView(&src.create_view(&Default::default())),
                ),
                entry(1, wgpu::BindingResource::Sampler(&p.linear)),
                entry(
                    2,
                    wgpu::BindingResource::TextureView(&level_view(&radiance, 0)),
                ),
            ],
        });
        dispatch(&mut enc, &p.equirect, &bind, size, 6);

        // 2. Mip chain of the radiance cube.
        for mip in 1..src_mips {
            let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &p.downsample.get_bind_group_layout(0),
                entries: &[
                    entry(
                        0,
                        wgpu::BindingResource::TextureView(&level_view(&radiance, mip - 1)),
                    ),
                    entry(
                        1,
                        wgpu::BindingResource::TextureView(&level_view(&radiance, mip)),
                    ),
                ],
            });
            dispatch(&mut enc, &p.downsample, &bind, size >> mip, 6);
        }

        // 3. Specular: mip 0 is the mirror, the rest prefiltered (see `level_alpha`).
        enc.copy_texture_to_texture(
            radiance.as_image_copy(),
            env.specular.as_image_copy(),
            wgpu::Extent3d {
                width: size,
                height: size,
                depth_or_array_layers: 6,
            },
        );
        let radiance_cube = cube_view(&radiance);
        let mips = env.specular_mips();
        for mip in 1..mips {
            let params = PrefilterParams {
                roughness: level_alpha(mip, mips, size).sqrt(),
                sample_count: prefilter_samples(mip),
                src_size: size as f32,
                src_mips: src_mips as f32,
            };
            let ubuf = wgpu::util::DeviceExt::create_buffer_init(
                device,
                &wgpu::util::BufferInitDescriptor {
                    label: Some("prefilter params"),
                    contents: bytemuck::bytes_of(&params),
                    usage: wgpu::BufferUsages::UNIFORM,
                },
            );
            let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &p.prefilter.get_bind_group_layout(0),
                entries: &[
                    entry(0, wgpu::BindingResource::TextureView(&radiance_cube)),
                    entry(1, wgpu::BindingResource::Sampler(&p.linear)),
                    entry(
                        2,
                        wgpu::BindingResource::TextureView(&level_view(&env.specular, mip)),
                    ),
                    entry(3, ubuf.as_entire_binding()),
                ],
            });
            dispatch(&mut enc, &p.prefilter, &bind, size >> mip, 6);
        }

        // 4. Irradiance from a small radiance mip.
        let src_mip = (size / IRRADIANCE_SOURCE_SIZE).max(1).ilog2();
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &p.irradiance.get_bind_group_layout(0),
            entries: &[
                entry(
                    0,
                    wgpu::BindingResource::TextureView(&level_view(&radiance, src_mip)),
                ),
                entry(
                    1,
                    wgpu::BindingResource::TextureView(&level_view(&env.irradiance, 0)),
                ),
            ],
        });
        dispatch(&mut enc, &p.irradiance, &bind, IRRADIANCE_SIZE, 6);
        queue.submit([enc.finish()]);
        env
    }

    /// Compute the split-sum BRDF lookup table (r = A, g = B; b = the sheen
    /// albedo, a = the tilt of the sheen lobe's mean direction, see `brdf_lut.wgsl`).
    pub fn brdf_lut(&self, device: &wgpu::Device, queue: &wgpu::Queue) -> wgpu::Texture {
        let p = self.pipelines(device);
        let lut = brdf_lut_texture(device);
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &p.brdf.get_bind_group_layout(0),
            entries: &[entry(
                0,
                wgpu::BindingResource::TextureView(&lut.create_view(&Default::default())),
            )],
        });
        let mut enc = device.create_command_encoder(&Default::default());
        dispatch(&mut enc, &p.brdf, &bind, BRDF_LUT_SIZE, 1);
        queue.submit([enc.finish()]);
        lut
    }
}

/// An empty BRDF lookup table texture.
pub fn brdf_lut_texture(device: &wgpu::Device) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some("brdf lut"),
        size: wgpu::Extent3d {
            width: BRDF_LUT_SIZE,
            height: BRDF_LUT_SIZE,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba16Float,
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::STORAGE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

fn entry(binding: u32, resource: wgpu::BindingResource<'_>) -> wgpu::BindGroupEntry<'_> {
    wgpu::BindGroupEntry { binding, resource }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_alpha_spans_mirror_to_one_geometrically() {
        let size = 256;
        let mips = specular_mip_count(size);
        assert_eq!(mips, 6);
        let a: Vec<f32> = (0..mips).map(|m| level_alpha(m, mips, size)).collect();
        assert!((a[0] - mirror_alpha(size)).abs() < 1e-6);
        assert!((a[mips as usize - 1] - 1.0).abs() < 1e-5);
        let ratio = a[1] / a[0];
        for w in a.windows(2) {
            assert!(w[1] > w[0]);
            assert!((w[1] / w[0] - ratio).abs() < 1e-3 * ratio);
        }
        // A one-texel lobe: 1.29 α0 ≈ π / 2 / 256.
        assert!((1.29 * a[0] - std::f32::consts::FRAC_PI_2 / 256.0).abs() < 1e-6);
        assert_eq!(level_alpha(0, 1, 8), 1.0);
    }

    #[test]
    fn prefilter_samples_grow_with_the_mip_and_are_capped() {
        assert_eq!(prefilter_samples(1), PREFILTER_SAMPLES);
        assert_eq!(prefilter_samples(2), 4 * PREFILTER_SAMPLES);
        assert_eq!(prefilter_samples(40), MAX_PREFILTER_SAMPLES);
        for m in 1..10 {
            assert!(prefilter_samples(m + 1) >= prefilter_samples(m));
        }
    }
}
