//! `showroom`: render glTF products into calibrated product images.

mod artwork;
mod batch;
mod bench;
mod bench_personalize;
mod bench_ring;
mod fidelity;
mod product;
mod product_cmds;
mod render;
mod ring;
mod serve;
mod view;

use clap::{Parser, Subcommand};

/// Showroom: a GPU renderer that turns glTF products into photoreal product images.
#[derive(Debug, Parser)]
#[command(name = "showroom", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a glTF/GLB product to an image (PNG, JPEG, WebP or EXR).
    Render(render::RenderArgs),
    /// Print the GPU adapter Showroom would use, its backend and limits.
    Info,
    /// Time cold start, warm renders (render / readback / encode) and the IBL bake.
    Bench(bench::BenchArgs),
    /// Render the reference scenarios and score them with FLIP against Cycles.
    Fidelity(fidelity::FidelityArgs),
    /// Export a configured product as a standalone GLB (for AR viewers and other tools).
    Export(product::ExportArgs),
    /// Check a product package against its model (and a configuration); list every problem.
    Validate(ValidateArgs),
    /// Print a product's options, values and prices as a table.
    Options {
        /// The product package (folder or product.json).
        product: std::path::PathBuf,
    },
    /// Price a configuration: total, breakdown and production sheet.
    Price {
        /// The product package (folder or product.json).
        product: std::path::PathBuf,
        /// Configuration JSON.
        #[arg(long)]
        config: std::path::PathBuf,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// List the built-in material library (`library:<name>` presets).
    Materials,
    /// Write print-ready artwork (PNG at a DPI, SVG outlines) of each personalization slot.
    Artwork(artwork::ArtworkArgs),
    /// Generate a ring (band, prong or bezel setting, faceted gem) as a product package.
    Ring(ring::RingArgs),
    /// Serve products over HTTP: configurations in, images out (docs/api.md).
    Serve(serve::ServeArgs),
    /// Render a batch job (TOML): every image of a catalogue, resumable and shardable.
    Batch(batch::BatchArgs),
    /// Open a product in a window: orbit it, configure it live, save images.
    View(view::ViewArgs),
    /// Sign an image URL for a service with `signing_key` set.
    SignUrl(serve::SignArgs),
}

/// Arguments of `showroom validate`.
#[derive(Debug, clap::Args)]
struct ValidateArgs {
    /// The product package (folder or product.json).
    product: std::path::PathBuf,
    /// A configuration JSON to validate too.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOWROOM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(a) => render::run(a),
        Command::Info => info(),
        Command::Bench(a) => bench::run(a),
        Command::Fidelity(a) => fidelity::run(a),
        Command::Export(a) => product::export(a),
        Command::Validate(a) => validate(&a),
        Command::Options { product } => product_cmds::options(&product),
        Command::Price {
            product,
            config,
            json,
        } => product_cmds::price(&product, &config, json),
        Command::Artwork(a) => artwork::run(a),
        Command::Ring(a) => ring::run(a),
        Command::Serve(a) => serve::run(a),
        Command::SignUrl(a) => serve::sign(a),
        Command::Batch(a) => batch::run(a),
        Command::View(a) => view::run(a),
        Command::Materials => {
            product_cmds::materials();
            Ok(())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes, skipping a cause whose text the message already
/// contains (many library errors name their cause in their own message).
fn describe(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

/// `showroom validate`: the definition against its model's names, then the
/// configuration; fails (exit 1) when anything is wrong.
fn validate(a: &ValidateArgs) -> anyhow::Result<()> {
    // The model's names, when the package and its model can be read (a
    // broken model is itself reported by product_cmds::validate's checks).
    let model = showroom::product::ProductPackage::load(&a.product)
        .ok()
        .map(|p| p.model_path())
        .and_then(|m| match showroom::studio::Studio::import(&m) {
            Ok(scene) => Some(showroom::showcase::model_info(&scene)),
            Err(e) => {
                eprintln!("model: {e}");
                None
            }
        });
    if product_cmds::validate(&a.product, a.config.as_deref(), model.as_ref())? {
        Ok(())
    } else {
        anyhow::bail!("{} is not valid", a.product.display())
    }
}

fn info() -> anyhow::Result<()> {
    let ctx = showroom::gpu::GpuContext::new(&Default::default())?;
    let l = ctx.limits();
    println!("adapter:   {}", ctx.summary.name);
    println!("backend:   {:?}", ctx.summary.backend);
    println!(
        "type:      {:?}{}",
        ctx.summary.device_type,
        if ctx.summary.software {
            " (software)"
        } else {
            ""
        }
    );
    println!("driver:    {}", ctx.summary.driver);
    println!("max image: {0}×{0} px", l.max_texture_dimension_2d);
    println!("max buffer: {} MiB", l.max_buffer_size >> 20);
    println!("msaa 4×:   {}", {
        let f = ctx.adapter.get_texture_format_features(wgpu_format());
        f.flags.sample_count_supported(4)
    });
    println!("features:  {:?}", ctx.device.features());
    Ok(())
}

fn wgpu_format() -> showroom::wgpu::TextureFormat {
    showroom::wgpu::TextureFormat::Rgba16Float
}
