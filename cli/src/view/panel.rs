//! The side panel, built from the product definition: every option as the
//! widget of its kind (swatches, colours, toggles, text fields, images), the
//! scene controls, the price and the buttons. It only reads the viewer and
//! returns [`Action`]s, so the panel and a script change the product through
//! the same calls.

use super::viewer::{Viewer, tonemap_name};
use egui::{Color32, RichText};
use serde_json::Value;
use showroom::output::Background;
use showroom::product::options::OptionKind;
use showroom::render::ToneMapping;
use std::path::PathBuf;

/// What the user asked for in this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Choose a value.
    Select(String, Value),
    /// The text of a text option changed.
    Type(String, String),
    /// Open the file picker for an image option.
    PickImage(String),
    /// Use another environment.
    Environment(PathBuf),
    /// Go to the shot with this index.
    Shot(usize),
    /// Save the image.
    Save,
    /// Copy the configuration JSON.
    CopyConfiguration,
    /// Copy the equivalent `showroom render` command.
    CopyCommand,
}

/// Draw the panel; the look's sliders change `v.look` directly.
pub fn show(ui: &mut egui::Ui, v: &mut Viewer, status: &str) -> Vec<Action> {
    let mut out = Vec::new();
    let d = v.product.package.definition.clone();
    ui.heading(&d.name);
    ui.label(RichText::new(v.price()).size(20.0).strong());
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .max_height(ui.available_height() - 150.0)
        .show(ui, |ui| {
            for o in &d.options {
                let current = v.product.configuration.get(&o.id).cloned();
                let visible = current.is_some()
                    || matches!(o.kind, OptionKind::Text(_) | OptionKind::Image(_));
                if !visible && o.visible_when.is_some() {
                    continue;
                }
                ui.label(RichText::new(&o.label).strong());
                option_widget(ui, v, o, current.as_ref(), &mut out);
                if let Some(e) = v.errors.get(&o.id) {
                    ui.label(
                        RichText::new(e)
                            .color(Color32::from_rgb(200, 40, 40))
                            .small(),
                    );
                }
                ui.add_space(6.0);
            }
            ui.separator();
            scene_controls(ui, v, &mut out);
            ui.separator();
            ui.label(RichText::new("Shots").strong());
            ui.horizontal_wrapped(|ui| {
                for (i, s) in d.shots.iter().enumerate() {
                    let label = if s.label.is_empty() { &s.id } else { &s.label };
                    let text = if i < 9 {
                        format!("{} {label}", i + 1)
                    } else {
                        label.clone()
                    };
                    if ui.button(text).clicked() {
                        out.push(Action::Shot(i));
                    }
                }
            });
        });
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if ui.button("Save image").clicked() {
            out.push(Action::Save);
        }
        if ui.button("Copy configuration").clicked() {
            out.push(Action::CopyConfiguration);
        }
        if ui.button("Copy render command").clicked() {
            out.push(Action::CopyCommand);
        }
    });
    ui.label(RichText::new(status).small());
    out
}

fn option_widget(
    ui: &mut egui::Ui,
    v: &Viewer,
    o: &showroom::product::options::ProductOption,
    current: Option<&Value>,
    out: &mut Vec<Action>,
) {
    let selected = |id: &str| current.and_then(Value::as_str) == Some(id);
    match &o.kind {
        OptionKind::Variant { .. } | OptionKind::Material { .. } | OptionKind::Texture { .. } => {
            ui.horizontal_wrapped(|ui| {
                for val in o.values() {
                    let blocked = v.blocked(&o.id, val.id);
                    let label = price_label(val.label, val.price, v);
                    let r = ui.add_enabled(
                        blocked.is_none(),
                        egui::Button::selectable(selected(val.id), label),
                    );
                    if r.clicked() {
                        out.push(Action::Select(o.id.clone(), Value::String(val.id.into())));
                    }
                    if let Some(why) = blocked {
                        r.on_disabled_hover_text(why);
                    }
                }
            });
            blocked_notes(ui, v, o);
        }
        OptionKind::Color { palette, free, .. } => {
            ui.horizontal_wrapped(|ui| {
                for c in palette {
                    let rgb = hex_rgb(&c.hex).unwrap_or([128, 128, 128]);
                    let blocked = v.blocked(&o.id, &c.id);
                    let r = swatch(ui, rgb, selected(&c.id), blocked.is_some());
                    if r.clicked() {
                        out.push(Action::Select(o.id.clone(), Value::String(c.id.clone())));
                    }
                    match blocked {
                        Some(why) => r.on_hover_text(format!("{}: {why}", c.label)),
                        None => r.on_hover_text(price_label(&c.label, c.price, v)),
                    };
                }
                if free.is_some() {
                    let mut rgb = current
                        .and_then(Value::as_str)
                        .and_then(hex_rgb)
                        .unwrap_or([200, 200, 200]);
                    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
                        let hex = format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
                        out.push(Action::Select(o.id.clone(), Value::String(hex)));
                    }
                }
            });
            blocked_notes(ui, v, o);
        }
        OptionKind::Visibility { price, .. } => {
            let mut on = current.and_then(Value::as_bool).unwrap_or(true);
            let label = price_label("Shown", *price, v);
            if ui.checkbox(&mut on, label).changed() {
                out.push(Action::Select(o.id.clone(), Value::Bool(on)));
            }
        }
        OptionKind::Text(slot) => {
            let mut text = v.text_edits.get(&o.id).cloned().unwrap_or_default();
            let mut edit = egui::TextEdit::singleline(&mut text).hint_text("Type here");
            if let Some(n) = slot.max_length {
                edit = edit.char_limit(n);
            }
            if ui.add(edit).changed() {
                out.push(Action::Type(o.id.clone(), text));
            }
        }
        OptionKind::Image(_) => {
            let name = match current {
                Some(Value::String(s)) if !s.is_empty() => short_name(s),
                Some(Value::Object(m)) => m
                    .get("image")
                    .and_then(Value::as_str)
                    .map(short_name)
                    .unwrap_or_default(),
                _ => "none (drop an image on the window)".into(),
            };
            ui.label(RichText::new(name).small());
            ui.horizontal(|ui| {
                if ui.button("Choose…").clicked() {
                    out.push(Action::PickImage(o.id.clone()));
                }
                if ui.button("Clear").clicked() {
                    out.push(Action::Select(o.id.clone(), Value::String(String::new())));
                }
            });
        }
    }
}

/// A colour swatch: the colour itself, a ring when chosen, struck through
/// (and not clickable) when a rule forbids it.
fn swatch(ui: &mut egui::Ui, rgb: [u8; 3], chosen: bool, blocked: bool) -> egui::Response {
    let sense = if blocked {
        egui::Sense::hover()
    } else {
        egui::Sense::click()
    };
    let (rect, r) = ui.allocate_exact_size(egui::vec2(28.0, 28.0), sense);
    let p = ui.painter();
    let fill = Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
    p.rect_filled(rect.shrink(3.0), 4.0, fill);
    let edge = if chosen {
        egui::Stroke::new(2.5, ui.visuals().selection.bg_fill)
    } else if r.hovered() && !blocked {
        egui::Stroke::new(1.5, ui.visuals().strong_text_color())
    } else {
        egui::Stroke::new(1.0, Color32::from_gray(110))
    };
    p.rect_stroke(rect.shrink(1.5), 5.0, edge, egui::StrokeKind::Inside);
    if blocked {
        let strike = egui::Stroke::new(2.0, Color32::from_rgb(210, 50, 50));
        p.line_segment([rect.left_bottom(), rect.right_top()], strike);
    }
    if blocked {
        r.on_hover_cursor(egui::CursorIcon::NotAllowed)
    } else {
        r
    }
}

/// The values a rule forbids now, each with the rule's message.
fn blocked_notes(ui: &mut egui::Ui, v: &Viewer, o: &showroom::product::options::ProductOption) {
    for val in o.values() {
        if let Some(why) = v.blocked(&o.id, val.id) {
            ui.label(
                RichText::new(format!("{}: {why}", val.label))
                    .small()
                    .italics()
                    .color(Color32::GRAY),
            );
        }
    }
}

fn scene_controls(ui: &mut egui::Ui, v: &mut Viewer, out: &mut Vec<Action>) {
    ui.label(RichText::new("Scene").strong());
    let current = v.look.env.clone();
    egui::ComboBox::from_label("Environment")
        .selected_text(short_name(&current.display().to_string()))
        .show_ui(ui, |ui| {
            for e in v.environments.clone() {
                let name = short_name(&e.display().to_string());
                if ui.selectable_label(e == current, name).clicked() && e != current {
                    out.push(Action::Environment(e));
                }
            }
        });
    ui.add(egui::Slider::new(&mut v.look.env_rotation, -180.0..=180.0).text("Rotation °"));
    ui.add(
        egui::Slider::new(&mut v.look.exposure, 0.1..=4.0)
            .logarithmic(true)
            .text("Exposure"),
    );
    egui::ComboBox::from_label("Tone mapper")
        .selected_text(tonemap_name(v.look.tonemap))
        .show_ui(ui, |ui| {
            for t in [
                ToneMapping::Neutral,
                ToneMapping::Aces,
                ToneMapping::Agx,
                ToneMapping::None,
            ] {
                ui.selectable_value(&mut v.look.tonemap, t, tonemap_name(t));
            }
        });
    ui.horizontal(|ui| {
        ui.label("Background");
        let mut env = v.look.background == Background::Environment;
        if ui.checkbox(&mut env, "environment").changed() {
            v.look.background = if env {
                Background::Environment
            } else {
                Background::Color([240, 240, 240])
            };
        }
        if let Background::Color(c) = &mut v.look.background {
            egui::color_picker::color_edit_button_srgb(ui, c);
        }
    });
    let mut shadow = v.look.shadow.is_some();
    ui.horizontal(|ui| {
        if ui.checkbox(&mut shadow, "Ground shadow").changed() {
            v.look.shadow = shadow.then_some(0.6);
        }
        if let Some(s) = &mut v.look.shadow {
            ui.add(egui::Slider::new(s, 0.0..=1.0));
        }
    });
    let mut ssao = v.look.ssao.is_some();
    ui.horizontal(|ui| {
        if ui.checkbox(&mut ssao, "Ambient occlusion").changed() {
            v.look.ssao = ssao.then_some(1.0);
        }
        if let Some(s) = &mut v.look.ssao {
            ui.add(egui::Slider::new(s, 0.0..=4.0));
        }
    });
}

fn price_label(label: &str, price: i64, v: &Viewer) -> String {
    if price == 0 {
        label.to_string()
    } else {
        let c = &v.product.package.definition.currency;
        let sign = if price > 0 { "+" } else { "" };
        format!(
            "{label} ({sign}{})",
            showroom::product::format_money(price, c)
        )
    }
}

fn short_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

fn hex_rgb(s: &str) -> Option<[u8; 3]> {
    showroom::color::parse_hex_rgb(s).ok()
}
