//! # Showroom
//!
//! A GPU product renderer on wgpu: glTF products in, calibrated, photoreal
//! product images out. Plain data ([`scene`], [`camera`], [`scenario`]) is kept
//! apart from GPU code ([`gpu`], [`ibl`], [`render`]); [`studio`] ties them
//! together for the CLI, the server and the viewer.

pub mod camera;
pub mod color;
pub mod environment;
pub mod export;
pub mod flip;
pub mod golden;
pub mod gpu;
pub mod ibl;
pub mod output;
pub mod personalize;
pub mod product;
pub mod render;
pub mod ring;
pub mod scenario;
pub mod scene;
pub mod shaders;
pub mod showcase;
pub mod studio;

pub use wgpu;
