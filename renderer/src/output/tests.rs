use super::encode::{PNG_COMPRESSION, PNG_FILTER, encode_png};
use super::*;

use image::codecs::png::{CompressionType, FilterType};

/// A deterministic test frame with a gradient, alpha ramp and linear data.
fn test_frame(width: u32, height: u32, opaque: bool) -> Frame {
    let mut rgba8 = Vec::new();
    let mut linear = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let a = if opaque {
                255
            } else {
                ((x * 255) / (width - 1).max(1)) as u8
            };
            let px = [(x * 7 + y * 3) as u8, (y * 11) as u8, (x ^ y) as u8, a];
            rgba8.extend_from_slice(&px);
            let af = f32::from(a) / 255.0;
            linear.extend_from_slice(&[x as f32 * 0.25 * af, y as f32 * 1.5e-3 * af, 1e4 * af, af]);
        }
    }
    Frame {
        width,
        height,
        rgba8,
        linear: Some(linear),
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("showroom-output-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[test]
fn png_round_trip_exact() {
    for opaque in [false, true] {
        let frame = test_frame(37, 21, opaque);
        let bytes = encode(&frame, ImageFormat::Png, 0).unwrap();
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap();
        assert_eq!((img.width(), img.height()), (37, 21));
        assert_eq!(img.color().has_alpha(), !opaque);
        assert_eq!(img.into_rgba8().into_raw(), frame.rgba8);
    }
}

#[test]
fn webp_round_trip_exact() {
    for opaque in [false, true] {
        let mut frame = test_frame(33, 17, opaque);
        // Lossless WebP may rewrite the colour of fully transparent pixels.
        for p in frame.rgba8.chunks_exact_mut(4) {
            if p[3] == 0 {
                p[..3].fill(0);
            }
        }
        let bytes = encode(&frame, ImageFormat::Webp, 50).unwrap();
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::WebP).unwrap();
        assert_eq!((img.width(), img.height()), (33, 17));
        assert_eq!(img.into_rgba8().into_raw(), frame.rgba8);
    }
}

#[test]
fn jpeg_round_trip_close_and_over_white() {
    let frame = test_frame(64, 48, true);
    let bytes = encode(&frame, ImageFormat::Jpeg, 95).unwrap();
    let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .unwrap()
        .into_rgb8();
    assert_eq!(img.dimensions(), (64, 48));
    let mean_err: f64 = img
        .as_raw()
        .iter()
        .zip(rgba_to_rgb_for_test(&frame.rgba8))
        .map(|(&a, b)| f64::from((i16::from(a) - i16::from(b)).abs()))
        .sum::<f64>()
        / (64.0 * 48.0 * 3.0);
    assert!(mean_err < 6.0, "mean JPEG error {mean_err}");

    // A fully transparent frame becomes white.
    let clear = Frame {
        width: 16,
        height: 16,
        rgba8: vec![0; 16 * 16 * 4],
        linear: None,
    };
    let bytes = encode(&clear, ImageFormat::Jpeg, 90).unwrap();
    let img = image::load_from_memory(&bytes).unwrap().into_rgb8();
    assert!(img.as_raw().iter().all(|&v| v >= 250));
}

fn rgba_to_rgb_for_test(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

#[test]
fn jpeg_quality_is_checked() {
    let frame = test_frame(8, 8, true);
    for q in [0, 101, 255] {
        let err = encode(&frame, ImageFormat::Jpeg, q).unwrap_err();
        assert!(matches!(err, OutputError::InvalidQuality { quality } if quality == q));
    }
    assert!(encode(&frame, ImageFormat::Jpeg, 1).is_ok());
    assert!(encode(&frame, ImageFormat::Jpeg, 100).is_ok());
}

#[test]
fn exr_round_trip_exact_floats() {
    let frame = test_frame(19, 11, false);
    let bytes = encode(&frame, ImageFormat::Exr, 0).unwrap();
    let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::OpenExr).unwrap();
    assert_eq!((img.width(), img.height()), (19, 11));
    assert_eq!(img.color(), image::ColorType::Rgba32F);
    let got = img.into_rgba32f().into_raw();
    assert_eq!(&got, frame.linear.as_ref().unwrap());
}

#[test]
fn exr_needs_linear_data() {
    let mut frame = test_frame(4, 4, true);
    frame.linear = None;
    let err = encode(&frame, ImageFormat::Exr, 0).unwrap_err();
    assert!(matches!(err, OutputError::NoLinearData));
    assert!(err.to_string().contains("linear"));
}

#[test]
fn bad_frames_are_rejected() {
    let mut frame = test_frame(4, 4, true);
    frame.rgba8.pop();
    let err = encode(&frame, ImageFormat::Png, 0).unwrap_err();
    assert!(matches!(
        err,
        OutputError::BufferSize {
            buffer: "rgba8",
            expected: 64,
            actual: 63,
            ..
        }
    ));

    let empty = Frame {
        width: 0,
        height: 4,
        rgba8: vec![],
        linear: None,
    };
    assert!(matches!(
        encode(&empty, ImageFormat::Png, 0),
        Err(OutputError::EmptyFrame {
            width: 0,
            height: 4
        })
    ));

    // Size limits are checked before the buffers.
    let huge = Frame {
        width: 20_000,
        height: 1,
        rgba8: vec![],
        linear: None,
    };
    let err = encode(&huge, ImageFormat::Webp, 0).unwrap_err();
    assert!(matches!(err, OutputError::TooLarge { max: 16_384, .. }));
    assert!(err.to_string().contains("webp"), "{err}");
    let huge = Frame {
        width: 70_000,
        ..huge
    };
    assert!(matches!(
        encode(&huge, ImageFormat::Jpeg, 90),
        Err(OutputError::TooLarge { max: 65_535, .. })
    ));
}

#[test]
fn composite_over_maths() {
    let mut px = [
        10, 20, 30, 0, // transparent -> bg
        10, 20, 30, 255, // opaque -> colour
        200, 100, 0, 128, // half -> mix
    ];
    composite_over(&mut px, [100, 150, 250]);
    assert_eq!(&px[0..4], &[100, 150, 250, 255]);
    assert_eq!(&px[4..8], &[10, 20, 30, 255]);
    // 200·128/255 + 100·127/255 = 150.2 -> 150; 100·128/255 + 150·127/255 = 124.9 -> 125;
    // 0 + 250·127/255 = 124.5 -> 125.
    assert_eq!(&px[8..12], &[150, 125, 125, 255]);

    // Integer rounding equals float rounding for every alpha.
    for a in 0..=255u8 {
        for (c, b) in [(0u8, 255u8), (255, 0), (37, 201), (128, 128)] {
            let mut p = [c, c, c, a];
            composite_over(&mut p, [b, b, b]);
            let af = f64::from(a) / 255.0;
            let want = (f64::from(c) * af + f64::from(b) * (1.0 - af)).round() as u8;
            assert_eq!(p, [want, want, want, 255], "c={c} b={b} a={a}");
        }
    }
}

#[test]
fn format_parsing() {
    assert_eq!("png".parse(), Ok(ImageFormat::Png));
    assert_eq!("JPG".parse(), Ok(ImageFormat::Jpeg));
    assert_eq!("jpeg".parse(), Ok(ImageFormat::Jpeg));
    assert_eq!("webp".parse(), Ok(ImageFormat::Webp));
    assert_eq!("exr".parse(), Ok(ImageFormat::Exr));
    let err = "tiff".parse::<ImageFormat>().unwrap_err();
    assert_eq!(
        err,
        ParseError::UnknownFormat {
            input: "tiff".into()
        }
    );
    assert!(err.to_string().contains("tiff"));
    assert!("".parse::<ImageFormat>().is_err());

    assert_eq!(
        ImageFormat::from_path(Path::new("a/b.PNG")),
        Some(ImageFormat::Png)
    );
    assert_eq!(
        ImageFormat::from_path(Path::new("x.jpeg")),
        Some(ImageFormat::Jpeg)
    );
    assert_eq!(
        ImageFormat::from_path(Path::new("x.exr")),
        Some(ImageFormat::Exr)
    );
    assert_eq!(ImageFormat::from_path(Path::new("x.gif")), None);
    assert_eq!(ImageFormat::from_path(Path::new("png")), None);
    for f in ImageFormat::ALL {
        assert_eq!(f.extension().parse(), Ok(f));
        assert_eq!(f.to_string().parse(), Ok(f));
        assert!(f.mime_type().starts_with("image/"));
    }
}

#[test]
fn background_parsing() {
    assert_eq!("transparent".parse(), Ok(Background::Transparent));
    assert_eq!("env".parse(), Ok(Background::Environment));
    assert_eq!("#ffffff".parse(), Ok(Background::Color([255; 3])));
    assert_eq!("#f00".parse(), Ok(Background::Color([255, 0, 0])));
    assert_eq!("102030".parse(), Ok(Background::Color([0x10, 0x20, 0x30])));
    let err = "#12345".parse::<Background>().unwrap_err();
    assert!(matches!(err, ParseError::InvalidBackground { ref input, .. } if input == "#12345"));
    assert!(err.to_string().contains("#12345"));
    assert!("white".parse::<Background>().is_err());
    for bg in [
        Background::Transparent,
        Background::Environment,
        Background::Color([1, 2, 255]),
    ] {
        assert_eq!(bg.to_string().parse(), Ok(bg));
    }
}

#[test]
fn save_writes_atomically() {
    let dir = temp_dir("save");
    let frame = test_frame(10, 10, false);
    let path = dir.join("out.png");
    save(&frame, &path, ImageFormat::Png, 0).unwrap();
    let img = image::open(&path).unwrap();
    assert_eq!(img.into_rgba8().into_raw(), frame.rgba8);
    // Only the final file remains.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("out.png")]);

    // An encoding error leaves nothing behind; a missing directory is named.
    let bad = dir.join("bad.exr");
    let mut no_linear = frame.clone();
    no_linear.linear = None;
    assert!(save(&no_linear, &bad, ImageFormat::Exr, 0).is_err());
    assert!(!bad.exists());
    let missing = dir.join("no/such/dir/x.png");
    let err = save(&frame, &missing, ImageFormat::Png, 0).unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }));
    assert!(err.to_string().contains("no/such/dir"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Times PNG settings on a real product render; run by hand with
/// `cargo test -p showroom png_settings_timing -- --ignored --nocapture`.
#[test]
#[ignore = "timing measurement, run by hand"]
fn png_settings_timing() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/renders/damagedhelmet/cycles.neutral.png"
    );
    let Ok(img) = image::open(path) else {
        println!("skipping: {path} not found");
        return;
    };
    let img = image::imageops::resize(
        &img.into_rgba8(),
        1024,
        1024,
        image::imageops::FilterType::Triangle,
    );
    let mut rgba = img.into_raw();
    // Give it a transparent background like a real render.
    for p in rgba.chunks_exact_mut(4) {
        if p[0].abs_diff(p[1]) < 3 && p[1].abs_diff(p[2]) < 3 && p[0] > 100 {
            p[3] = 0;
        }
    }
    for c in [
        CompressionType::Fast,
        CompressionType::Level(1),
        CompressionType::Default,
    ] {
        for f in [
            FilterType::NoFilter,
            FilterType::Sub,
            FilterType::Up,
            FilterType::Paeth,
            FilterType::Adaptive,
        ] {
            // Best of 5: the machine may be busy with other work.
            let mut best = f64::INFINITY;
            let mut size = 0;
            for _ in 0..5 {
                let t = std::time::Instant::now();
                size = encode_png(&rgba, 1024, 1024, c, f).unwrap().len();
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
            }
            println!("{c:?} {f:?}: {best:.2} ms, {} KiB", size / 1024);
        }
    }
    println!("chosen: {PNG_COMPRESSION:?} {PNG_FILTER:?}");
}
