//! The render cache, content-addressed by the render's key (the
//! configuration hash with the render parameters, which is also the ETag):
//! an in-memory LRU with a byte budget in front of a disk cache.
//!
//! Disk entries are written atomically (temporary file, then rename) and
//! carry a header with the content type, the payload length and its SHA-256;
//! an entry that does not check out is deleted and treated as a miss, never
//! served. The disk cache has its own byte budget (oldest entries evicted
//! first) and survives restarts.

use crate::metrics::Metrics;
use axum::body::Bytes;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

const MAGIC: &str = "SHOWROOM-RENDER-CACHE 1";
const EXTENSION: &str = "entry";

/// An encoded image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The file bytes.
    pub bytes: Bytes,
    /// Its media type.
    pub content_type: String,
}

/// A key → index LRU with a byte budget.
#[derive(Debug, Default)]
pub(crate) struct Lru<V> {
    map: HashMap<String, (V, u64, u64)>,
    order: BTreeMap<u64, String>,
    pub(crate) bytes: u64,
    budget: u64,
    tick: u64,
}

impl<V: Clone> Lru<V> {
    pub(crate) fn new(budget: u64) -> Self {
        Self {
            map: HashMap::new(),
            order: BTreeMap::new(),
            bytes: 0,
            budget,
            tick: 0,
        }
    }

    pub(crate) fn touch(&mut self, key: &str) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        let (v, _, t) = self.map.get_mut(key)?;
        self.order.remove(t);
        *t = tick;
        self.order.insert(tick, key.to_string());
        Some(v.clone())
    }

    /// Inserts; returns the evicted keys.
    pub(crate) fn insert(&mut self, key: String, value: V, size: u64) -> Vec<(String, V)> {
        let mut evicted = Vec::new();
        if let Some(old) = self.remove(&key) {
            // Replaced, not evicted: no file to delete for the new value.
            drop(old);
        }
        if size > self.budget {
            return evicted;
        }
        self.tick += 1;
        self.order.insert(self.tick, key.clone());
        self.map.insert(key, (value, size, self.tick));
        self.bytes += size;
        while self.bytes > self.budget {
            let Some((_, k)) = self.order.pop_first() else {
                break;
            };
            if let Some((v, s, _)) = self.map.remove(&k) {
                self.bytes -= s;
                evicted.push((k, v));
            }
        }
        evicted
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        let (v, s, t) = self.map.remove(key)?;
        self.order.remove(&t);
        self.bytes -= s;
        Some(v)
    }
}

/// The render cache.
#[derive(Debug)]
pub struct RenderCache {
    memory: Mutex<Lru<Arc<Encoded>>>,
    disk: Option<Arc<DiskCache>>,
    metrics: Metrics,
}

impl RenderCache {
    /// A cache with a memory budget and, when `disk_dir` is given, a disk
    /// cache there (scanned now: blocking).
    pub fn new(
        memory_bytes: u64,
        disk_dir: Option<PathBuf>,
        disk_bytes: u64,
        metrics: Metrics,
    ) -> Self {
        let disk = disk_dir.and_then(|dir| match DiskCache::open(&dir, disk_bytes) {
            Ok(d) => Some(Arc::new(d)),
            Err(e) => {
                tracing::error!(dir = %dir.display(), "disk render cache disabled: {e}");
                None
            }
        });
        if let Some(d) = &disk {
            metrics.cache_disk_bytes.set(d.bytes() as i64);
        }
        Self {
            memory: Mutex::new(Lru::new(memory_bytes)),
            disk,
            metrics,
        }
    }

    /// The disk cache folder, if any.
    pub fn disk_dir(&self) -> Option<&Path> {
        self.disk.as_deref().map(|d| d.dir.as_path())
    }

    /// The entry for `key`: memory first, then disk (promoted to memory).
    pub async fn get(&self, key: &str) -> Option<Arc<Encoded>> {
        if let Some(e) = self.memory().touch(key) {
            return Some(e);
        }
        let disk = Arc::clone(self.disk.as_ref()?);
        let k = key.to_string();
        let found = tokio::task::spawn_blocking(move || disk.read(&k))
            .await
            .ok()??;
        let found = Arc::new(found);
        self.put_memory(key, Arc::clone(&found));
        Some(found)
    }

    /// The entry for `key` in memory only (no I/O).
    pub fn get_memory(&self, key: &str) -> Option<Arc<Encoded>> {
        self.memory().touch(key)
    }

    /// Stores an entry in memory and on disk (waits for the disk write).
    pub async fn put(&self, key: &str, value: Arc<Encoded>) {
        self.put_memory(key, Arc::clone(&value));
        if let Some(disk) = &self.disk {
            let disk = Arc::clone(disk);
            let k = key.to_string();
            let _ = tokio::task::spawn_blocking(move || {
                if let Err(e) = disk.write(&k, &value) {
                    tracing::warn!(key = k, "cannot write the disk render cache: {e}");
                }
            })
            .await;
            if let Some(d) = &self.disk {
                self.metrics.cache_disk_bytes.set(d.bytes() as i64);
            }
        }
    }

    fn put_memory(&self, key: &str, value: Arc<Encoded>) {
        let size = value.bytes.len() as u64 + key.len() as u64;
        let mut m = self.memory();
        m.insert(key.to_string(), value, size);
        self.metrics.cache_memory_bytes.set(m.bytes as i64);
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Lru<Arc<Encoded>>> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The disk cache: `<dir>/<first two hex digits>/<key>.entry`.
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    index: Mutex<Lru<()>>,
    tmp_counter: AtomicU64,
}

fn valid_key(key: &str) -> bool {
    key.len() >= 8
        && key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl DiskCache {
    /// Opens (and scans) a disk cache folder, creating it when needed;
    /// leftover temporary files are removed.
    ///
    /// # Errors
    ///
    /// When the folder cannot be created or read.
    pub fn open(dir: &Path, budget: u64) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut found = Vec::new();
        for sub in std::fs::read_dir(dir)?.filter_map(Result::ok) {
            if !sub.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            for f in std::fs::read_dir(sub.path())?.filter_map(Result::ok) {
                let path = f.path();
                let name = f.file_name().to_string_lossy().into_owned();
                if name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(&path);
                    continue;
                }
                let Some(key) = name.strip_suffix(&format!(".{EXTENSION}")) else {
                    continue;
                };
                if !valid_key(key) {
                    continue;
                }
                if let Ok(meta) = f.metadata() {
                    found.push((meta.modified().ok(), key.to_string(), meta.len()));
                }
            }
        }
        found.sort();
        let mut index = Lru::new(budget);
        let mut evicted = Vec::new();
        for (_, key, size) in found {
            evicted.extend(index.insert(key, (), size));
        }
        let cache = Self {
            dir: dir.to_path_buf(),
            index: Mutex::new(index),
            tmp_counter: AtomicU64::new(0),
        };
        for (k, ()) in evicted {
            let _ = std::fs::remove_file(cache.path(&k));
        }
        Ok(cache)
    }

    /// Bytes on disk.
    pub fn bytes(&self) -> u64 {
        self.index().bytes
    }

    /// Where the entry of `key` lives.
    pub fn path(&self, key: &str) -> PathBuf {
        entry_path(&self.dir, key)
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Lru<()>> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads and checks an entry; a bad entry is deleted (`None`).
    pub fn read(&self, key: &str) -> Option<Encoded> {
        if !valid_key(key) {
            return None;
        }
        let path = self.path(key);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(_) => {
                self.index().remove(key);
                return None;
            }
        };
        match parse_entry(&data) {
            Ok(e) => {
                self.index().touch(key);
                if let Ok(f) = std::fs::File::options().write(true).open(&path) {
                    let _ = f.set_modified(std::time::SystemTime::now());
                }
                Some(e)
            }
            Err(reason) => {
                tracing::warn!(path = %path.display(), "corrupt render cache entry deleted: {reason}");
                let _ = std::fs::remove_file(&path);
                self.index().remove(key);
                None
            }
        }
    }

    /// Writes an entry atomically and evicts the oldest beyond the budget.
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    pub fn write(&self, key: &str, e: &Encoded) -> std::io::Result<()> {
        if !valid_key(key) {
            return Err(std::io::Error::other("invalid cache key"));
        }
        let path = self.path(key);
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let n = self.tmp_counter.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".{key}.{}.{n}.tmp", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            // No fsync: a torn file after a crash fails its checksum and is
            // dropped as a miss; the rename makes the entry appear whole.
            f.write_all(&entry_bytes(e))?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let evicted = self.index().insert(key.to_string(), (), size);
        for (k, ()) in evicted {
            let _ = std::fs::remove_file(self.path(&k));
        }
        Ok(())
    }
}

/// Where the disk entry of `key` lives under `dir`.
pub fn entry_path(dir: &Path, key: &str) -> PathBuf {
    let shard = key.get(..2).unwrap_or("xx");
    dir.join(shard).join(format!("{key}.{EXTENSION}"))
}

fn entry_bytes(e: &Encoded) -> Vec<u8> {
    let sum = hex::encode(Sha256::digest(&e.bytes));
    let mut out = format!(
        "{MAGIC}\ncontent-type: {}\nlength: {}\nsha256: {sum}\n\n",
        e.content_type,
        e.bytes.len()
    )
    .into_bytes();
    out.extend_from_slice(&e.bytes);
    out
}

fn parse_entry(data: &[u8]) -> Result<Encoded, String> {
    let end = data
        .windows(2)
        .take(1024)
        .position(|w| w == b"\n\n")
        .ok_or("no header")?;
    let header = std::str::from_utf8(&data[..end]).map_err(|_| "header is not UTF-8")?;
    let payload = &data[end + 2..];
    let mut lines = header.lines();
    if lines.next() != Some(MAGIC) {
        return Err("unknown format".into());
    }
    let (mut ct, mut len, mut sum) = (None, None, None);
    for line in lines {
        match line.split_once(": ") {
            Some(("content-type", v)) => ct = Some(v.to_string()),
            Some(("length", v)) => len = v.parse::<usize>().ok(),
            Some(("sha256", v)) => sum = Some(v.to_string()),
            _ => return Err(format!("bad header line {line:?}")),
        }
    }
    let (Some(ct), Some(len), Some(sum)) = (ct, len, sum) else {
        return Err("incomplete header".into());
    };
    if payload.len() != len {
        return Err(format!(
            "{} payload bytes, header says {len}",
            payload.len()
        ));
    }
    if hex::encode(Sha256::digest(payload)) != sum {
        return Err("checksum mismatch".into());
    }
    Ok(Encoded {
        bytes: Bytes::copy_from_slice(payload),
        content_type: ct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u8) -> String {
        format!("{i:02x}{}", "ab".repeat(31))
    }

    fn enc(n: usize) -> Encoded {
        Encoded {
            bytes: Bytes::from(vec![7u8; n]),
            content_type: "image/png".into(),
        }
    }

    #[test]
    fn entries_round_trip_and_corruption_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let d = DiskCache::open(dir.path(), 1 << 20).unwrap();
        d.write(&key(1), &enc(100)).unwrap();
        assert_eq!(d.read(&key(1)), Some(enc(100)));
        let p = d.path(&key(1));
        let mut bytes = std::fs::read(&p).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(d.read(&key(1)), None);
        assert!(!p.exists(), "a corrupt entry is deleted");
        d.write(&key(2), &enc(100)).unwrap();
        let p = d.path(&key(2));
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() - 10]).unwrap();
        assert_eq!(d.read(&key(2)), None, "a truncated entry is a miss");
    }

    #[test]
    fn disk_budget_evicts_oldest_first_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let d = DiskCache::open(dir.path(), 1000).unwrap();
        for i in 0..5 {
            d.write(&key(i), &enc(300)).unwrap();
        }
        assert!(d.bytes() <= 1000);
        assert_eq!(d.read(&key(0)), None);
        assert_eq!(d.read(&key(4)), Some(enc(300)));
        drop(d);
        let d = DiskCache::open(dir.path(), 1000).unwrap();
        assert_eq!(d.read(&key(4)), Some(enc(300)));
        assert!(d.bytes() > 0);
    }

    #[test]
    fn memory_lru_keeps_the_budget() {
        let mut l = Lru::new(250);
        l.insert("a".into(), 1, 100);
        l.insert("b".into(), 2, 100);
        assert_eq!(l.touch("a"), Some(1));
        let ev = l.insert("c".into(), 3, 100);
        assert_eq!(ev, vec![("b".to_string(), 2)]);
        assert!(l.insert("huge".into(), 4, 1000).is_empty());
        assert_eq!(l.touch("huge"), None);
    }
}
