use super::*;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("showroom-env-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Writes an RGBA f32 EXR whose pixel (x, y) is `f(x, y)`.
fn write_exr(
    path: &Path,
    width: usize,
    height: usize,
    f: impl Fn(usize, usize) -> [f32; 4] + Sync,
) {
    use exr::prelude::{Image, SpecificChannels, Vec2, WritableImage};
    let channels = SpecificChannels::rgba(|p: Vec2<usize>| {
        let [r, g, b, a] = f(p.x(), p.y());
        (r, g, b, a)
    });
    Image::from_channels((width, height), channels)
        .write()
        .to_file(path)
        .expect("write test EXR");
}

const STUDIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/assets/environments/studio_small_03_1k.hdr"
);

#[test]
fn loads_studio_hdr_quickly() {
    let path = Path::new(STUDIO);
    if !path.exists() {
        println!("skipping: {STUDIO} not found");
        return;
    }
    let t = std::time::Instant::now();
    let env = load_equirect(path).unwrap();
    let elapsed = t.elapsed();
    println!("loaded {STUDIO} in {elapsed:?}");
    assert_eq!((env.width, env.height), (1024, 512));
    assert_eq!(env.rgb.len(), 1024 * 512 * 3);
    assert!(env.rgb.iter().all(|v| v.is_finite() && *v >= 0.0));
    let mean = env.rgb.iter().map(|&v| f64::from(v)).sum::<f64>() / env.rgb.len() as f64;
    assert!(mean > 0.01 && mean < 100.0, "mean radiance {mean}");
    // Same pixels as the image crate's generic loader.
    let reference = ::image::open(path).unwrap().into_rgb32f().into_raw();
    assert_eq!(reference, env.rgb);
    // Generous even for an unoptimised build on a busy machine.
    assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");
}

#[test]
fn loads_exr_and_sanitizes() {
    let dir = temp_dir("exr");
    let path = dir.join("env.exr");
    write_exr(&path, 8, 4, |x, y| match (x, y) {
        (0, 0) => [f32::NAN, -1.0, f32::INFINITY, 1.0],
        (1, 0) => [f32::NEG_INFINITY, 1e6, 0.25, 0.0],
        _ => [x as f32 * 0.5, y as f32 * 2.0, 1.0 / 3.0, 0.5],
    });
    let env = load_equirect(&path).unwrap();
    assert_eq!((env.width, env.height), (8, 4));
    assert_eq!(&env.rgb[0..3], &[0.0, 0.0, MAX_CLAMPED_RADIANCE]);
    assert_eq!(&env.rgb[3..6], &[0.0, 1e6, 0.25]);
    // Pixel (3, 2), alpha ignored, values exact.
    let i = (2 * 8 + 3) * 3;
    assert_eq!(&env.rgb[i..i + 3], &[1.5, 4.0, 1.0 / 3.0]);

    // Content decides, not the extension.
    let renamed = dir.join("env.hdr");
    std::fs::copy(&path, &renamed).unwrap();
    assert_eq!(load_equirect(&renamed).unwrap(), env);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn aspect_is_checked() {
    let dir = temp_dir("aspect");
    for (w, h, ok) in [
        (21, 10, true),
        (19, 10, true),
        (20, 10, true),
        (22, 10, false),
        (10, 10, false),
    ] {
        let path = dir.join(format!("{w}x{h}.exr"));
        write_exr(&path, w, h, |_, _| [1.0, 1.0, 1.0, 1.0]);
        match load_equirect(&path) {
            Ok(env) => {
                assert!(ok, "{w}x{h} accepted");
                assert_eq!(env.rgb.len(), w * h * 3);
            }
            Err(EnvImageError::WrongAspect { width, height, .. }) => {
                assert!(!ok, "{w}x{h} rejected");
                assert_eq!((width as usize, height as usize), (w, h));
            }
            Err(e) => panic!("{w}x{h}: unexpected error {e}"),
        }
    }
    let err = load_equirect(&dir.join("10x10.exr"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("10x10") && err.contains("twice as wide"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_files_give_clear_errors() {
    let dir = temp_dir("bad");
    let missing = dir.join("missing.hdr");
    let err = load_equirect(&missing).unwrap_err();
    assert!(
        matches!(&err, EnvImageError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    );
    assert!(err.to_string().contains("missing.hdr"), "{err}");

    let text = dir.join("notes.hdr");
    std::fs::write(&text, "hello, not an image").unwrap();
    let err = load_equirect(&text).unwrap_err();
    assert!(matches!(err, EnvImageError::NotAnImage { .. }));
    assert!(err.to_string().contains("notes.hdr"), "{err}");

    let png = dir.join("env.png");
    ::image::RgbImage::new(4, 2).save(&png).unwrap();
    assert!(matches!(
        load_equirect(&png),
        Err(EnvImageError::NotAnImage { .. })
    ));

    let broken = dir.join("broken.hdr");
    std::fs::write(
        &broken,
        "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 4\n\x01",
    )
    .unwrap();
    let err = load_equirect(&broken).unwrap_err();
    assert!(matches!(err, EnvImageError::Decode { .. }), "{err}");
    assert!(err.to_string().contains("broken.hdr"), "{err}");

    let truncated_exr = dir.join("truncated.exr");
    std::fs::write(&truncated_exr, [0x76, 0x2f, 0x31, 0x01, 2, 0]).unwrap();
    assert!(matches!(
        load_equirect(&truncated_exr),
        Err(EnvImageError::Decode { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn file_hash_is_sha256_hex() {
    let dir = temp_dir("hash");
    let path = dir.join("abc.bin");
    std::fs::write(&path, b"abc").unwrap();
    assert_eq!(
        file_hash(&path).unwrap(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // Larger than the read buffer.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &big).unwrap();
    let expected: String = Sha256::digest(&big)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file_hash(&path).unwrap(), expected);
    assert!(file_hash(&dir.join("nope")).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn uniform_is_constant() {
    let env = uniform(8, 4, [0.5, 1.0, 2.0]);
    assert_eq!((env.width, env.height), (8, 4));
    assert_eq!(env.rgb.len(), 8 * 4 * 3);
    assert!(env.rgb.chunks_exact(3).all(|p| p == [0.5, 1.0, 2.0]));
}
