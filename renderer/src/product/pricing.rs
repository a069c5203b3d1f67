//! Prices (integer minor units, checked arithmetic) and the production sheet.

use super::config::ResolvedConfiguration;
use super::definition::{OptionKind, ProductOption};
use super::{ProductPackage, table};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// Why a configuration could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PriceError {
    /// The sum does not fit in 64 bits.
    #[error("price overflow adding {delta} for option {option:?} to {running}")]
    Overflow {
        /// The option whose delta overflowed.
        option: String,
        /// The total so far.
        running: i64,
        /// The delta.
        delta: i64,
    },
    /// The configuration was validated against another product.
    #[error("the configuration is for product {given:?}, not {expected:?}")]
    WrongProduct {
        /// The configuration's product.
        given: String,
        /// This product.
        expected: String,
    },
}

/// A priced configuration. Amounts are integer minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBreakdown {
    /// ISO 4217 code.
    pub currency: String,
    /// The product's base price.
    pub base: i64,
    /// One line per option in the configuration, in option order.
    pub lines: Vec<PriceLine>,
    /// `base + Σ delta`.
    pub total: i64,
}

/// The price contribution of one option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLine {
    /// Option id.
    pub option: String,
    /// Option label.
    pub label: String,
    /// The chosen value (id, `#rrggbb`, `true`/`false` or the text).
    pub value: String,
    /// The chosen value's label.
    pub value_label: String,
    /// Price delta (may be negative or zero).
    pub delta: i64,
}

impl PriceBreakdown {
    /// A table: base, one row per option, total; amounts formatted.
    pub fn to_table(&self) -> String {
        let money = |m| format_money(m, &self.currency);
        let mut rows = vec![vec![
            "base price".to_string(),
            String::new(),
            money(self.base),
        ]];
        for l in &self.lines {
            rows.push(vec![l.label.clone(), l.value_label.clone(), money(l.delta)]);
        }
        rows.push(vec!["total".to_string(), String::new(), money(self.total)]);
        table::render(&["option", "choice", "price"], &rows, &[2])
    }
}

/// What a workshop needs to make a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductionSheet {
    /// Product id.
    pub product: String,
    /// Product name.
    pub name: String,
    /// Package revision.
    pub revision: String,
    /// One line per option in the configuration, in option order.
    pub lines: Vec<SheetLine>,
}

/// One option of a production sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetLine {
    /// Option id.
    pub option: String,
    /// Option label.
    pub label: String,
    /// The chosen value (id, `#rrggbb`, `true`/`false`, or the text).
    pub value: String,
    /// The chosen value's label.
    pub value_label: String,
    /// The production code of the chosen value.
    pub code: Option<String>,
    /// The personalization content (text or image reference), when non-empty.
    pub content: Option<String>,
}

impl ProductionSheet {
    /// A table of option, choice, code and content.
    pub fn to_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.label.clone(),
                    l.value_label.clone(),
                    l.code.clone().unwrap_or_default(),
                    l.content.clone().unwrap_or_default(),
                ]
            })
            .collect();
        format!(
            "{} ({}) revision {}\n{}",
            self.name,
            self.product,
            &self.revision[..self.revision.len().min(12)],
            table::render(&["option", "choice", "code", "content"], &rows, &[])
        )
    }
}

impl std::fmt::Display for ProductionSheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_table())
    }
}

/// One option's choice, as pricing and the sheet see it.
struct Chosen {
    line: SheetLine,
    delta: i64,
}

fn chosen(o: &ProductOption, v: &Value) -> Chosen {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let line = |value_label: String, code: Option<&str>, content: Option<String>| SheetLine {
        option: o.id.clone(),
        label: o.label.clone(),
        value: text.clone(),
        value_label,
        code: code.map(str::to_string),
        content,
    };
    if let Some(val) = o.value(&text) {
        return Chosen {
            line: line(val.label.to_string(), val.code, None),
            delta: val.price,
        };
    }
    match &o.kind {
        OptionKind::Color {
            free: Some(free), ..
        } => Chosen {
            line: line(format!("Custom {text}"), free.code.as_deref(), None),
            delta: free.price,
        },
        OptionKind::Visibility { price, code, .. } => {
            let shown = *v == Value::Bool(true);
            let label = if shown { "Shown" } else { "Hidden" };
            let code = code.as_deref().filter(|_| shown);
            Chosen {
                line: line(label.to_string(), code, None),
                delta: if shown { *price } else { 0 },
            }
        }
        OptionKind::Text(super::slots::TextSlot { price, code, .. })
        | OptionKind::Image(super::slots::ImageSlot { price, code, .. }) => {
            let content = if matches!(o.kind, OptionKind::Image(_)) {
                super::domain::image_reference(v)
            } else {
                super::domain::text_content(v)
            }
            .to_string();
            if content.is_empty() {
                Chosen {
                    line: line("(none)".to_string(), None, None),
                    delta: 0,
                }
            } else {
                // An object value (font, colour, adjustments…) keeps its details in `value`.
                Chosen {
                    line: line(content.clone(), code.as_deref(), Some(content)),
                    delta: *price,
                }
            }
        }
        // Not a value of the option (a configuration from another product).
        _ => Chosen {
            line: line(text.clone(), None, None),
            delta: 0,
        },
    }
}

impl ProductPackage {
    fn chosen(&self, r: &ResolvedConfiguration) -> Vec<Chosen> {
        self.definition
            .options
            .iter()
            .filter_map(|o| r.get(&o.id).map(|v| chosen(o, v)))
            .collect()
    }

    /// The price of a configuration: `base_price + Σ deltas`.
    ///
    /// # Errors
    ///
    /// [`PriceError::Overflow`] when a sum leaves `i64`;
    /// [`PriceError::WrongProduct`] for another product's configuration.
    pub fn price(&self, r: &ResolvedConfiguration) -> Result<PriceBreakdown, PriceError> {
        let d = &self.definition;
        if r.product() != d.id {
            return Err(PriceError::WrongProduct {
                given: r.product().to_string(),
                expected: d.id.clone(),
            });
        }
        let mut total = d.base_price;
        let mut lines = Vec::new();
        for c in self.chosen(r) {
            total = total
                .checked_add(c.delta)
                .ok_or_else(|| PriceError::Overflow {
                    option: c.line.option.clone(),
                    running: total,
                    delta: c.delta,
                })?;
            lines.push(PriceLine {
                option: c.line.option,
                label: c.line.label,
                value: c.line.value,
                value_label: c.line.value_label,
                delta: c.delta,
            });
        }
        Ok(PriceBreakdown {
            currency: d.currency.clone(),
            base: d.base_price,
            lines,
            total,
        })
    }

    /// The production sheet of a configuration: per option, the choice, its
    /// code and any personalization content.
    pub fn production_sheet(&self, r: &ResolvedConfiguration) -> ProductionSheet {
        ProductionSheet {
            product: self.definition.id.clone(),
            name: self.definition.name.clone(),
            revision: r.revision().to_string(),
            lines: self.chosen(r).into_iter().map(|c| c.line).collect(),
        }
    }
}

/// Currencies whose minor unit is not 1/100: `(code, decimals)` (ISO 4217).
const MINOR_UNITS: &[(&str, u32)] = &[
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
];

/// Decimal digits of a currency's minor unit (2 unless listed otherwise).
pub fn minor_unit_digits(currency: &str) -> u32 {
    MINOR_UNITS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(currency))
        .map_or(2, |(_, d)| *d)
}

/// Formats minor units: `format_money(12900, "EUR")` = `"129.00 EUR"`,
/// `format_money(-500, "JPY")` = `"-500 JPY"`.
pub fn format_money(minor: i64, currency: &str) -> String {
    let digits = minor_unit_digits(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs} {currency}");
    }
    let unit = 10u64.pow(digits);
    format!(
        "{sign}{}.{:0width$} {currency}",
        abs / unit,
        abs % unit,
        width = digits as usize
    )
}
