//! What a batch writes after its images: turntable animations (GIF, and MP4
//! when `ffmpeg` is on PATH) and a contact sheet.

use super::job::{Job, fill};
use super::plan::Item;
use showroom::output::{ImageFormat, write_atomic};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What [`animations`] did.
#[derive(Debug, Default)]
pub struct Animations {
    /// GIFs written.
    pub gifs: Vec<String>,
    /// MP4s written.
    pub mp4s: Vec<String>,
    /// Whether MP4s were skipped for want of ffmpeg.
    pub no_ffmpeg: bool,
    /// Animations that could not be made: (file, why).
    pub failed: Vec<(String, String)>,
}

/// The animation file of a turntable frame: the turntable template with
/// `{frame}` = `turntable` and `{ext}` = `ext`.
fn animation_file(job: &Job, it: &Item, ext: &str) -> String {
    fill(
        &job.turntable_path,
        &[
            ("product", it.product.clone()),
            ("config", it.config_hash[..12].to_string()),
            ("shot", it.shot_name.clone()),
            ("env", it.env_name.clone()),
            ("width", it.size[0].to_string()),
            ("height", it.size[1].to_string()),
            ("ext", ext.into()),
            ("frame", "turntable".into()),
        ],
    )
}

/// Write the animation of every turntable of `all` (the whole plan) whose
/// frames are all on disk, when one of them was rendered now (`fresh`) or the
/// animation is missing. With shards, the shard finishing a turntable last writes it.
pub fn animations(job: &Job, all: &[Item], root: &Path, fresh: &HashSet<String>) -> Animations {
    let mut out = Animations::default();
    let mut groups: BTreeMap<String, (Vec<&Item>, u32)> = BTreeMap::new();
    for it in all {
        let Some(f) = it.frame else { continue };
        if it.format == ImageFormat::Exr {
            continue;
        }
        let g = groups
            .entry(animation_file(job, it, "gif"))
            .or_insert_with(|| (Vec::new(), f.fps));
        // With several formats, the first one's frames make the animation.
        if g.0.first().is_none_or(|first| first.format == it.format) {
            g.0.push(it);
        }
    }
    let ffmpeg = which("ffmpeg");
    for (gif_file, (frames, fps)) in groups {
        let complete = frames.iter().all(|it| root.join(&it.file).is_file());
        let touched = frames.iter().any(|it| fresh.contains(&it.id));
        let up_to_date = !touched && root.join(&gif_file).is_file();
        if !complete || up_to_date {
            continue;
        }
        let images = match frames
            .iter()
            .map(|it| load_rgba(&root.join(&it.file)))
            .collect::<anyhow::Result<Vec<_>>>()
        {
            Ok(v) => v,
            Err(e) => {
                out.failed.push((gif_file, format!("{e:#}")));
                continue;
            }
        };
        match write_gif(&root.join(&gif_file), &images, fps) {
            Ok(()) => out.gifs.push(gif_file.clone()),
            Err(e) => out.failed.push((gif_file.clone(), format!("{e:#}"))),
        }
        match &ffmpeg {
            Some(ffmpeg) => {
                let mp4 = animation_file(job, frames[0], "mp4");
                match write_mp4(ffmpeg, &root.join(&mp4), &images, fps) {
                    Ok(()) => out.mp4s.push(mp4),
                    Err(e) => out.failed.push((mp4, format!("{e:#}"))),
                }
            }
            None => out.no_ffmpeg = true,
        }
    }
    out
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

fn load_rgba(path: &Path) -> anyhow::Result<image::RgbaImage> {
    Ok(image::open(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?
        .to_rgba8())
}

/// Composite partly transparent pixels over white (GIF has 1-bit alpha).
fn flatten_edges(img: &mut image::RgbaImage) {
    for p in img.pixels_mut() {
        let a = u32::from(p[3]);
        if a > 0 && a < 255 {
            for c in 0..3 {
                p[c] = ((u32::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
            }
            p[3] = 255;
        }
    }
}

fn write_gif(path: &Path, images: &[image::RgbaImage], fps: u32) -> anyhow::Result<()> {
    let (w, h) = images[0].dimensions();
    anyhow::ensure!(
        w <= u32::from(u16::MAX) && h <= u32::from(u16::MAX),
        "too large for a GIF"
    );
    let mut bytes = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut bytes, w as u16, h as u16, &[])?;
        enc.set_repeat(gif::Repeat::Infinite)?;
        for img in images {
            anyhow::ensure!(img.dimensions() == (w, h), "frames differ in size");
            let mut img = img.clone();
            flatten_edges(&mut img);
            let mut frame = gif::Frame::from_rgba_speed(w as u16, h as u16, img.as_mut(), 10);
            frame.delay = (100 / fps.max(1)) as u16;
            frame.dispose = gif::DisposalMethod::Background;
            enc.write_frame(&frame)?;
        }
    }
    write_atomic(path, &bytes)?;
    Ok(())
}

fn write_mp4(
    ffmpeg: &Path,
    path: &Path,
    images: &[image::RgbaImage],
    fps: u32,
) -> anyhow::Result<()> {
    let tmp = tempdir_near(path)?;
    for (i, img) in images.iter().enumerate() {
        // MP4 has no alpha: over white.
        let mut rgb = image::RgbImage::new(img.width(), img.height());
        for (d, s) in rgb.pixels_mut().zip(img.pixels()) {
            let a = u32::from(s[3]);
            for c in 0..3 {
                d[c] = ((u32::from(s[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
            }
        }
        rgb.save(tmp.join(format!("{i:05}.png")))?;
    }
    let part = path.with_extension("part.mp4");
    let status = std::process::Command::new(ffmpeg)
        .args([
            "-y",
            "-loglevel",
            "error",
            "-framerate",
            &fps.to_string(),
            "-i",
        ])
        .arg(tmp.join("%05d.png"))
        .args([
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(&part)
        .status();
    let _ = std::fs::remove_dir_all(&tmp);
    let status = status?;
    anyhow::ensure!(status.success(), "ffmpeg failed ({status})");
    std::fs::rename(&part, path)?;
    Ok(())
}

fn tempdir_near(path: &Path) -> anyhow::Result<std::path::PathBuf> {
    let dir = path.with_extension(format!("frames-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Thumbnail cell size of the contact sheet.
const CELL: u32 = 128;
/// Height of the caption under each thumbnail.
const LABEL: u32 = 14;
/// Gap between cells.
const GAP: u32 = 4;

/// A PNG grid of thumbnails of `files` (relative to `root`; EXR left out),
/// in order, over light grey, each captioned with its file (folder and
/// name, shrunk to fit). Returns how many images it shows.
pub fn contact_sheet(root: &Path, files: &[String], out: &Path) -> anyhow::Result<usize> {
    let files: Vec<&String> = files
        .iter()
        .filter(|f| ImageFormat::from_path(Path::new(f)) != Some(ImageFormat::Exr))
        .collect();
    if files.is_empty() {
        return Ok(0);
    }
    let cols = (files.len() as f64).sqrt().ceil() as u32;
    let rows = (files.len() as u32).div_ceil(cols);
    let (cell_w, cell_h) = (CELL + GAP, CELL + LABEL + GAP);
    let mut sheet = image::RgbaImage::from_pixel(
        cols * cell_w + GAP,
        rows * cell_h + GAP,
        image::Rgba([235, 235, 235, 255]),
    );
    // Captions are best effort: without the bundled fonts the sheet is
    // still written, uncaptioned.
    let mut fonts = showroom::personalize::FontLibrary::bundled().ok();
    for (i, f) in files.iter().enumerate() {
        let img = load_rgba(&root.join(f))?;
        let thumb = image::imageops::thumbnail(
            &img,
            (img.width() * CELL / img.width().max(img.height())).max(1),
            (img.height() * CELL / img.width().max(img.height())).max(1),
        );
        let (c, r) = (i as u32 % cols, i as u32 / cols);
        let (x0, y0) = (GAP + c * cell_w, GAP + r * cell_h);
        let x = x0 + (CELL - thumb.width()) / 2;
        let y = y0 + (CELL - thumb.height()) / 2;
        image::imageops::overlay(&mut sheet, &thumb, i64::from(x), i64::from(y));
        if let Some(label) = fonts.as_mut().and_then(|fl| caption(fl, f)) {
            image::imageops::overlay(&mut sheet, &label, i64::from(x0), i64::from(y0 + CELL));
        }
    }
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(sheet).write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )?;
    write_atomic(out, &bytes)?;
    Ok(files.len())
}

/// The caption of a contact-sheet cell: the file's folder and name without
/// the extension, dark grey, shrunk to the cell's width (the start cut with
/// "…" when even the smallest size is too wide).
fn caption(fonts: &mut showroom::personalize::FontLibrary, file: &str) -> Option<image::RgbaImage> {
    use showroom::personalize::{raster, text};
    let p = Path::new(file);
    let stem = p.with_extension("");
    let parts: Vec<String> = stem
        .iter()
        .rev()
        .take(2)
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let full: String = parts.into_iter().rev().collect::<Vec<_>>().join("/");
    // At 25.4 dpi a millimetre is a pixel.
    let fit = |fonts: &mut showroom::personalize::FontLibrary, t: &str| {
        let mut spec = text::TextSpec::new(t);
        spec.color = "#404040".into();
        spec.min_size_mm = 8.0;
        spec.ligatures = false;
        let layout = text::layout_text(fonts, &spec, CELL as f32, LABEL as f32).ok()?;
        raster::rasterize_text(fonts, &layout, 25.4).ok()
    };
    let chars: Vec<char> = full.chars().collect();
    let mut raster = fit(fonts, &full);
    let mut keep = chars.len();
    while raster.is_none() && keep > 8 {
        keep = keep * 3 / 4;
        let cut: String = chars[chars.len() - keep..].iter().collect();
        raster = fit(fonts, &format!("…{cut}"));
    }
    let r = raster?;
    image::RgbaImage::from_raw(r.width, r.height, r.rgba)
}
