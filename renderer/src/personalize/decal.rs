//! Decals: a personalization slot's content, laid out and decoded once,
//! rasterised at whatever density a render needs. The renderer composites
//! a [`DecalImage`] into the product's materials on the GPU
//! ([`crate::render::Renderer::set_decals`]); the print-ready artwork is
//! drawn from the very same content, so the two match.

use super::artwork::ArtworkError;
use super::fonts::FontLibrary;
use super::image::{Decoded, Fit, ImageError, decode, render_fitted};
use super::raster::{Raster, rasterize_text, slot_pixels};
use super::text::{TextError, TextLayout, layout_text};
use crate::color::{linear_to_srgb8, srgb_to_linear};
use crate::product::slots::{DecalTransform, Finish, FinishKind, ImageValue, Placement, TextValue};
use crate::product::{OptionKind, ProductPackage, ResolvedConfiguration};
use std::sync::Arc;
use thiserror::Error;

/// What a decal shows.
#[derive(Debug, Clone)]
pub enum DecalSource {
    /// Shaped text, laid out in the slot (millimetres).
    Text(Box<TextLayout>),
    /// A decoded upload, fitted into the slot.
    Image {
        /// The decoded image (shared: decoded once per configuration).
        image: Arc<Decoded>,
        /// How it fills the slot.
        fit: Fit,
    },
}

/// One slot's content, ready to draw.
#[derive(Debug, Clone)]
pub struct Decal {
    /// The option id.
    pub option: String,
    /// Where it lies on the product (`None`: artwork only).
    pub placement: Option<Placement>,
    /// The slot's physical `[width, height]`, millimetres.
    pub slot_mm: [f32; 2],
    /// The customer's move, scale and rotation within the slot.
    pub transform: DecalTransform,
    /// How it meets the material.
    pub finish: Finish,
    /// What it shows.
    pub source: DecalSource,
    /// Identifies the content (option and canonical value): equal keys
    /// rasterise to equal images at the same density.
    pub key: String,
}

/// Why a decal could not be rasterised.
#[derive(Debug, Error)]
pub enum DecalError {
    /// The text could not be drawn.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The image could not be drawn.
    #[error(transparent)]
    Image(#[from] ImageError),
}

/// A decal rasterised for the GPU: premultiplied colour and a relief map.
#[derive(Debug, Clone, PartialEq)]
pub struct DecalImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA8, colour premultiplied by alpha in linear light and then
    /// sRGB-encoded (an `Rgba8UnormSrgb` texture filters it correctly).
    pub color: Vec<u8>,
    /// Relief height in [0, 255]: the coverage blurred over the finish's
    /// bevel width (0 = the surface, 255 = full depth).
    pub relief: Vec<u8>,
    /// Pixels per millimetre.
    pub px_per_mm: f32,
}

/// The width over which a finish's relief rises, millimetres: a press
/// (emboss, deboss, foil) rounds its edges, an engraving tool cuts steep
/// walls, embroidery thread rolls over the edge of the fill.
pub fn bevel_mm(kind: FinishKind) -> f32 {
    match kind {
        FinishKind::Print => 0.0,
        FinishKind::Embroidery => 0.35,
        FinishKind::Emboss | FinishKind::Deboss => 0.45,
        FinishKind::Engrave => 0.12,
        FinishKind::Foil => 0.1,
    }
}

impl Decal {
    /// The content at `px_per_mm`: straight-alpha sRGB, the slot's size.
    ///
    /// # Errors
    ///
    /// [`DecalError`] from text rasterisation or image drawing.
    pub fn raster(&self, fonts: &mut FontLibrary, px_per_mm: f32) -> Result<Raster, DecalError> {
        let dpi = px_per_mm * 25.4;
        Ok(match &self.source {
            DecalSource::Text(layout) => rasterize_text(fonts, layout, dpi)?,
            DecalSource::Image { image, fit } => {
                let (w, h) = slot_pixels(self.slot_mm[0], self.slot_mm[1], dpi);
                render_fitted(image, w.max(1), h.max(1), *fit)?
            }
        })
    }

    /// The slot as it will be produced: the content moved, scaled and
    /// rotated by the customer's [`DecalTransform`] inside the slot (what
    /// the print-ready artwork shows; the GPU applies the same transform to
    /// [`Self::raster`]).
    ///
    /// # Errors
    ///
    /// See [`Self::raster`].
    pub fn raster_in_slot(
        &self,
        fonts: &mut FontLibrary,
        px_per_mm: f32,
    ) -> Result<Raster, DecalError> {
        let content = self.raster(fonts, px_per_mm)?;
        let t = &self.transform;
        if t.offset_mm == [0.0, 0.0] && t.scale == 1.0 && t.rotate_deg == 0.0 {
            return Ok(content);
        }
        let (w, h) = (content.width, content.height);
        let Some(mut src) = tiny_skia::Pixmap::new(w.max(1), h.max(1)) else {
            return Ok(content);
        };
        for (px, c) in src
            .pixels_mut()
            .iter_mut()
            .zip(content.rgba.chunks_exact(4))
        {
            *px = tiny_skia::ColorU8::from_rgba(c[0], c[1], c[2], c[3]).premultiply();
        }
        let Some(mut dst) = tiny_skia::Pixmap::new(w.max(1), h.max(1)) else {
            return Ok(content);
        };
        // Pixel space is y-down: the slot's +y offset moves up, and a
        // counter-clockwise rotation is a negative angle.
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let transform = tiny_skia::Transform::from_translate(-cx, -cy)
            .post_scale(t.scale, t.scale)
            .post_rotate(-t.rotate_deg)
            .post_translate(
                cx + t.offset_mm[0] * px_per_mm,
                cy - t.offset_mm[1] * px_per_mm,
            );
        dst.draw_pixmap(
            0,
            0,
            src.as_ref(),
            &tiny_skia::PixmapPaint {
                quality: tiny_skia::FilterQuality::Bicubic,
                ..Default::default()
            },
            transform,
            None,
        );
        Ok(Raster::from_pixmap(&dst))
    }

    /// The decal for the GPU at `px_per_mm`.
    ///
    /// # Errors
    ///
    /// See [`Self::raster`].
    pub fn rasterize(
        &self,
        fonts: &mut FontLibrary,
        px_per_mm: f32,
    ) -> Result<DecalImage, DecalError> {
        let raster = self.raster(fonts, px_per_mm)?;
        Ok(DecalImage::new(&raster, self.finish, px_per_mm))
    }
}

impl DecalImage {
    /// From a straight-alpha sRGB raster.
    pub fn new(raster: &Raster, finish: Finish, px_per_mm: f32) -> Self {
        let lut: Vec<f32> = (0..=255u8)
            .map(|v| srgb_to_linear(f32::from(v) / 255.0))
            .collect();
        let mut color = Vec::with_capacity(raster.rgba.len());
        for p in raster.rgba.chunks_exact(4) {
            let a = f32::from(p[3]) / 255.0;
            for &c in &p[..3] {
                color.push(linear_to_srgb8(lut[usize::from(c)] * a));
            }
            color.push(p[3]);
        }
        let coverage = raster.coverage();
        let radius = (bevel_mm(finish.kind) * px_per_mm * 0.5).round() as usize;
        let relief = relief_map(
            &coverage,
            raster.width as usize,
            raster.height as usize,
            radius,
        );
        Self {
            width: raster.width,
            height: raster.height,
            color,
            relief,
            px_per_mm,
        }
    }
}

/// Coverage smoothed by two box blurs of `radius` pixels each way (a
/// tent-like kernel `4·radius + 1` wide): a relief that rises over the
/// bevel width, centred on the glyph or shape edge.
pub fn relief_map(coverage: &[u8], width: usize, height: usize, radius: usize) -> Vec<u8> {
    if radius == 0 || width == 0 || height == 0 {
        return coverage.to_vec();
    }
    let mut a: Vec<u16> = coverage.iter().map(|&c| u16::from(c)).collect();
    let mut b = vec![0u16; a.len()];
    for _ in 0..2 {
        box_blur(&a, &mut b, width, height, radius, 1, width);
        box_blur(&b, &mut a, height, width, radius, width, 1);
    }
    a.iter().map(|&v| v.min(255) as u8).collect()
}

/// One box blur pass along lines of `len` samples `step` apart; `lines`
/// lines start `stride` apart. Edges are clamped.
fn box_blur(
    src: &[u16],
    dst: &mut [u16],
    len: usize,
    lines: usize,
    radius: usize,
    step: usize,
    stride: usize,
) {
    let n = 2 * radius + 1;
    for line in 0..lines {
        let base = line * stride;
        let at = |i: isize| -> u32 {
            let i = i.clamp(0, len as isize - 1) as usize;
            u32::from(src[base + i * step])
        };
        let r = radius as isize;
        let mut sum: u32 = (-r..=r).map(at).sum();
        for i in 0..len {
            dst[base + i * step] = ((sum + n as u32 / 2) / n as u32) as u16;
            let i = i as isize;
            sum = sum + at(i + r + 1) - at(i - r);
        }
    }
}

/// The decal of every text and image slot with content in a valid
/// configuration, in option order: text laid out, images decoded (limits
/// checked before decoding). `load_image` turns an image option's
/// reference into bytes (the caller decides what a reference is).
///
/// # Errors
///
/// The first slot's [`ArtworkError`].
pub fn configuration_decals(
    package: &ProductPackage,
    resolved: &ResolvedConfiguration,
    fonts: &mut FontLibrary,
    load_image: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<Decal>, ArtworkError> {
    let mut out = Vec::new();
    for o in &package.definition.options {
        let Some(value) = resolved.get(&o.id) else {
            continue;
        };
        let option = o.id.clone();
        let key = format!("{}={value}", o.id);
        match &o.kind {
            OptionKind::Text(slot) => {
                let v = TextValue::from_json(value).map_err(|message| ArtworkError::Value {
                    option: option.clone(),
                    message,
                })?;
                if v.text.trim().is_empty() {
                    continue;
                }
                let [w, h] = slot.size();
                let layout = layout_text(fonts, &slot.spec(&v), w, h).map_err(|source| {
                    ArtworkError::Text {
                        option: option.clone(),
                        source,
                    }
                })?;
                out.push(Decal {
                    option,
                    placement: slot.placement.clone(),
                    slot_mm: [w, h],
                    transform: v.transform(),
                    finish: slot.finish(),
                    source: DecalSource::Text(Box::new(layout)),
                    key,
                });
            }
            OptionKind::Image(slot) => {
                let v = ImageValue::from_json(value).map_err(|message| ArtworkError::Value {
                    option: option.clone(),
                    message,
                })?;
                if v.image.is_empty() {
                    continue;
                }
                let bytes = load_image(&v.image).map_err(|message| ArtworkError::ImageSource {
                    option: option.clone(),
                    reference: v.image.clone(),
                    message,
                })?;
                let image =
                    decode(&bytes, &slot.limits()).map_err(|source| ArtworkError::Image {
                        option: option.clone(),
                        source,
                    })?;
                out.push(Decal {
                    option,
                    placement: slot.placement.clone(),
                    slot_mm: slot.size(),
                    transform: v.transform(),
                    finish: slot.finish(),
                    source: DecalSource::Image {
                        image: Arc::new(image),
                        fit: slot.fit.unwrap_or_default(),
                    },
                    key,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relief_rises_over_the_bevel_and_keeps_flat_areas() {
        // A 40-pixel bar in a 100-pixel line: far from the edges the relief
        // equals the coverage; at the edge it is about half.
        let (w, h) = (100, 3);
        let mut cov = vec![0u8; w * h];
        for y in 0..h {
            for x in 30..70 {
                cov[y * w + x] = 255;
            }
        }
        let r = relief_map(&cov, w, h, 4);
        assert_eq!(r[w + 50], 255);
        assert_eq!(r[w + 5], 0);
        let edge = r[w + 30];
        assert!((100..=160).contains(&edge), "edge relief {edge}");
        // monotonic across the rising edge
        for x in 20..50 {
            assert!(r[w + x] <= r[w + x + 1], "not monotonic at {x}");
        }
    }

    #[test]
    fn colour_is_premultiplied_in_linear_light() {
        let raster = Raster {
            width: 2,
            height: 1,
            rgba: vec![255, 255, 255, 128, 200, 0, 0, 255],
        };
        let img = DecalImage::new(&raster, Finish::default(), 10.0);
        // half-covered white: linear 0.502 → sRGB 188
        assert_eq!(&img.color[..4], &[188, 188, 188, 128]);
        assert_eq!(&img.color[4..], &[200, 0, 0, 255]);
        assert_eq!(img.relief, vec![128, 255]);
    }
}
