//! Environment lighting: loading equirectangular maps (and, later, the GPU
//! image-based-lighting precomputation).

pub mod image;
