//! One frame: the panel, the product image (progressive on software
//! adapters), egui over the surface, screenshots; and the surface set-up.

use super::{App, Gfx, MOTION_BUDGET_S, MOTION_HOLD};
use crate::view::capture::PendingCapture;
use crate::view::orbit::OrbitController;
use crate::view::panel::{self, Action};
use crate::view::picker::Picked;
use crate::view::stats::FrameSample;
use anyhow::Context as _;
use serde_json::Value;
use showroom::wgpu;
use std::sync::Arc;
use std::time::{Duration, Instant};
use winit::event_loop::ActiveEventLoop;
use winit::window::Window;

impl App {
    pub(super) fn redraw(&mut self) -> anyhow::Result<()> {
        let Some(g) = self.gfx.as_mut() else {
            return Ok(());
        };
        let frame_start = Instant::now();
        let dt = (frame_start - self.last_frame).as_secs_f32().min(0.1);
        self.last_frame = frame_start;
        // 1. The panel (egui) decides the viewport and collects actions.
        let raw = g.egui_state.take_egui_input(&g.window);
        let mut actions = std::mem::take(&mut self.pending);
        let mut viewport_pts = egui::Rect::NOTHING;
        let panel_width = self.args.panel_width;
        let status = self.status.clone();
        let viewer = &mut self.viewer;
        let picker = &mut self.picker;
        let product_tex = g.product_tex;
        let look_before = viewer.look.clone();
        let mut out = g.egui_ctx.run_ui(raw, |ui| {
            egui::Panel::right("configure")
                .exact_size(panel_width)
                .resizable(false)
                .show(ui, |ui| actions.extend(panel::show(ui, viewer, &status)));
            egui::CentralPanel::no_frame().show(ui, |ui| {
                viewport_pts = ui.max_rect();
                if let Some(tex) = product_tex {
                    ui.painter().image(
                        tex,
                        ui.max_rect(),
                        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                        egui::Color32::WHITE,
                    );
                }
            });
            if let Some(p) = picker.as_mut() {
                match p.show(ui.ctx()) {
                    Picked::Open => {}
                    Picked::Cancelled => *picker = None,
                    Picked::File(path) => {
                        let option = p.option.clone();
                        *picker = None;
                        actions.push(Action::Select(
                            option,
                            Value::String(path.display().to_string()),
                        ));
                    }
                }
            }
        });
        g.egui_state
            .handle_platform_output(&g.window, out.platform_output.clone());
        let ppp = out.pixels_per_point;
        // Whole physical pixels, so the image maps 1:1 onto the surface.
        let vp = [
            (viewport_pts.min.x * ppp).round().max(0.0) as u32,
            (viewport_pts.min.y * ppp).round().max(0.0) as u32,
            (viewport_pts.width() * ppp).round().max(1.0) as u32,
            (viewport_pts.height() * ppp).round().max(1.0) as u32,
        ];
        let resized = vp != self.viewport;
        self.viewport = vp;
        if self.viewer.look != look_before {
            self.last_input = Instant::now();
        }
        // 2. Actions, then the camera.
        for a in actions {
            self.apply(a)?;
        }
        if self.viewer.camera.is_none() || (resized && self.drawn_key.is_none()) {
            let pose = self
                .viewer
                .shot_pose(self.args.shot.as_deref(), self.aspect())?;
            self.viewer.camera = Some(OrbitController::new(pose));
        }
        let moving_cam = self.viewer.camera.as_mut().is_some_and(|c| c.step(dt));
        let moving = moving_cam || self.drag.is_some() || self.last_input.elapsed() < MOTION_HOLD;
        // 3. The product image, if anything changed.
        let software = self.viewer.studio.renderer.ctx.summary.software;
        let coarse_scale = match self.stats.seconds_per_pixel() {
            Some(spp) if moving && software && !self.args.no_progressive => {
                let full = spp * f64::from(vp[2]) * f64::from(vp[3]);
                let s = (MOTION_BUDGET_S / full.max(1e-9)).sqrt().clamp(0.3, 1.0);
                if s > 0.9 { 1.0 } else { s as f32 }
            }
            _ => 1.0,
        };
        let coarse = coarse_scale < 1.0;
        let (w, h) = if coarse {
            (
                ((vp[2] as f32 * coarse_scale).round() as u32).max(1),
                ((vp[3] as f32 * coarse_scale).round() as u32).max(1),
            )
        } else {
            (vp[2], vp[3])
        };
        let settings = self.viewer.settings(w, h, !coarse);
        let key = format!(
            "{settings:?}|{}|{}",
            self.viewer.product.configuration.canonical_json(),
            self.viewer.look.env.display()
        );
        let mut product_time = Duration::ZERO;
        let drawn_now = self.drawn_key.as_deref() != Some(&key);
        if drawn_now {
            let t = Instant::now();
            let view = self.viewer.draw(&settings)?;
            if software || self.args.stats {
                self.viewer.studio.renderer.ctx.wait_idle();
            }
            product_time = t.elapsed();
            self.product_view = Some(view);
            self.drawn_key = Some(key);
            self.drawn_coarse = coarse;
        }
        // 4. egui over the surface, the product image through egui.
        let g = self.gfx.as_mut().expect("checked above");
        let device = self.viewer.studio.renderer.ctx.device.clone();
        let queue = self.viewer.studio.renderer.ctx.queue.clone();
        // The egui binding changes only with a new image (its view may be
        // another cached target), not on frames that reuse the last one.
        if let (true, Some(view)) = (drawn_now, &self.product_view) {
            let filter = if coarse {
                wgpu::FilterMode::Linear
            } else {
                wgpu::FilterMode::Nearest
            };
            match g.product_tex {
                Some(id) => g
                    .egui
                    .update_egui_texture_from_wgpu_texture(&device, view, filter, id),
                None => {
                    g.product_tex = Some(g.egui.register_native_texture(&device, view, filter));
                    // The first frame laid out without the image.
                    g.window.request_redraw();
                }
            }
        }
        // egui's texture changes are applied whether or not this frame is
        // presented (its deltas must never be dropped).
        for (id, deltas) in &out.textures_delta.set {
            for delta in deltas {
                g.egui.update_texture(&device, &queue, *id, delta);
            }
        }
        let mut textures_delta = std::mem::take(&mut out.textures_delta);
        let mut free = std::mem::take(&mut textures_delta.free);
        textures_delta.clear();
        let surface_texture = match g.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t)
            | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                g.surface.configure(&device, &g.config);
                for id in std::mem::take(&mut free) {
                    g.egui.free_texture(&id);
                }
                g.window.request_redraw();
                return Ok(());
            }
            _ => {
                for id in std::mem::take(&mut free) {
                    g.egui.free_texture(&id);
                }
                g.window.request_redraw();
                return Ok(());
            }
        };
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [g.config.width, g.config.height],
            pixels_per_point: ppp,
        };
        let prims = g.egui_ctx.tessellate(out.shapes, ppp);
        let mut enc = device.create_command_encoder(&Default::default());
        g.egui
            .update_buffers(&device, &queue, &mut enc, &prims, &screen);
        let target = surface_texture
            .texture
            .create_view(&wgpu::TextureViewDescriptor {
                format: Some(g.view_format),
                ..Default::default()
            });
        {
            let pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("viewer ui"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                ..Default::default()
            });
            g.egui.render(&mut pass.forget_lifetime(), &prims, &screen);
        }
        // A screenshot only of a settled, full-quality view.
        let capture = match &self.screenshot {
            Some(_) if !coarse => Some(PendingCapture::record(
                &device,
                &mut enc,
                &surface_texture.texture,
            )?),
            _ => None,
        };
        queue.submit([enc.finish()]);
        for id in std::mem::take(&mut free) {
            g.egui.free_texture(&id);
        }
        if let Some(c) = capture {
            let path = self.screenshot.take().expect("capture was asked for");
            c.write(&device, &path)?;
            eprintln!("screenshot {}", path.display());
        }
        g.window.pre_present_notify();
        queue.present(surface_texture);
        self.stats.push(FrameSample {
            interval: frame_start.elapsed(),
            product: product_time,
            size: (w, h),
            coarse,
        });
        self.frames_since_step += 1;
        // Keep drawing while anything moves or a full-quality frame is owed.
        if moving
            || coarse
            || out
                .viewport_output
                .values()
                .any(|v| v.repaint_delay.is_zero())
        {
            g.window.request_redraw();
        }
        Ok(())
    }

    pub(super) fn create_gfx(&mut self, event_loop: &ActiveEventLoop) -> anyhow::Result<()> {
        let (w, h) = self.args.size;
        let attrs = Window::default_attributes()
            .with_title(format!(
                "Showroom — {}",
                self.viewer.product.package.definition.name
            ))
            .with_inner_size(winit::dpi::LogicalSize::new(w, h));
        let window = Arc::new(event_loop.create_window(attrs)?);
        let ctx = &self.viewer.studio.renderer.ctx;
        let surface = ctx
            .instance
            .create_surface(window.clone())
            .context("cannot create a surface for the window")?;
        let caps = surface.get_capabilities(&ctx.adapter);
        // A plain (non-sRGB) 8-bit format: the product image and egui's
        // colours are already sRGB-encoded.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| {
                matches!(
                    f,
                    wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Rgba8Unorm
                )
            })
            .or_else(|| caps.formats.first().map(|f| f.remove_srgb_suffix()))
            .context("the window surface offers no format")?;
        let view_formats = if caps.formats.contains(&format) {
            vec![]
        } else {
            vec![format]
        };
        let size = window.inner_size();
        let mut usage = wgpu::TextureUsages::RENDER_ATTACHMENT;
        if caps.usages.contains(wgpu::TextureUsages::COPY_SRC) {
            usage |= wgpu::TextureUsages::COPY_SRC;
        }
        let config = wgpu::SurfaceConfiguration {
            usage,
            format: if caps.formats.contains(&format) {
                format
            } else {
                format.add_srgb_suffix()
            },
            color_space: wgpu::SurfaceColorSpace::Auto,
            width: size.width.max(1),
            height: size.height.max(1),
            present_mode: wgpu::PresentMode::AutoVsync,
            desired_maximum_frame_latency: 2,
            alpha_mode: wgpu::CompositeAlphaMode::Auto,
            view_formats,
        };
        surface.configure(&ctx.device, &config);
        let egui_ctx = egui::Context::default();
        let egui_state = egui_winit::State::new(
            egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(ctx.max_image_size() as usize),
        );
        let egui = egui_wgpu::Renderer::new(
            &ctx.device,
            format,
            egui_wgpu::RendererOptions {
                // The product's pixels must reach the screen unchanged.
                dithering: false,
                ..Default::default()
            },
        );
        self.gfx = Some(Gfx {
            window,
            surface,
            config,
            egui_ctx,
            egui_state,
            egui,
            product_tex: None,
            view_format: format,
        });
        Ok(())
    }
}
