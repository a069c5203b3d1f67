//! Personalization on a loaded product: the configuration's decals (text
//! laid out, images decoded) are built when it is applied; each render
//! rasterises them at the density its camera and size need (cached, so a
//! second render of the same content costs nothing) and places them on the
//! resident scene. Changing a name re-lays out one slot: nothing is reloaded.

use super::{LoadedProduct, ProductSceneError};
use crate::output::Frame;
use crate::personalize::FontLibrary;
use crate::personalize::decal::{Decal, DecalImage, configuration_decals};
use crate::personalize::image::data_uri_bytes;
use crate::product::config::{Configuration, ResolvedConfiguration};
use crate::product::slots::Placement;
use crate::render::RenderSettings;
use crate::studio::Studio;
use glam::Vec3;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Densest decal raster, pixels per millimetre (1016 dpi).
pub const MAX_PX_PER_MM: f32 = 40.0;
/// Coarsest decal raster, pixels per millimetre.
pub const MIN_PX_PER_MM: f32 = 2.0;
/// Most atlas pixels for all of a product's decals together.
pub const ATLAS_BUDGET_PX: f64 = 24.0e6;
/// Decal texels per output pixel at the decal's distance: above 1 so text
/// stays sharp under MSAA and slight magnification (a surface closer than
/// the slot's centre, or tilted toward the camera).
pub const OVERSAMPLING: f32 = 1.5;
/// The largest upload a configuration may reference by `data:` URI.
const MAX_DATA_URI_BYTES: usize = 64 << 20;

/// A configuration's decals and their rasters.
#[derive(Debug, Default)]
pub struct ProductDecals {
    /// The decals of the configuration applied now, in option order.
    pub decals: Vec<Decal>,
    /// Rasters by content key and density (hundredths of px/mm).
    images: HashMap<(String, u32), Arc<DecalImage>>,
    /// What is on the GPU now.
    placed: Option<Vec<(String, u32)>>,
}

impl ProductDecals {
    /// How many decals are drawn on the product.
    pub fn placed_count(&self) -> usize {
        self.placed.as_ref().map_or(0, Vec::len)
    }
}

/// Rounds a density to a step of a √2 ladder, so a camera that moves a
/// little does not rasterise again: up when `up` (sharpness first), down
/// when the atlas budget binds (the budget first).
pub fn quantize_density(px_per_mm: f32, up: bool) -> f32 {
    let steps = px_per_mm.max(1e-3).log2() * 2.0;
    2f32.powf(if up { steps.ceil() } else { steps.floor() } / 2.0)
}

/// Pixels per millimetre a decal needs at `distance` metres from the eye
/// when a pixel spans `pixel` world units at unit distance.
pub fn needed_density(distance: f32, pixel: f32) -> f32 {
    OVERSAMPLING / (distance.max(1e-3) * pixel.max(1e-9) * 1000.0)
}

/// The loader a configuration's image references get by default: a
/// `data:` URI, or a file path (relative paths against `base`).
pub fn file_loader(base: &Path) -> impl FnMut(&str) -> Result<Vec<u8>, String> + '_ {
    move |reference: &str| {
        if reference.starts_with("data:") {
            return data_uri_bytes(reference, MAX_DATA_URI_BYTES).map_err(|e| e.to_string());
        }
        let path = base.join(reference);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Studio {
    /// The fonts personalization draws with: the bundled ones, loaded on
    /// first use, plus every product package's `fonts/`.
    ///
    /// # Errors
    ///
    /// [`ProductSceneError::Fonts`] when the bundled fonts cannot be read.
    pub fn fonts(&mut self) -> Result<&mut FontLibrary, ProductSceneError> {
        if self.fonts.is_none() {
            self.fonts = Some(FontLibrary::bundled()?);
        }
        Ok(self.fonts.as_mut().expect("loaded above"))
    }

    /// The decals of a resolved configuration of `p`'s package.
    pub(super) fn build_decals(
        &mut self,
        p: &LoadedProduct,
        resolved: &ResolvedConfiguration,
        load_image: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Vec<Decal>, ProductSceneError> {
        let fonts = self.fonts()?;
        Ok(configuration_decals(
            &p.package, resolved, fonts, load_image,
        )?)
    }

    /// [`Studio::configure`] with image references resolved by `load_image`
    /// (the server's upload store, a CLI's file paths).
    ///
    /// # Errors
    ///
    /// An invalid configuration (every error), a text that cannot be set
    /// or an image that cannot be loaded (the product is left unchanged),
    /// or a look that cannot be applied.
    pub fn configure_with_images(
        &mut self,
        p: &mut LoadedProduct,
        cfg: &Configuration,
        load_image: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<ResolvedConfiguration, ProductSceneError> {
        let resolved = p
            .package
            .validate(cfg)
            .map_err(|errors| ProductSceneError::Configuration { errors })?;
        let decals = self.build_decals(p, &resolved, load_image)?;
        let look = p.package.look(&resolved);
        self.apply_look(&mut p.scene, &look)?;
        p.decals.decals = decals;
        p.configuration = resolved.clone();
        Ok(resolved)
    }

    /// Renders a configured product: its decals rasterised for this camera
    /// and size (cached) and placed, then the image.
    ///
    /// # Errors
    ///
    /// A decal that cannot be rasterised or placed, or a render error.
    pub fn render_product(
        &mut self,
        p: &mut LoadedProduct,
        settings: &RenderSettings,
    ) -> Result<Frame, ProductSceneError> {
        self.place_decals(p, settings)?;
        let env = p.environment.clone();
        Ok(self.render(&p.scene, &env, settings)?)
    }

    /// Rasterises and places `p`'s decals at the density `settings` needs.
    ///
    /// # Errors
    ///
    /// See [`Self::render_product`].
    pub fn place_decals(
        &mut self,
        p: &mut LoadedProduct,
        settings: &RenderSettings,
    ) -> Result<(), ProductSceneError> {
        let shown: Vec<&Decal> = p
            .decals
            .decals
            .iter()
            .filter(|d| d.placement.is_some())
            .collect();
        if shown.is_empty() {
            if p.decals.placed.take().is_some_and(|v| !v.is_empty()) {
                self.renderer.clear_decals(&mut p.scene);
            }
            return Ok(());
        }
        let ssaa = settings.ssaa.max(1);
        let view = self
            .renderer
            .camera_view(
                &p.scene.scene,
                settings,
                settings.width * ssaa,
                settings.height * ssaa,
            )
            .map_err(crate::studio::StudioError::from)?;
        let pixel = view.pixel_size(settings.height * ssaa);
        let bounds = &p.scene.scene.bounds;
        let mut densities: Vec<f32> = shown
            .iter()
            .map(|d| {
                let distance = match &d.placement {
                    Some(Placement::Projector { position, .. }) => {
                        view.eye.distance(Vec3::from(*position))
                    }
                    // The nearest the product comes to the eye.
                    _ => view.eye.distance(view.eye.clamp(bounds.min, bounds.max)),
                };
                needed_density(distance, pixel).clamp(MIN_PX_PER_MM, MAX_PX_PER_MM)
            })
            .collect();
        let area: f64 = shown
            .iter()
            .zip(&densities)
            .map(|(d, &k)| f64::from(d.slot_mm[0] * d.slot_mm[1] * k * k))
            .sum();
        let over_budget = area > ATLAS_BUDGET_PX;
        if over_budget {
            let s = (ATLAS_BUDGET_PX / area).sqrt() as f32;
            for k in &mut densities {
                *k *= s;
            }
        }
        let keys: Vec<(String, u32)> = shown
            .iter()
            .zip(&densities)
            .map(|(d, &k)| {
                let k = quantize_density(k, !over_budget);
                (d.key.clone(), (k * 100.0).round() as u32)
            })
            .collect();
        if p.decals.placed.as_ref() == Some(&keys) {
            return Ok(());
        }
        let mut images = Vec::with_capacity(shown.len());
        for (d, key) in shown.iter().zip(&keys) {
            let image = match p.decals.images.get(key) {
                Some(i) => i.clone(),
                None => {
                    let fonts = self.fonts()?;
                    let img = d.rasterize(fonts, key.1 as f32 / 100.0).map_err(|source| {
                        ProductSceneError::Decal {
                            option: d.option.clone(),
                            source,
                        }
                    })?;
                    let img = Arc::new(img);
                    p.decals.images.insert(key.clone(), img.clone());
                    img
                }
            };
            images.push(image);
        }
        let pairs: Vec<(&Decal, &DecalImage)> = shown
            .iter()
            .copied()
            .zip(images.iter().map(Arc::as_ref))
            .collect();
        self.renderer.set_decals(&mut p.scene, &pairs)?;
        // Keep the rasters in use (and those of other densities of the same
        // content, for the next shot), drop stale content.
        let live: std::collections::HashSet<&String> = keys.iter().map(|k| &k.0).collect();
        p.decals.images.retain(|k, _| live.contains(&k.0));
        p.decals.placed = Some(keys);
        Ok(())
    }
}
