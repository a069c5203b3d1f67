//! The fonts personalization text is set in: the bundled OFL/Apache fonts
//! of `assets/fonts/` (see its README for licences and sources), fonts a
//! product package adds in its `fonts/` folder, and a fixed fallback order
//! per script (Arabic, Hebrew, Devanagari, CJK, emoji) so the same text
//! shapes the same on every machine: no system font is ever loaded.

use cosmic_text::{Fallback, FontSystem, SwashCache, fontdb};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;
use unicode_script::Script;

/// One font file shipped in `assets/fonts/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledFont {
    /// File name in the fonts folder.
    pub file: &'static str,
    /// The family name the font declares (what a [`super::TextSpec`] names).
    pub family: &'static str,
    /// The role alias (`sans`, `serif`, `script`, `slab`, `mono`), or
    /// `None` for fallback fonts.
    pub role: Option<&'static str>,
    /// SPDX licence identifier.
    pub licence: &'static str,
}

/// Every bundled font, roles first.
pub const BUNDLED_FONTS: &[BundledFont] = &[
    BundledFont {
        file: "NotoSans-Regular.ttf",
        family: "Noto Sans",
        role: Some("sans"),
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "NotoSerif-Regular.ttf",
        family: "Noto Serif",
        role: Some("serif"),
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "DancingScript-Regular.otf",
        family: "Dancing Script",
        role: Some("script"),
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "RobotoSlab-Bold.otf",
        family: "Roboto Slab",
        role: Some("slab"),
        licence: "Apache-2.0",
    },
    BundledFont {
        file: "NotoMono-Regular.ttf",
        family: "Noto Mono",
        role: Some("mono"),
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "NotoSansArabic-Regular.ttf",
        family: "Noto Sans Arabic",
        role: None,
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "NotoSansHebrew-Regular.ttf",
        family: "Noto Sans Hebrew",
        role: None,
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "NotoSansDevanagari-Regular.ttf",
        family: "Noto Sans Devanagari",
        role: None,
        licence: "OFL-1.1",
    },
    BundledFont {
        file: "DroidSansFallbackFull.ttf",
        family: "Droid Sans Fallback",
        role: None,
        licence: "Apache-2.0",
    },
    BundledFont {
        file: "NotoColorEmoji-Subset.ttf",
        family: "Noto Color Emoji",
        role: None,
        licence: "OFL-1.1",
    },
];

/// The family used when a text names none.
pub const DEFAULT_FAMILY: &str = "Noto Sans";

/// The bundled family a name means: a role alias (`sans`, `serif`,
/// `script`, `slab`, `mono`) or a bundled family name, case-insensitively.
pub fn bundled_family(name: &str) -> Option<&'static str> {
    let name = name.trim();
    BUNDLED_FONTS
        .iter()
        .find(|f| {
            f.role.is_some_and(|r| r.eq_ignore_ascii_case(name))
                || f.family.eq_ignore_ascii_case(name)
        })
        .map(|f| f.family)
}

/// The names a text may use without a package font: the role aliases and
/// the bundled family names.
pub fn bundled_names() -> Vec<&'static str> {
    let roles = BUNDLED_FONTS.iter().filter_map(|f| f.role);
    roles
        .chain(BUNDLED_FONTS.iter().map(|f| f.family))
        .collect()
}

/// The bundled fonts folder: `$SHOWROOM_FONTS_DIR`, else `assets/fonts`
/// of this source tree.
pub fn bundled_dir() -> PathBuf {
    std::env::var_os("SHOWROOM_FONTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts"))
}

/// Why fonts could not be loaded or a family was not found.
#[derive(Debug, Error)]
pub enum FontError {
    /// A font file or folder could not be read.
    #[error("cannot read font {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file holds no font face the parser accepts.
    #[error("{} is not a TrueType/OpenType font", path.display())]
    NotAFont {
        /// The file.
        path: PathBuf,
    },
    /// No loaded family has this name.
    #[error("unknown font {name:?}; fonts: {}", available.join(", "))]
    UnknownFamily {
        /// The name asked for.
        name: String,
        /// The role aliases and families loaded.
        available: Vec<String>,
    },
}

/// The fixed fallback order: per script, then the common list.
struct ShowroomFallback;

impl Fallback for ShowroomFallback {
    fn common_fallback(&self) -> &[&'static str] {
        &[
            "Noto Sans",
            "Noto Color Emoji",
            "Droid Sans Fallback",
            "Noto Sans Arabic",
            "Noto Sans Hebrew",
            "Noto Sans Devanagari",
        ]
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        &[]
    }

    fn script_fallback(&self, script: Script, _locale: &str) -> &[&'static str] {
        match script {
            Script::Arabic => &["Noto Sans Arabic"],
            Script::Hebrew => &["Noto Sans Hebrew"],
            Script::Devanagari => &["Noto Sans Devanagari"],
            Script::Han | Script::Hiragana | Script::Katakana | Script::Bopomofo => {
                &["Droid Sans Fallback"]
            }
            _ => &[],
        }
    }
}

/// A loaded family: its name and the weight of its face (text asks for
/// that weight so the family itself matches, e.g. Roboto Slab Bold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// The family name.
    pub name: String,
    /// Its weight (400 regular, 700 bold).
    pub weight: u16,
}

/// Fonts loaded into a [`FontSystem`] (bundled, plus any package fonts),
/// with the swash cache that scales their glyphs.
pub struct FontLibrary {
    system: FontSystem,
    cache: SwashCache,
    families: Vec<Family>,
}

impl std::fmt::Debug for FontLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontLibrary")
            .field("families", &self.families)
            .finish_non_exhaustive()
    }
}

impl FontLibrary {
    /// The bundled fonts from [`bundled_dir`].
    ///
    /// # Errors
    ///
    /// [`FontError::Io`] or [`FontError::NotAFont`] for a missing or broken file.
    pub fn bundled() -> Result<Self, FontError> {
        Self::bundled_from(&bundled_dir())
    }

    /// The bundled fonts from another folder holding the same files.
    ///
    /// # Errors
    ///
    /// As [`Self::bundled`].
    pub fn bundled_from(dir: &Path) -> Result<Self, FontError> {
        let mut db = fontdb::Database::new();
        db.set_sans_serif_family("Noto Sans");
        db.set_serif_family("Noto Serif");
        db.set_monospace_family("Noto Mono");
        db.set_cursive_family("Dancing Script");
        db.set_fantasy_family("Roboto Slab");
        let system = FontSystem::new_with_locale_and_db_and_fallback(
            "en-US".to_string(),
            db,
            ShowroomFallback,
        );
        let mut lib = Self {
            system,
            cache: SwashCache::new(),
            families: Vec::new(),
        };
        for f in BUNDLED_FONTS {
            lib.add_file(&dir.join(f.file))?;
        }
        Ok(lib)
    }

    /// Adds every `.ttf`/`.otf`/`.ttc`/`.otc` file of a folder (a product
    /// package's `fonts/`), in file-name order; returns the families added.
    /// A missing folder adds nothing.
    ///
    /// # Errors
    ///
    /// [`FontError::Io`] when the folder or a file cannot be read,
    /// [`FontError::NotAFont`] for a file that is not a font.
    pub fn add_dir(&mut self, dir: &Path) -> Result<Vec<String>, FontError> {
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let io = |source| FontError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
                })
            })
            .collect();
        files.sort();
        let mut added = Vec::new();
        for f in files {
            added.extend(self.add_file(&f)?);
        }
        Ok(added)
    }

    /// Adds one font file; returns the families it holds.
    ///
    /// # Errors
    ///
    /// [`FontError::Io`] or [`FontError::NotAFont`].
    pub fn add_file(&mut self, path: &Path) -> Result<Vec<String>, FontError> {
        let data = std::fs::read(path).map_err(|source| FontError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.add_data(data).ok_or_else(|| FontError::NotAFont {
            path: path.to_path_buf(),
        })
    }

    /// Adds a font from its bytes; the families it holds, or `None` when
    /// the bytes hold no font face.
    pub fn add_data(&mut self, data: Vec<u8>) -> Option<Vec<String>> {
        let ids = self
            .system
            .db_mut()
            .load_font_source(fontdb::Source::Binary(Arc::new(data)));
        if ids.is_empty() {
            return None;
        }
        let mut added = Vec::new();
        for id in ids {
            let Some(face) = self.system.db().face(id) else {
                continue;
            };
            let Some((name, _)) = face.families.first() else {
                continue;
            };
            if !self.families.iter().any(|f| &f.name == name) {
                self.families.push(Family {
                    name: name.clone(),
                    weight: face.weight.0,
                });
                added.push(name.clone());
            }
        }
        Some(added)
    }

    /// The loaded families, in load order.
    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// The family a name means: a role alias or a loaded family name
    /// (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`FontError::UnknownFamily`] listing what is available.
    pub fn resolve(&self, name: &str) -> Result<&Family, FontError> {
        let wanted = bundled_family(name).unwrap_or(name.trim());
        self.families
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| FontError::UnknownFamily {
                name: name.to_string(),
                available: BUNDLED_FONTS
                    .iter()
                    .filter_map(|f| f.role.map(str::to_string))
                    .chain(self.families.iter().map(|f| f.name.clone()))
                    .collect(),
            })
    }

    /// The family name of a loaded face.
    pub fn family_of(&self, id: fontdb::ID) -> Option<&str> {
        self.system
            .db()
            .face(id)
            .and_then(|f| f.families.first())
            .map(|(n, _)| n.as_str())
    }

    /// The font system (for shaping) and the swash cache (for outlines).
    pub fn parts(&mut self) -> (&mut FontSystem, &mut SwashCache) {
        (&mut self.system, &mut self.cache)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_families_resolve() {
        assert_eq!(bundled_family("SLAB"), Some("Roboto Slab"));
        assert_eq!(bundled_family("noto serif"), Some("Noto Serif"));
        assert_eq!(bundled_family("Comic Sans"), None);
        let names = bundled_names();
        for role in ["sans", "serif", "script", "slab", "mono"] {
            assert!(names.contains(&role));
        }
    }

    #[test]
    fn bundled_fonts_load_with_their_families() {
        let lib = super::super::tests::library();
        let lib = lib.lock().unwrap_or_else(|e| e.into_inner());
        for f in BUNDLED_FONTS {
            assert!(
                lib.families().iter().any(|g| g.name == f.family),
                "{} missing: {:?}",
                f.family,
                lib.families()
            );
        }
        assert_eq!(lib.resolve("slab").unwrap().weight, 700);
        let e = lib.resolve("Papyrus").unwrap_err().to_string();
        assert!(e.contains("Papyrus") && e.contains("script"), "{e}");
        // Bundled files stay small enough to ship.
        let total: u64 = BUNDLED_FONTS
            .iter()
            .map(|f| std::fs::metadata(bundled_dir().join(f.file)).unwrap().len())
            .sum();
        assert!(total < 15 << 20, "{total} bytes");
    }

    #[test]
    fn package_fonts_add_families_and_refuse_junk() {
        let dir = std::env::temp_dir().join(format!("showroom-fonts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            bundled_dir().join("DancingScript-Regular.otf"),
            dir.join("a.otf"),
        )
        .unwrap();
        let mut lib = FontLibrary::bundled().unwrap();
        // Already loaded: nothing new.
        assert!(lib.add_dir(&dir).unwrap().is_empty());
        std::fs::write(dir.join("b.ttf"), b"not a font").unwrap();
        let e = lib.add_dir(&dir).unwrap_err();
        assert!(matches!(e, FontError::NotAFont { .. }), "{e}");
        assert!(lib.add_dir(&dir.join("missing")).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
