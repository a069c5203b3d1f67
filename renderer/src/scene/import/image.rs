//! Image loading: bytes from bufferViews, `data:` URIs or files, decoded in
//! parallel to 8-bit RGBA exactly as stored (no colour conversion).

use std::path::{Path, PathBuf};

use image::ImageFormat;
use rayon::prelude::*;

use super::source::{UriTarget, resolve_uri, uri_for_message};
use super::{Doc, ImportError, ImportOptions};
use crate::scene::ImageData;

/// Where the encoded bytes of one image are.
enum Encoded<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
    File(PathBuf),
    /// Not referenced by any texture: not decoded.
    Unused,
}

struct Job<'a> {
    index: usize,
    name: Option<String>,
    mime: Option<String>,
    bytes: Encoded<'a>,
}

/// A 1×1 opaque white image, standing in for images no texture uses and for
/// textures without a usable source.
pub(super) fn placeholder(name: &str) -> ImageData {
    ImageData {
        name: Some(name.to_string()),
        width: 1,
        height: 1,
        rgba8: vec![255; 4],
    }
}

fn image_name(img: &gltf::json::Image) -> Option<String> {
    img.name.clone().or_else(|| {
        img.uri
            .as_deref()
            .filter(|u| !u.starts_with("data:"))
            .map(str::to_string)
    })
}

fn source_error(index: usize, name: &Option<String>, reason: String) -> ImportError {
    ImportError::ImageSource {
        index,
        name: name.clone().unwrap_or_default(),
        reason,
    }
}

/// Gather the encoded bytes of every image (`used[i]` false: skipped).
fn jobs<'a>(
    doc: &Doc<'a>,
    base_dir: Option<&Path>,
    used: &[bool],
) -> Result<Vec<Job<'a>>, ImportError> {
    let mut jobs = Vec::with_capacity(doc.root.images.len());
    for (index, img) in doc.root.images.iter().enumerate() {
        let name = image_name(img);
        let mut mime = img.mime_type.as_ref().map(|m| m.0.clone());
        let bytes = if !used.get(index).copied().unwrap_or(false) {
            Encoded::Unused
        } else if let Some(view) = img.buffer_view {
            let (bytes, _) = doc.view(view.value(), || format!("image {index}"))?;
            Encoded::Borrowed(bytes)
        } else if let Some(uri) = img.uri.as_deref() {
            match resolve_uri(uri, base_dir) {
                Ok(UriTarget::Data(bytes, media)) => {
                    mime = mime.or(media.map(str::to_string));
                    Encoded::Owned(bytes)
                }
                Ok(UriTarget::File(path)) => Encoded::File(path),
                Err(reason) => {
                    return Err(source_error(
                        index,
                        &name.clone().or_else(|| Some(uri_for_message(uri))),
                        reason,
                    ));
                }
            }
        } else {
            return Err(source_error(
                index,
                &name,
                "the image has neither a uri nor a bufferView".into(),
            ));
        };
        jobs.push(Job {
            index,
            name,
            mime,
            bytes,
        });
    }
    Ok(jobs)
}

fn decode(job: &Job, max_size: Option<u32>) -> Result<ImageData, ImportError> {
    let owned;
    let bytes: &[u8] = match &job.bytes {
        Encoded::Unused => {
            return Ok(placeholder(job.name.as_deref().unwrap_or("unused image")));
        }
        Encoded::Borrowed(b) => b,
        Encoded::Owned(b) => b,
        Encoded::File(path) => {
            owned = std::fs::read(path).map_err(|source| ImportError::Io {
                path: path.clone(),
                source,
            })?;
            &owned
        }
    };
    let format = image::guess_format(bytes)
        .ok()
        .or_else(|| job.mime.as_deref().and_then(ImageFormat::from_mime_type));
    let image_error = |source| ImportError::Image {
        index: job.index,
        name: job.name.clone().unwrap_or_default(),
        source,
    };
    let decoded = match format {
        Some(f) => image::load_from_memory_with_format(bytes, f),
        None => image::load_from_memory(bytes),
    }
    .map_err(image_error)?;
    let mut rgba = decoded.into_rgba8();
    if let Some(max) = max_size.filter(|&m| m > 0) {
        let (w, h) = rgba.dimensions();
        if w > max || h > max {
            let scale = max as f64 / w.max(h) as f64;
            let nw = ((w as f64 * scale).round() as u32).clamp(1, max);
            let nh = ((h as f64 * scale).round() as u32).clamp(1, max);
            rgba = image::imageops::resize(&rgba, nw, nh, image::imageops::FilterType::Triangle);
        }
    }
    let (width, height) = rgba.dimensions();
    Ok(ImageData {
        name: job.name.clone(),
        width,
        height,
        rgba8: rgba.into_raw(),
    })
}

/// Decode every image of the document in parallel, one [`ImageData`] per
/// glTF image (index for index). Images with `used[i] == false` become 1×1
/// placeholders without being read.
pub(super) fn decode_images(
    doc: &Doc,
    base_dir: Option<&Path>,
    used: &[bool],
    opts: &ImportOptions,
) -> Result<Vec<ImageData>, ImportError> {
    let jobs = jobs(doc, base_dir, used)?;
    jobs.par_iter()
        .map(|job| decode(job, opts.max_texture_size))
        .collect()
}
