//! The JSON Lines manifest: one line per image written.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One image of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// The item id (see plan.rs).
    pub id: String,
    /// Product id.
    pub product: String,
    /// Package revision.
    pub revision: String,
    /// Configuration hash.
    pub config: String,
    /// Canonical selections.
    pub selections: BTreeMap<String, Value>,
    /// Shot.
    pub shot: String,
    /// Environment.
    pub env: String,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Format (file extension).
    pub format: String,
    /// Turntable frame index, if any.
    pub frame: Option<u32>,
    /// File relative to the output root.
    pub file: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// File size.
    pub bytes: u64,
    /// Render time (GPU render + readback) in ms.
    pub render_ms: f64,
}

/// The manifest file name: `manifest.jsonl`, or `manifest-<I>of<N>.jsonl` for a shard.
pub fn file_name(shard: Option<(usize, usize)>) -> String {
    match shard {
        Some((i, n)) if n > 1 => format!("manifest-{i}of{n}.jsonl"),
        _ => "manifest.jsonl".into(),
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The entries of a manifest by id (the last line of an id wins; broken
/// lines, e.g. from a killed run, are ignored). A missing file is empty.
pub fn read(path: &Path) -> HashMap<String, Entry> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<Entry>(l).ok())
        .map(|e| (e.id.clone(), e))
        .collect()
}

/// Whether `entry`'s file under `root` exists with the recorded checksum.
pub fn verified(root: &Path, entry: &Entry) -> bool {
    match std::fs::read(root.join(&entry.file)) {
        Ok(bytes) => bytes.len() as u64 == entry.bytes && sha256_hex(&bytes) == entry.sha256,
        Err(_) => false,
    }
}

/// An append-only manifest shared by the writer threads.
#[derive(Debug)]
pub struct Appender {
    path: PathBuf,
    file: Mutex<std::fs::File>,
}

impl Appender {
    /// Open (create) the manifest for appending.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Append one entry (one whole line, flushed).
    pub fn append(&self, e: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(e).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(line.as_bytes())?;
        f.flush()
    }

    /// Rewrite the manifest with exactly `entries` (atomically).
    pub fn compact(&self, entries: &[Entry]) -> std::io::Result<()> {
        let mut text = String::new();
        for e in entries {
            text.push_str(&serde_json::to_string(e).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        let _guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        showroom::output::write_atomic(&self.path, text.as_bytes()).map_err(std::io::Error::other)
    }
}
