//! WGSL sources. Each pass has one entry file in `shaders/`; shared modules are
//! prepended in a fixed order (WGSL has no imports), so every entry shader is a
//! self-contained module that naga validates in a test.

const COMMON: &str = include_str!("../../shaders/common.wgsl");
const BRDF: &str = include_str!("../../shaders/brdf.wgsl");
const FRAME: &str = include_str!("../../shaders/frame.wgsl");
const DECAL: &str = include_str!("../../shaders/decal.wgsl");
const THIN_FILM: &str = include_str!("../../shaders/thin_film.wgsl");

/// One shader of a pass: its name and the modules it is made of.
#[derive(Debug, Clone, Copy)]
pub struct ShaderSource {
    /// Name for labels and messages.
    pub name: &'static str,
    parts: &'static [&'static str],
}

impl ShaderSource {
    /// The composed WGSL text.
    pub fn source(&self) -> String {
        self.parts.join("\n")
    }

    /// Create the wgpu shader module.
    pub fn create(&self, device: &wgpu::Device) -> wgpu::ShaderModule {
        device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(self.name),
            source: wgpu::ShaderSource::Wgsl(self.source().into()),
        })
    }
}

macro_rules! shader {
    ($ident:ident, $name:literal, [$($part:expr),*]) => {
        #[doc = concat!("The `", $name, "` shader.")]
        pub const $ident: ShaderSource = ShaderSource {
            name: $name,
            parts: &[$($part,)* include_str!(concat!("../../shaders/", $name, ".wgsl"))],
        };
    };
}

// The surface shader's own modules: they use its structs and bindings
// (WGSL declarations may come in any order).
const PUNCTUAL: &str = include_str!("../../shaders/punctual.wgsl");
const LAYERS: &str = include_str!("../../shaders/layers.wgsl");
const SPECULAR_IBL: &str = include_str!("../../shaders/specular_ibl.wgsl");
const REFRACTION: &str = include_str!("../../shaders/refraction.wgsl");
shader!(
    PBR,
    "pbr",
    [
        COMMON,
        BRDF,
        THIN_FILM,
        FRAME,
        DECAL,
        PUNCTUAL,
        LAYERS,
        SPECULAR_IBL,
        REFRACTION
    ]
);
shader!(SKYBOX, "skybox", [COMMON, FRAME]);
shader!(GROUND, "ground", [COMMON, FRAME]);
shader!(GROUND_SHADOW, "ground_shadow", []);
shader!(SHADOW, "shadow", []);
const DISPLAY_SOURCE: &str = include_str!("../../shaders/display_source.wgsl");
const DISPLAY_SOURCE_MSAA: &str = include_str!("../../shaders/display_source_msaa.wgsl");
shader!(TONEMAP, "tonemap", [DISPLAY_SOURCE]);
/// The `tonemap` shader reading (and resolving) a multisampled image.
pub const TONEMAP_MSAA: ShaderSource = ShaderSource {
    name: "tonemap_msaa",
    parts: &[
        DISPLAY_SOURCE_MSAA,
        include_str!("../../shaders/tonemap.wgsl"),
    ],
};
shader!(MIPMAP, "mipmap", []);
shader!(SSAO, "ssao", [COMMON]);
shader!(EQUIRECT_TO_CUBE, "ibl_equirect_to_cube", [COMMON]);
shader!(CUBE_DOWNSAMPLE, "ibl_downsample", []);
shader!(PREFILTER, "ibl_prefilter", [COMMON, BRDF]);
shader!(IRRADIANCE, "ibl_irradiance", [COMMON]);
shader!(BRDF_LUT, "brdf_lut", [COMMON, BRDF]);

/// Every shader, for validation.
pub const ALL: &[ShaderSource] = &[
    PBR,
    SKYBOX,
    GROUND,
    GROUND_SHADOW,
    SHADOW,
    TONEMAP,
    TONEMAP_MSAA,
    MIPMAP,
    SSAO,
    EQUIRECT_TO_CUBE,
    CUBE_DOWNSAMPLE,
    PREFILTER,
    IRRADIANCE,
    BRDF_LUT,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry shader parses and validates with naga.
    #[test]
    fn all_shaders_validate() {
        let mut failures = Vec::new();
        for s in ALL {
            let src = s.source();
            let module = match naga::front::wgsl::parse_str(&src) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{}: {}", s.name, e.emit_to_string(&src)));
                    continue;
                }
            };
            let mut v = naga::valid::Validator::new(
                naga::valid::ValidationFlags::all(),
                naga::valid::Capabilities::all(),
            );
            if let Err(e) = v.validate(&module) {
                failures.push(format!("{}: {}", s.name, e.emit_to_string(&src)));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
