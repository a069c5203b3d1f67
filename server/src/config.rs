//! `serve.toml`: the service configuration (see `docs/api.md`).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The environment variable that overrides [`ServeConfig::products`].
pub const PRODUCTS_ENV: &str = "SHOWROOM_PRODUCTS";

/// Why a configuration file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key / a wrong type.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (with the line).
        source: Box<toml::de::Error>,
    },
    /// A value is out of its range.
    #[error("{key}: {reason}")]
    Invalid {
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The service configuration. Every key is optional; the defaults are those
/// of `docs/api.md`. Unknown keys are an error (a misspelt key is never
/// silently ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// The address to listen on.
    pub addr: String,
    /// The folder of product packages (each a subfolder with `product.json`).
    /// Overridden by `SHOWROOM_PRODUCTS`; a relative path that does not exist
    /// is also tried against the workspace (see [`ServeConfig::products_dir`]).
    pub products: PathBuf,
    /// The largest image width a request may ask for.
    pub max_width: u32,
    /// The largest image height a request may ask for.
    pub max_height: u32,
    /// The largest request body (JSON or multipart), in bytes.
    pub max_body_bytes: usize,
    /// The largest uploaded image, in bytes (checked before decoding).
    pub max_upload_bytes: usize,
    /// The largest uploaded image, in pixels (read from its header).
    pub max_upload_pixels: u64,
    /// Render jobs waiting for the GPU; beyond that, `429 queue-full`.
    pub queue_depth: usize,
    /// A request not answered within this many milliseconds gets `503`.
    pub deadline_ms: u64,
    /// Estimated GPU bytes of resident products (LRU beyond it).
    pub gpu_memory_budget: u64,
    /// In-memory render cache, in bytes.
    pub cache_memory_bytes: u64,
    /// Disk render cache folder (`~` expands to the home folder); empty =
    /// no disk cache.
    pub cache_dir: String,
    /// Disk render cache budget, in bytes (oldest entries evicted first).
    pub cache_disk_bytes: u64,
    /// Bearer tokens accepted on `/v1/render` and `…/image`; empty = open.
    pub api_keys: Vec<String>,
    /// CORS origins: `["*"]` or explicit origins; empty = no CORS headers.
    pub cors_origins: Vec<String>,
    /// HMAC key for signed `…/image` URLs; empty = unsigned.
    pub signing_key: String,
    /// How often the product folder is polled for changes, in milliseconds.
    pub reload_interval_ms: u64,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8080".into(),
            products: PathBuf::from("assets/products"),
            max_width: 4096,
            max_height: 4096,
            max_body_bytes: 16_777_216,
            max_upload_bytes: 8_388_608,
            max_upload_pixels: 16_777_216,
            queue_depth: 32,
            deadline_ms: 30_000,
            gpu_memory_budget: 1_073_741_824,
            cache_memory_bytes: 268_435_456,
            cache_dir: "~/.cache/showroom/renders".into(),
            cache_disk_bytes: 2_147_483_648,
            api_keys: Vec::new(),
            cors_origins: Vec::new(),
            signing_key: String::new(),
            reload_interval_ms: 2000,
        }
    }
}

impl ServeConfig {
    /// Reads a `serve.toml`; keys left out take their defaults, then
    /// `SHOWROOM_PRODUCTS` (when set) overrides `products`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the file cannot be read, is not valid TOML, has
    /// an unknown key or an invalid value.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::from_toml_str(&text).map_err(|e| match e {
            ConfigError::Parse { source, .. } => ConfigError::Parse {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        })?;
        config.apply_env();
        Ok(config)
    }

    /// The defaults with `SHOWROOM_PRODUCTS` applied (no file).
    pub fn from_env() -> Self {
        let mut c = Self::default();
        c.apply_env();
        c
    }

    /// Parses TOML text (no environment override).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Parse`] or [`ConfigError::Invalid`].
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: PathBuf::from("serve.toml"),
            source: Box::new(source),
        })?;
        config.check()?;
        Ok(config)
    }

    /// Applies `SHOWROOM_PRODUCTS` when it is set.
    pub fn apply_env(&mut self) {
        if let Some(p) = std::env::var_os(PRODUCTS_ENV).filter(|p| !p.is_empty()) {
            self.products = PathBuf::from(p);
        }
    }

    /// Checks value ranges.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the key.
    pub fn check(&self) -> Result<(), ConfigError> {
        let positive = [
            ("max_width", self.max_width as u64),
            ("max_height", self.max_height as u64),
            ("queue_depth", self.queue_depth as u64),
            ("deadline_ms", self.deadline_ms),
            ("reload_interval_ms", self.reload_interval_ms),
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_upload_bytes", self.max_upload_bytes as u64),
            ("max_upload_pixels", self.max_upload_pixels),
        ];
        for (key, v) in positive {
            if v == 0 {
                return Err(ConfigError::Invalid {
                    key,
                    reason: "must be greater than 0".into(),
                });
            }
        }
        if self.cors_origins.len() > 1 && self.cors_origins.iter().any(|o| o == "*") {
            return Err(ConfigError::Invalid {
                key: "cors_origins",
                reason: "\"*\" cannot be combined with explicit origins".into(),
            });
        }
        Ok(())
    }

    /// The product folder to use: `products` as given when it exists (or is
    /// absolute); a relative path that does not exist from the working
    /// folder is resolved against the workspace this crate was built in (so
    /// the default `assets/products` works from any folder of a checkout).
    pub fn products_dir(&self) -> PathBuf {
        let p = &self.products;
        if p.is_absolute() || p.exists() {
            return p.clone();
        }
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p);
        if workspace.exists() {
            workspace
        } else {
            p.clone()
        }
    }

    /// The disk cache folder (`None` when `cache_dir` is empty), with a
    /// leading `~` expanded to `$HOME`.
    pub fn cache_path(&self) -> Option<PathBuf> {
        let s = self.cache_dir.trim();
        if s.is_empty() {
            return None;
        }
        if let Some(rest) = s
            .strip_prefix("~/")
            .or(if s == "~" { Some("") } else { None })
            && let Some(home) = std::env::var_os("HOME")
        {
            return Some(PathBuf::from(home).join(rest));
        }
        Some(PathBuf::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_file() {
        let doc = include_str!("../../docs/api.md");
        let toml_block = doc
            .split("```toml")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("a toml block in docs/api.md");
        let parsed = ServeConfig::from_toml_str(toml_block).unwrap();
        assert_eq!(parsed, ServeConfig::default());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let e = ServeConfig::from_toml_str("queue_dept = 3").unwrap_err();
        assert!(e.to_string().contains("queue_dept"), "{e}");
        let e = ServeConfig::from_toml_str("queue_depth = 0").unwrap_err();
        assert!(e.to_string().contains("queue_depth"), "{e}");
        let c = ServeConfig::from_toml_str("queue_depth = 3\ncache_dir = \"\"").unwrap();
        assert_eq!(c.queue_depth, 3);
        assert_eq!(c.cache_path(), None);
    }

    #[test]
    fn default_products_resolve_from_anywhere() {
        let c = ServeConfig::default();
        assert!(c.products_dir().join("sneaker/product.json").exists());
    }
}
