//! The script runner: one step (or one frame of a step) at a time, through
//! the same handlers as real input.

use super::{App, MOTION_HOLD, Running, SCRIPT_TIMEOUT};
use crate::view::panel::Action;
use crate::view::script::{Button, Step};
use anyhow::Context as _;
use std::time::{Duration, Instant};
use winit::event_loop::ActiveEventLoop;

impl App {
    /// Advance the script by what one frame allows.
    pub(super) fn script_step(&mut self, event_loop: &ActiveEventLoop) -> anyhow::Result<()> {
        if !self.scripted || self.gfx.is_none() {
            return Ok(());
        }
        if self.script_started.elapsed() > SCRIPT_TIMEOUT {
            anyhow::bail!("the script did not finish in {SCRIPT_TIMEOUT:?}");
        }
        if self.frames_since_step == 0 {
            return Ok(());
        }
        if let Some(r) = self.running.take() {
            self.running = self.continue_step(r)?;
            self.frames_since_step = 0;
            return Ok(());
        }
        let Some(step) = self.script.pop_front() else {
            self.scripted = false;
            event_loop.exit();
            return Ok(());
        };
        self.frames_since_step = 0;
        let s = self.scale();
        let [vx, vy, ..] = self.viewport.map(|v| v as f32 / s);
        let at = |p: (f32, f32)| (p.0 + vx, p.1 + vy);
        match step {
            Step::Drag {
                button,
                from,
                to,
                steps,
            } => {
                self.cursor = at(from);
                self.press(button, at(from));
                self.running = Some(Running::Drag {
                    button,
                    from: at(from),
                    to: at(to),
                    steps,
                    done: 0,
                });
            }
            Step::Wheel(l) => self.wheel(l),
            Step::DoubleClick(p) => {
                self.press(Button::Left, at(p));
                self.release();
                self.press(Button::Left, at(p));
                self.release();
            }
            Step::Key(k) => self.key(&k),
            Step::Set { option, value } => self.pending.push(Action::Select(option, value)),
            Step::Type { option, text } => {
                self.pending
                    .push(Action::Type(option.clone(), String::new()));
                self.running = Some(Running::Type {
                    option,
                    chars: text.chars().collect(),
                    done: 0,
                });
            }
            Step::Drop(p) => self.drop_file(p),
            Step::Wait(ms) => {
                self.running = Some(Running::Until(Instant::now() + Duration::from_millis(ms)));
            }
            Step::Idle => self.running = Some(Running::Idle),
            Step::Screenshot(p) => {
                self.screenshot = Some(p.clone());
                self.running = Some(Running::Screenshot(p));
            }
            Step::Save(p) => {
                let (w, h) = (self.viewport[2], self.viewport[3]);
                self.save(&p, w, h)?;
            }
            Step::State(p) => {
                let cfg = p.with_extension("config.json");
                std::fs::write(&cfg, self.viewer.configuration_json())?;
                let state = self.viewer.state(self.viewport, &cfg);
                std::fs::write(&p, serde_json::to_string_pretty(&state)?)
                    .with_context(|| format!("cannot write {}", p.display()))?;
            }
            Step::Quit => {
                self.scripted = false;
                event_loop.exit();
            }
        }
        Ok(())
    }

    fn continue_step(&mut self, r: Running) -> anyhow::Result<Option<Running>> {
        Ok(match r {
            Running::Drag {
                button,
                from,
                to,
                steps,
                done,
            } => {
                let done = done + 1;
                let t = done as f32 / steps as f32;
                self.motion((from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t));
                if done >= steps {
                    self.release();
                    None
                } else {
                    Some(Running::Drag {
                        button,
                        from,
                        to,
                        steps,
                        done,
                    })
                }
            }
            Running::Type {
                option,
                chars,
                done,
            } => {
                let done = done + 1;
                let text: String = chars[..done].iter().collect();
                self.pending.push(Action::Type(option.clone(), text));
                (done < chars.len()).then_some(Running::Type {
                    option,
                    chars,
                    done,
                })
            }
            Running::Until(t) => (Instant::now() < t).then_some(Running::Until(t)),
            Running::Idle => (!self.at_rest()).then_some(Running::Idle),
            Running::Screenshot(p) => self.screenshot.is_some().then_some(Running::Screenshot(p)),
        })
    }

    /// The camera is still, nothing is pending and the last frame shown was
    /// a full-quality one.
    fn at_rest(&self) -> bool {
        let cam_still = self
            .viewer
            .camera
            .as_ref()
            .is_none_or(|c| c.current == c.goal);
        cam_still
            && self.drag.is_none()
            && self.pending.is_empty()
            && !self.drawn_coarse
            && self.drawn_key.is_some()
            && self.last_input.elapsed() > MOTION_HOLD
    }
}
