//! The high-level entry point shared by the CLI, the server and the viewer:
//! a [`Studio`] owns the renderer and keeps environments baked (keyed by the
//! file's content hash), so the same inputs give the same picture everywhere.

use crate::environment::image::{EnvImageError, file_hash, load_equirect};
use crate::gpu::{GpuContext, GpuError, GpuOptions};
use crate::ibl::GpuEnvironment;
use crate::output::Frame;
use crate::product::look::Look;
use crate::render::{GpuScene, LookError, RenderError, RenderSettings, Renderer};
use crate::scene::{ImportError, ImportOptions, Scene, import_file};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The default environment shipped in `assets/` (a neutral studio, CC0, Poly Haven).
pub fn default_environment_path() -> PathBuf {
    if let Some(p) = std::env::var_os("SHOWROOM_ASSETS") {
        return PathBuf::from(p).join("environments/studio_small_03_1k.hdr");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/environments/studio_small_03_1k.hdr")
}

/// Anything that can go wrong between a file name and an image.
#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    /// No GPU.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// The model could not be imported.
    #[error("{path}: {source}")]
    Import {
        /// Model path.
        path: PathBuf,
        /// The cause.
        source: ImportError,
    },
    /// The environment could not be loaded.
    #[error(transparent)]
    Environment(#[from] EnvImageError),
    /// The product has no camera shot of that name.
    #[error("the product has no shot {shot:?} (shots: {available})")]
    UnknownShot {
        /// Requested shot.
        shot: String,
        /// The product's shots.
        available: String,
    },
    /// The configuration's look does not fit the model.
    #[error(transparent)]
    Look(#[from] LookError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// The renderer plus baked environments.
#[derive(Debug)]
pub struct Studio {
    /// The renderer.
    pub renderer: Renderer,
    environments: HashMap<PathBuf, Arc<GpuEnvironment>>,
    /// Personalization fonts, loaded on first use ([`Studio::fonts`]).
    pub(crate) fonts: Option<crate::personalize::FontLibrary>,
}

impl Studio {
    /// Open the GPU and build the renderer.
    pub fn new(opts: &GpuOptions) -> Result<Self, StudioError> {
        Ok(Self::with_renderer(Renderer::new(GpuContext::new(opts)?)))
    }

    /// Wrap an existing renderer.
    pub fn with_renderer(renderer: Renderer) -> Self {
        Self {
            renderer,
            environments: HashMap::new(),
            fonts: None,
        }
    }

    /// Load (or reuse) a baked environment; the bake is cached on disk by content hash.
    pub fn environment(&mut self, path: &Path) -> Result<Arc<GpuEnvironment>, StudioError> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(env) = self.environments.get(&key) {
            return Ok(env.clone());
        }
        let hash = file_hash(path).map_err(|e| EnvImageError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        // The cached bake needs no pixels; decode only when baking.
        let env = match self.renderer.cached_environment(&hash) {
            Some(env) => env,
            None => {
                let img = load_equirect(path)?;
                self.renderer
                    .environment(img.width, img.height, &img.rgb, Some(&hash))
            }
        };
        let env = Arc::new(env);
        self.environments.insert(key, env.clone());
        Ok(env)
    }

    /// Import a model (CPU only: can run on another thread while the GPU starts).
    pub fn import(path: &Path) -> Result<Scene, StudioError> {
        import_file(path, &ImportOptions::default()).map_err(|source| StudioError::Import {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Import a model and upload it.
    pub fn load_model(&mut self, path: &Path) -> Result<GpuScene, StudioError> {
        let scene = Self::import(path)?;
        Ok(self.renderer.upload(scene))
    }

    /// Select a KHR_materials_variants variant by name (`None` = the default
    /// materials), keeping the rest of the applied look.
    pub fn set_variant(
        &mut self,
        scene: &mut GpuScene,
        name: Option<&str>,
    ) -> Result<(), StudioError> {
        let mut look = scene.configured.look.clone();
        look.variant = name.map(str::to_string);
        self.apply_look(scene, &look)
    }

    /// Apply a configuration's look to a resident scene (no re-import, no
    /// pipeline rebuild).
    pub fn apply_look(&mut self, scene: &mut GpuScene, look: &Look) -> Result<(), StudioError> {
        Ok(self.renderer.apply_look(scene, look)?)
    }

    /// Render one image.
    pub fn render(
        &mut self,
        scene: &GpuScene,
        env: &GpuEnvironment,
        settings: &RenderSettings,
    ) -> Result<Frame, StudioError> {
        Ok(self.renderer.render(scene, env, settings)?)
    }
}
