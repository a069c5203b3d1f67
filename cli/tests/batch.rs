//! `showroom batch` end to end: the built binary on small jobs (lavapipe-friendly 64² images).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 24 images over two products: the sneaker in 3 valid combinations × 2
/// shots (6; beach + speckle is forbidden by a rule and skipped), the bottle
/// in 2 configurations × 1 shot (2) plus an 8-frame turntable of each (16).
fn job(dir: &Path) -> PathBuf {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products");
    let text = format!(
        r#"
sizes = [[64, 64]]
[[product]]
package = {sneaker:?}
shots = ["three-quarter", "side"]
[product.combinations]
options = {{ colorway = ["midnight", "beach"], print = ["none", "speckle"] }}
[[product]]
package = {bottle:?}
configurations = [{{ body = "forest" }}, {{ body = "steel", name = "ANNA" }}]
shots = ["front"]
turntable = {{ frames = 8 }}
"#,
        sneaker = assets.join("sneaker"),
        bottle = assets.join("bottle"),
    );
    let path = dir.join("job.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn showroom(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_showroom"));
    c.arg("batch").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run showroom")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The (id, file) pairs a dry run prints.
fn dry_run(job: &Path, extra: &[&str], env: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut args = vec![job.to_str().unwrap(), "--dry-run"];
    args.extend_from_slice(extra);
    let o = showroom(&args, env);
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (_, id, file) = (w.next()?.parse::<usize>().ok()?, w.next()?, w.next()?);
            Some((id.to_string(), file.to_string()))
        })
        .collect()
}

/// Every image file under `root` (relative, sorted), manifests,
/// animations and contact sheets left out.
fn files(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p
                .extension()
                .is_none_or(|x| !["jsonl", "gif", "mp4"].contains(&x.to_str().unwrap()))
                && !p
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("contact-sheet")
            {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    if root.exists() {
        walk(root, root, &mut out);
    }
    out
}

/// The manifest's entries as JSON values, checked against the files.
fn manifest(root: &Path, name: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(root.join(name)).unwrap();
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &entries {
        let bytes = std::fs::read(root.join(e["file"].as_str().unwrap())).unwrap();
        assert_eq!(e["bytes"].as_u64().unwrap(), bytes.len() as u64);
        use sha2::Digest;
        assert_eq!(
            e["sha256"].as_str().unwrap(),
            hex::encode(sha2::Sha256::digest(&bytes))
        );
    }
    entries
}

/// The turntable GIFs under `root`, each checked to have `frames` frames.
fn gifs(root: &Path, frames: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "gif") {
                let mut dec = gif::DecodeOptions::new()
                    .read_info(std::fs::File::open(&p).unwrap())
                    .unwrap();
                let mut count = 0;
                while dec.read_next_frame().unwrap().is_some() {
                    count += 1;
                }
                assert_eq!(count, frames, "{}", p.display());
                n += 1;
            }
        }
    }
    n
}

fn ids(entries: &[serde_json::Value]) -> BTreeSet<String> {
    entries
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn plan_is_deterministic_and_shards_partition_it() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let all = dry_run(&job, &[], &[]);
    assert_eq!(all.len(), 24);
    assert_eq!(
        all,
        dry_run(&job, &[], &[]),
        "the plan changes between runs"
    );
    let mut union = BTreeMap::new();
    for i in 1..=3 {
        let part = dry_run(&job, &["--shard", &format!("{i}/3")], &[]);
        assert_eq!(part.len(), 8);
        // The same share from a Kubernetes Indexed Job's 0-based index.
        let index = (i - 1).to_string();
        let k8s = dry_run(
            &job,
            &["--shards", "3"],
            &[("JOB_COMPLETION_INDEX", index.as_str())],
        );
        assert_eq!(part, k8s);
        for (id, file) in part {
            assert!(union.insert(id, file).is_none(), "an item in two shards");
        }
    }
    assert_eq!(union, all);
}

#[test]
fn interrupted_job_resumes_to_exactly_the_full_set() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let out = dir.path().join("out");
    let expected: BTreeSet<String> = dry_run(&job, &[], &[]).into_values().collect();
    let args = [job.to_str().unwrap(), "--out", out.to_str().unwrap()];

    // Interrupted halfway: 12 images written, the run says it is not complete.
    let mut limited = args.to_vec();
    limited.extend(["--limit", "12"]);
    let o = showroom(&limited, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert_eq!(files(&out).len(), 12, "{}", text(&o));
    assert_eq!(manifest(&out, "manifest.jsonl").len(), 12);

    // Resumed: the other 12 only.
    let o = showroom(&args, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("12 rendered, 12 already done, 0 failed"),
        "{}",
        text(&o)
    );
    assert_eq!(files(&out), expected);
    let entries = manifest(&out, "manifest.jsonl");
    assert_eq!(entries.len(), 24);
    let manifest_files: BTreeSet<String> = entries
        .iter()
        .map(|e| e["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(manifest_files, expected);
    assert_eq!(
        entries.iter().filter(|e| e["frame"].is_u64()).count(),
        16,
        "turntable frames"
    );
    // Each turntable as an animation; a contact sheet of the 24 (5 × 5 cells).
    assert_eq!(gifs(&out, 8), 2);
    let sheet = image::open(out.join("contact-sheet.png"))
        .unwrap()
        .to_rgb8();
    // Cells of 128 px thumbnails over 14 px captions, 4 px apart.
    assert_eq!((sheet.width(), sheet.height()), (5 * 132 + 4, 5 * 146 + 4));
    // Each of the 24 cells is captioned: dark text pixels in its strip.
    for i in 0..24u32 {
        let (x0, y0) = (4 + (i % 5) * 132, 4 + (i / 5) * 146 + 128);
        let ink = (x0..x0 + 128)
            .flat_map(|x| (y0..y0 + 14).map(move |y| (x, y)))
            .filter(|&(x, y)| sheet.get_pixel(x, y)[0] < 140)
            .count();
        assert!(ink > 40, "cell {i} has no caption ({ink} dark pixels)");
    }
    std::fs::copy(
        out.join("contact-sheet.png"),
        std::env::temp_dir().join("showroom-contact-sheet.png"),
    )
    .ok();

    // A truncated file and a deleted one are redone; nothing else is.
    let truncated = out.join(entries[0]["file"].as_str().unwrap());
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(out.join(entries[23]["file"].as_str().unwrap())).unwrap();
    let o = showroom(&args, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("2 rendered, 22 already done, 0 failed"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&truncated).unwrap(), bytes);
    assert_eq!(files(&out), expected);
    assert_eq!(manifest(&out, "manifest.jsonl").len(), 24);
}

#[test]
fn three_shards_render_the_full_set_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let out = dir.path().join("out");
    let all = dry_run(&job, &[], &[]);
    let mut union = BTreeSet::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let o = showroom(
            &[
                job.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--shard",
                &shard,
            ],
            &[],
        );
        assert!(o.status.success(), "{}", text(&o));
        let entries = manifest(&out, &format!("manifest-{i}of3.jsonl"));
        assert_eq!(entries.len(), 8);
        for id in ids(&entries) {
            assert!(union.insert(id), "an image rendered by two shards");
        }
    }
    assert_eq!(union, all.keys().cloned().collect());
    assert_eq!(files(&out), all.into_values().collect());
    // The shard that completes a turntable writes its animation.
    assert_eq!(gifs(&out, 8), 2);
    for i in 1..=3 {
        assert!(out.join(format!("contact-sheet-{i}of3.png")).is_file());
    }
}

#[test]
fn a_failed_item_is_reported_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let out = dir.path().join("out");
    // A file where the sneaker's folder should be: its 6 images cannot be written.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("sneaker"), b"in the way").unwrap();
    let o = showroom(
        &[job.to_str().unwrap(), "--out", out.to_str().unwrap()],
        &[],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("18 rendered, 0 already done, 6 failed"),
        "{}",
        text(&o)
    );
    assert_eq!(manifest(&out, "manifest.jsonl").len(), 18);
}

#[test]
fn bad_jobs_are_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.toml");
    std::fs::write(&path, "sizes = [[64, 64]]\nformat = [\"png\"]\n").unwrap();
    let o = showroom(&[path.to_str().unwrap(), "--dry-run"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("format"), "{}", text(&o));
}

#[cfg(unix)]
#[test]
fn turntables_become_mp4_when_ffmpeg_is_on_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let out = dir.path().join("out");
    // A stand-in ffmpeg that checks it got numbered frames and writes its last argument.
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let ffmpeg = bin.join("ffmpeg");
    std::fs::write(
        &ffmpeg,
        "#!/bin/sh\nfor a; do last=\"$a\"; case \"$a\" in *%05d.png) ls \"${a%/*}\" | grep -q 00007.png || exit 3;; esac; done\necho mp4 > \"$last\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&ffmpeg, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = showroom(
        &[job.to_str().unwrap(), "--out", out.to_str().unwrap()],
        &[("PATH", path.as_str())],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("2 GIF, 2 MP4"), "{}", text(&o));
}

#[test]
fn killed_job_resumes_to_exactly_the_full_set() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let out = dir.path().join("out");
    let expected: BTreeSet<String> = dry_run(&job, &[], &[]).into_values().collect();
    let args = [job.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let mut child = Command::new(env!("CARGO_BIN_EXE_showroom"))
        .arg("batch")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a few images are recorded (or let it end, on a fast machine).
    let t0 = std::time::Instant::now();
    loop {
        let lines = std::fs::read_to_string(out.join("manifest.jsonl"))
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= 4 || child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(t0.elapsed().as_secs() < 300, "no progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let before = files(&out).len();
    let o = showroom(&args, &[]);
    assert!(o.status.success(), "{}", text(&o));
    // Images recorded before the kill are kept, the rest (incl. one written
    // but not yet recorded) rendered: together the 24.
    let t = text(&o);
    let count = |word: &str| -> usize {
        let end = t.find(word).unwrap_or_else(|| panic!("{t}"));
        t[..end].split_whitespace().last().unwrap().parse().unwrap()
    };
    let (rendered, kept) = (count(" rendered"), count(" already done"));
    assert_eq!(rendered + kept, 24, "{t}");
    assert!(kept <= before, "{t}");
    // Exactly the plan's files: no temporaries left, nothing twice.
    assert_eq!(files(&out), expected);
    assert_eq!(manifest(&out, "manifest.jsonl").len(), 24);
    assert_eq!(gifs(&out, 8), 2);
}

#[test]
fn failing_configurations_are_reported_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sneaker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker");
    // One configuration the product rejects (a rule), one whose logo file is
    // missing (fails when applied), one good.
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        format!(
            r#"
sizes = [[64, 64]]
[[product]]
package = {sneaker:?}
configurations = [
  {{ colorway = "beach", print = "speckle" }},
  {{ colorway = "street", logo = "no-such-logo.png" }},
  {{ colorway = "midnight" }},
]
"#
        ),
    )
    .unwrap();
    let o = showroom(
        &[job.to_str().unwrap(), "--out", out.to_str().unwrap()],
        &[],
    );
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("1 rendered, 0 already done, 2 failed"), "{t}");
    assert!(t.contains("speckle"), "{t}");
    assert!(t.contains("no-such-logo.png"), "{t}");
    assert_eq!(manifest(&out, "manifest.jsonl").len(), 1);
}

#[test]
fn combinations_follow_exclude_and_skip_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let sneaker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/sneaker");
    let write = |extra: &str| {
        let job = dir.path().join("job.toml");
        std::fs::write(
            &job,
            format!(
                "sizes = [[64, 64]]\n[[product]]\npackage = {sneaker:?}\n\
                 [product.combinations]\n\
                 options = {{ colorway = [\"midnight\", \"beach\", \"street\"], print = [\"none\", \"speckle\"] }}\n{extra}"
            ),
        )
        .unwrap();
        job
    };
    // 6 combinations, speckle only on midnight: 4 valid; one more excluded: 3.
    let job = write("exclude = [{ colorway = \"street\" , print = \"none\" }]\n");
    let plan = dry_run(&job, &[], &[]);
    assert_eq!(plan.len(), 3, "{plan:?}");
    assert!(plan.values().all(|f| f.starts_with("sneaker/")));
    // With skip_invalid = false the two forbidden ones are failures of the job.
    let job = write("skip_invalid = false\n");
    let o = showroom(&[job.to_str().unwrap(), "--dry-run"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        text(&o)
            .matches("invalid configuration (fails the job)")
            .count(),
        2,
        "{}",
        text(&o)
    );
}

#[test]
fn a_product_may_have_its_own_sizes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products");
    let job_text = format!(
        r#"
sizes = [[64, 64]]
formats = ["png"]
path = "{{product}}/{{config}}_{{width}}x{{height}}.{{ext}}"
[[product]]
package = {sneaker:?}
[[product]]
package = {bottle:?}
sizes = [[32, 48], [48, 32]]
formats = ["webp", "jpeg"]
"#,
        sneaker = assets.join("sneaker"),
        bottle = assets.join("bottle"),
    );
    let job = dir.path().join("job.toml");
    std::fs::write(&job, job_text).unwrap();
    let plan = dry_run(&job, &[], &[]);
    let mut sneaker: Vec<&str> = plan
        .values()
        .filter(|f| f.contains("sneaker/"))
        .map(String::as_str)
        .collect();
    let mut bottle: Vec<String> = plan
        .values()
        .filter(|f| f.contains("bottle/"))
        .map(|f| f.rsplit('_').next().unwrap().to_string())
        .collect();
    sneaker.sort();
    bottle.sort();
    assert_eq!(sneaker.len(), 1, "{plan:?}");
    assert!(sneaker[0].ends_with("_64x64.png"), "{plan:?}");
    assert_eq!(
        bottle,
        ["32x48.jpg", "32x48.webp", "48x32.jpg", "48x32.webp"],
        "{plan:?}"
    );

    // A product's own list is checked like the job's.
    std::fs::write(
        &job,
        format!(
            "[[product]]\npackage = {:?}\nformats = [\"tiff\"]\n",
            assets.join("bottle")
        ),
    )
    .unwrap();
    let o = showroom(&[job.to_str().unwrap(), "--dry-run"], &[]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("product 1: `formats`") && t.contains("tiff"),
        "{t}"
    );
}
