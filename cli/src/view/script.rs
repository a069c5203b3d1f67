//! `showroom view --script FILE`: a scripted input sequence, one command a
//! line, for tests and demos under Xvfb. Pointer positions are logical
//! pixels from the top-left corner of the product viewport. The commands go
//! through the same handlers as real window events.
//!
//! ```text
//! # comment
//! drag left 200 200 320 230 [steps]   # orbit; `right`/`middle` pan
//! wheel 2                             # zoom in by two lines (negative: out)
//! dblclick 100 100                    # re-frame
//! key 2                               # a named shot (1–9), f = re-frame
//! set colorway "midnight"             # choose a value (JSON) as the panel does
//! type name "ANNA"                    # type into a text slot, key by key
//! drop logo.png                       # drop a file on the window
//! wait 250                            # milliseconds of frames
//! idle                                # until the camera rests at full quality
//! screenshot shot.png                 # the window as presented
//! save image.png                      # the "Save image" button
//! state state.json                    # configuration, camera, render command
//! quit
//! ```

use serde_json::Value;
use std::path::PathBuf;

/// A mouse button of a drag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Orbit.
    Left,
    /// Pan.
    Right,
    /// Pan.
    Middle,
}

/// One scripted command.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Press at the first point, move in `steps` frames, release at the second.
    Drag {
        /// Which button.
        button: Button,
        /// From (x, y).
        from: (f32, f32),
        /// To (x, y).
        to: (f32, f32),
        /// Intermediate moves (one a frame).
        steps: u32,
    },
    /// Wheel lines (positive: zoom in).
    Wheel(f32),
    /// Double click at (x, y).
    DoubleClick((f32, f32)),
    /// A key (as typed: `1`, `f`, …).
    Key(String),
    /// Select an option's value.
    Set {
        /// Option id.
        option: String,
        /// Value.
        value: Value,
    },
    /// Type into a text option, one character a frame (replacing its text).
    Type {
        /// Option id.
        option: String,
        /// The text.
        text: String,
    },
    /// Drop a file on the window.
    Drop(PathBuf),
    /// Keep drawing for this many milliseconds.
    Wait(u64),
    /// Wait until the camera is at rest and a full-quality frame is shown.
    Idle,
    /// Write the presented window to a PNG.
    Screenshot(PathBuf),
    /// Save the image, as the button does.
    Save(PathBuf),
    /// Write the viewer's state as JSON.
    State(PathBuf),
    /// Close the window.
    Quit,
}

/// Why a script could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ScriptError {
    /// The script file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parse a script.
pub fn parse(path: &str, text: &str) -> Result<Vec<Step>, ScriptError> {
    let mut steps = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let err = |message: String| ScriptError {
            path: path.to_string(),
            line: i + 1,
            message,
        };
        steps.push(parse_line(line).map_err(err)?);
    }
    Ok(steps)
}

/// A `#` outside double quotes starts a comment.
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

fn parse_line(line: &str) -> Result<Step, String> {
    let (cmd, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let nums = |n: usize| -> Result<Vec<f32>, String> {
        let v: Vec<f32> = rest
            .split_whitespace()
            .map(|t| {
                t.parse::<f32>()
                    .map_err(|_| format!("{t:?} is not a number"))
            })
            .collect::<Result<_, _>>()?;
        if v.len() == n {
            Ok(v)
        } else {
            Err(format!("{cmd} takes {n} numbers"))
        }
    };
    let path = || -> Result<PathBuf, String> {
        if rest.is_empty() {
            Err(format!("{cmd} needs a file name"))
        } else {
            Ok(PathBuf::from(rest.trim_matches('"')))
        }
    };
    Ok(match cmd {
        "drag" => {
            let (button, coords) = rest
                .split_once(char::is_whitespace)
                .ok_or("drag BUTTON X0 Y0 X1 Y1 [STEPS]")?;
            let button = match button {
                "left" => Button::Left,
                "right" => Button::Right,
                "middle" => Button::Middle,
                b => return Err(format!("unknown button {b:?} (left, right, middle)")),
            };
            let v: Vec<f32> = coords
                .split_whitespace()
                .map(|t| {
                    t.parse::<f32>()
                        .map_err(|_| format!("{t:?} is not a number"))
                })
                .collect::<Result<_, _>>()?;
            let steps = match v.len() {
                4 => 8,
                5 if v[4] >= 1.0 => v[4] as u32,
                _ => return Err("drag BUTTON X0 Y0 X1 Y1 [STEPS ≥ 1]".into()),
            };
            Step::Drag {
                button,
                from: (v[0], v[1]),
                to: (v[2], v[3]),
                steps,
            }
        }
        "wheel" => Step::Wheel(nums(1)?[0]),
        "dblclick" => {
            let v = nums(2)?;
            Step::DoubleClick((v[0], v[1]))
        }
        "key" if !rest.is_empty() => Step::Key(rest.to_string()),
        "set" => {
            let (option, value) = rest
                .split_once(char::is_whitespace)
                .ok_or("set OPTION VALUE (a JSON value)")?;
            let value = serde_json::from_str(value.trim())
                .map_err(|e| format!("set {option}: the value is not JSON ({e})"))?;
            Step::Set {
                option: option.to_string(),
                value,
            }
        }
        "type" => {
            let (option, text) = rest
                .split_once(char::is_whitespace)
                .ok_or("type OPTION \"TEXT\"")?;
            let text: String = serde_json::from_str(text.trim())
                .map_err(|_| format!("type {option}: the text must be a JSON string"))?;
            Step::Type {
                option: option.to_string(),
                text,
            }
        }
        "drop" => Step::Drop(path()?),
        "wait" => Step::Wait(rest.parse().map_err(|_| "wait MILLISECONDS".to_string())?),
        "idle" => Step::Idle,
        "screenshot" => Step::Screenshot(path()?),
        "save" => Step::Save(path()?),
        "state" => Step::State(path()?),
        "quit" => Step::Quit,
        _ => return Err(format!("unknown command {line:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_parses() {
        let text = r#"
            # a test
            drag left 10 20 30 40        # orbit
            drag right 1 2 3 4 3
            wheel -1.5
            dblclick 5 6
            key 2
            set colorway "midnight"
            set laces {"a": 1}
            type name "ANNA # 1"
            drop "my logo.png"
            wait 250
            idle
            screenshot out/shot.png
            save out/image.png
            state out/state.json
            quit
        "#;
        let s = parse("t", text).unwrap();
        assert_eq!(s.len(), 15);
        assert_eq!(
            s[0],
            Step::Drag {
                button: Button::Left,
                from: (10.0, 20.0),
                to: (30.0, 40.0),
                steps: 8
            }
        );
        assert!(matches!(
            s[1],
            Step::Drag {
                steps: 3,
                button: Button::Right,
                ..
            }
        ));
        assert_eq!(s[2], Step::Wheel(-1.5));
        assert_eq!(
            s[5],
            Step::Set {
                option: "colorway".into(),
                value: Value::String("midnight".into())
            }
        );
        assert_eq!(
            s[7],
            Step::Type {
                option: "name".into(),
                text: "ANNA # 1".into()
            }
        );
        assert_eq!(s[8], Step::Drop("my logo.png".into()));
        assert_eq!(s[9], Step::Wait(250));
        assert_eq!(s[14], Step::Quit);
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let e = parse("s.txt", "idle\nwheel lots\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("s.txt:2"), "{e}");
        assert!(e.message.contains("not a number"), "{e}");
        let e = parse("s.txt", "drag up 1 2 3 4").unwrap_err();
        assert!(e.message.contains("unknown button"), "{e}");
        let e = parse("s.txt", "fly away").unwrap_err();
        assert!(e.message.contains("unknown command"), "{e}");
        let e = parse("s.txt", "set colour midnight").unwrap_err();
        assert!(e.message.contains("not JSON"), "{e}");
    }
}
