//! # Showroom
//!
//! A GPU product renderer on wgpu: glTF products in, calibrated, photoreal
//! product images out. Plain data ([`scene`]) is kept apart from GPU code.

pub mod color;
pub mod environment;
pub mod flip;
pub mod golden;
pub mod output;
pub mod scene;
