//! The window: winit events, the surface, egui, frame pacing and the
//! script runner. Real input and scripted input meet in the `press`,
//! `motion`, `release`, `wheel` and `key` handlers.

mod frame;
mod runner;

use super::ViewArgs;
use super::panel::Action;
use super::picker::{Picker, is_image};
use super::script::{Button, Step};
use super::stats::Stats;
use super::viewer::Viewer;
use serde_json::Value;
use showroom::wgpu;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow};
use winit::keyboard::{Key, ModifiersState, NamedKey};
use winit::window::{Window, WindowId};

/// A frame in motion should take about this long on a software adapter.
const MOTION_BUDGET_S: f64 = 0.045;
/// Input this recent counts as motion.
const MOTION_HOLD: Duration = Duration::from_millis(120);
/// A script that has not finished by then is stopped with an error.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);

/// The GPU side of the window.
struct Gfx {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    egui_ctx: egui::Context,
    egui_state: egui_winit::State,
    egui: egui_wgpu::Renderer,
    product_tex: Option<egui::TextureId>,
    /// The surface viewed as a plain (non-sRGB) format.
    view_format: wgpu::TextureFormat,
}

/// An active drag.
#[derive(Debug, Clone, Copy)]
struct Drag {
    pan: bool,
    last: (f32, f32),
}

/// A scripted step in progress.
#[derive(Debug)]
enum Running {
    Drag {
        button: Button,
        from: (f32, f32),
        to: (f32, f32),
        steps: u32,
        done: u32,
    },
    Type {
        option: String,
        chars: Vec<char>,
        done: usize,
    },
    Until(Instant),
    Idle,
    Screenshot(PathBuf),
}

/// The viewer application.
pub struct App {
    args: ViewArgs,
    viewer: Viewer,
    gfx: Option<Gfx>,
    error: Option<anyhow::Error>,
    // Input.
    cursor: (f32, f32),
    modifiers: ModifiersState,
    drag: Option<Drag>,
    last_click: Option<(Instant, (f32, f32))>,
    last_input: Instant,
    // The viewport (physical pixels: x, y, w, h) from the last layout.
    viewport: [u32; 4],
    // Rendering.
    last_frame: Instant,
    drawn_key: Option<String>,
    drawn_coarse: bool,
    product_view: Option<wgpu::TextureView>,
    stats: Stats,
    status: String,
    picker: Option<Picker>,
    pending: Vec<Action>,
    screenshot: Option<PathBuf>,
    // Script.
    script: VecDeque<Step>,
    scripted: bool,
    running: Option<Running>,
    script_started: Instant,
    frames_since_step: u32,
}

impl App {
    /// An application for a loaded viewer.
    pub fn new(args: ViewArgs, viewer: Viewer, script: Option<Vec<Step>>) -> Self {
        let stats = Stats::new(args.stats);
        let scripted = script.is_some();
        Self {
            args,
            viewer,
            gfx: None,
            error: None,
            cursor: (0.0, 0.0),
            modifiers: ModifiersState::empty(),
            drag: None,
            last_click: None,
            last_input: Instant::now(),
            viewport: [0, 0, 1, 1],
            last_frame: Instant::now(),
            drawn_key: None,
            drawn_coarse: false,
            product_view: None,
            stats,
            status: String::new(),
            picker: None,
            pending: Vec::new(),
            screenshot: None,
            script: script.unwrap_or_default().into(),
            scripted,
            running: None,
            script_started: Instant::now(),
            frames_since_step: 0,
        }
    }

    /// After the event loop: the stats summary and the first error, if any.
    pub fn finish(self) -> anyhow::Result<()> {
        if let Some(s) = self.stats.summary() {
            eprintln!("{s}");
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn fail(&mut self, event_loop: &ActiveEventLoop, e: anyhow::Error) {
        self.error.get_or_insert(e);
        event_loop.exit();
    }

    fn scale(&self) -> f32 {
        self.gfx
            .as_ref()
            .map_or(1.0, |g| g.window.scale_factor() as f32)
    }

    fn aspect(&self) -> f32 {
        self.viewport[2] as f32 / self.viewport[3].max(1) as f32
    }

    /// Is (x, y) (logical, window) inside the product viewport?
    fn in_viewport(&self, (x, y): (f32, f32)) -> bool {
        let s = self.scale();
        let [vx, vy, vw, vh] = self.viewport.map(|v| v as f32 / s);
        x >= vx && y >= vy && x < vx + vw && y < vy + vh
    }

    // ---- Input handlers (shared by winit events and scripts) ----

    fn press(&mut self, button: Button, pos: (f32, f32)) {
        self.last_input = Instant::now();
        let pan = button != Button::Left || self.modifiers.shift_key();
        self.drag = Some(Drag { pan, last: pos });
        if button == Button::Left {
            let now = Instant::now();
            let double = self.last_click.is_some_and(|(t, p)| {
                now - t < Duration::from_millis(400)
                    && (p.0 - pos.0).abs() < 6.0
                    && (p.1 - pos.1).abs() < 6.0
            });
            self.last_click = Some((now, pos));
            if double {
                self.last_click = None;
                self.reframe();
            }
        }
    }

    fn motion(&mut self, pos: (f32, f32)) {
        self.cursor = pos;
        let Some(drag) = &mut self.drag else { return };
        let (dx, dy) = (pos.0 - drag.last.0, pos.1 - drag.last.1);
        drag.last = pos;
        let pan = drag.pan;
        let height = self.viewport[3] as f32 / self.scale();
        if let Some(cam) = &mut self.viewer.camera {
            if pan {
                cam.pan(dx, dy, height);
            } else {
                cam.orbit(dx, dy);
            }
        }
        self.last_input = Instant::now();
    }

    fn release(&mut self) {
        self.drag = None;
        self.last_input = Instant::now();
    }

    fn wheel(&mut self, lines: f32) {
        if let Some(cam) = &mut self.viewer.camera {
            cam.zoom(lines);
        }
        self.last_input = Instant::now();
    }

    fn reframe(&mut self) {
        if let (Some(p), Some(cam)) = (self.viewer.reframed(self.aspect()), &mut self.viewer.camera)
        {
            cam.go_to(p);
        }
        self.last_input = Instant::now();
    }

    /// A key typed outside the panel's text fields.
    fn key(&mut self, key: &str) {
        match key {
            "f" | "F" | "Home" => self.reframe(),
            k => {
                if let Ok(n @ 1..=9) = k.parse::<usize>() {
                    self.pending.push(Action::Shot(n - 1));
                }
            }
        }
    }

    fn drop_file(&mut self, path: PathBuf) {
        if !is_image(&path) {
            self.status = format!("{}: not an image (png, jpg, webp, svg)", path.display());
            return;
        }
        let target = self.picker.as_ref().map(|p| p.option.clone()).or_else(|| {
            let d = &self.viewer.product.package.definition;
            d.options
                .iter()
                .find(|o| matches!(o.kind, showroom::product::options::OptionKind::Image(_)))
                .map(|o| o.id.clone())
        });
        match target {
            Some(option) => {
                self.picker = None;
                let value = Value::String(path.display().to_string());
                self.pending.push(Action::Select(option, value));
            }
            None => self.status = "this product has no image option".into(),
        }
    }

    // ---- Actions from the panel, keys and scripts ----

    fn apply(&mut self, a: Action) -> anyhow::Result<()> {
        match a {
            Action::Select(option, value) => {
                if let Err(e) = self.viewer.select(&option, value) {
                    self.status = format!("{option}: {}", first_line(&e));
                } else {
                    self.status = format!("{option} changed");
                }
            }
            Action::Type(option, text) => {
                if let Err(e) = self.viewer.type_text(&option, text) {
                    self.status = format!("{option}: {}", first_line(&e));
                }
            }
            Action::PickImage(option) => {
                let dir = std::env::current_dir().unwrap_or_default();
                self.picker = Some(Picker::new(option, dir));
            }
            Action::Environment(path) => {
                self.viewer.set_environment(path)?;
            }
            Action::Shot(i) => {
                let d = &self.viewer.product.package.definition;
                if let Some(id) = d.shots.get(i).map(|s| s.id.clone()) {
                    let pose = self.viewer.shot_pose(Some(&id), self.aspect())?;
                    if let Some(cam) = &mut self.viewer.camera {
                        cam.go_to(pose);
                    }
                    self.last_input = Instant::now();
                }
            }
            Action::Save => {
                let (w, h) = (self.viewport[2], self.viewport[3]);
                let d = &self.viewer.product.package.definition;
                let hash = self.viewer.product.configuration.hash(&Value::Null);
                let stamp = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or_default();
                let name = format!("{}-{}-{stamp}.png", d.id, &hash[..hash.len().min(12)]);
                let path = self.args.save_dir.join(name);
                self.save(&path, w, h)?;
            }
            Action::CopyConfiguration => {
                let json = self.viewer.configuration_json();
                println!("{json}");
                if let Some(g) = &self.gfx {
                    g.egui_ctx.copy_text(json);
                }
                self.status = "configuration copied (and printed)".into();
            }
            Action::CopyCommand => {
                let cfg = PathBuf::from("config.json");
                let args = self
                    .viewer
                    .render_args(self.viewport[2], self.viewport[3], &cfg);
                let cmd = format!(
                    "showroom {}",
                    args.iter()
                        .map(|a| shell_word(a))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                println!("{cmd}");
                if let Some(g) = &self.gfx {
                    g.egui_ctx.copy_text(cmd);
                }
                self.status = "render command copied (with config.json = the configuration)".into();
            }
        }
        Ok(())
    }

    fn save(&mut self, path: &std::path::Path, w: u32, h: u32) -> anyhow::Result<()> {
        if let Some(cam) = &mut self.viewer.camera {
            cam.settle();
        }
        self.viewer.save(path, w, h)?;
        self.status = format!("saved {}", path.display());
        eprintln!("saved {} ({w}×{h})", path.display());
        // The save rendered another size: redraw the view.
        self.drawn_key = None;
        Ok(())
    }
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.gfx.is_none() {
            if let Err(e) = self.create_gfx(event_loop) {
                self.fail(event_loop, e);
                return;
            }
            self.script_started = Instant::now();
        }
        if let Some(g) = &self.gfx {
            g.window.request_redraw();
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(g) = self.gfx.as_mut() else { return };
        let response = g.egui_state.on_window_event(&g.window, &event);
        if response.repaint {
            g.window.request_redraw();
        }
        let egui_pointer =
            g.egui_ctx.egui_wants_pointer_input() || g.egui_ctx.is_pointer_over_egui();
        let egui_keys = g.egui_ctx.egui_wants_keyboard_input();
        let scale = g.window.scale_factor() as f32;
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                let device = self.viewer.studio.renderer.ctx.device.clone();
                let g = self.gfx.as_mut().expect("checked");
                g.config.width = size.width.max(1);
                g.config.height = size.height.max(1);
                g.surface.configure(&device, &g.config);
                g.window.request_redraw();
            }
            WindowEvent::RedrawRequested => {
                if let Err(e) = self.redraw() {
                    self.fail(event_loop, e);
                }
            }
            WindowEvent::ModifiersChanged(m) => self.modifiers = m.state(),
            WindowEvent::CursorMoved { position, .. } => {
                self.motion((position.x as f32 / scale, position.y as f32 / scale));
                if self.drag.is_some() {
                    self.request_redraw();
                }
            }
            WindowEvent::MouseInput { state, button, .. } => match state {
                ElementState::Pressed if !egui_pointer && self.in_viewport(self.cursor) => {
                    let b = match button {
                        MouseButton::Left => Button::Left,
                        MouseButton::Right => Button::Right,
                        MouseButton::Middle => Button::Middle,
                        _ => return,
                    };
                    self.press(b, self.cursor);
                    self.request_redraw();
                }
                ElementState::Released if self.drag.is_some() => {
                    self.release();
                    self.request_redraw();
                }
                _ => {}
            },
            WindowEvent::MouseWheel { delta, .. }
                if !egui_pointer && self.in_viewport(self.cursor) =>
            {
                let lines = match delta {
                    MouseScrollDelta::LineDelta(_, y) => y,
                    MouseScrollDelta::PixelDelta(p) => p.y as f32 / 40.0,
                };
                self.wheel(lines);
                self.request_redraw();
            }
            WindowEvent::PinchGesture { delta, .. } => {
                if let Some(cam) = &mut self.viewer.camera {
                    cam.pinch(1.0 + delta as f32);
                }
                self.last_input = Instant::now();
                self.request_redraw();
            }
            WindowEvent::KeyboardInput { event, .. }
                if event.state == ElementState::Pressed && !egui_keys && !response.consumed =>
            {
                match &event.logical_key {
                    Key::Character(c) if self.modifiers.control_key() && c.as_str() == "s" => {
                        self.pending.push(Action::Save);
                    }
                    Key::Character(c) => {
                        let c = c.to_string();
                        self.key(&c);
                    }
                    Key::Named(NamedKey::Home) => self.key("Home"),
                    _ => {}
                }
                self.request_redraw();
            }
            WindowEvent::DroppedFile(path) => {
                self.drop_file(path);
                self.request_redraw();
            }
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if let Err(e) = self.script_step(event_loop) {
            self.fail(event_loop, e);
            return;
        }
        if self.scripted {
            self.request_redraw();
        }
        event_loop.set_control_flow(ControlFlow::Wait);
    }
}

impl App {
    fn request_redraw(&self) {
        if let Some(g) = &self.gfx {
            g.window.request_redraw();
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Quote a word for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,=:+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
