//! The Showroom HTTP render service (axum): configurations in, product images
//! out. The service itself arrives with its own issue; until then this crate
//! only re-exports the renderer it will serve, so the workspace layout is fixed.

pub use showroom;
