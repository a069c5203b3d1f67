//! Temporary: replaced by the output branch.
/// A rendered frame read back from the GPU.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Display-referred sRGB RGBA8, straight alpha.
    pub rgba8: Vec<u8>,
    /// Linear premultiplied RGBA f32.
    pub linear: Option<Vec<f32>>,
}
/// Background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// Transparent.
    #[default]
    Transparent,
    /// Solid colour (sRGB-encoded).
    Color([u8; 3]),
    /// The environment.
    Environment,
}
