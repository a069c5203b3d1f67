//! glTF import (being written on the `import` branch).
use super::Scene;
use std::path::Path;
/// Import failure.
#[derive(Debug, thiserror::Error)]
#[error("import not available")]
pub struct ImportError;
/// Import options.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions;
/// Import a file.
pub fn import_file(_p: &Path, _o: &ImportOptions) -> Result<Scene, ImportError> {
    Err(ImportError)
}
/// Import bytes.
pub fn import_slice(
    _b: &[u8],
    _d: Option<&Path>,
    _o: &ImportOptions,
) -> Result<Scene, ImportError> {
    Err(ImportError)
}
