//! Loading a product package: `product.json`, paths and the revision.

use super::canonical::hex;
use super::definition::{MaterialColor, PackageMaterial, ProductDefinition};
use super::look::MaterialParams;
use super::{DefinitionProblem, ModelInfo, ProductError, library};
use crate::color::{parse_hex_rgb, srgb8_to_linear};
use sha2::{Digest, Sha256};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The name of the definition file in a package folder.
pub const DEFINITION_FILE: &str = "product.json";

/// A loaded product package: its definition, its folder and its revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductPackage {
    /// The package folder (absolute); relative paths of the definition are
    /// resolved against it.
    pub dir: PathBuf,
    /// The parsed `product.json`.
    pub definition: ProductDefinition,
    /// Hex SHA-256 over the version and every file of the package: any
    /// change to the package changes it.
    pub revision: String,
}

impl ProductPackage {
    /// Loads the package in `dir` (or the package whose `product.json` is
    /// `dir`). The definition is parsed, not checked: see
    /// [`Self::check_self`], [`Self::check`] or [`Self::load_checked`].
    ///
    /// # Errors
    ///
    /// [`ProductError::Io`] when a file cannot be read,
    /// [`ProductError::Parse`] with the line when the JSON is malformed.
    pub fn load(dir: &Path) -> Result<Self, ProductError> {
        let (dir, file) = if dir.is_file() {
            (
                dir.parent().unwrap_or(Path::new(".")).to_path_buf(),
                dir.to_path_buf(),
            )
        } else {
            (dir.to_path_buf(), dir.join(DEFINITION_FILE))
        };
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ProductError::Io { path, source }
        };
        let text = std::fs::read_to_string(&file).map_err(io(&file))?;
        let definition = parse(&text, &file)?;
        let dir = std::path::absolute(&dir).map_err(io(&dir))?;
        let revision = revision(&definition.version, &dir)?;
        Ok(Self {
            dir,
            definition,
            revision,
        })
    }

    /// [`Self::load`], then [`Self::check_self`] (and [`Self::check`] when
    /// the model's names are given).
    ///
    /// # Errors
    ///
    /// As [`Self::load`], and [`ProductError::Definition`] with every
    /// problem found.
    pub fn load_checked(dir: &Path, model: Option<&ModelInfo>) -> Result<Self, ProductError> {
        let package = Self::load(dir)?;
        let problems = match model {
            Some(m) => package.check(m),
            None => package.check_self(),
        };
        if problems.is_empty() {
            Ok(package)
        } else {
            Err(ProductError::Definition {
                path: package.definition_path(),
                problems,
            })
        }
    }

    /// A package from definition text, without reading a folder: `dir` is
    /// where its relative paths point, and the revision covers the version
    /// and the text only. For tests and for definitions held in memory.
    ///
    /// # Errors
    ///
    /// [`ProductError::Parse`] when the JSON is malformed.
    pub fn from_json_str(json: &str, dir: &Path) -> Result<Self, ProductError> {
        let definition = parse(json, &dir.join(DEFINITION_FILE))?;
        let mut h = Sha256::new();
        h.update(b"showroom-product-json-v1\0");
        feed(&mut h, definition.version.as_bytes());
        feed(&mut h, json.as_bytes());
        Ok(Self {
            dir: dir.to_path_buf(),
            definition,
            revision: hex(&h.finalize()),
        })
    }

    /// `product.json` of this package.
    pub fn definition_path(&self) -> PathBuf {
        self.dir.join(DEFINITION_FILE)
    }

    /// A path of the definition, resolved against the package folder.
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        self.dir.join(relative)
    }

    /// The model file.
    pub fn model_path(&self) -> PathBuf {
        self.resolve(&self.definition.model)
    }

    /// The environment map (`None` = the built-in studio).
    pub fn environment_path(&self) -> Option<PathBuf> {
        self.definition
            .environment
            .as_deref()
            .map(|p| self.resolve(p))
    }

    /// Every file the definition names (model, environment, textures), with
    /// where it is named, resolved against the package folder.
    pub fn referenced_files(&self) -> Vec<(String, PathBuf)> {
        let d = &self.definition;
        let mut out = vec![("model".to_string(), self.model_path())];
        if let Some(env) = self.environment_path() {
            out.push(("environment".to_string(), env));
        }
        for (id, m) in &d.materials {
            for t in m.textures() {
                out.push((format!("material {id:?}"), self.resolve(t)));
            }
        }
        for o in &d.options {
            if let super::OptionKind::Texture { values, .. } = &o.kind {
                for v in values {
                    if let Some(f) = &v.file {
                        out.push((
                            format!("option {:?} value {:?}", o.id, v.id),
                            self.resolve(f),
                        ));
                    }
                }
            }
        }
        out
    }

    /// The material a `material` option value names: a package material id
    /// or `library:<preset>`, with texture paths made absolute.
    ///
    /// # Errors
    ///
    /// A [`DefinitionProblem`] when the reference, its preset or one of its
    /// colours is unknown or invalid.
    pub fn material(&self, reference: &str) -> Result<MaterialParams, DefinitionProblem> {
        use super::ProblemKind::{UnknownMaterial, UnknownPreset};
        let at = format!("material {reference:?}");
        if let Some(name) = reference.strip_prefix("library:") {
            return library::preset(name).ok_or_else(|| {
                let known = library::names().join(", ");
                DefinitionProblem::new(
                    UnknownPreset,
                    at,
                    format!("no library preset {name:?} (known: {known})"),
                )
            });
        }
        let m = self.definition.materials.get(reference).ok_or_else(|| {
            let known: Vec<&str> = self.definition.materials.keys().map(String::as_str).collect();
            DefinitionProblem::new(
                UnknownMaterial,
                at.clone(),
                format!("no package material {reference:?} (package materials: {}; or library:<preset>)", known.join(", ")),
            )
        })?;
        resolve_material(reference, m, &self.dir)
    }
}

/// Builds a package material: preset (or glTF defaults), then overrides.
pub(crate) fn resolve_material(
    id: &str,
    m: &PackageMaterial,
    dir: &Path,
) -> Result<MaterialParams, DefinitionProblem> {
    use super::ProblemKind::{InvalidColor, UnknownPreset};
    let at = format!("material {id:?}");
    let mut p = match &m.preset {
        Some(name) => library::preset(name).ok_or_else(|| {
            DefinitionProblem::new(
                UnknownPreset,
                at.clone(),
                format!("no library preset {name:?}"),
            )
        })?,
        None => MaterialParams::default(),
    };
    p.name = m.name.clone().unwrap_or_else(|| id.to_string());
    let color = |field: &str, c: &MaterialColor| {
        material_color(c).map_err(|msg| {
            DefinitionProblem::new(InvalidColor, at.clone(), format!("{field}: {msg}"))
        })
    };
    if let Some(c) = &m.base_color {
        let c = color("base_color", c)?;
        p.base_color = [
            c[0],
            c[1],
            c[2],
            c.get(3).copied().unwrap_or(p.base_color[3]),
        ];
    }
    if let Some(c) = &m.emissive {
        let c = color("emissive", c)?;
        p.emissive = [c[0], c[1], c[2]];
    }
    let set = |dst: &mut f32, v: Option<f32>| {
        if let Some(v) = v {
            *dst = v;
        }
    };
    set(&mut p.metallic, m.metallic);
    set(&mut p.roughness, m.roughness);
    set(&mut p.normal_scale, m.normal_scale);
    set(&mut p.ior, m.ior);
    set(&mut p.transmission, m.transmission);
    set(&mut p.dispersion, m.dispersion);
    if let Some(uv) = m.uv_scale {
        p.uv_scale = uv;
    }
    if let Some(ds) = m.double_sided {
        p.double_sided = ds;
    }
    for (src, dst) in [
        (&m.base_color_texture, &mut p.base_color_texture),
        (
            &m.metallic_roughness_texture,
            &mut p.metallic_roughness_texture,
        ),
        (&m.normal_texture, &mut p.normal_texture),
    ] {
        if let Some(t) = src {
            *dst = Some(dir.join(t));
        }
    }
    // Paired extension parameters: a field given alone keeps the other half
    // from the preset, or takes the glTF extension's default.
    if m.attenuation_color.is_some() || m.attenuation_distance.is_some() {
        let (c0, d0) = p.attenuation.unwrap_or(([1.0; 3], f32::INFINITY));
        let c = match &m.attenuation_color {
            Some(c) => rgb(&color("attenuation_color", c)?),
            None => c0,
        };
        p.attenuation = Some((c, m.attenuation_distance.unwrap_or(d0)));
    }
    if m.sheen_color.is_some() || m.sheen_roughness.is_some() {
        let (c0, r0) = p.sheen.unwrap_or(([0.0; 3], 0.0));
        let c = match &m.sheen_color {
            Some(c) => rgb(&color("sheen_color", c)?),
            None => c0,
        };
        p.sheen = Some((c, m.sheen_roughness.unwrap_or(r0)));
    }
    if m.clearcoat.is_some() || m.clearcoat_roughness.is_some() {
        let (f0, r0) = p.clearcoat.unwrap_or((0.0, 0.0));
        p.clearcoat = Some((
            m.clearcoat.unwrap_or(f0),
            m.clearcoat_roughness.unwrap_or(r0),
        ));
    }
    if m.anisotropy_strength.is_some() || m.anisotropy_rotation.is_some() {
        let (s0, r0) = p.anisotropy.unwrap_or((0.0, 0.0));
        p.anisotropy = Some((
            m.anisotropy_strength.unwrap_or(s0),
            m.anisotropy_rotation.unwrap_or(r0),
        ));
    }
    Ok(p)
}

fn rgb(c: &[f32]) -> [f32; 3] {
    [c[0], c[1], c[2]]
}

/// A package material colour as linear components (3 or 4).
pub(crate) fn material_color(c: &MaterialColor) -> Result<Vec<f32>, String> {
    match c {
        MaterialColor::Hex(h) => parse_hex_rgb(h)
            .map(|rgb| srgb8_to_linear(rgb).to_vec())
            .map_err(|e| e.to_string()),
        MaterialColor::Linear(v) if (3..=4).contains(&v.len()) => {
            if v.iter().all(|c| c.is_finite() && (0.0..=1.0).contains(c)) {
                Ok(v.clone())
            } else {
                Err(format!("linear components must lie in [0, 1], got {v:?}"))
            }
        }
        MaterialColor::Linear(v) => Err(format!(
            "expected \"#rrggbb\" or 3–4 linear components, got {} numbers",
            v.len()
        )),
    }
}

fn parse(text: &str, path: &Path) -> Result<ProductDefinition, ProductError> {
    serde_json::from_str(text).map_err(|e| ProductError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        // The position is in `line` and `column`; keep the message alone.
        message: {
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            text.strip_suffix(&suffix)
                .map(str::to_string)
                .unwrap_or(text)
        },
    })
}

/// Length-prefixed, so that no two different inputs feed the same bytes.
fn feed(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// SHA-256 over the version and every file below `dir` (sorted relative
/// paths with `/` separators, each followed by the SHA-256 of its bytes).
/// Symbolic links to files are followed; linked folders are not entered.
fn revision(version: &str, dir: &Path) -> Result<String, ProductError> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut h = Sha256::new();
    h.update(b"showroom-product-revision-v1\0");
    feed(&mut h, version.as_bytes());
    for rel in files {
        let path = dir.join(&rel);
        let io = |source| ProductError::Io {
            path: path.clone(),
            source,
        };
        let mut f = std::fs::File::open(&path).map_err(io)?;
        let mut fh = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            fh.update(&buf[..n]);
        }
        feed(&mut h, rel.as_bytes());
        h.update(fh.finalize());
    }
    Ok(hex(&h.finalize()))
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), ProductError> {
    let io = |source| ProductError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let ty = entry.file_type().map_err(io)?;
        if ty.is_dir() {
            collect(root, &path, out)?;
        } else if ty.is_file() || (ty.is_symlink() && path.is_file()) {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}
