//! From a resolved configuration to the [`Look`] the renderer applies.

use super::config::ResolvedConfiguration;
use super::definition::{ColorMode, OptionKind};
use super::look::{Look, MaterialChange, SlotEdit};
use super::{DefinitionProblem, ProductPackage};
use crate::color::{parse_hex_rgb, srgb8_to_linear};
use serde_json::Value;

impl ProductPackage {
    /// What the configuration does to the model: the variant, slot edits in
    /// option order and hidden nodes. `resolved` must come from
    /// [`Self::validate`] on this package (values it lacks are skipped).
    /// An edit whose material or colour does not resolve (only possible in a
    /// definition with problems, see [`Self::check_self`]) is left out with a
    /// warning; [`Self::try_look`] reports it instead.
    pub fn look(&self, resolved: &ResolvedConfiguration) -> Look {
        self.build_look(resolved, &mut |problem| {
            tracing::warn!("product {:?}: {problem}; edit skipped", self.definition.id);
            Ok(())
        })
        .unwrap_or_default()
    }

    /// [`Self::look`], failing on the first edit that does not resolve.
    ///
    /// # Errors
    ///
    /// A [`DefinitionProblem`] when a chosen value names a material or colour
    /// that does not resolve (never for a definition without problems).
    pub fn try_look(&self, resolved: &ResolvedConfiguration) -> Result<Look, DefinitionProblem> {
        self.build_look(resolved, &mut Err)
    }

    fn build_look(
        &self,
        resolved: &ResolvedConfiguration,
        on_problem: &mut dyn FnMut(DefinitionProblem) -> Result<(), DefinitionProblem>,
    ) -> Result<Look, DefinitionProblem> {
        let mut look = Look::default();
        for o in &self.definition.options {
            let Some(v) = resolved.get(&o.id) else {
                continue;
            };
            let id = v.as_str().unwrap_or_default();
            match &o.kind {
                OptionKind::Variant { values } => {
                    if let Some(val) = values.iter().find(|x| x.id == id) {
                        look.variant.clone_from(&val.variant);
                    }
                }
                OptionKind::Material { slot, values } => {
                    // `material: null` keeps the model's material: no edit.
                    let material = values
                        .iter()
                        .find(|x| x.id == id)
                        .and_then(|x| x.material.as_deref());
                    if let Some(material) = material {
                        match self.material(material) {
                            Ok(params) => look.edits.push(SlotEdit {
                                slot: slot.clone(),
                                change: MaterialChange::Replace(Box::new(params)),
                            }),
                            Err(problem) => on_problem(problem)?,
                        }
                    }
                }
                OptionKind::Color {
                    slot,
                    mode,
                    palette,
                    ..
                } => {
                    let hex = palette
                        .iter()
                        .find(|p| p.id == id)
                        .map_or(id, |p| p.hex.as_str());
                    match parse_hex_rgb(hex) {
                        Ok(rgb) => look.edits.push(SlotEdit {
                            slot: slot.clone(),
                            change: MaterialChange::BaseColor {
                                linear: srgb8_to_linear(rgb),
                                tint: *mode == ColorMode::Tint,
                            },
                        }),
                        Err(e) => on_problem(DefinitionProblem::new(
                            super::ProblemKind::InvalidColor,
                            format!("option {:?}", o.id),
                            e.to_string(),
                        ))?,
                    }
                }
                OptionKind::Texture {
                    slot,
                    channel,
                    values,
                } => {
                    // `file: null` keeps the model's texture: no edit.
                    if let Some(file) = values
                        .iter()
                        .find(|x| x.id == id)
                        .and_then(|x| x.file.as_deref())
                    {
                        look.edits.push(SlotEdit {
                            slot: slot.clone(),
                            change: MaterialChange::Texture {
                                channel: *channel,
                                file: Some(self.resolve(file)),
                            },
                        });
                    }
                }
                OptionKind::Visibility { nodes, .. } => {
                    if *v == Value::Bool(false) {
                        look.hidden_nodes.extend(nodes.iter().cloned());
                    }
                }
                OptionKind::Text(_) | OptionKind::Image(_) => {}
            }
        }
        Ok(look)
    }
}
