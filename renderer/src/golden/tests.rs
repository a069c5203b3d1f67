use super::*;

/// A fresh, unique directory for one test.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("showroom-golden-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A 32×24 frame: gradient background, transparent corner, coloured square.
fn frame(square: [u8; 3]) -> Frame {
    let (w, h) = (32u32, 24u32);
    let mut rgba8 = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let px = if (8..20).contains(&x) && (6..18).contains(&y) {
                [square[0], square[1], square[2], 255]
            } else if x < 4 && y < 4 {
                [0, 0, 0, 0]
            } else {
                [(x * 8) as u8, (y * 10) as u8, 128, 255]
            };
            rgba8.extend_from_slice(&px);
        }
    }
    Frame {
        width: w,
        height: h,
        rgba8,
        linear: None,
    }
}

const LOOSE: Thresholds = Thresholds {
    mean: 0.01,
    p95: 0.05,
};

#[test]
fn missing_reference_says_how_to_create_it() {
    let dir = temp_dir("missing");
    let (goldens, failures) = (dir.join("goldens"), dir.join("failures"));
    let err =
        check_golden_with("cube", &goldens, &frame([200, 0, 0]), LOOSE, "", &failures).unwrap_err();
    let GoldenError::MissingReference {
        ref path,
        ref actual,
        ..
    } = err
    else {
        panic!("unexpected {err}");
    };
    assert_eq!(path, &goldens.join("cube.png"));
    assert!(actual.exists());
    let msg = err.to_string();
    assert!(msg.contains("UPDATE_GOLDENS=cube"), "{msg}");
    assert!(!goldens.join("cube.png").exists());
    // An update list that names another golden does not create it.
    assert!(
        check_golden_with(
            "cube",
            &goldens,
            &frame([200, 0, 0]),
            LOOSE,
            "sphere",
            &failures
        )
        .is_err()
    );
    assert!(!goldens.join("cube.png").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn update_writes_reference_then_it_passes() {
    let dir = temp_dir("update");
    let (goldens, failures) = (dir.join("goldens"), dir.join("failures"));
    let f = frame([200, 0, 0]);
    let report = check_golden_with("cube", &goldens, &f, LOOSE, "sphere, cube", &failures).unwrap();
    assert_eq!(report.mean, 0.0);
    let written = ::image::open(goldens.join("cube.png"))
        .unwrap()
        .into_rgba8();
    assert_eq!(written.into_raw(), f.rgba8);

    // Identical: passes with zero error.
    let report = check_golden_with("cube", &goldens, &f, LOOSE, "", &failures).unwrap();
    assert_eq!((report.mean, report.max), (0.0, 0.0));
    // A tiny change passes the thresholds.
    let mut nudged = f.clone();
    nudged.rgba8[4 * 100] ^= 1;
    let report = check_golden_with("cube", &goldens, &nudged, LOOSE, "", &failures).unwrap();
    assert!(report.mean < LOOSE.mean);
    assert!(!failures.exists(), "no failure files on success");

    // Updating over an existing reference reports the change.
    let report = check_golden_with(
        "cube",
        &goldens,
        &frame([0, 0, 200]),
        LOOSE,
        "all",
        &failures,
    )
    .unwrap();
    assert!(report.mean > 0.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failure_writes_actual_and_diff_and_keeps_reference() {
    let dir = temp_dir("fail");
    let (goldens, failures) = (dir.join("goldens"), dir.join("failures"));
    check_golden_with("cube", &goldens, &frame([200, 0, 0]), LOOSE, "1", &failures).unwrap();
    let before = std::fs::read(goldens.join("cube.png")).unwrap();

    let changed = frame([0, 200, 0]);
    let err = check_golden_with("cube", &goldens, &changed, LOOSE, "", &failures).unwrap_err();
    let GoldenError::Mismatch {
        mean,
        ref actual,
        ref diff,
        ..
    } = err
    else {
        panic!("unexpected {err}");
    };
    assert!(mean > LOOSE.mean);
    assert_eq!(actual, &failures.join("cube-actual.png"));
    assert_eq!(diff, &failures.join("cube-diff.png"));
    let saved = ::image::open(actual).unwrap().into_rgba8();
    assert_eq!(saved.into_raw(), changed.rgba8);
    assert_eq!(
        ::image::open(diff).unwrap().into_rgb8().dimensions(),
        (32, 24)
    );
    let msg = err.to_string();
    assert!(
        msg.contains("cube-diff.png") && msg.contains("UPDATE_GOLDENS=cube"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read(goldens.join("cube.png")).unwrap(),
        before,
        "reference changed"
    );

    // The p95 threshold alone also fails.
    let strict_p95 = Thresholds {
        mean: 1.0,
        p95: 0.0,
    };
    assert!(matches!(
        check_golden_with("cube", &goldens, &changed, strict_p95, "", &failures),
        Err(GoldenError::Mismatch { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn size_change_is_an_error() {
    let dir = temp_dir("size");
    let (goldens, failures) = (dir.join("goldens"), dir.join("failures"));
    check_golden_with(
        "cube",
        &goldens,
        &frame([200, 0, 0]),
        LOOSE,
        "cube",
        &failures,
    )
    .unwrap();
    let small = Frame {
        width: 2,
        height: 2,
        rgba8: vec![255; 16],
        linear: None,
    };
    let err = check_golden_with("cube", &goldens, &small, LOOSE, "", &failures).unwrap_err();
    assert!(matches!(
        err,
        GoldenError::SizeMismatch {
            reference_size: (32, 24),
            actual_size: (2, 2),
            ..
        }
    ));
    assert!(err.to_string().contains("32x24"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn names_and_update_lists() {
    let dir = temp_dir("names");
    for bad in ["", "../escape", "a/b", ".hidden", "sp ace", "a\\b"] {
        let err = check_golden_with(bad, &dir, &frame([1, 2, 3]), LOOSE, "all", &dir).unwrap_err();
        assert!(
            matches!(err, GoldenError::InvalidName { .. }),
            "{bad:?}: {err}"
        );
    }
    assert!(valid_name("helmet_3q-v2.hdr"));

    assert!(update_selects("all", "x"));
    assert!(update_selects("ALL", "x"));
    assert!(update_selects("1", "x"));
    assert!(update_selects("a, x ,b", "x"));
    assert!(!update_selects("", "x"));
    assert!(!update_selects("xy,y", "x"));
    assert!(!update_selects("0", "x"));
    assert!(failure_dir().ends_with("golden-failures"));
    let _ = std::fs::remove_dir_all(&dir);
}
