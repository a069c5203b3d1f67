//! The batch job file (TOML): products, configurations, shots, environments,
//! sizes, formats and the output path template. See docs/batch.md.

use anyhow::Context;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default output path template of still images.
pub const DEFAULT_PATH: &str = "{product}/{config}/{shot}_{env}_{width}x{height}.{ext}";
/// The default output path template of turntable frames.
pub const DEFAULT_TURNTABLE_PATH: &str =
    "{product}/{config}/turntable_{shot}_{env}_{width}x{height}/{frame}.{ext}";

/// A batch job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// The output root, relative to the job file (the CLI's `--out` overrides it).
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Output path template of still images, relative to the output root.
    #[serde(default = "default_path")]
    pub path: String,
    /// Output path template of turntable frames.
    #[serde(default = "default_turntable_path")]
    pub turntable_path: String,
    /// Image sizes `[width, height]`.
    #[serde(default = "default_sizes")]
    pub sizes: Vec<[u32; 2]>,
    /// Formats: png, jpeg, webp, exr.
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
    /// Render settings shared by every image.
    #[serde(default)]
    pub render: RenderOptions,
    /// The products.
    #[serde(rename = "product", default)]
    pub products: Vec<ProductJob>,
}

/// Render settings of a job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderOptions {
    /// transparent, env or #rrggbb.
    #[serde(default = "default_background")]
    pub background: String,
    /// Linear exposure.
    #[serde(default = "one")]
    pub exposure: f32,
    /// Supersampling per axis, 1–4.
    #[serde(default = "one_u32")]
    pub ssaa: u32,
    /// JPEG quality 1–100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// Tone mapper: neutral, aces, agx, none.
    #[serde(default = "default_tonemap")]
    pub tonemap: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            background: default_background(),
            exposure: 1.0,
            ssaa: 1,
            quality: default_quality(),
            tonemap: default_tonemap(),
        }
    }
}

/// One product of a job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductJob {
    /// The product package folder (or product.json), relative to the job file.
    pub package: PathBuf,
    /// Explicit configurations: each a table of selections (option → value).
    #[serde(default)]
    pub configurations: Vec<BTreeMap<String, Value>>,
    /// Every combination of some options' values.
    #[serde(default)]
    pub combinations: Option<Combinations>,
    /// Named shots (empty: the product's default shot).
    #[serde(default)]
    pub shots: Vec<String>,
    /// Environment maps (.hdr/.exr) relative to the job file (empty: the product's).
    #[serde(default)]
    pub environments: Vec<PathBuf>,
    /// A turntable of each configuration.
    #[serde(default)]
    pub turntable: Option<Turntable>,
    /// This product's sizes, instead of the job's (a banner product, a
    /// square thumbnail product…).
    #[serde(default)]
    pub sizes: Option<Vec<[u32; 2]>>,
    /// This product's formats, instead of the job's.
    #[serde(default)]
    pub formats: Option<Vec<String>>,
}

impl ProductJob {
    /// The sizes of this product's images.
    pub fn sizes<'a>(&'a self, job: &'a Job) -> &'a [[u32; 2]] {
        self.sizes.as_deref().unwrap_or(&job.sizes)
    }

    /// The formats of this product's images.
    pub fn formats<'a>(&'a self, job: &'a Job) -> &'a [String] {
        self.formats.as_deref().unwrap_or(&job.formats)
    }
}

/// All combinations of chosen options' values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combinations {
    /// Option → the values to combine (in this order).
    pub options: BTreeMap<String, Vec<Value>>,
    /// Selections common to every combination.
    #[serde(default)]
    pub base: BTreeMap<String, Value>,
    /// Combinations to leave out: each a partial selection table; a
    /// combination matching every key of one of them is skipped.
    #[serde(default)]
    pub exclude: Vec<BTreeMap<String, Value>>,
    /// Skip combinations the product rejects (rules, validation) instead of failing the plan.
    #[serde(default = "yes")]
    pub skip_invalid: bool,
}

/// A turntable: frames around the product.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turntable {
    /// Number of frames (yaw steps of 360/frames from the shot's yaw).
    pub frames: u32,
    /// The shot it starts from (default: the product's default shot).
    #[serde(default)]
    pub shot: Option<String>,
    /// Pitch in degrees (default: the shot's).
    #[serde(default)]
    pub pitch: Option<f32>,
    /// Frame rate of the animation.
    #[serde(default = "default_fps")]
    pub fps: u32,
}

fn default_path() -> String {
    DEFAULT_PATH.into()
}
fn default_turntable_path() -> String {
    DEFAULT_TURNTABLE_PATH.into()
}
/// Sizes and formats are non-empty, sizes within 1..=16384, formats known.
fn check_sizes_formats(at: &str, sizes: &[[u32; 2]], formats: &[String]) -> anyhow::Result<()> {
    anyhow::ensure!(!sizes.is_empty(), "{at}`sizes` is empty");
    anyhow::ensure!(!formats.is_empty(), "{at}`formats` is empty");
    for s in sizes {
        anyhow::ensure!(
            s[0] >= 1 && s[1] >= 1 && s[0] <= 16384 && s[1] <= 16384,
            "{at}`sizes`: {s:?} is outside 1..=16384"
        );
    }
    for f in formats {
        f.parse::<showroom::output::ImageFormat>()
            .map_err(|_| anyhow::anyhow!("{at}`formats`: {f:?} is not png, jpeg, webp or exr"))?;
    }
    Ok(())
}

fn default_sizes() -> Vec<[u32; 2]> {
    vec![[1024, 1024]]
}
fn default_formats() -> Vec<String> {
    vec!["png".into()]
}
fn default_background() -> String {
    "transparent".into()
}
fn default_tonemap() -> String {
    "neutral".into()
}
fn default_quality() -> u8 {
    90
}
fn default_fps() -> u32 {
    12
}
fn one() -> f32 {
    1.0
}
fn one_u32() -> u32 {
    1
}
fn yes() -> bool {
    true
}

impl Job {
    /// Parse a job from TOML text; `base` resolves relative paths.
    pub fn parse(text: &str, base: &Path) -> anyhow::Result<Self> {
        let mut job: Job = toml::from_str(text)?;
        for p in &mut job.products {
            p.package = base.join(&p.package);
            for e in &mut p.environments {
                *e = base.join(&*e);
            }
        }
        job.output = job.output.map(|o| base.join(o));
        job.check()?;
        Ok(job)
    }

    /// Read and parse a job file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        Self::parse(&text, base).with_context(|| format!("{}: not a valid job", path.display()))
    }

    fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(!self.products.is_empty(), "no [[product]] in the job");
        check_sizes_formats("", &self.sizes, &self.formats)?;
        for (i, p) in self.products.iter().enumerate() {
            let at = format!("product {}: ", i + 1);
            check_sizes_formats(&at, p.sizes(self), p.formats(self))?;
        }
        let r = &self.render;
        anyhow::ensure!(
            (1..=4).contains(&r.ssaa),
            "`render.ssaa` must be 1..=4, not {}",
            r.ssaa
        );
        anyhow::ensure!(
            (1..=100).contains(&r.quality),
            "`render.quality` must be 1..=100, not {}",
            r.quality
        );
        r.background
            .parse::<showroom::output::Background>()
            .map_err(|e| anyhow::anyhow!("`render.background`: {e}"))?;
        r.tonemap
            .parse::<showroom::render::ToneMapping>()
            .map_err(|e| anyhow::anyhow!("`render.tonemap`: {e}"))?;
        check_template("path", &self.path, &[])?;
        check_template("turntable_path", &self.turntable_path, &["{frame}"])?;
        for (i, p) in self.products.iter().enumerate() {
            if let Some(t) = &p.turntable {
                anyhow::ensure!(
                    (1..=3600).contains(&t.frames),
                    "product {}: `turntable.frames` must be 1..=3600",
                    i + 1
                );
                anyhow::ensure!(
                    (1..=100).contains(&t.fps),
                    "product {}: `turntable.fps` must be 1..=100",
                    i + 1
                );
            }
            if let Some(c) = &p.combinations {
                anyhow::ensure!(
                    c.options.values().all(|v| !v.is_empty()),
                    "product {}: `combinations.options` has an option with no values",
                    i + 1
                );
            }
        }
        Ok(())
    }
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 8] = [
    "product", "config", "shot", "env", "width", "height", "ext", "frame",
];

fn check_template(key: &str, t: &str, required: &[&str]) -> anyhow::Result<()> {
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        let end = rest[i..]
            .find('}')
            .ok_or_else(|| anyhow::anyhow!("`{key}`: unclosed `{{` in {t:?}"))?;
        let name = &rest[i + 1..i + end];
        anyhow::ensure!(
            PLACEHOLDERS.contains(&name),
            "`{key}`: unknown placeholder {{{name}}} in {t:?} (known: {})",
            PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
        );
        rest = &rest[i + end + 1..];
    }
    for r in required {
        anyhow::ensure!(t.contains(r), "`{key}` must contain {r}");
    }
    anyhow::ensure!(
        !t.starts_with('/') && !t.split(['/', '\\']).any(|c| c == ".."),
        "`{key}` must stay inside the output root: {t:?}"
    );
    Ok(())
}

/// Fill a template's placeholders.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let e = Job::parse(
            "[[product]]\npackage = \"x\"\nshot = [\"a\"]\n",
            Path::new(""),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("shot"), "{e:#}");
        let e = Job::parse("sizez = [[1, 1]]\n", Path::new("")).unwrap_err();
        assert!(format!("{e:#}").contains("sizez"), "{e:#}");
    }

    #[test]
    fn templates_are_checked() {
        let e = Job::parse(
            "path = \"{product}/{colour}.{ext}\"\n[[product]]\npackage = \"x\"\n",
            Path::new(""),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("{colour}"), "{e:#}");
        let e = Job::parse(
            "formats = [\"gif\"]\n[[product]]\npackage = \"x\"\n",
            Path::new(""),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("gif"), "{e:#}");
        let e = Job::parse(
            "path = \"../{product}.{ext}\"\n[[product]]\npackage = \"x\"\n",
            Path::new(""),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("inside"), "{e:#}");
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill(
                "{product}/{shot}_{width}.{ext}",
                &[
                    ("product", "p".into()),
                    ("shot", "s".into()),
                    ("width", "64".into()),
                    ("ext", "png".into())
                ]
            ),
            "p/s_64.png"
        );
    }
}
