//! A file picker drawn with egui: folders and image files of one folder,
//! a click to go in or to choose. It needs no desktop portal or toolkit, so
//! it works the same on a workstation, over SSH with X forwarding and under
//! Xvfb.

use std::path::{Path, PathBuf};

/// Image files the image slots accept.
const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "svg"];

/// An open picker for one image option.
#[derive(Debug, Clone)]
pub struct Picker {
    /// The option the image is for.
    pub option: String,
    dir: PathBuf,
    entries: Vec<(String, bool)>,
    error: Option<String>,
}

/// What the picker did this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// Still open.
    Open,
    /// Closed without a choice.
    Cancelled,
    /// This file was chosen.
    File(PathBuf),
}

/// Whether `path` names an image the slots accept (by extension).
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

impl Picker {
    /// Open on `dir`.
    pub fn new(option: String, dir: PathBuf) -> Self {
        let mut p = Self {
            option,
            dir: PathBuf::new(),
            entries: Vec::new(),
            error: None,
        };
        p.open(dir);
        p
    }

    fn open(&mut self, dir: PathBuf) {
        match list(&dir) {
            Ok(entries) => {
                self.entries = entries;
                self.dir = dir;
                self.error = None;
            }
            Err(e) => self.error = Some(format!("{}: {e}", dir.display())),
        }
    }

    /// Draw the picker window.
    pub fn show(&mut self, ctx: &egui::Context) -> Picked {
        let mut result = Picked::Open;
        let mut open = true;
        egui::Window::new(format!("Image for {}", self.option))
            .open(&mut open)
            .collapsible(false)
            .default_size([420.0, 360.0])
            .show(ctx, |ui| {
                ui.label(self.dir.display().to_string());
                if let Some(e) = &self.error {
                    ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
                }
                let mut go = None;
                egui::ScrollArea::vertical()
                    .max_height(280.0)
                    .show(ui, |ui| {
                        if let Some(parent) = self.dir.parent()
                            && ui.button("⬆ ..").clicked()
                        {
                            go = Some(parent.to_path_buf());
                        }
                        for (name, is_dir) in &self.entries {
                            let label = if *is_dir {
                                format!("📁 {name}")
                            } else {
                                format!("🖼 {name}")
                            };
                            if ui.selectable_label(false, label).clicked() {
                                let path = self.dir.join(name);
                                if *is_dir {
                                    go = Some(path);
                                } else {
                                    result = Picked::File(path);
                                }
                            }
                        }
                    });
                if let Some(dir) = go {
                    self.open(dir);
                }
                if ui.button("Cancel").clicked() {
                    result = Picked::Cancelled;
                }
            });
        if !open {
            result = Picked::Cancelled;
        }
        result
    }
}

/// Folders first, then images, each sorted by name; hidden files left out.
fn list(dir: &Path) -> std::io::Result<Vec<(String, bool)>> {
    let mut entries: Vec<(String, bool)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().ok()?.is_dir();
            (!name.starts_with('.') && (is_dir || is_image(&e.path()))).then_some((name, is_dir))
        })
        .collect();
    entries.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.to_lowercase().cmp(&b.0.to_lowercase()))
    });
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_then_images() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("logos")).unwrap();
        for f in ["b.PNG", "a.svg", "notes.txt", ".hidden.png"] {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        let l = list(d.path()).unwrap();
        assert_eq!(
            l,
            vec![
                ("logos".to_string(), true),
                ("a.svg".to_string(), false),
                ("b.PNG".to_string(), false),
            ]
        );
        assert!(is_image(Path::new("x.JpG")));
        assert!(!is_image(Path::new("x.gif")));
    }
}
