//! Resident products: an LRU of [`LoadedProduct`]s bounded by an estimate of
//! their GPU memory.

use super::JobError;
use crate::catalog::Product;
use showroom::showcase::LoadedProduct;
use showroom::studio::Studio;
use std::collections::HashMap;

/// A product on the GPU.
pub struct Resident {
    /// The loaded product.
    pub loaded: LoadedProduct,
    revision: String,
    bytes: u64,
    last_used: u64,
}

/// The resident products.
pub struct Residents {
    map: HashMap<String, Resident>,
    budget: u64,
    tick: u64,
}

/// Estimated GPU bytes of a loaded product: textures with their mip chains
/// (`w·h·4·4/3`) plus vertex, index and uniform buffers.
pub fn gpu_bytes(p: &LoadedProduct) -> u64 {
    let s = &p.scene;
    let textures: u64 = s
        .textures
        .iter()
        .map(|t| u64::from(t.texture.width()) * u64::from(t.texture.height()) * 4 * 4 / 3)
        .sum();
    let materials: u64 = s.materials.iter().map(|m| m.buffer.size()).sum();
    textures + s.vertices.size() + s.indices.size() + s.draw_uniforms.size() + materials
}

impl Residents {
    /// An empty set with a byte budget.
    pub fn new(budget: u64) -> Self {
        Self {
            map: HashMap::new(),
            budget,
            tick: 0,
        }
    }

    /// How many products are resident.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Estimated GPU bytes of every resident product.
    pub fn bytes(&self) -> u64 {
        self.map.values().map(|r| r.bytes).sum()
    }

    /// Drops a product; whether it was resident.
    pub fn remove(&mut self, id: &str) -> bool {
        self.map.remove(id).is_some()
    }

    /// Drops every product.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The resident product of this revision, loading it (and evicting the
    /// least recently used others beyond the budget) when needed.
    pub fn get_or_load(
        &mut self,
        studio: &mut Studio,
        product: &Product,
    ) -> Result<&mut Resident, JobError> {
        let id = product.id();
        if self
            .map
            .get(id)
            .is_some_and(|r| r.revision != product.revision())
        {
            self.map.remove(id);
        }
        self.tick += 1;
        if !self.map.contains_key(id) {
            let t0 = std::time::Instant::now();
            let loaded = studio
                .load_product(&product.package.dir)
                .map_err(|e| JobError::Failed(format!("cannot load product {id:?}: {e}")))?;
            let bytes = gpu_bytes(&loaded);
            tracing::info!(
                product = id,
                revision = loaded.package.revision,
                gpu_bytes = bytes,
                ms = t0.elapsed().as_millis() as u64,
                "product resident"
            );
            self.map.insert(
                id.to_string(),
                Resident {
                    revision: loaded.package.revision.clone(),
                    loaded,
                    bytes,
                    last_used: self.tick,
                },
            );
            self.evict_beyond_budget(id);
        }
        let r = self
            .map
            .get_mut(id)
            .ok_or_else(|| JobError::Failed("resident product vanished".into()))?;
        r.last_used = self.tick;
        Ok(r)
    }

    /// Re-estimates a product after a configuration (new textures) and
    /// evicts others when over budget.
    pub fn refresh_bytes(&mut self, id: &str) {
        if let Some(r) = self.map.get_mut(id) {
            r.bytes = gpu_bytes(&r.loaded);
        }
        self.evict_beyond_budget(id);
    }

    fn evict_beyond_budget(&mut self, keep: &str) {
        while self.bytes() > self.budget {
            let victim = self
                .map
                .iter()
                .filter(|(k, _)| k.as_str() != keep)
                .min_by_key(|(_, r)| r.last_used)
                .map(|(k, _)| k.clone());
            match victim {
                Some(v) => {
                    tracing::info!(product = v, "resident product evicted (GPU memory budget)");
                    self.map.remove(&v);
                }
                None => break,
            }
        }
    }
}
