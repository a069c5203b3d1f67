//! `showroom ring -o DIR [...]`: generates a ring (band, setting, gem) and
//! writes it as a product package: `DIR/ring.glb` and `DIR/product.json`.

use anyhow::Context;
use clap::{Args, ValueEnum};
use showroom::ring::{Cut, GemSize, GemSpec, Profile, RingSize, RingSpec, Setting, write_package};
use std::path::PathBuf;

/// Arguments of `showroom ring`. Flags left out keep the spec file's value
/// (`--spec`), else the defaults: US 6, 2.2 × 1.7 mm court band, 4 prongs,
/// a 1 ct round brilliant.
#[derive(Debug, Args)]
pub struct RingArgs {
    /// Output folder (created): ring.glb and product.json.
    #[arg(short, long)]
    pub output: PathBuf,
    /// A ring spec JSON to start from (`{"size": {"us": 7}, "profile": "flat", …}`).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// US ring size (inner diameter = 11.63 + 0.8128 × size mm).
    #[arg(long, conflicts_with = "inner_diameter")]
    pub size: Option<f64>,
    /// Inner diameter in mm (instead of --size).
    #[arg(long)]
    pub inner_diameter: Option<f64>,
    /// Band width along the finger, mm.
    #[arg(long)]
    pub width: Option<f64>,
    /// Band thickness, mm.
    #[arg(long)]
    pub thickness: Option<f64>,
    /// Band profile.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Setting.
    #[arg(long, value_enum)]
    pub setting: Option<SettingArg>,
    /// Claw diameter at the tip, mm (prong settings; default 13 % of the stone).
    #[arg(long)]
    pub prong_diameter: Option<f64>,
    /// Gem cut (the default one with --variants).
    #[arg(long, value_enum)]
    pub cut: Option<CutArg>,
    /// Diamond-equivalent weight in carats.
    #[arg(long, conflicts_with = "diameter")]
    pub carat: Option<f64>,
    /// Girdle width in mm instead of --carat (round: diameter, princess:
    /// side, oval: width).
    #[arg(long)]
    pub diameter: Option<f64>,
    /// A plain band: no gem, no setting.
    #[arg(long, conflicts_with_all = ["cut", "carat", "diameter", "variants"])]
    pub no_gem: bool,
    /// Every cut in one GLB (KHR_materials_variants), with a `cut` option.
    #[arg(long)]
    pub variants: bool,
}

/// `--profile`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    /// Flat inside and out.
    Flat,
    /// Comfort fit: domed inside and out.
    Court,
    /// Flat inside, domed outside.
    DShape,
}

/// `--setting`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SettingArg {
    /// Four claws.
    Prong4,
    /// Six claws.
    Prong6,
    /// A metal collar.
    Bezel,
}

/// `--cut`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CutArg {
    /// Round brilliant.
    Round,
    /// Princess.
    Princess,
    /// Oval brilliant.
    Oval,
}

/// The spec the arguments describe.
fn spec(a: &RingArgs) -> anyhow::Result<RingSpec> {
    let mut s = match &a.spec {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{}: not a ring spec", p.display()))?
        }
        None => RingSpec::default(),
    };
    if let Some(v) = a.size {
        s.size = RingSize::Us(v);
    }
    if let Some(v) = a.inner_diameter {
        s.size = RingSize::InnerDiameterMm(v);
    }
    if let Some(v) = a.width {
        s.band_width_mm = v;
    }
    if let Some(v) = a.thickness {
        s.band_thickness_mm = v;
    }
    if let Some(p) = a.profile {
        s.profile = match p {
            ProfileArg::Flat => Profile::Flat,
            ProfileArg::Court => Profile::Court,
            ProfileArg::DShape => Profile::DShape,
        };
    }
    let prong_diameter_mm = a.prong_diameter.or(match s.setting {
        Setting::Prong {
            prong_diameter_mm, ..
        } => prong_diameter_mm,
        Setting::Bezel { .. } => None,
    });
    if let Some(st) = a.setting {
        s.setting = match st {
            SettingArg::Prong4 => Setting::Prong {
                count: 4,
                prong_diameter_mm,
            },
            SettingArg::Prong6 => Setting::Prong {
                count: 6,
                prong_diameter_mm,
            },
            SettingArg::Bezel => Setting::Bezel { wall_mm: None },
        };
    } else if let (Some(d), Setting::Prong { count, .. }) = (a.prong_diameter, s.setting) {
        s.setting = Setting::Prong {
            count,
            prong_diameter_mm: Some(d),
        };
    }
    if a.no_gem {
        s.gem = None;
    } else {
        let mut g = s.gem.unwrap_or_default();
        if let Some(c) = a.cut {
            g.cut = match c {
                CutArg::Round => Cut::RoundBrilliant,
                CutArg::Princess => Cut::Princess,
                CutArg::Oval => Cut::Oval,
            };
        }
        if let Some(ct) = a.carat {
            g.size = GemSize::Carat(ct);
        }
        if let Some(d) = a.diameter {
            g.size = GemSize::DiameterMm(d);
        }
        s.gem = Some(GemSpec { ..g });
    }
    Ok(s)
}

/// `showroom ring`.
///
/// # Errors
///
/// An unreadable spec file, a parameter out of range, or a file that cannot
/// be written.
pub fn run(a: RingArgs) -> anyhow::Result<()> {
    let spec = spec(&a)?;
    let files = write_package(&spec, &a.output, a.variants)?;
    let ring = &files.ring;
    println!(
        "ring: inner diameter {:.2} mm, band {} × {} mm ({:?})",
        2.0 * ring.band.inner_radius,
        spec.band_width_mm,
        spec.band_thickness_mm,
        spec.profile
    );
    println!(
        "model centred on its bounds: finger axis at y = {:.3} mm",
        ring.axis.y + 0.0
    );
    for s in &ring.stones {
        let [x, y, z] = s.dimensions_mm();
        println!(
            "stone: {} {:.2} × {:.2} mm, {:.2} mm deep, {:.2} ct (diamond), girdle centre at y = {:.3} mm{}",
            s.cut.id(),
            x,
            z,
            y,
            s.carat,
            s.position.y,
            if Some(s.cut) == ring.default_cut && ring.all_cuts() {
                " (default)"
            } else {
                ""
            }
        );
    }
    let e = ring.engraving();
    println!(
        "engraving: material \"metal\", UV rect {:?}, {:.2} × {:.2} mm",
        e.rect, e.size_mm[0], e.size_mm[1]
    );
    println!(
        "wrote {} and {}",
        files.model.display(),
        files.definition.display()
    );
    Ok(())
}
