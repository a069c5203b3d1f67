//! A product package resident on the GPU, configured in place: what the CLI,
//! the server and the viewer share so one configuration gives one picture.

mod decals;

pub use decals::{ProductDecals, file_loader, needed_density, quantize_density};

use crate::ibl::GpuEnvironment;
use crate::personalize::FontError;
use crate::personalize::artwork::ArtworkError;
use crate::personalize::decal::DecalError;
use crate::product::config::{ConfigError, Configuration, ResolvedConfiguration};
use crate::product::{DefinitionProblem, ModelInfo, ProductError, ProductPackage};
use crate::render::DecalGpuError;
use crate::render::{CameraChoice, GpuScene};
use crate::scene::Scene;
use crate::studio::{Studio, StudioError, default_environment_path};
use std::path::Path;
use std::sync::Arc;

/// A loaded, configurable product.
#[derive(Debug)]
pub struct LoadedProduct {
    /// The package (definition, folder, revision).
    pub package: ProductPackage,
    /// The model on the GPU, with the current configuration applied.
    pub scene: GpuScene,
    /// The baked environment of the product (its own or the default studio).
    pub environment: Arc<GpuEnvironment>,
    /// The configuration applied now.
    pub configuration: ResolvedConfiguration,
    /// Its personalization decals.
    pub decals: ProductDecals,
}

/// Why a product could not be loaded or configured.
#[derive(Debug, thiserror::Error)]
pub enum ProductSceneError {
    /// The package could not be read.
    #[error(transparent)]
    Package(#[from] ProductError),
    /// The definition does not fit its model (every problem listed).
    #[error("{path}: {} problem(s):\n{}", problems.len(), list(problems))]
    Definition {
        /// The definition file.
        path: std::path::PathBuf,
        /// Every problem.
        problems: Vec<DefinitionProblem>,
    },
    /// The configuration is not valid (every error listed).
    #[error("invalid configuration: {} error(s):\n{}", errors.len(), list(errors))]
    Configuration {
        /// Every error.
        errors: Vec<ConfigError>,
    },
    /// The GPU, the model import, the environment or the render failed.
    #[error(transparent)]
    Studio(#[from] StudioError),
    /// The personalization fonts could not be loaded.
    #[error(transparent)]
    Fonts(#[from] FontError),
    /// A text could not be set or an image could not be loaded.
    #[error(transparent)]
    Personalization(#[from] ArtworkError),
    /// A decal could not be rasterised.
    #[error("option {option:?}: {source}")]
    Decal {
        /// The option.
        option: String,
        /// Why.
        #[source]
        source: DecalError,
    },
    /// The decals could not be placed on the GPU.
    #[error(transparent)]
    DecalGpu(#[from] DecalGpuError),
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names of a model a definition may refer to.
pub fn model_info(scene: &Scene) -> ModelInfo {
    let names = |it: &mut dyn Iterator<Item = Option<String>>| {
        let mut v: Vec<String> = it.flatten().collect();
        v.sort();
        v.dedup();
        v
    };
    ModelInfo {
        variants: scene.variants.clone(),
        materials: names(&mut scene.materials.iter().map(|m| m.name.clone())),
        meshes: names(&mut scene.meshes.iter().map(|m| m.name.clone())),
        nodes: names(&mut scene.nodes.iter().map(|n| n.name.clone())),
    }
}

impl Studio {
    /// Load a product package, check its definition against its model, upload
    /// the model and apply the default configuration.
    pub fn load_product(&mut self, dir: &Path) -> Result<LoadedProduct, ProductSceneError> {
        let package = ProductPackage::load(dir)?;
        let model = package.model_path();
        let scene = Studio::import(&model)?;
        let problems = package.check(&model_info(&scene));
        if !problems.is_empty() {
            return Err(ProductSceneError::Definition {
                path: package.definition_path(),
                problems,
            });
        }
        let env_path = package
            .environment_path()
            .unwrap_or_else(default_environment_path);
        let environment = self.environment(&env_path)?;
        let scene = self.renderer.upload(scene);
        let default = Configuration {
            product: package.definition.id.clone(),
            selections: Default::default(),
        };
        let configuration = package
            .validate(&default)
            .map_err(|errors| ProductSceneError::Configuration { errors })?;
        self.fonts()?.add_dir(&package.dir.join("fonts"))?;
        let mut p = LoadedProduct {
            package,
            scene,
            environment,
            configuration: configuration.clone(),
            decals: ProductDecals::default(),
        };
        let dir = p.package.dir.clone();
        let decals = self.build_decals(&p, &configuration, &mut file_loader(&dir))?;
        let look = p.package.look(&configuration);
        self.apply_look(&mut p.scene, &look)?;
        p.decals.decals = decals;
        Ok(p)
    }

    /// Validate a configuration and apply it to the resident product (no
    /// re-import, no pipeline rebuild). On error nothing changes.
    pub fn configure(
        &mut self,
        p: &mut LoadedProduct,
        cfg: &Configuration,
    ) -> Result<ResolvedConfiguration, ProductSceneError> {
        let dir = p.package.dir.clone();
        self.configure_with_images(p, cfg, &mut file_loader(&dir))
    }
}

impl LoadedProduct {
    /// The camera of a named shot (`None` = the default shot, else the
    /// default orbit camera).
    pub fn shot_camera(&self, shot: Option<&str>) -> Result<CameraChoice, ProductSceneError> {
        let d = &self.package.definition;
        let s = match shot {
            Some(id) => Some(d.shot(id).ok_or_else(|| {
                ProductSceneError::Studio(StudioError::UnknownShot {
                    shot: id.to_string(),
                    available: d
                        .shots
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            })?),
            None => d.default_shot(),
        };
        Ok(s.map_or_else(CameraChoice::default, |s| CameraChoice::Orbit(s.orbit())))
    }
}
