//! GPU context: headless adapter selection, device creation and readback helpers.

mod readback;

pub use readback::{ReadbackError, StagingBuffer, read_texture, read_texture_level};

use std::fmt;

/// Why no GPU context could be made.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter was found on any enabled backend.
    #[error(
        "no usable GPU adapter found (backends tried: {backends}). \
         On a machine without a GPU install a software driver: \
         `apt-get install -y mesa-vulkan-drivers` (lavapipe, Vulkan) or \
         `apt-get install -y libegl-mesa0 libgl1-mesa-dri` (llvmpipe, GL); \
         or pick a backend with SHOWROOM_BACKEND=vulkan|gl|metal|dx12"
    )]
    NoAdapter {
        /// The backends that were searched.
        backends: String,
    },
    /// `SHOWROOM_BACKEND` named no known backend.
    #[error("SHOWROOM_BACKEND={0:?} is not a backend; use vulkan, gl, metal, dx12 or a comma list")]
    BadBackend(String),
    /// The adapter refused to create a device.
    #[error("the adapter {adapter} could not create a device: {source}")]
    RequestDevice {
        /// Adapter name.
        adapter: String,
        /// wgpu's reason.
        source: wgpu::RequestDeviceError,
    },
}

/// Options for [`GpuContext::new`].
#[derive(Debug, Clone, Default)]
pub struct GpuOptions {
    /// Backends to search; `None` = `SHOWROOM_BACKEND` from the environment, else all.
    pub backends: Option<wgpu::Backends>,
}

/// A summary of the chosen adapter, for `showroom info` and logs.
#[derive(Debug, Clone)]
pub struct AdapterSummary {
    /// Adapter name (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)").
    pub name: String,
    /// Backend (Vulkan, Gl, …).
    pub backend: wgpu::Backend,
    /// Device type (DiscreteGpu, Cpu, …).
    pub device_type: wgpu::DeviceType,
    /// Driver name and version.
    pub driver: String,
    /// Whether this is a software rasteriser (lavapipe, llvmpipe, WARP, SwiftShader).
    pub software: bool,
}

impl fmt::Display for AdapterSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({:?}, {:?}{}), driver {}",
            self.name,
            self.backend,
            self.device_type,
            if self.software { ", software" } else { "" },
            self.driver
        )
    }
}

/// The GPU: instance, adapter, device and queue.
#[derive(Debug, Clone)]
pub struct GpuContext {
    /// The wgpu instance.
    pub instance: wgpu::Instance,
    /// The chosen adapter.
    pub adapter: wgpu::Adapter,
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// What was chosen, for display.
    pub summary: AdapterSummary,
}

/// Parse a `SHOWROOM_BACKEND` value (`vulkan`, `gl`, `metal`, `dx12`, comma-separated).
pub fn parse_backends(s: &str) -> Result<wgpu::Backends, GpuError> {
    let mut b = wgpu::Backends::empty();
    for part in s.split(',').map(|p| p.trim().to_ascii_lowercase()) {
        b |= match part.as_str() {
            "vulkan" | "vk" => wgpu::Backends::VULKAN,
            "gl" | "gles" | "opengl" | "egl" => wgpu::Backends::GL,
            "metal" | "mtl" => wgpu::Backends::METAL,
            "dx12" | "d3d12" => wgpu::Backends::DX12,
            "all" | "" => wgpu::Backends::all(),
            _ => return Err(GpuError::BadBackend(s.to_string())),
        };
    }
    Ok(b)
}

fn is_software(name: &str, device_type: wgpu::DeviceType) -> bool {
    let n = name.to_ascii_lowercase();
    device_type == wgpu::DeviceType::Cpu
        || ["llvmpipe", "lavapipe", "swiftshader", "warp", "softpipe"]
            .iter()
            .any(|s| n.contains(s))
}

/// Rank an adapter: hardware first (discrete, integrated, virtual), then
/// software; Vulkan before GL among equals.
fn rank(name: &str, device_type: wgpu::DeviceType, backend: wgpu::Backend) -> (u8, u8) {
    let ty = match device_type {
        _ if is_software(name, device_type) => 4,
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    };
    let be = match backend {
        wgpu::Backend::Vulkan | wgpu::Backend::Metal | wgpu::Backend::Dx12 => 0,
        _ => 1,
    };
    (ty, be)
}

fn make_instance(backends: wgpu::Backends) -> wgpu::Instance {
    let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
    desc.backends = backends;
    // Validation layers cost a lot on software drivers; keep wgpu's own checks only.
    desc.flags = wgpu::InstanceFlags::from_env_or_default()
        .difference(wgpu::InstanceFlags::VALIDATION | wgpu::InstanceFlags::DEBUG);
    wgpu::Instance::new(desc)
}

impl GpuContext {
    /// Pick the best adapter and create a device, blocking.
    pub fn new(opts: &GpuOptions) -> Result<Self, GpuError> {
        pollster::block_on(Self::new_async(opts))
    }

    /// Pick the best adapter and create a device.
    pub async fn new_async(opts: &GpuOptions) -> Result<Self, GpuError> {
        let backends = match opts.backends {
            Some(b) => b,
            None => match std::env::var("SHOWROOM_BACKEND") {
                Ok(s) => parse_backends(&s)?,
                Err(_) => wgpu::Backends::all(),
            },
        };
        // Native APIs first; GL (EGL) only when none of them has an adapter, so
        // a Vulkan machine never pays for (or logs about) probing EGL.
        let mut instance = make_instance(backends & wgpu::Backends::PRIMARY);
        let mut adapters = instance
            .enumerate_adapters(backends & wgpu::Backends::PRIMARY)
            .await;
        if adapters.is_empty() && backends.contains(wgpu::Backends::GL) {
            instance = make_instance(wgpu::Backends::GL);
            adapters = instance.enumerate_adapters(wgpu::Backends::GL).await;
        }
        adapters.sort_by_key(|a| {
            let i = a.get_info();
            rank(&i.name, i.device_type, i.backend)
        });
        let Some(adapter) = adapters.into_iter().next() else {
            return Err(GpuError::NoAdapter {
                backends: format!("{backends:?}"),
            });
        };
        let info = adapter.get_info();
        let summary = AdapterSummary {
            name: info.name.clone(),
            backend: info.backend,
            device_type: info.device_type,
            driver: format!("{} {}", info.driver, info.driver_info)
                .trim()
                .to_string(),
            software: is_software(&info.name, info.device_type),
        };
        tracing::info!(adapter = %summary, "GPU adapter chosen");
        let wanted = wgpu::Features::FLOAT32_FILTERABLE
            | wgpu::Features::TEXTURE_ADAPTER_SPECIFIC_FORMAT_FEATURES;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("showroom"),
                required_features: adapter.features() & wanted,
                required_limits: adapter.limits(),
                ..Default::default()
            })
            .await
            .map_err(|source| GpuError::RequestDevice {
                adapter: info.name.clone(),
                source,
            })?;
        Ok(Self {
            instance,
            adapter,
            device,
            queue,
            summary,
        })
    }

    /// The device limits (the adapter's own: large textures allowed).
    pub fn limits(&self) -> wgpu::Limits {
        self.device.limits()
    }

    /// The largest square 2D image this device can render.
    pub fn max_image_size(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }

    /// Block until all submitted GPU work is done.
    pub fn wait_idle(&self) {
        let _ = self.device.poll(wgpu::PollType::wait_indefinitely());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names_parse() {
        assert_eq!(parse_backends("vulkan").unwrap(), wgpu::Backends::VULKAN);
        assert_eq!(
            parse_backends("gl, vulkan").unwrap(),
            wgpu::Backends::GL | wgpu::Backends::VULKAN
        );
        assert!(matches!(
            parse_backends("opengl2000"),
            Err(GpuError::BadBackend(_))
        ));
    }

    #[test]
    fn hardware_ranks_before_software() {
        use wgpu::{Backend, DeviceType};
        let sw = rank("llvmpipe (LLVM 15)", DeviceType::Cpu, Backend::Vulkan);
        let hw = rank("NVIDIA H100", DeviceType::DiscreteGpu, Backend::Vulkan);
        assert!(hw < sw);
        // lavapipe reports itself as a CPU device; GL's llvmpipe sometimes as Other.
        let gl_sw = rank("llvmpipe (LLVM 15)", DeviceType::Other, Backend::Gl);
        assert!(sw < gl_sw);
    }
}
