//! Examples live in this folder's  files; see Cargo.toml.
