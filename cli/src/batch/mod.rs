//! `showroom batch job.toml`: every image of a catalogue, resumable and
//! shardable (docs/batch.md).

mod extras;
mod job;
mod manifest;
mod plan;
mod run;

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

/// Thumbnails per contact sheet page (32 × 32).
const SHEET_PAGE: usize = 1024;

/// Arguments of `showroom batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The job file (TOML, docs/batch.md).
    pub job: PathBuf,
    /// Output root (default: the job's `output`, else `batch-out`).
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// Render shard I of N (1-based): the items whose index % N == I − 1.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Number of shards, the shard index (0-based) coming from
    /// JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). Ignored with --shard.
    #[arg(long)]
    pub shards: Option<usize>,
    /// Print the plan and render nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop after rendering this many items (the rest stay for a rerun).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Encoder/writer threads.
    #[arg(long, default_value_t = 2)]
    pub writers: usize,
    /// Re-render items already done.
    #[arg(long)]
    pub force: bool,
    /// Write no contact sheet.
    #[arg(long)]
    pub no_contact_sheet: bool,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?} is not I/N"))?;
    let i: usize = i.trim().parse().map_err(|_| format!("bad I in {s:?}"))?;
    let n: usize = n.trim().parse().map_err(|_| format!("bad N in {s:?}"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("{s:?}: need 1 <= I <= N"));
    }
    Ok((i, n))
}

/// The shard to render: --shard, else JOB_COMPLETION_INDEX with --shards.
fn which_shard(a: &BatchArgs) -> anyhow::Result<Option<(usize, usize)>> {
    if a.shard.is_some() {
        return Ok(a.shard);
    }
    let Some(n) = a.shards else {
        return Ok(None);
    };
    anyhow::ensure!(n >= 1, "--shards must be at least 1");
    let index = std::env::var("JOB_COMPLETION_INDEX")
        .context("--shards needs JOB_COMPLETION_INDEX (or pass --shard I/N)")?;
    let index: usize = index
        .trim()
        .parse()
        .with_context(|| format!("JOB_COMPLETION_INDEX={index:?} is not a number"))?;
    anyhow::ensure!(
        index < n,
        "JOB_COMPLETION_INDEX={index} is not below --shards {n}"
    );
    Ok(Some((index + 1, n)))
}

/// Run `showroom batch`.
pub fn run(a: BatchArgs) -> anyhow::Result<()> {
    let job = job::Job::load(&a.job)?;
    let shard = which_shard(&a)?;
    let plan = plan::plan(&job)?;
    let total = plan.items.len();
    let all = plan.items.clone();
    let items = match shard {
        Some((i, n)) => plan::shard(plan.items, i, n),
        None => plan.items,
    };
    let root = a
        .out
        .clone()
        .or_else(|| job.output.clone())
        .unwrap_or_else(|| PathBuf::from("batch-out"));
    let shard_text = shard.map_or(String::new(), |(i, n)| format!(" (shard {i}/{n})"));
    if a.dry_run {
        for it in &items {
            println!("{:>5} {} {}", it.index + 1, it.id, it.file);
        }
        for s in &plan.skipped_combinations {
            eprintln!("skipped combination: {s}");
        }
        for s in &plan.invalid_configurations {
            eprintln!("invalid configuration (fails the job): {s}");
        }
        eprintln!(
            "{} of {total} images{shard_text} → {}",
            items.len(),
            root.display()
        );
        return Ok(());
    }
    let manifest = root.join(manifest::file_name(shard));
    let opts = run::RunOptions {
        root: root.clone(),
        manifest: manifest.clone(),
        limit: a.limit,
        writers: a.writers.max(1),
        force: a.force,
    };
    let mut out = run::run(&job, &items, &opts)?;
    for s in &plan.invalid_configurations {
        out.failed.push((
            "(configuration)".into(),
            format!("invalid configuration {s}"),
        ));
    }
    let secs = out.elapsed.as_secs_f64();
    let anims = extras::animations(&job, &all, &root, &out.fresh);
    out.failed.extend(anims.failed.iter().cloned());
    let sheet_name = match shard {
        Some((i, n)) if n > 1 => format!("contact-sheet-{i}of{n}"),
        _ => "contact-sheet".into(),
    };
    let mut sheet_text = String::new();
    let first_page = root.join(format!("{sheet_name}.png"));
    if !a.no_contact_sheet && (out.done > 0 || !first_page.is_file()) {
        let files: Vec<String> = out.entries.iter().map(|e| e.file.clone()).collect();
        // Pages of at most SHEET_PAGE thumbnails keep each sheet a few MB.
        let mut pages = Vec::new();
        for (k, chunk) in files.chunks(SHEET_PAGE).enumerate() {
            let name = match k {
                0 => format!("{sheet_name}.png"),
                _ => format!("{sheet_name}-p{}.png", k + 1),
            };
            match extras::contact_sheet(&root, chunk, &root.join(&name)) {
                Ok(0) => {}
                Ok(_) => pages.push(name),
                Err(e) => out.failed.push((name, format!("{e:#}"))),
            }
        }
        if !pages.is_empty() {
            sheet_text = format!("contact sheet {}", pages.join(", "));
        }
    }
    eprintln!(
        "{} images{shard_text}: {} rendered, {} already done, {} failed{} in {:.1} s ({:.2} images/s); manifest {}",
        items.len(),
        out.done,
        out.skipped,
        out.failed.len(),
        if out.not_started > 0 {
            format!(", {} left for later (--limit)", out.not_started)
        } else {
            String::new()
        },
        secs,
        out.done as f64 / secs.max(1e-9),
        manifest.display()
    );
    if out.done > 0 {
        eprintln!(
            "render {:.1} ms per image; the render thread waited {:.2} s for the writers",
            out.render_time.as_secs_f64() * 1000.0 / out.done as f64,
            out.waited.as_secs_f64()
        );
    }
    let mut extras = Vec::new();
    if all.iter().any(|it| it.frame.is_some()) {
        extras.push(format!(
            "turntables: {} GIF, {} MP4{}",
            anims.gifs.len(),
            anims.mp4s.len(),
            if anims.no_ffmpeg {
                " (no MP4: ffmpeg is not on PATH)"
            } else {
                ""
            }
        ));
    }
    if !sheet_text.is_empty() {
        extras.push(sheet_text);
    }
    if !extras.is_empty() {
        eprintln!("{}", extras.join("; "));
    }
    for (file, why) in &out.failed {
        eprintln!("  failed: {file}: {why}");
    }
    anyhow::ensure!(
        out.failed.is_empty(),
        "{} failure(s) in a job of {} images",
        out.failed.len(),
        items.len()
    );
    anyhow::ensure!(
        out.not_started == 0,
        "stopped by --limit with {} images left",
        out.not_started
    );
    Ok(())
}
