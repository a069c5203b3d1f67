//! # Showroom
//!
//! A GPU product renderer on wgpu: glTF products in, calibrated, photoreal
//! product images out. Plain data ([`scene`]) is kept apart from GPU code.

pub mod camera;
pub mod gpu;
pub mod ibl;
pub mod output;
pub mod render;
pub mod scene;
pub mod shaders;
pub use wgpu;
pub mod scenario;
pub mod studio;
