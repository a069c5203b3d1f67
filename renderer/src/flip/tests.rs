use super::*;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("showroom-flip-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A smooth opaque gradient with a small disc, `w × h` RGBA8.
fn scene(w: u32, h: u32, disc: [u8; 3]) -> Vec<u8> {
    let mut v = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as i32 - w as i32 / 2, y as i32 - h as i32 / 2);
            if dx * dx + dy * dy < (w as i32 / 4).pow(2) {
                v.extend_from_slice(&[disc[0], disc[1], disc[2], 255]);
            } else {
                v.extend_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 90, 255]);
            }
        }
    }
    v
}

#[test]
fn identical_images_score_zero() {
    let a = scene(48, 32, [200, 30, 30]);
    let r = flip_rgba8(&a, &a, 48, 32).unwrap();
    assert_eq!((r.width, r.height, r.error_map.len()), (48, 32, 48 * 32));
    assert_eq!(r.mean, 0.0);
    assert_eq!(r.max, 0.0);
    assert_eq!(r.p99, 0.0);
}

#[test]
fn different_images_score_clearly_above_zero() {
    let a = scene(48, 32, [200, 30, 30]);
    let b = scene(48, 32, [30, 30, 200]);
    let r = flip_rgba8(&a, &b, 48, 32).unwrap();
    assert!(r.mean > 0.05, "mean {}", r.mean);
    assert!(r.max > 0.5, "max {}", r.max);
    assert!(r.p50 <= r.p95 && r.p95 <= r.p99 && r.p99 <= r.max);
    assert!(r.error_map.iter().all(|e| (0.0..=1.0).contains(e)));
    // Symmetric enough to be meaningful either way round.
    let back = flip_rgba8(&b, &a, 48, 32).unwrap();
    assert!(back.mean > 0.05);
}

#[test]
fn alpha_is_composited_over_grey() {
    // Fully transparent anything == opaque mid-grey (128 after rounding).
    let clear = vec![[255, 0, 255, 0]; 16 * 16].concat();
    let grey = vec![[128, 128, 128, 255]; 16 * 16].concat();
    assert_eq!(flip_rgba8(&clear, &grey, 16, 16).unwrap().mean, 0.0);
    // Same colour, different coverage: an error.
    let half = vec![[255, 255, 255, 128]; 16 * 16].concat();
    let full = vec![[255, 255, 255, 255]; 16 * 16].concat();
    assert!(flip_rgba8(&half, &full, 16, 16).unwrap().mean > 0.05);

    // a = 51/255 = 0.2: c·0.2 + 127.5·0.8 → 255 → 153, 0 → 102, 100 → 122.
    assert_eq!(
        over_grey_rgb8(&[10, 20, 30, 255, 255, 0, 100, 0, 255, 0, 100, 51]),
        vec![10, 20, 30, 128, 128, 128, 153, 102, 122]
    );
}

#[test]
fn size_errors() {
    let a = vec![0u8; 4 * 4 * 4];
    let err = flip_rgba8(&a, &a[..60], 4, 4).unwrap_err();
    assert!(matches!(
        err,
        FlipError::BufferSize {
            which: "test",
            expected: 64,
            actual: 60,
            ..
        }
    ));
    assert!(err.to_string().contains("test image has 60 bytes"), "{err}");
    assert!(matches!(
        flip_rgba8(&a, &a, 8, 4),
        Err(FlipError::BufferSize {
            which: "reference",
            ..
        })
    ));
    assert!(matches!(
        flip_rgba8(&[], &[], 0, 4),
        Err(FlipError::Empty { .. })
    ));

    let dir = temp_dir("mismatch");
    let (p1, p2) = (dir.join("a.png"), dir.join("b.png"));
    ::image::RgbaImage::new(4, 4).save(&p1).unwrap();
    ::image::RgbImage::new(4, 3).save(&p2).unwrap();
    let err = flip_files(&p1, &p2).unwrap_err();
    assert!(matches!(
        err,
        FlipError::SizeMismatch {
            reference_size: (4, 4),
            test_size: (4, 3),
            ..
        }
    ));
    assert!(err.to_string().contains("b.png"), "{err}");
    let err = flip_files(&p1, &dir.join("missing.png")).unwrap_err();
    assert!(matches!(err, FlipError::Load { .. }));
    assert!(err.to_string().contains("missing.png"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quantiles_interpolate() {
    let v: Vec<f32> = (0..=100).map(|i| i as f32 / 100.0).collect();
    assert!((quantile(&v, 0.5) - 0.5).abs() < 1e-6);
    assert!((quantile(&v, 0.95) - 0.95).abs() < 1e-6);
    assert_eq!(quantile(&v, 1.0), 1.0);
    assert_eq!(quantile(&[0.25], 0.99), 0.25);
    assert_eq!(quantile(&[], 0.5), 0.0);
    assert!((quantile(&[0.0, 1.0], 0.25) - 0.25).abs() < 1e-6);
}

#[test]
fn error_map_png() {
    let a = scene(24, 16, [200, 30, 30]);
    let b = scene(24, 16, [30, 200, 30]);
    let r = flip_rgba8(&a, &b, 24, 16).unwrap();
    let dir = temp_dir("map");
    let path = dir.join("diff.png");
    save_error_map(&r, &path).unwrap();
    let img = ::image::open(&path).unwrap().into_rgb8();
    assert_eq!(img.dimensions(), (24, 16));
    // Zero error is magma's darkest colour; the disc is brighter.
    let dark = img.get_pixel(0, 0).0;
    let hot = img.get_pixel(12, 8).0;
    let sum = |p: [u8; 3]| p.iter().map(|&c| u32::from(c)).sum::<u32>();
    assert!(sum(hot) > sum(dark) + 100, "{hot:?} vs {dark:?}");

    let mut bad = r.clone();
    bad.error_map.pop();
    assert!(matches!(
        save_error_map(&bad, &path),
        Err(FlipError::ErrorMapSize { .. })
    ));
    let err = save_error_map(&r, &dir.join("no/dir/x.png")).unwrap_err();
    assert!(matches!(err, FlipError::Write(OutputError::Io { .. })));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Matches the Python reference scorer's number in `flip.json`.
#[test]
fn matches_reference_scorer() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/renders/damagedhelmet"
    );
    let dir = Path::new(dir);
    if !dir.exists() {
        println!("skipping: {} not found", dir.display());
        return;
    }
    let reference = dir.join("cycles.neutral.png");
    for (candidate, expected) in [
        ("model-viewer.png", 0.037_509_75),
        ("filament.png", 0.057_851_34),
    ] {
        let t = std::time::Instant::now();
        let r = flip_files(&reference, &dir.join(candidate)).unwrap();
        println!(
            "{candidate}: mean {:.5} (flip.json {expected:.5}), p50 {:.4} p95 {:.4} p99 {:.4} max {:.4}, {:?}",
            r.mean,
            r.p50,
            r.p95,
            r.p99,
            r.max,
            t.elapsed()
        );
        assert!(
            (r.mean - expected).abs() < 0.003,
            "{candidate}: {} vs {expected}",
            r.mean
        );
    }
}
