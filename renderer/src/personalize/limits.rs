//! A slot's limits on what a customer may enter, as plain checks (no
//! fonts): length in grapheme clusters, allowed characters, lines, fonts,
//! colours, sizes and the move/scale/rotate ranges. Every error names the
//! limit (the `product.json` key) it broke.

use crate::color::parse_hex_rgb;
use thiserror::Error;
use unicode_segmentation::UnicodeSegmentation;

/// Texts longer than this are refused whatever the slot says (a guard
/// against megabyte strings).
pub const HARD_MAX_LENGTH: usize = 1000;

/// A limit a personalization value broke.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LimitError {
    /// More grapheme clusters than `max_length` (or [`HARD_MAX_LENGTH`]).
    #[error("{length} characters, at most {max} are allowed (max_length)")]
    TooLong {
        /// The text's length in grapheme clusters.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// More lines than `max_lines`.
    #[error("{lines} lines, at most {max} allowed (max_lines)")]
    TooManyLines {
        /// The text's lines.
        lines: usize,
        /// The limit.
        max: usize,
    },
    /// Characters outside `allowed_chars`.
    #[error("characters {chars:?} are not allowed; allowed: {allowed:?} (allowed_chars)")]
    CharsNotAllowed {
        /// The refused characters (each once, in order of appearance).
        chars: String,
        /// The slot's description of what is allowed.
        allowed: String,
    },
    /// A control character (other than a line break where lines are allowed).
    #[error("control character U+{code:04X} is not allowed in a text")]
    ControlChar {
        /// Its code point.
        code: u32,
    },
    /// A font outside `fonts`.
    #[error("font {font:?} is not allowed; fonts: {} (fonts)", allowed.join(", "))]
    FontNotAllowed {
        /// The font given.
        font: String,
        /// The allowed fonts.
        allowed: Vec<String>,
    },
    /// A colour outside `colors`.
    #[error("{what} {color} is not allowed; colours: {} (colors)", allowed.join(", "))]
    ColorNotAllowed {
        /// `colour` or `stroke colour`.
        what: String,
        /// The colour given, as `#rrggbb`.
        color: String,
        /// The allowed colours.
        allowed: Vec<String>,
    },
    /// Not a `#rrggbb` colour.
    #[error("{what} {value:?} is not a colour; expected \"#rrggbb\"")]
    InvalidColor {
        /// `colour` or `stroke colour`.
        what: String,
        /// The value given.
        value: String,
    },
    /// A text size below `min_size_mm` (given, or reached by auto-fit).
    #[error(
        "the text would be {size_mm:.2} mm high, below the minimum of {min_mm} mm (min_size_mm); shorten it"
    )]
    TooSmall {
        /// The size the text would have (em size, millimetres).
        size_mm: f32,
        /// The slot's minimum.
        min_mm: f32,
    },
    /// A number outside its allowed range.
    #[error("{what} {value} is outside the allowed range [{min}, {max}] ({limit})")]
    OutOfRange {
        /// What the number is (`offset x`, `scale`, `rotation`…).
        what: String,
        /// The value given.
        value: f32,
        /// The lower end.
        min: f32,
        /// The upper end.
        max: f32,
        /// The `product.json` key of the limit.
        limit: String,
    },
}

impl LimitError {
    /// The `product.json` key of the limit that was broken.
    pub fn limit(&self) -> &str {
        match self {
            Self::TooLong { .. } => "max_length",
            Self::TooManyLines { .. } => "max_lines",
            Self::CharsNotAllowed { .. } | Self::ControlChar { .. } => "allowed_chars",
            Self::FontNotAllowed { .. } => "fonts",
            Self::ColorNotAllowed { .. } | Self::InvalidColor { .. } => "colors",
            Self::TooSmall { .. } => "min_size_mm",
            Self::OutOfRange { limit, .. } => limit,
        }
    }
}

/// A set of allowed characters written without regular expressions:
/// single characters and ranges `A-Z`, plus the classes `{letters}` (any
/// alphabetic character, every script), `{digits}` (any numeric),
/// `{punctuation}` and `{emoji}` (pictographs and symbols above U+2000).
/// `\-` and `\\` escape a dash and a backslash; a dash first or last is
/// literal. Example: `"A-Z0-9 .'-"`.
#[derive(Debug, Clone, PartialEq)]
pub struct CharSet {
    description: String,
    ranges: Vec<(char, char)>,
    letters: bool,
    digits: bool,
    punctuation: bool,
    emoji: bool,
}

/// Why a character set description is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CharSetError {
    /// A range whose start is after its end (`Z-A`).
    #[error("range {from}-{to} is backwards")]
    Backwards {
        /// The range's start.
        from: char,
        /// The range's end.
        to: char,
    },
    /// A `{class}` that does not exist or is not closed.
    #[error("unknown class {0:?}; classes: {{letters}}, {{digits}}, {{punctuation}}, {{emoji}}")]
    UnknownClass(String),
    /// Nothing is allowed.
    #[error("the set is empty")]
    Empty,
}

impl CharSet {
    /// Parses a description (see the type's documentation).
    ///
    /// # Errors
    ///
    /// [`CharSetError`] for a backwards range, an unknown class or an empty set.
    pub fn parse(description: &str) -> Result<Self, CharSetError> {
        let mut set = Self {
            description: description.to_string(),
            ranges: Vec::new(),
            letters: false,
            digits: false,
            punctuation: false,
            emoji: false,
        };
        let mut items: Vec<char> = Vec::new();
        let mut chars = description.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => items.push(chars.next().unwrap_or('\\')),
                '{' => {
                    let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    match name.as_str() {
                        "letters" => set.letters = true,
                        "digits" => set.digits = true,
                        "punctuation" => set.punctuation = true,
                        "emoji" => set.emoji = true,
                        _ => return Err(CharSetError::UnknownClass(name)),
                    }
                }
                '-' if !items.is_empty() && chars.peek().is_some() => {
                    let from = items.pop().unwrap_or('-');
                    let to = match chars.next() {
                        Some('\\') => chars.next().unwrap_or('\\'),
                        Some(t) => t,
                        None => '-',
                    };
                    if from > to {
                        return Err(CharSetError::Backwards { from, to });
                    }
                    set.ranges.push((from, to));
                }
                c => items.push(c),
            }
        }
        set.ranges.extend(items.into_iter().map(|c| (c, c)));
        if set.ranges.is_empty() && !(set.letters || set.digits || set.punctuation || set.emoji) {
            return Err(CharSetError::Empty);
        }
        Ok(set)
    }

    /// The description it was parsed from.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Whether a character is in the set.
    pub fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= c && c <= b)
            || (self.letters && c.is_alphabetic())
            || (self.digits && c.is_numeric())
            || (self.punctuation
                && (c.is_ascii_punctuation() || ('\u{2010}'..='\u{2027}').contains(&c)))
            || (self.emoji && (c as u32) >= 0x2000 && !c.is_alphanumeric() && !c.is_whitespace())
    }
}

/// Length in grapheme clusters (what a reader counts as characters).
pub fn grapheme_count(text: &str) -> usize {
    text.graphemes(true).count()
}

/// Checks a text against the length, line and character limits. A grapheme
/// cluster is allowed when its first character is in the set (the marks,
/// joiners and selectors that follow belong to it).
///
/// # Errors
///
/// The first [`LimitError`] found: length, then control characters, then
/// lines, then characters.
pub fn check_text(
    text: &str,
    max_length: Option<usize>,
    max_lines: usize,
    allowed: Option<&CharSet>,
) -> Result<(), LimitError> {
    let max = max_length.unwrap_or(HARD_MAX_LENGTH).min(HARD_MAX_LENGTH);
    let length = text.graphemes(true).filter(|g| *g != "\n").count();
    if length > max {
        return Err(LimitError::TooLong { length, max });
    }
    if let Some(c) = text.chars().find(|&c| c.is_control() && c != '\n') {
        return Err(LimitError::ControlChar { code: c as u32 });
    }
    let lines = text.split('\n').count();
    if lines > max_lines.max(1) {
        return Err(LimitError::TooManyLines {
            lines,
            max: max_lines.max(1),
        });
    }
    if let Some(set) = allowed {
        let mut bad = String::new();
        for g in text.graphemes(true).filter(|g| *g != "\n") {
            let first = g.chars().next().unwrap_or(' ');
            if !set.contains(first) && !bad.contains(first) {
                bad.push(first);
            }
        }
        if !bad.is_empty() {
            return Err(LimitError::CharsNotAllowed {
                chars: bad,
                allowed: set.description().to_string(),
            });
        }
    }
    Ok(())
}

/// `#rrggbb` (lowercase) of a colour string, or [`LimitError::InvalidColor`].
///
/// # Errors
///
/// [`LimitError::InvalidColor`] naming `what`.
pub fn normalize_color(what: &str, value: &str) -> Result<String, LimitError> {
    parse_hex_rgb(value)
        .map(|[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}"))
        .map_err(|_| LimitError::InvalidColor {
            what: what.to_string(),
            value: value.to_string(),
        })
}

/// Checks a colour against an allowed list (empty = any colour).
///
/// # Errors
///
/// [`LimitError::InvalidColor`] or [`LimitError::ColorNotAllowed`].
pub fn check_color(what: &str, value: &str, allowed: &[String]) -> Result<String, LimitError> {
    let hex = normalize_color(what, value)?;
    if allowed.is_empty()
        || allowed
            .iter()
            .any(|a| normalize_color(what, a).is_ok_and(|a| a == hex))
    {
        Ok(hex)
    } else {
        Err(LimitError::ColorNotAllowed {
            what: what.to_string(),
            color: hex,
            allowed: allowed.to_vec(),
        })
    }
}

/// Checks a number against an inclusive range.
///
/// # Errors
///
/// [`LimitError::OutOfRange`] naming `what` and `limit`.
pub fn check_range(
    what: &str,
    value: f32,
    [min, max]: [f32; 2],
    limit: &str,
) -> Result<(), LimitError> {
    const EPS: f32 = 1e-4;
    if value.is_finite() && value >= min - EPS && value <= max + EPS {
        Ok(())
    } else {
        Err(LimitError::OutOfRange {
            what: what.to_string(),
            value,
            min,
            max,
            limit: limit.to_string(),
        })
    }
}
