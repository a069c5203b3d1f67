//! Bounds-checked accessor reading.
//!
//! Every accessor is read here rather than through the `gltf` crate's readers,
//! which assume validated input (they can panic on a zero count, a short
//! stride or a sparse accessor with too few values) and do not cover every
//! KHR_mesh_quantization combination. Integer components are converted to
//! `f32` with the glTF normalisation rules when the accessor is `normalized`,
//! and cast otherwise.

use gltf::json;
use gltf::json::accessor::ComponentType;
use gltf::json::validation::Checked;

use super::{Doc, ImportError};

/// Accessors with no bufferView (all zeros plus sparse values) larger than this
/// are rejected rather than allocated.
const MAX_SYNTHETIC_COUNT: usize = 1 << 26;

/// A bounds-checked run of elements inside a buffer.
struct Raw<'a> {
    /// From the first byte of element 0 to the last byte of the last element.
    data: &'a [u8],
    stride: usize,
    count: usize,
    ct: ComponentType,
    normalized: bool,
}

fn component_size(ct: ComponentType) -> usize {
    match ct {
        ComponentType::I8 | ComponentType::U8 => 1,
        ComponentType::I16 | ComponentType::U16 => 2,
        ComponentType::U32 | ComponentType::F32 => 4,
    }
}

fn accessor<'r>(
    doc: &Doc<'r>,
    index: usize,
    usage: &str,
) -> Result<&'r json::Accessor, ImportError> {
    doc.root
        .accessors
        .get(index)
        .ok_or_else(|| ImportError::MissingReference {
            from: usage.to_string(),
            kind: "accessor",
            index,
        })
}

fn to_usize(v: u64, accessor: usize, what: &str) -> Result<usize, ImportError> {
    usize::try_from(v).map_err(|_| ImportError::AccessorOutOfRange {
        accessor,
        reason: format!("{what} {v} does not fit in memory"),
    })
}

/// Slice `count` elements of `elem` bytes every `stride` bytes, starting
/// `offset` bytes into bufferView `view`.
#[allow(clippy::too_many_arguments)]
fn raw_in_view<'a>(
    doc: &Doc<'a>,
    accessor: usize,
    view_index: usize,
    offset: u64,
    stride: Option<usize>,
    count: usize,
    ct: ComponentType,
    comps: usize,
    normalized: bool,
) -> Result<Raw<'a>, ImportError> {
    let (view_bytes, _) = doc.view(view_index, || format!("accessor {accessor}"))?;
    let view_len = view_bytes.len() as u64;

    let elem = component_size(ct) * comps;
    let stride = stride.unwrap_or(elem);
    if stride < elem {
        return Err(ImportError::AccessorOutOfRange {
            accessor,
            reason: format!(
                "byteStride {stride} of bufferView {view_index} is smaller than the element size {elem}"
            ),
        });
    }
    if count == 0 {
        return Ok(Raw {
            data: &[],
            stride,
            count,
            ct,
            normalized,
        });
    }
    let span = (count as u64 - 1)
        .checked_mul(stride as u64)
        .and_then(|s| s.checked_add(elem as u64));
    let end = span.and_then(|s| s.checked_add(offset));
    match end {
        Some(end) if end <= view_len => Ok(Raw {
            data: &view_bytes[offset as usize..end as usize],
            stride,
            count,
            ct,
            normalized,
        }),
        _ => Err(ImportError::AccessorOutOfRange {
            accessor,
            reason: format!(
                "{count} elements of {elem} bytes (stride {stride}) from byte {offset} \
                 run past the end of bufferView {view_index} ({view_len} bytes)"
            ),
        }),
    }
}

/// One component as `f32`, normalised per glTF when asked.
#[inline]
fn component_f32(d: &[u8], at: usize, ct: ComponentType, normalized: bool) -> f32 {
    match ct {
        ComponentType::F32 => f32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]),
        ComponentType::I8 => {
            let v = d[at] as i8 as f32;
            if normalized { (v / 127.0).max(-1.0) } else { v }
        }
        ComponentType::U8 => {
            let v = d[at] as f32;
            if normalized { v / 255.0 } else { v }
        }
        ComponentType::I16 => {
            let v = i16::from_le_bytes([d[at], d[at + 1]]) as f32;
            if normalized {
                (v / 32767.0).max(-1.0)
            } else {
                v
            }
        }
        ComponentType::U16 => {
            let v = u16::from_le_bytes([d[at], d[at + 1]]) as f32;
            if normalized { v / 65535.0 } else { v }
        }
        ComponentType::U32 => {
            let v = u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
            if normalized {
                (v as f64 / u32::MAX as f64) as f32
            } else {
                v as f32
            }
        }
    }
}

fn decode_floats<const N: usize>(raw: &Raw) -> Vec<[f32; N]>
where
    [f32; N]: bytemuck::Pod,
{
    let elem = 4 * N;
    if raw.ct == ComponentType::F32 && raw.stride == elem && cfg!(target_endian = "little") {
        // Tightly packed floats: one copy (the source may be unaligned).
        return bytemuck::pod_collect_to_vec(&raw.data[..raw.count * elem]);
    }
    let size = component_size(raw.ct);
    let mut out = Vec::with_capacity(raw.count);
    for i in 0..raw.count {
        let base = i * raw.stride;
        let mut v = [0.0f32; N];
        for (c, slot) in v.iter_mut().enumerate() {
            *slot = component_f32(raw.data, base + c * size, raw.ct, raw.normalized);
        }
        out.push(v);
    }
    out
}

fn decode_u32(raw: &Raw) -> Vec<u32> {
    let d = raw.data;
    let s = raw.stride;
    match raw.ct {
        ComponentType::U8 | ComponentType::I8 => (0..raw.count).map(|i| d[i * s] as u32).collect(),
        ComponentType::U16 | ComponentType::I16 => (0..raw.count)
            .map(|i| u16::from_le_bytes([d[i * s], d[i * s + 1]]) as u32)
            .collect(),
        ComponentType::U32 | ComponentType::F32 => (0..raw.count)
            .map(|i| {
                let a = i * s;
                u32::from_le_bytes([d[a], d[a + 1], d[a + 2], d[a + 3]])
            })
            .collect(),
    }
}

fn invalid(accessor: usize, usage: &str, reason: String) -> ImportError {
    ImportError::InvalidAccessor {
        accessor,
        usage: usage.to_string(),
        reason,
    }
}

fn component_type(
    acc: &json::Accessor,
    index: usize,
    usage: &str,
) -> Result<ComponentType, ImportError> {
    match &acc.component_type {
        Checked::Valid(t) => Ok(t.0),
        Checked::Invalid => Err(invalid(index, usage, "unknown componentType".into())),
    }
}

fn multiplicity(acc: &json::Accessor, index: usize, usage: &str) -> Result<usize, ImportError> {
    match &acc.type_ {
        Checked::Valid(t) => Ok(t.multiplicity()),
        Checked::Invalid => Err(invalid(index, usage, "unknown accessor type".into())),
    }
}

/// Number of components (1 for SCALAR … 16 for MAT4) of accessor `index`.
pub(super) fn components(doc: &Doc, index: usize, usage: &str) -> Result<usize, ImportError> {
    multiplicity(accessor(doc, index, usage)?, index, usage)
}

/// Read the sparse substitutions of an accessor and write them into `out`.
fn apply_sparse<T>(
    doc: &Doc,
    index: usize,
    acc: &json::Accessor,
    ct: ComponentType,
    comps: usize,
    out: &mut [T],
    decode: impl Fn(&Raw) -> Vec<T>,
) -> Result<(), ImportError> {
    let Some(sparse) = &acc.sparse else {
        return Ok(());
    };
    let n = to_usize(sparse.count.0, index, "sparse count")?;
    let ict = match &sparse.indices.component_type {
        Checked::Valid(t) => t.0,
        Checked::Invalid => {
            return Err(invalid(
                index,
                "sparse indices",
                "unknown componentType".into(),
            ));
        }
    };
    if !matches!(
        ict,
        ComponentType::U8 | ComponentType::U16 | ComponentType::U32
    ) {
        return Err(invalid(
            index,
            "sparse indices",
            format!("componentType {ict:?} is not an unsigned integer"),
        ));
    }
    let idx_raw = raw_in_view(
        doc,
        index,
        sparse.indices.buffer_view.value(),
        sparse.indices.byte_offset.0,
        None,
        n,
        ict,
        1,
        false,
    )?;
    let val_raw = raw_in_view(
        doc,
        index,
        sparse.values.buffer_view.value(),
        sparse.values.byte_offset.0,
        None,
        n,
        ct,
        comps,
        acc.normalized,
    )?;
    let len = out.len();
    for (i, v) in decode_u32(&idx_raw).into_iter().zip(decode(&val_raw)) {
        let slot = out
            .get_mut(i as usize)
            .ok_or_else(|| ImportError::AccessorOutOfRange {
                accessor: index,
                reason: format!("sparse index {i} is not below the accessor count {len}"),
            })?;
        *slot = v;
    }
    Ok(())
}

/// The accessor's base data (its bufferView or zeros) with sparse values applied.
fn read_with<T: Clone>(
    doc: &Doc,
    index: usize,
    acc: &json::Accessor,
    ct: ComponentType,
    comps: usize,
    zero: T,
    decode: impl Fn(&Raw) -> Vec<T>,
) -> Result<Vec<T>, ImportError> {
    let count = to_usize(acc.count.0, index, "count")?;
    let mut out = match acc.buffer_view {
        Some(view) => {
            let (_, stride) = doc.view(view.value(), || format!("accessor {index}"))?;
            let raw = raw_in_view(
                doc,
                index,
                view.value(),
                acc.byte_offset.map_or(0, |o| o.0),
                stride,
                count,
                ct,
                comps,
                acc.normalized,
            )?;
            decode(&raw)
        }
        None => {
            if count > MAX_SYNTHETIC_COUNT {
                return Err(ImportError::AccessorOutOfRange {
                    accessor: index,
                    reason: format!("count {count} without a bufferView is implausibly large"),
                });
            }
            vec![zero; count]
        }
    };
    apply_sparse(doc, index, acc, ct, comps, &mut out, decode)?;
    Ok(out)
}

/// Read accessor `index` as `N`-component float vectors (`usage` names the
/// attribute for error messages). The accessor must have exactly `N`
/// components; integer types are normalised when the accessor says so.
pub(super) fn read_floats<const N: usize>(
    doc: &Doc,
    index: usize,
    usage: &str,
) -> Result<Vec<[f32; N]>, ImportError>
where
    [f32; N]: bytemuck::Pod,
{
    let acc = accessor(doc, index, usage)?;
    let ct = component_type(acc, index, usage)?;
    let comps = multiplicity(acc, index, usage)?;
    if comps != N {
        return Err(invalid(
            index,
            usage,
            format!("has {comps} components per element, expected {N}"),
        ));
    }
    read_with(doc, index, acc, ct, comps, [0.0; N], decode_floats::<N>)
}

/// Read an index accessor (SCALAR of u8, u16 or u32).
pub(super) fn read_indices(doc: &Doc, index: usize, usage: &str) -> Result<Vec<u32>, ImportError> {
    let acc = accessor(doc, index, usage)?;
    let ct = component_type(acc, index, usage)?;
    if !matches!(
        ct,
        ComponentType::U8 | ComponentType::U16 | ComponentType::U32
    ) {
        return Err(invalid(
            index,
            usage,
            format!("index componentType {ct:?} is not u8, u16 or u32"),
        ));
    }
    let comps = multiplicity(acc, index, usage)?;
    if comps != 1 {
        return Err(invalid(
            index,
            usage,
            format!("indices must be SCALAR, not {comps} components"),
        ));
    }
    read_with(doc, index, acc, ct, 1, 0u32, decode_u32)
}
