//! Product package commands without a GPU: `validate`, `options`, `price`
//! and `materials`.

use anyhow::Context;
use showroom::product::{
    Configuration, ModelInfo, OptionKind, ProductError, ProductPackage, format_money, library,
    table,
};
use std::path::Path;

/// Reads a configuration file.
fn read_config(path: &Path) -> anyhow::Result<Configuration> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Configuration::from_json_str(&text).with_context(|| {
        format!(
            "{}: not a configuration ({{\"product\": …, \"selections\": {{…}}}})",
            path.display()
        )
    })
}

fn short(revision: &str) -> &str {
    &revision[..revision.len().min(12)]
}

/// `showroom validate PRODUCT [--config C]`: prints every definition problem
/// (checked against the model when `model` is given) and every configuration
/// error. Returns whether everything is valid.
///
/// # Errors
///
/// When the package folder or the configuration file cannot be read.
pub fn validate(
    product: &Path,
    config: Option<&Path>,
    model: Option<&ModelInfo>,
) -> anyhow::Result<bool> {
    let package = match ProductPackage::load(product) {
        Ok(p) => p,
        Err(e @ ProductError::Parse { .. }) => {
            println!("✗ {e}");
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    };
    let d = &package.definition;
    let mut valid = true;
    let problems = match model {
        Some(m) => package.check(m),
        None => package.check_self(),
    };
    let scope = if model.is_some() {
        "definition and model"
    } else {
        "definition (model names not checked)"
    };
    println!(
        "{} {} ({}, revision {})",
        d.name,
        d.version,
        d.id,
        short(&package.revision)
    );
    if problems.is_empty() {
        println!("✓ {scope}: no problems");
    } else {
        valid = false;
        println!(
            "✗ {}: {} problem(s):",
            package.definition_path().display(),
            problems.len()
        );
        for p in &problems {
            println!("  - {p}");
        }
    }
    if let Some(path) = config {
        let cfg = match read_config(path) {
            Ok(c) => c,
            Err(e) => {
                println!("✗ {e:#}");
                return Ok(false);
            }
        };
        match package.validate(&cfg) {
            Ok(r) => {
                println!("✓ configuration {}: valid", path.display());
                println!("  canonical: {}", r.canonical_json());
                println!("  hash:      {}", r.hash(&serde_json::json!({})));
            }
            Err(errors) => {
                valid = false;
                println!(
                    "✗ configuration {}: {} error(s):",
                    path.display(),
                    errors.len()
                );
                for e in &errors {
                    println!("  - {e}");
                }
            }
        }
    }
    Ok(valid)
}

/// `showroom options PRODUCT`: every option with its values, prices and
/// defaults, then visibility conditions, rules, templates and shots.
///
/// # Errors
///
/// When the package cannot be loaded.
pub fn options(product: &Path) -> anyhow::Result<()> {
    let package = ProductPackage::load(product)?;
    let d = &package.definition;
    let money = |m: i64| format_money(m, &d.currency);
    let delta = |m: i64| {
        if m == 0 {
            String::new()
        } else if m > 0 {
            format!("+{}", money(m))
        } else {
            money(m)
        }
    };
    println!(
        "{} {} ({}), base price {}",
        d.name,
        d.version,
        d.id,
        money(d.base_price)
    );
    println!();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for o in &d.options {
        let default = o.default_value().ok().map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        let mut first = true;
        let mut row = |value: String, label: String, price: i64, code: Option<&str>| {
            let is_default = default.as_deref() == Some(value.as_str());
            rows.push(vec![
                if first {
                    format!("{} ({})", o.id, o.label)
                } else {
                    String::new()
                },
                if first {
                    o.kind.name().to_string()
                } else {
                    String::new()
                },
                format!("{}{value}", if is_default { "* " } else { "  " }),
                label,
                delta(price),
                code.unwrap_or_default().to_string(),
            ]);
            first = false;
        };
        for v in o.values() {
            row(v.id.to_string(), v.label.to_string(), v.price, v.code);
        }
        match &o.kind {
            OptionKind::Color { free: Some(f), .. } => {
                let mut limits = Vec::new();
                for (name, range) in [
                    ("hue", f.hue),
                    ("saturation", f.saturation),
                    ("lightness", f.lightness),
                ] {
                    if let Some([lo, hi]) = range {
                        limits.push(format!("{name} {lo}–{hi}"));
                    }
                }
                let label = if limits.is_empty() {
                    "Custom colour".to_string()
                } else {
                    format!("Custom colour ({})", limits.join(", "))
                };
                row("#rrggbb".into(), label, f.price, f.code.as_deref());
            }
            OptionKind::Visibility { price, code, .. } => {
                row("true".into(), "Shown".into(), *price, code.as_deref());
                row("false".into(), "Hidden".into(), 0, None);
            }
            OptionKind::Text(showroom::product::TextSlot {
                max_length,
                price,
                code,
                ..
            }) => {
                let label = match max_length {
                    Some(n) => format!("Text, up to {n} characters"),
                    None => "Text".to_string(),
                };
                row("\"…\"".into(), label, *price, code.as_deref());
            }
            OptionKind::Image(showroom::product::ImageSlot { price, code, .. }) => row(
                "\"…\"".into(),
                "Image reference".into(),
                *price,
                code.as_deref(),
            ),
            _ => {}
        }
    }
    print!(
        "{}",
        table::render(
            &["option", "kind", "value", "label", "price", "code"],
            &rows,
            &[4]
        )
    );
    println!("(* = default)");
    let conditional: Vec<_> = d
        .options
        .iter()
        .filter_map(|o| o.visible_when.as_ref().map(|c| (o, c)))
        .collect();
    if !conditional.is_empty() {
        println!("\nVisible when:");
        for (o, c) in conditional {
            println!("  {}: only when {c}", o.id);
        }
    }
    if !d.rules.is_empty() {
        println!("\nRules:");
        for r in &d.rules {
            let message = r
                .message
                .as_ref()
                .map(|m| format!(" — {m}"))
                .unwrap_or_default();
            println!("  {r}{message}");
        }
    }
    if !d.templates.is_empty() {
        println!("\nTemplates:");
        for t in &d.templates {
            let sel: Vec<String> = t
                .selections
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            println!("  {} ({}): {}", t.id, t.label, sel.join(", "));
        }
    }
    if !d.shots.is_empty() {
        println!("\nShots:");
        let default = d.default_shot().map(|s| s.id.as_str());
        for s in &d.shots {
            let mark = if Some(s.id.as_str()) == default {
                "*"
            } else {
                " "
            };
            println!(
                "  {mark} {} ({}): yaw {}°, pitch {}°, fov {}°",
                s.id, s.label, s.yaw, s.pitch, s.fov
            );
        }
    }
    Ok(())
}

/// `showroom price PRODUCT CONFIG [--json]`: total, breakdown and production
/// sheet.
///
/// # Errors
///
/// When the package or configuration cannot be read, the configuration is
/// invalid (every error listed) or the price overflows.
pub fn price(product: &Path, config: &Path, json: bool) -> anyhow::Result<()> {
    let package = ProductPackage::load(product)?;
    let cfg = read_config(config)?;
    let resolved = package.validate(&cfg).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  - {e}")).collect();
        anyhow::anyhow!(
            "{}: {} error(s):\n{}",
            config.display(),
            errors.len(),
            list.join("\n")
        )
    })?;
    let breakdown = package.price(&resolved)?;
    let sheet = package.production_sheet(&resolved);
    if json {
        let out = serde_json::json!({
            "product": resolved.product(),
            "revision": resolved.revision(),
            "configuration": resolved.to_value(),
            "hash": resolved.hash(&serde_json::json!({})),
            "price": breakdown,
            "total_formatted": format_money(breakdown.total, &breakdown.currency),
            "production_sheet": sheet,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "Total: {}\n",
            format_money(breakdown.total, &breakdown.currency)
        );
        print!("{}", breakdown.to_table());
        println!("\nProduction sheet: {sheet}");
    }
    Ok(())
}

/// `showroom materials`: the built-in material library.
pub fn materials() {
    let rows: Vec<Vec<String>> = library::presets()
        .iter()
        .map(|p| {
            let m = p.params();
            vec![
                format!("library:{}", p.name),
                format!("{:?}", p.category).to_lowercase(),
                format!(
                    "{:.3} {:.3} {:.3}",
                    m.base_color[0], m.base_color[1], m.base_color[2]
                ),
                format!("{:.2}", m.roughness),
                format!("{:.3}", m.ior),
                p.description.to_string(),
            ]
        })
        .collect();
    print!(
        "{}",
        table::render(
            &[
                "name",
                "category",
                "base colour (linear)",
                "rough",
                "ior",
                "description"
            ],
            &rows,
            &[3, 4]
        )
    );
}
