//! Rendering a plan: one Studio, products loaded once each, encoding and
//! writing on a pool of threads so the GPU never waits for them.

use super::job::Job;
use super::manifest::{self, Appender, Entry};
use super::plan::Item;
use showroom::output::{Frame, encode, write_atomic};
use showroom::render::{CameraChoice, RenderSettings};
use showroom::showcase::LoadedProduct;
use showroom::studio::Studio;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Entries of every item of the plan that is done (this run or before), in plan order.
    pub entries: Vec<Entry>,
    /// Items rendered and written now.
    pub done: usize,
    /// Items already done (file present, checksum matching).
    pub skipped: usize,
    /// Items that failed: (file, why).
    pub failed: Vec<(String, String)>,
    /// Items left out by `--limit`.
    pub not_started: usize,
    /// Wall time of the rendering phase.
    pub elapsed: Duration,
    /// Ids of the items written by this run.
    pub fresh: HashSet<String>,
    /// Time spent rendering (GPU render + readback, decals), summed.
    pub render_time: Duration,
    /// Time the render thread waited for a free writer (encoding or disk
    /// slower than rendering).
    pub waited: Duration,
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Output root.
    pub root: PathBuf,
    /// Manifest path.
    pub manifest: PathBuf,
    /// Stop after this many items rendered.
    pub limit: Option<usize>,
    /// Encoder/writer threads.
    pub writers: usize,
    /// Re-render everything.
    pub force: bool,
}

struct Work {
    item: Item,
    frame: Frame,
    render_ms: f64,
}

/// The base render settings of the job.
fn base_settings(job: &Job) -> RenderSettings {
    let r = &job.render;
    RenderSettings {
        exposure: r.exposure,
        ssaa: r.ssaa,
        background: r.background.parse().expect("checked"),
        tonemap: r.tonemap.parse().expect("checked"),
        ..RenderSettings::default()
    }
}

/// Render `items` (this shard's part of the plan).
pub fn run(job: &Job, items: &[Item], opts: &RunOptions) -> anyhow::Result<Outcome> {
    let t0 = Instant::now();
    let previous = manifest::read(&opts.manifest);
    let mut out = Outcome::default();
    let mut done: HashMap<String, Entry> = HashMap::new();
    let mut todo: Vec<&Item> = Vec::new();
    for it in items {
        match previous.get(&it.id) {
            Some(e) if !opts.force && e.file == it.file && manifest::verified(&opts.root, e) => {
                done.insert(it.id.clone(), e.clone());
                out.skipped += 1;
            }
            _ => todo.push(it),
        }
    }
    if let Some(limit) = opts.limit
        && todo.len() > limit
    {
        out.not_started = todo.len() - limit;
        todo.truncate(limit);
    }
    std::fs::create_dir_all(&opts.root)?;
    remove_stale_temporaries(&opts.root, &todo);
    let appender = Arc::new(Appender::open(&opts.manifest)?);
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(todo.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} {per_sec} ETA {eta} {wide_msg}",
        )
        .expect("valid template"),
    );
    let failed: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let written: Arc<Mutex<Vec<Entry>>> = Arc::default();
    if !todo.is_empty() {
        let (tx, rx) = mpsc::sync_channel::<Work>(opts.writers * 2);
        let rx = Arc::new(Mutex::new(rx));
        let quality = job.render.quality;
        let writers: Vec<_> = (0..opts.writers.max(1))
            .map(|_| {
                let rx = rx.clone();
                let (root, appender, bar) = (opts.root.clone(), appender.clone(), bar.clone());
                let (failed, written) = (failed.clone(), written.clone());
                std::thread::spawn(move || {
                    loop {
                        let w = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                            Ok(w) => w,
                            Err(_) => break,
                        };
                        match write_item(&root, &w, quality) {
                            Ok(e) => {
                                if let Err(err) = appender.append(&e) {
                                    bar.suspend(|| eprintln!("manifest: {err}"));
                                }
                                written.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                            }
                            Err(err) => {
                                bar.suspend(|| eprintln!("failed: {}: {err:#}", w.item.file));
                                failed
                                    .lock()
                                    .unwrap_or_else(|p| p.into_inner())
                                    .push((w.item.file.clone(), format!("{err:#}")));
                            }
                        }
                        bar.inc(1);
                    }
                })
            })
            .collect();
        let render_failed = render_all(job, &todo, &tx, &bar, &mut out);
        drop(tx);
        for w in writers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a writer thread panicked"))?;
        }
        failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(render_failed?);
    }
    bar.finish_and_clear();
    for e in written.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
        out.done += 1;
        out.fresh.insert(e.id.clone());
        done.insert(e.id.clone(), e);
    }
    out.failed = std::mem::take(&mut *failed.lock().unwrap_or_else(|p| p.into_inner()));
    out.entries = items.iter().filter_map(|it| done.remove(&it.id)).collect();
    appender.compact(&out.entries)?;
    out.elapsed = t0.elapsed();
    Ok(out)
}

/// Render every item in order on this thread, sending frames to the
/// writers. Returns the items that failed to render.
fn render_all(
    job: &Job,
    todo: &[&Item],
    tx: &mpsc::SyncSender<Work>,
    bar: &indicatif::ProgressBar,
    out: &mut Outcome,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut failed = Vec::new();
    let mut studio = Studio::new(&Default::default())?;
    let base = base_settings(job);
    let mut current: Option<(usize, Result<LoadedProduct, String>)> = None;
    for it in todo {
        if current.as_ref().is_none_or(|(i, _)| *i != it.product_index) {
            drop(current.take()); // free the previous product first
            bar.set_message(format!("loading {}", it.product));
            let dir = &job.products[it.product_index].package;
            let p = studio
                .load_product(dir)
                .map_err(|e| format!("cannot load {}: {e}", dir.display()));
            current = Some((it.product_index, p));
        }
        let Some((_, product)) = current.as_mut() else {
            unreachable!()
        };
        let result = match product {
            Ok(p) => render_one(&mut studio, p, it, &base),
            Err(e) => Err(e.clone()),
        };
        match result {
            Ok((frame, render_ms)) => {
                bar.set_message(it.file.clone());
                let work = Work {
                    item: (*it).clone(),
                    frame,
                    render_ms,
                };
                out.render_time += Duration::from_secs_f64(render_ms / 1000.0);
                let t = Instant::now();
                if tx.send(work).is_err() {
                    anyhow::bail!("the writer threads stopped");
                }
                out.waited += t.elapsed();
            }
            Err(why) => {
                bar.suspend(|| eprintln!("failed: {}: {why}", it.file));
                failed.push((it.file.clone(), why));
                bar.inc(1);
            }
        }
    }
    Ok(failed)
}

fn render_one(
    studio: &mut Studio,
    p: &mut LoadedProduct,
    it: &Item,
    base: &RenderSettings,
) -> Result<(Frame, f64), String> {
    if p.configuration.to_configuration() != it.config {
        studio
            .configure(p, &it.config)
            .map_err(|e| format!("configuration: {e}"))?;
    }
    let mut camera = p
        .shot_camera(it.shot.as_deref())
        .map_err(|e| e.to_string())?;
    if let (Some(f), CameraChoice::Orbit(o)) = (it.frame, &mut camera) {
        o.yaw_deg += 360.0 * f.index as f32 / f.count as f32;
        if let Some(pitch) = f.pitch {
            o.pitch_deg = pitch;
        }
    }
    let settings = RenderSettings {
        width: it.size[0],
        height: it.size[1],
        camera,
        linear: it.format == showroom::output::ImageFormat::Exr,
        ..base.clone()
    };
    let env = match &it.env {
        Some(path) => studio.environment(path).map_err(|e| e.to_string())?,
        None => p.environment.clone(),
    };
    let t = Instant::now();
    studio
        .place_decals(p, &settings)
        .map_err(|e| e.to_string())?;
    let frame = studio
        .render(&p.scene, &env, &settings)
        .map_err(|e| e.to_string())?;
    Ok((frame, t.elapsed().as_secs_f64() * 1000.0))
}

fn write_item(root: &Path, w: &Work, quality: u8) -> anyhow::Result<Entry> {
    let it = &w.item;
    let bytes = encode(&w.frame, it.format, quality)?;
    let path = root.join(&it.file);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    write_atomic(&path, &bytes)?;
    Ok(Entry {
        id: it.id.clone(),
        product: it.product.clone(),
        revision: it.revision.clone(),
        config: it.config_hash.clone(),
        selections: it.config.selections.clone(),
        shot: it.shot_name.clone(),
        env: it.env_name.clone(),
        width: it.size[0],
        height: it.size[1],
        format: it.format.extension().into(),
        frame: it.frame.map(|f| f.index),
        file: it.file.clone(),
        sha256: manifest::sha256_hex(&bytes),
        bytes: bytes.len() as u64,
        render_ms: (w.render_ms * 100.0).round() / 100.0,
    })
}

/// Remove what a killed run left of its atomic writes (`.NAME.PID-N.tmp`
/// beside each file still to do; only this shard's files, so a shard running
/// beside this one in the same root keeps its own).
fn remove_stale_temporaries(root: &Path, todo: &[&Item]) {
    let mut by_dir: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    for it in todo {
        let path = root.join(&it.file);
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
            by_dir
                .entry(dir.to_path_buf())
                .or_default()
                .insert(format!(".{}.", name.to_string_lossy()));
        }
    }
    for (dir, prefixes) in by_dir {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") && prefixes.iter().any(|p| name.starts_with(p.as_str())) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
