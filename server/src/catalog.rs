//! The product catalogue: the packages of the products folder, reloaded when
//! their files change.
//!
//! Product ids come only from here (never from request paths). A package
//! that fails to load is logged and listed as unavailable; the others keep
//! serving. The poller compares file sizes and modification times first and
//! re-hashes (a new revision) only when they changed; a new revision changes
//! every cache key of the product, so no stale image is served.

use showroom::product::ProductPackage;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// The definition file of a package folder.
pub const DEFINITION_FILE: &str = "product.json";

/// The sizes and modification times of a package's files (sorted by path).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint(Vec<(String, u64, Option<SystemTime>)>);

impl Fingerprint {
    /// Walks a package folder (files, and symlinks to files).
    pub fn of(dir: &Path) -> std::io::Result<Self> {
        let mut out = Vec::new();
        walk(dir, dir, &mut out)?;
        out.sort();
        Ok(Self(out))
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, u64, Option<SystemTime>)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            walk(root, &path, out)?;
        } else if ty.is_file() || ty.is_symlink() {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push((
                rel.to_string_lossy().into_owned(),
                meta.len(),
                meta.modified().ok(),
            ));
        }
    }
    Ok(())
}

/// A loaded product.
#[derive(Debug)]
pub struct Product {
    /// The package (definition, folder, revision).
    pub package: ProductPackage,
    /// `product.json` as served, plus `revision`.
    pub json: serde_json::Value,
    /// The canonical package folder (assets are served from inside it only).
    pub root: PathBuf,
    /// The folder name in the products folder.
    pub folder: String,
    fingerprint: Fingerprint,
}

impl Product {
    /// The product id.
    pub fn id(&self) -> &str {
        &self.package.definition.id
    }

    /// The package revision.
    pub fn revision(&self) -> &str {
        &self.package.revision
    }
}

/// A package that could not be loaded.
#[derive(Debug, Clone)]
pub struct Unavailable {
    /// The folder name in the products folder.
    pub folder: String,
    /// Why (paths relative to the products folder).
    pub error: String,
    fingerprint: Fingerprint,
}

/// The catalogue at one moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Loaded products by id.
    pub products: BTreeMap<String, Arc<Product>>,
    /// Broken packages by folder name.
    pub unavailable: BTreeMap<String, Unavailable>,
}

/// What a rescan changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Product ids whose revision changed (or that were added).
    pub changed: Vec<String>,
    /// Product ids that are gone (removed or now broken).
    pub removed: Vec<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The product catalogue.
#[derive(Debug)]
pub struct Catalog {
    dir: PathBuf,
    snapshot: RwLock<Arc<Snapshot>>,
}

impl Catalog {
    /// Scans `dir` once.
    pub fn load(dir: &Path) -> Self {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let c = Self {
            dir,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
        };
        c.rescan();
        c
    }

    /// The products folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The catalogue now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A product by id.
    pub fn get(&self, id: &str) -> Option<Arc<Product>> {
        self.snapshot().products.get(id).cloned()
    }

    /// Looks at the folder again: packages whose files changed (size or
    /// modification time) are reloaded (re-hashed), new ones loaded, gone
    /// ones dropped. Blocking (file I/O).
    pub fn rescan(&self) -> Changes {
        let old = self.snapshot();
        let mut folders: Vec<(String, PathBuf)> = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join(DEFINITION_FILE).is_file())
                .filter_map(|p| {
                    let name = p.file_name()?.to_string_lossy().into_owned();
                    Some((name, p))
                })
                .collect(),
            Err(e) => {
                tracing::error!(dir = %self.dir.display(), "cannot read the products folder: {e}");
                Vec::new()
            }
        };
        folders.sort();
        let by_folder: BTreeMap<&str, &Arc<Product>> = old
            .products
            .values()
            .map(|p| (p.folder.as_str(), p))
            .collect();
        let mut next = Snapshot::default();
        let mut changes = Changes::default();
        for (folder, path) in folders {
            let fp = Fingerprint::of(&path).unwrap_or_default();
            if let Some(p) = by_folder.get(folder.as_str())
                && p.fingerprint == fp
            {
                next.products.insert(p.id().to_string(), Arc::clone(p));
                continue;
            }
            if let Some(u) = old.unavailable.get(&folder)
                && u.fingerprint == fp
            {
                next.unavailable.insert(folder, u.clone());
                continue;
            }
            match load_product(&path, &folder, fp.clone()) {
                Ok(p) if next.products.contains_key(p.id()) => {
                    let error = format!("another package already has the id {:?}", p.id());
                    tracing::error!(folder, "product package unavailable: {error}");
                    next.unavailable.insert(
                        folder.clone(),
                        Unavailable {
                            folder,
                            error,
                            fingerprint: fp,
                        },
                    );
                }
                Ok(p) => {
                    let id = p.id().to_string();
                    let same = old
                        .products
                        .get(&id)
                        .is_some_and(|o| o.revision() == p.revision());
                    if !same {
                        tracing::info!(product = id, revision = p.revision(), "product loaded");
                        changes.changed.push(id.clone());
                    }
                    next.products.insert(id, Arc::new(p));
                }
                Err(error) => {
                    let error = error.replace(&format!("{}/", self.dir.display()), "");
                    tracing::error!(folder, "product package unavailable: {error}");
                    next.unavailable.insert(
                        folder.clone(),
                        Unavailable {
                            folder,
                            error,
                            fingerprint: fp,
                        },
                    );
                }
            }
        }
        for id in old.products.keys() {
            if !next.products.contains_key(id) {
                tracing::info!(product = id, "product removed");
                changes.removed.push(id.clone());
            }
        }
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        changes
    }
}

fn load_product(path: &Path, folder: &str, fingerprint: Fingerprint) -> Result<Product, String> {
    let package = ProductPackage::load_checked(path, None).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(package.definition_path()).map_err(|e| e.to_string())?;
    let mut json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if let Some(obj) = json.as_object_mut() {
        obj.insert(
            "revision".into(),
            serde_json::Value::String(package.revision.clone()),
        );
    }
    let root = package.dir.canonicalize().map_err(|e| e.to_string())?;
    Ok(Product {
        package,
        json,
        root,
        folder: folder.to_string(),
        fingerprint,
    })
}
