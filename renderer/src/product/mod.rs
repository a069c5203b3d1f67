//! Products, options and configurations as plain data (no GPU code).
//!
//! A **product package** is a folder holding `product.json` (the
//! definition, see `docs/products.md`), the model and the files its options
//! reference. [`ProductPackage::load`] reads it; [`ProductPackage::check`]
//! lists every problem of the definition against the model's names
//! ([`ModelInfo`]); [`ProductPackage::validate`] turns a [`Configuration`]
//! (what a shopper chose) into a canonical [`ResolvedConfiguration`] or every
//! [`ConfigError`] at once. From a resolved configuration come the
//! [`look::Look`] the renderer applies ([`ProductPackage::look`]), the price
//! ([`ProductPackage::price`]) and the production sheet
//! ([`ProductPackage::production_sheet`]). [`library`] is the built-in
//! physically based material library (`library:<name>`).

pub mod canonical;
pub mod check;
pub mod config;
pub mod definition;
pub mod domain;
pub mod library;
pub mod look;
pub mod options;
pub mod pricing;
pub mod slots;
pub mod table;

mod apply;
mod check_options;
mod check_slots;
mod package;

#[cfg(test)]
mod tests;

pub use check::{DefinitionProblem, ModelInfo, ProblemKind};
pub use config::{ConfigError, Configuration, ResolvedConfiguration};
pub use definition::{
    ColorMode, Condition, FreeColor, MaterialColor, MaterialValue, OptionKind, PackageMaterial,
    PaletteColor, ProductDefinition, ProductOption, Rule, RuleKind, Shot, ShotDistance, Template,
    TextureValue, ValueInfo, VariantValue,
};
pub use look::{
    Look, MaterialChange, MaterialParams, Slot, SlotEdit, TextureChannel, apply_params_extensions,
};
pub use package::ProductPackage;
pub use pricing::{
    PriceBreakdown, PriceError, PriceLine, ProductionSheet, SheetLine, format_money,
    minor_unit_digits,
};
pub use slots::{
    Adjust, DecalTransform, Finish, FinishKind, ImageSlot, ImageValue, Placement, StrokeDef,
    TextSlot, TextValue,
};

use std::path::PathBuf;
use thiserror::Error;

/// Why a product package could not be loaded.
#[derive(Debug, Error)]
pub enum ProductError {
    /// A file or folder of the package could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `product.json` is not valid JSON or does not have the documented shape.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The definition file.
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// What is wrong, from the JSON parser.
        message: String,
    },
    /// The definition parsed but is inconsistent (every problem, at once).
    #[error("{}: {} problem(s) in the product definition:\n{}", path.display(), problems.len(), list(problems))]
    Definition {
        /// The definition file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<DefinitionProblem>,
    },
}

fn list(problems: &[DefinitionProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
