//! Configurations: what a shopper chose, validated against a product into a
//! canonical [`ResolvedConfiguration`] with a stable hash.

use super::canonical;
use super::check::evaluation_order;
use super::definition::{RuleKind, short_value};
use super::domain::{canonical_value, default_value, holds, suggest};
use super::package::ProductPackage;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// A configuration as a client sends it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// The product id.
    pub product: String,
    /// Option id → value (options left out take their defaults).
    #[serde(default)]
    pub selections: BTreeMap<String, Value>,
}

impl Configuration {
    /// An empty configuration of `product` (every option at its default).
    pub fn new(product: impl Into<String>) -> Self {
        Self {
            product: product.into(),
            selections: BTreeMap::new(),
        }
    }

    /// This configuration with `option` set to `value`.
    #[must_use]
    pub fn with(mut self, option: impl Into<String>, value: impl Into<Value>) -> Self {
        self.selections.insert(option.into(), value.into());
        self
    }

    /// Parses a configuration from JSON text.
    ///
    /// # Errors
    ///
    /// The JSON error (with its line) when the text is not a configuration.
    pub fn from_json_str(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One problem of a configuration. Every message names the option, the bad
/// value and what is allowed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// The configuration names another product.
    #[error("the configuration is for product {given:?}, this product is {expected:?}")]
    WrongProduct {
        /// The product id given.
        given: String,
        /// This product's id.
        expected: String,
    },
    /// The template does not exist ([`ProductPackage::from_template`]).
    #[error("unknown template {given:?}; templates: {}", list(allowed))]
    UnknownTemplate {
        /// The template id given.
        given: String,
        /// The product's templates.
        allowed: Vec<String>,
    },
    /// The product has no option with this id.
    #[error("unknown option {option:?}{}; options: {}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default(), list(allowed))]
    UnknownOption {
        /// The id given.
        option: String,
        /// The closest option id, if one is close.
        suggestion: Option<String>,
        /// Every option id.
        allowed: Vec<String>,
    },
    /// The JSON type is wrong for the option's kind.
    #[error("option {option:?}: expected {expected}, got {value}")]
    WrongType {
        /// The option.
        option: String,
        /// The value given (compact JSON).
        value: String,
        /// What the option takes.
        expected: String,
    },
    /// The value is not one of the option's values.
    #[error(
        "option {option:?}: {value:?} is not one of its values; allowed: {}",
        list(allowed)
    )]
    NotInDomain {
        /// The option.
        option: String,
        /// The value given.
        value: String,
        /// The allowed values (and `#rrggbb` when custom colours are allowed).
        allowed: Vec<String>,
    },
    /// A `#rrggbb` colour was given to an option without `free`.
    #[error(
        "option {option:?}: custom colour {value} is not offered; choose from the palette: {}",
        list(allowed)
    )]
    FreeColorNotAllowed {
        /// The option.
        option: String,
        /// The colour given.
        value: String,
        /// The palette ids.
        allowed: Vec<String>,
    },
    /// The value looks like a colour but is not valid hex.
    #[error("option {option:?}: {value:?} is not a colour; expected \"#rrggbb\" or \"#rgb\"")]
    InvalidHex {
        /// The option.
        option: String,
        /// The value given.
        value: String,
    },
    /// A custom colour outside the option's HSL limits.
    #[error(
        "option {option:?}: colour {value} has {component} {actual:.3}, outside the allowed {component} range [{min}, {max}]"
    )]
    ColorOutOfLimits {
        /// The option.
        option: String,
        /// The colour, as `#rrggbb`.
        value: String,
        /// `hue`, `saturation` or `lightness`.
        component: String,
        /// The colour's value of that component.
        actual: f64,
        /// The limit's lower end.
        min: f64,
        /// The limit's upper end.
        max: f64,
    },
    /// A text longer than `max_length`.
    #[error("option {option:?}: {value:?} has {length} characters, at most {max} are allowed")]
    TextTooLong {
        /// The option.
        option: String,
        /// The text given (cut for the message).
        value: String,
        /// Its length in characters.
        length: usize,
        /// The option's `max_length`.
        max: usize,
    },
    /// A personalization value broke one of its slot's limits (named in
    /// the message: `allowed_chars`, `fonts`, `colors`, `min_size_mm`,
    /// `max_lines`, `adjust.*`…).
    #[error("option {option:?}: {error}")]
    SlotLimit {
        /// The option.
        option: String,
        /// The limit broken.
        error: crate::personalize::limits::LimitError,
    },
    /// A value was given for an option whose `visible_when` does not hold.
    #[error(
        "option {option:?} is not available with this configuration (only when {condition}; {actual}); remove it (given: {value})"
    )]
    Hidden {
        /// The option.
        option: String,
        /// The value given.
        value: String,
        /// The option's `visible_when` condition.
        condition: String,
        /// What the controlling option actually is.
        actual: String,
    },
    /// A rule does not hold.
    #[error("rule {index} broken: {detail}{}", message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    RuleBroken {
        /// The rule's position in `rules` (0-based).
        index: usize,
        /// The rule's premise option.
        if_option: String,
        /// The rule's consequence option.
        then_option: String,
        /// The rule as text, with the values the two options have.
        detail: String,
        /// The rule's message.
        message: Option<String>,
    },
    /// The definition's default for an option is invalid (a definition problem).
    #[error("option {option:?}: the product's default {value} is invalid: {reason}")]
    InvalidDefault {
        /// The option.
        option: String,
        /// The default, or `(none)`.
        value: String,
        /// Why.
        reason: String,
    },
}

impl ConfigError {
    /// The option the error is about, when it is about one.
    pub fn option(&self) -> Option<&str> {
        match self {
            Self::WrongProduct { .. } | Self::UnknownTemplate { .. } | Self::RuleBroken { .. } => {
                None
            }
            Self::UnknownOption { option, .. }
            | Self::WrongType { option, .. }
            | Self::NotInDomain { option, .. }
            | Self::FreeColorNotAllowed { option, .. }
            | Self::InvalidHex { option, .. }
            | Self::ColorOutOfLimits { option, .. }
            | Self::TextTooLong { option, .. }
            | Self::SlotLimit { option, .. }
            | Self::Hidden { option, .. }
            | Self::InvalidDefault { option, .. } => Some(option),
        }
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

/// A valid configuration in canonical form: every visible option present
/// (defaults filled), hidden ones dropped, colours as lowercase `#rrggbb`.
/// Only [`ProductPackage::validate`] makes one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedConfiguration {
    product: String,
    revision: String,
    selections: BTreeMap<String, Value>,
}

impl ResolvedConfiguration {
    /// The product id.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The revision of the package it was validated against.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// The canonical selections: option id → value.
    pub fn selections(&self) -> &BTreeMap<String, Value> {
        &self.selections
    }

    /// The value of an option (`None` when the option is hidden or unknown).
    pub fn get(&self, option: &str) -> Option<&Value> {
        self.selections.get(option)
    }

    /// As a plain [`Configuration`] (validating it gives this back).
    pub fn to_configuration(&self) -> Configuration {
        Configuration {
            product: self.product.clone(),
            selections: self.selections.clone(),
        }
    }

    /// The canonical configuration as a JSON value: `{"product", "selections"}`.
    pub fn to_value(&self) -> Value {
        json!({ "product": self.product, "selections": self.selections })
    }

    /// The canonical configuration as canonical JSON text (sorted keys, no
    /// whitespace, see [`canonical`]).
    pub fn canonical_json(&self) -> String {
        canonical::to_string(&self.to_value())
    }

    /// The configuration's identity for caching renders: hex SHA-256 of the
    /// canonical JSON of `{"product", "revision", "selections", "render"}`.
    pub fn hash(&self, render_settings: &Value) -> String {
        canonical::hash(&json!({
            "product": self.product,
            "revision": self.revision,
            "selections": self.selections,
            "render": render_settings,
        }))
    }
}

impl ProductPackage {
    /// A template as a configuration (its selections; the rest defaults).
    pub fn template(&self, id: &str) -> Option<Configuration> {
        self.definition.template(id).map(|t| Configuration {
            product: self.definition.id.clone(),
            selections: t.selections.clone(),
        })
    }

    /// A template with some selections overridden (or added).
    ///
    /// # Errors
    ///
    /// [`ConfigError::UnknownTemplate`] listing the templates.
    pub fn from_template(
        &self,
        id: &str,
        overrides: &BTreeMap<String, Value>,
    ) -> Result<Configuration, ConfigError> {
        let mut c = self
            .template(id)
            .ok_or_else(|| ConfigError::UnknownTemplate {
                given: id.to_string(),
                allowed: self
                    .definition
                    .templates
                    .iter()
                    .map(|t| t.id.clone())
                    .collect(),
            })?;
        c.selections
            .extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(c)
    }

    /// Validates a configuration into canonical form.
    ///
    /// # Errors
    ///
    /// Every [`ConfigError`] found (never an empty list).
    pub fn validate(&self, cfg: &Configuration) -> Result<ResolvedConfiguration, Vec<ConfigError>> {
        let d = &self.definition;
        let mut errors = Vec::new();
        if cfg.product != d.id {
            errors.push(ConfigError::WrongProduct {
                given: cfg.product.clone(),
                expected: d.id.clone(),
            });
        }
        let given = &cfg.selections;
        let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
        for key in given.keys() {
            if d.option(key).is_none() {
                errors.push(ConfigError::UnknownOption {
                    option: key.to_string(),
                    suggestion: suggest(key, ids.iter().copied()).map(str::to_string),
                    allowed: ids.iter().map(|s| s.to_string()).collect(),
                });
            }
        }
        // Options whose value (or visibility) is a stand-in after an error:
        // conditions on them are not judged, to avoid follow-on errors.
        let mut uncertain = BTreeSet::new();
        let mut chosen = BTreeMap::new();
        for index in evaluation_order(d).0 {
            let o = &d.options[index];
            let (visible, certain) = match &o.visible_when {
                None => (true, true),
                Some(c) => (holds(d, c, &chosen), !uncertain.contains(c.option.as_str())),
            };
            if !certain {
                uncertain.insert(o.id.as_str());
            }
            let given_value = given.get(&o.id);
            if !visible {
                if let (Some(v), true, Some(c)) = (given_value, certain, &o.visible_when) {
                    errors.push(ConfigError::Hidden {
                        option: o.id.clone(),
                        value: short_value(v),
                        condition: c.to_string(),
                        actual: match chosen.get(&c.option) {
                            Some(a) => format!("{} is {}", c.option, short_value(a)),
                            None => format!("{} is not available", c.option),
                        },
                    });
                }
                continue;
            }
            let value = match given_value.map(|v| canonical_value(o, v)) {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    errors.push(e);
                    uncertain.insert(o.id.as_str());
                    match default_value(o) {
                        Ok(v) => v,
                        Err(_) => continue,
                    }
                }
                None => match default_value(o) {
                    Ok(v) => v,
                    Err(e) => {
                        errors.push(e);
                        uncertain.insert(o.id.as_str());
                        continue;
                    }
                },
            };
            chosen.insert(o.id.clone(), value);
        }
        for (index, r) in d.rules.iter().enumerate() {
            if uncertain.contains(r.when.option.as_str())
                || uncertain.contains(r.then.option.as_str())
            {
                continue;
            }
            let (a, b) = (holds(d, &r.when, &chosen), holds(d, &r.then, &chosen));
            let broken = match r.kind {
                RuleKind::Requires => a && !b,
                RuleKind::Excludes => a && b,
            };
            if broken {
                let show = |id: &str| match chosen.get(id) {
                    Some(v) => format!("{id} is {}", short_value(v)),
                    None => format!("{id} is not available"),
                };
                errors.push(ConfigError::RuleBroken {
                    index,
                    if_option: r.when.option.clone(),
                    then_option: r.then.option.clone(),
                    detail: format!("{r} ({}, {})", show(&r.when.option), show(&r.then.option)),
                    message: r.message.clone(),
                });
            }
        }
        if errors.is_empty() {
            Ok(ResolvedConfiguration {
                product: d.id.clone(),
                revision: self.revision.clone(),
                selections: chosen,
            })
        } else {
            Err(errors)
        }
    }
}
