//! Expanding a job into a deterministic, ordered list of images.

use super::job::{Job, ProductJob, fill};
use anyhow::Context;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use showroom::output::ImageFormat;
use showroom::product::ProductPackage;
use showroom::product::config::Configuration;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A turntable frame: frame `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TurnFrame {
    /// 0-based frame index.
    pub index: u32,
    /// Number of frames.
    pub count: u32,
    /// Pitch override in degrees.
    pub pitch: Option<f32>,
    /// Frames per second of the animation.
    pub fps: u32,
}

/// One image of the plan.
#[derive(Debug, Clone)]
pub struct Item {
    /// Position in the whole (unsharded) plan.
    pub index: usize,
    /// Stable identity: sha256 of what decides the pixels and the file.
    pub id: String,
    /// Index of the product in the job.
    pub product_index: usize,
    /// Product id.
    pub product: String,
    /// Package revision.
    pub revision: String,
    /// The canonical configuration.
    pub config: Configuration,
    /// Its full hash (ResolvedConfiguration::hash of an empty render object).
    pub config_hash: String,
    /// Shot id (None: the product's default shot).
    pub shot: Option<String>,
    /// The shot's name in files.
    pub shot_name: String,
    /// Environment map (None: the product's).
    pub env: Option<PathBuf>,
    /// The environment's name in files.
    pub env_name: String,
    /// Width, height.
    pub size: [u32; 2],
    /// Format.
    pub format: ImageFormat,
    /// Turntable frame, if any.
    pub frame: Option<TurnFrame>,
    /// File, relative to the output root (forward slashes).
    pub file: String,
}

/// A plan: every image of the job, plus what was skipped while expanding.
#[derive(Debug, Default)]
pub struct Plan {
    /// The images in order.
    pub items: Vec<Item>,
    /// Combinations left out (invalid or excluded), with why.
    pub skipped_combinations: Vec<String>,
    /// Explicit configurations the product rejects, with why: failures of
    /// the job (reported, the rest renders).
    pub invalid_configurations: Vec<String>,
}

/// Keep the items of shard `i` (1-based) of `n`: those whose index % n == i − 1.
pub fn shard(items: Vec<Item>, i: usize, n: usize) -> Vec<Item> {
    items
        .into_iter()
        .filter(|it| it.index % n == i - 1)
        .collect()
}

/// The render settings of the job as JSON (part of every item id).
pub fn render_json(job: &Job) -> Value {
    let r = &job.render;
    json!({
        "background": r.background, "exposure": r.exposure, "ssaa": r.ssaa,
        "quality": r.quality, "tonemap": r.tonemap,
    })
}

/// Expand `job` into its plan (loads every package; no GPU).
pub fn plan(job: &Job) -> anyhow::Result<Plan> {
    let mut out = Plan::default();
    let render = render_json(job);
    for (pi, pj) in job.products.iter().enumerate() {
        let formats: Vec<ImageFormat> = pj
            .formats(job)
            .iter()
            .map(|f| f.parse().expect("checked"))
            .collect();
        let sizes = pj.sizes(job);
        let package = ProductPackage::load(&pj.package)
            .with_context(|| format!("product {}: {}", pi + 1, pj.package.display()))?;
        let configs = configurations(
            &package,
            pj,
            &mut out.skipped_combinations,
            &mut out.invalid_configurations,
        )
        .with_context(|| format!("product {:?}", package.definition.id))?;
        let d = &package.definition;
        for s in pj
            .shots
            .iter()
            .chain(pj.turntable.iter().filter_map(|t| t.shot.as_ref()))
        {
            anyhow::ensure!(
                d.shot(s).is_some(),
                "product {:?}: no shot {s:?} (shots: {})",
                d.id,
                d.shots
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let default_shot = d
            .default_shot()
            .map_or_else(|| "default".to_string(), |s| s.id.clone());
        let shots: Vec<(Option<String>, String)> = if pj.shots.is_empty() {
            vec![(None, default_shot.clone())]
        } else {
            pj.shots
                .iter()
                .map(|s| (Some(s.clone()), s.clone()))
                .collect()
        };
        let envs: Vec<(Option<PathBuf>, String)> = if pj.environments.is_empty() {
            vec![(None, "default".into())]
        } else {
            pj.environments
                .iter()
                .map(|e| {
                    let name = e
                        .file_stem()
                        .map_or("env".into(), |s| s.to_string_lossy().into_owned());
                    (Some(e.clone()), name)
                })
                .collect()
        };
        // Environments are identified by content, not by path (the same job
        // run from another folder or machine gives the same ids).
        let mut env_hashes: HashMap<PathBuf, String> = HashMap::new();
        for e in &pj.environments {
            let bytes = std::fs::read(e)
                .with_context(|| format!("product {:?}: environment {}", d.id, e.display()))?;
            env_hashes.insert(e.clone(), hex::encode(Sha256::digest(&bytes)));
        }
        for (cfg, resolved_hash) in &configs {
            let mut push = |shot: &(Option<String>, String),
                            env: &(Option<PathBuf>, String),
                            size: [u32; 2],
                            format: ImageFormat,
                            frame: Option<TurnFrame>| {
                let template = if frame.is_some() {
                    &job.turntable_path
                } else {
                    &job.path
                };
                let file = fill(
                    template,
                    &[
                        ("product", d.id.clone()),
                        ("config", resolved_hash[..12].to_string()),
                        ("shot", shot.1.clone()),
                        ("env", env.1.clone()),
                        ("width", size[0].to_string()),
                        ("height", size[1].to_string()),
                        ("ext", format.extension().to_string()),
                        (
                            "frame",
                            frame.map_or(String::new(), |f| format!("{:03}", f.index)),
                        ),
                    ],
                );
                let id = item_id(&json!({
                    "product": d.id, "revision": package.revision, "config": resolved_hash,
                    "shot": shot.1, "env": env.1, "env_sha256": env.0.as_ref().map(|p| &env_hashes[p]), "size": size,
                    "format": format.extension(), "render": render,
                    "frame": frame.map(|f| json!({"index": f.index, "count": f.count, "pitch": f.pitch})),
                }));
                out.items.push(Item {
                    index: out.items.len(),
                    id,
                    product_index: pi,
                    product: d.id.clone(),
                    revision: package.revision.clone(),
                    config: cfg.clone(),
                    config_hash: resolved_hash.clone(),
                    shot: shot.0.clone(),
                    shot_name: shot.1.clone(),
                    env: env.0.clone(),
                    env_name: env.1.clone(),
                    size,
                    format,
                    frame,
                    file,
                });
            };
            for env in &envs {
                for shot in &shots {
                    for &size in sizes {
                        for &format in &formats {
                            push(shot, env, size, format, None);
                        }
                    }
                }
                if let Some(t) = &pj.turntable {
                    let shot = match &t.shot {
                        Some(s) => (Some(s.clone()), s.clone()),
                        None => (None, default_shot.clone()),
                    };
                    for &size in sizes {
                        for &format in &formats {
                            for index in 0..t.frames {
                                let frame = TurnFrame {
                                    index,
                                    count: t.frames,
                                    pitch: t.pitch,
                                    fps: t.fps,
                                };
                                push(&shot, env, size, format, Some(frame));
                            }
                        }
                    }
                }
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for it in &out.items {
        if let Some(&other) = seen.get(it.file.as_str()) {
            anyhow::bail!(
                "items {} and {} would both write {:?}: the path template needs more placeholders \
                 (e.g. {{env}}, {{height}}, {{ext}})",
                other + 1,
                it.index + 1,
                it.file
            );
        }
        seen.insert(&it.file, it.index);
    }
    Ok(out)
}

fn item_id(v: &Value) -> String {
    hex::encode(Sha256::digest(
        showroom::product::canonical::to_string(v).as_bytes(),
    ))
}

/// The product's configurations: the explicit ones, then the combinations;
/// each validated, canonical and deduplicated (first wins).
fn configurations(
    package: &ProductPackage,
    pj: &ProductJob,
    skipped: &mut Vec<String>,
    invalid: &mut Vec<String>,
) -> anyhow::Result<Vec<(Configuration, String)>> {
    let id = &package.definition.id;
    let mut out: Vec<(Configuration, String)> = Vec::new();
    let add = |sel: BTreeMap<String, Value>,
               strict: bool,
               out: &mut Vec<_>,
               skipped: &mut Vec<String>| {
        let cfg = Configuration {
            product: id.clone(),
            selections: sel,
        };
        match package.validate(&cfg) {
            Ok(r) => {
                let h = r.hash(&json!({}));
                if !out.iter().any(|(_, x): &(Configuration, String)| *x == h) {
                    out.push((r.to_configuration(), h));
                }
                Ok(())
            }
            Err(errors) => {
                let why = errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                let text = format!(
                    "{id} {}: {why}",
                    serde_json::to_string(&cfg.selections).unwrap_or_default()
                );
                if strict {
                    anyhow::bail!("invalid configuration {text}")
                }
                skipped.push(text);
                Ok(())
            }
        }
    };
    for sel in &pj.configurations {
        add(sel.clone(), false, &mut out, invalid)?;
    }
    if let Some(c) = &pj.combinations {
        let keys: Vec<&String> = c.options.keys().collect();
        let mut idx = vec![0usize; keys.len()];
        'combos: loop {
            let mut sel = c.base.clone();
            for (k, &i) in keys.iter().zip(&idx) {
                sel.insert((*k).clone(), c.options[*k][i].clone());
            }
            let excluded = c
                .exclude
                .iter()
                .any(|ex| ex.iter().all(|(k, v)| sel.get(k) == Some(v)));
            if excluded {
                skipped.push(format!(
                    "{id} {}: excluded",
                    serde_json::to_string(&sel).unwrap_or_default()
                ));
            } else {
                // Invalid ones are skipped, or failures of the job.
                let list = if c.skip_invalid {
                    &mut *skipped
                } else {
                    &mut *invalid
                };
                add(sel, false, &mut out, list)?;
            }
            // Next combination (the last option varies fastest).
            for j in (0..idx.len()).rev() {
                idx[j] += 1;
                if idx[j] < c.options[keys[j]].len() {
                    continue 'combos;
                }
                idx[j] = 0;
            }
            break;
        }
    }
    if out.is_empty() && pj.configurations.is_empty() && pj.combinations.is_none() {
        add(BTreeMap::new(), true, &mut out, skipped)?;
    }
    Ok(out)
}
