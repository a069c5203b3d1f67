//! `showroom artwork PRODUCT --config c.json -o dir/ [--dpi 300]`: the
//! print-ready artwork of every personalization slot with content: a PNG
//! with alpha at the slot's physical size and DPI (stated in the file), and
//! for text an SVG of the outlined glyphs, sized in millimetres.

use anyhow::Context;
use clap::Args;
use showroom::personalize::FontLibrary;
use showroom::personalize::artwork::{DEFAULT_DPI, configuration_artwork};
use showroom::personalize::image::data_uri_bytes;
use showroom::product::ProductPackage;
use showroom::product::config::Configuration;
use std::path::{Path, PathBuf};

/// Arguments of `showroom artwork`.
#[derive(Debug, Args)]
pub struct ArtworkArgs {
    /// The product package (folder or product.json).
    pub product: PathBuf,
    /// Configuration JSON. An image option's value is a file path (relative
    /// to this file) or a `data:` URI, alone or as the `image` of an object
    /// with adjustments.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Output folder (created); `<option>.png` and, for text, `<option>.svg`.
    #[arg(short, long, default_value = "artwork")]
    pub output: PathBuf,
    /// Resolution of the PNG artwork.
    #[arg(long, default_value_t = DEFAULT_DPI)]
    pub dpi: f32,
}

/// `showroom artwork`.
///
/// # Errors
///
/// An unreadable package or configuration, an invalid configuration (every
/// problem listed), a slot whose text or image cannot be made, or a file
/// that cannot be written.
pub fn run(a: ArtworkArgs) -> anyhow::Result<()> {
    let package = ProductPackage::load(&a.product)?;
    let cfg = match &a.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Configuration::from_json_str(&text)
                .with_context(|| format!("{}: not a configuration", p.display()))?
        }
        None => Configuration::new(package.definition.id.clone()),
    };
    let resolved = package.validate(&cfg).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  - {e}")).collect();
        anyhow::anyhow!("invalid configuration:\n{}", list.join("\n"))
    })?;
    let mut fonts = FontLibrary::bundled()?;
    fonts.add_dir(&package.dir.join("fonts"))?;
    let base = a
        .config
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut load = |reference: &str| -> Result<Vec<u8>, String> {
        if reference.starts_with("data:") {
            return data_uri_bytes(reference, 64 << 20).map_err(|e| e.to_string());
        }
        let path = base.join(reference);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let artworks = configuration_artwork(&package, &resolved, &mut fonts, a.dpi, &mut load)?;
    std::fs::create_dir_all(&a.output)
        .with_context(|| format!("cannot create {}", a.output.display()))?;
    if artworks.is_empty() {
        println!("no personalization slot has content: nothing written");
    }
    for s in &artworks {
        let r = &s.artwork.raster;
        let png = a.output.join(format!("{}.png", s.option));
        std::fs::write(&png, s.artwork.png())
            .with_context(|| format!("cannot write {}", png.display()))?;
        println!(
            "{}: {} {}×{} px at {} dpi → {}",
            s.option,
            s.kind,
            r.width,
            r.height,
            a.dpi,
            png.display()
        );
        if let Some(svg) = &s.artwork.svg {
            let path = a.output.join(format!("{}.svg", s.option));
            std::fs::write(&path, svg)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{}: outlines → {}", s.option, path.display());
        }
    }
    Ok(())
}
