//! Mesh primitives: attributes, triangle lists, generated normals and tangents.

use gltf::json;
use gltf::json::mesh::{Mode, Semantic};
use gltf::json::validation::Checked;

use super::accessor::{components, read_floats, read_indices};
use super::{Doc, ImportError};
use crate::scene::tangents;
use crate::scene::{Material, Mesh, Primitive};

/// What building a mesh needs besides the document.
pub(super) struct MeshContext<'a> {
    pub materials: &'a [Material],
    pub n_variants: usize,
}

/// Convert glTF mesh `mesh` (all its triangle primitives).
pub(super) fn build_mesh(doc: &Doc, ctx: &MeshContext, mesh: usize) -> Result<Mesh, ImportError> {
    let m = doc
        .root
        .meshes
        .get(mesh)
        .ok_or_else(|| ImportError::MissingReference {
            from: "a node".into(),
            kind: "mesh",
            index: mesh,
        })?;
    let mut primitives = Vec::with_capacity(m.primitives.len());
    for (p, prim) in m.primitives.iter().enumerate() {
        if let Some(prim) = build_primitive(doc, ctx, mesh, p, prim)? {
            primitives.push(prim);
        }
    }
    Ok(Mesh {
        name: m.name.clone(),
        primitives,
    })
}

/// Triangle list from the vertex order of `mode` (already range-checked).
/// Strips alternate winding per the glTF spec: triangle `i` is
/// `(i, i+1+i%2, i+2-i%2)`; fans are `(0, i+1, i+2)`.
fn triangulate(mode: Mode, order: Vec<u32>, mesh: usize, prim: usize) -> Vec<u32> {
    match mode {
        Mode::TriangleStrip => {
            let n = order.len().saturating_sub(2);
            let mut out = Vec::with_capacity(n * 3);
            for i in 0..n {
                let (b, c) = if i % 2 == 0 {
                    (i + 1, i + 2)
                } else {
                    (i + 2, i + 1)
                };
                out.extend_from_slice(&[order[i], order[b], order[c]]);
            }
            out
        }
        Mode::TriangleFan => {
            let n = order.len().saturating_sub(2);
            let mut out = Vec::with_capacity(n * 3);
            for i in 0..n {
                out.extend_from_slice(&[order[0], order[i + 1], order[i + 2]]);
            }
            out
        }
        _ => {
            let mut order = order;
            if !order.len().is_multiple_of(3) {
                tracing::warn!(
                    mesh,
                    primitive = prim,
                    count = order.len(),
                    "triangle list length is not a multiple of 3; dropping the rest"
                );
                order.truncate(order.len() / 3 * 3);
            }
            order
        }
    }
}

fn normalize_or(v: [f32; 3], fallback: [f32; 3]) -> [f32; 3] {
    let len2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    if len2.is_finite() && len2 > 1e-24 {
        let inv = 1.0 / len2.sqrt();
        [v[0] * inv, v[1] * inv, v[2] * inv]
    } else {
        fallback
    }
}

fn unweld<T: Copy>(v: &[T], indices: &[u32]) -> Vec<T> {
    indices.iter().map(|&i| v[i as usize]).collect()
}

/// Flat normals for an unwelded triangle list (vertex `i` belongs to triangle `i / 3`).
fn flat_normals(positions: &[[f32; 3]]) -> Vec<[f32; 3]> {
    let mut normals = Vec::with_capacity(positions.len());
    for tri in positions.chunks_exact(3) {
        let (a, b, c) = (tri[0], tri[1], tri[2]);
        let e1 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        let e2 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
        let n = [
            e1[1] * e2[2] - e1[2] * e2[1],
            e1[2] * e2[0] - e1[0] * e2[2],
            e1[0] * e2[1] - e1[1] * e2[0],
        ];
        let n = normalize_or(n, [0.0, 0.0, 1.0]);
        normals.extend_from_slice(&[n, n, n]);
    }
    normals
}

fn build_primitive(
    doc: &Doc,
    ctx: &MeshContext,
    mesh: usize,
    p: usize,
    prim: &json::mesh::Primitive,
) -> Result<Option<Primitive>, ImportError> {
    let mode = match prim.mode {
        Checked::Valid(m) => m,
        Checked::Invalid => {
            tracing::warn!(mesh, primitive = p, "unknown primitive mode; skipped");
            return Ok(None);
        }
    };
    if !matches!(
        mode,
        Mode::Triangles | Mode::TriangleStrip | Mode::TriangleFan
    ) {
        tracing::warn!(
            mesh,
            primitive = p,
            ?mode,
            "points and lines are not rendered; primitive skipped"
        );
        return Ok(None);
    }
    let attr = |s: Semantic| prim.attributes.get(&Checked::Valid(s)).map(|i| i.value());
    let usage = |name: &str| format!("mesh {mesh} primitive {p} {name}");

    let Some(pos_acc) = attr(Semantic::Positions) else {
        tracing::warn!(mesh, primitive = p, "primitive has no POSITION; skipped");
        return Ok(None);
    };
    let mut positions = read_floats::<3>(doc, pos_acc, &usage("POSITION"))?;
    let n = positions.len();
    let check_len = |len: usize, acc: usize, name: &str| {
        if len == n {
            Ok(())
        } else {
            Err(ImportError::InvalidAccessor {
                accessor: acc,
                usage: usage(name),
                reason: format!("count {len} differs from the POSITION count {n}"),
            })
        }
    };
    macro_rules! optional {
        ($sem:expr, $n:literal, $name:expr) => {
            match attr($sem) {
                None => None,
                Some(acc) => {
                    let v = read_floats::<$n>(doc, acc, &usage($name))?;
                    check_len(v.len(), acc, $name)?;
                    Some(v)
                }
            }
        };
    }
    let normals = optional!(Semantic::Normals, 3, "NORMAL");
    let tangents = optional!(Semantic::Tangents, 4, "TANGENT");
    let mut uv0 = optional!(Semantic::TexCoords(0), 2, "TEXCOORD_0");
    let mut uv1 = optional!(Semantic::TexCoords(1), 2, "TEXCOORD_1");
    let mut colors = match attr(Semantic::Colors(0)) {
        None => None,
        Some(acc) => {
            let name = "COLOR_0";
            let v = match components(doc, acc, &usage(name))? {
                3 => read_floats::<3>(doc, acc, &usage(name))?
                    .into_iter()
                    .map(|[r, g, b]| [r, g, b, 1.0])
                    .collect(),
                _ => read_floats::<4>(doc, acc, &usage(name))?,
            };
            check_len(v.len(), acc, name)?;
            Some(v)
        }
    };

    // Vertex order, range-checked, then triangle list.
    let order = match prim.indices {
        Some(acc) => {
            let idx = read_indices(doc, acc.value(), &usage("indices"))?;
            if let Some(&bad) = idx.iter().find(|&&i| i as usize >= n) {
                return Err(ImportError::IndexOutOfRange {
                    mesh,
                    primitive: p,
                    index: bad,
                    vertex_count: n,
                });
            }
            idx
        }
        None => {
            let n32 = u32::try_from(n).map_err(|_| ImportError::InvalidAccessor {
                accessor: pos_acc,
                usage: usage("POSITION"),
                reason: format!("{n} vertices do not fit 32-bit indices"),
            })?;
            (0..n32).collect()
        }
    };
    let mut indices = triangulate(mode, order, mesh, p);

    // Materials.
    let check_material = |m: usize| {
        if m < ctx.materials.len() {
            Ok(m)
        } else {
            Err(ImportError::MissingReference {
                from: format!("mesh {mesh} primitive {p}"),
                kind: "material",
                index: m,
            })
        }
    };
    let material = prim
        .material
        .map(|m| check_material(m.value()))
        .transpose()?;
    let mut variant_materials = Vec::new();
    if let Some(v) = prim
        .extensions
        .as_ref()
        .and_then(|e| e.khr_materials_variants.as_ref())
    {
        for mapping in &v.mappings {
            let mat = check_material(mapping.material as usize)?;
            for &variant in &mapping.variants {
                let variant = variant as usize;
                if variant >= ctx.n_variants {
                    return Err(ImportError::MissingReference {
                        from: format!("mesh {mesh} primitive {p} KHR_materials_variants mapping"),
                        kind: "variant",
                        index: variant,
                    });
                }
                variant_materials.push((variant, mat));
            }
        }
    }

    // Normals: given (renormalised) or flat (unwelded: one vertex per corner).
    let (normals, mut tangents) = match normals {
        Some(mut normals) => {
            for nrm in &mut normals {
                *nrm = normalize_or(*nrm, [0.0, 0.0, 1.0]);
            }
            (normals, tangents)
        }
        None => {
            positions = unweld(&positions, &indices);
            uv0 = uv0.map(|v| unweld(&v, &indices));
            uv1 = uv1.map(|v| unweld(&v, &indices));
            colors = colors.map(|v| unweld(&v, &indices));
            let corners =
                u32::try_from(positions.len()).map_err(|_| ImportError::InvalidAccessor {
                    accessor: pos_acc,
                    usage: usage("POSITION"),
                    reason: "too many triangle corners to unweld for flat normals".into(),
                })?;
            indices = (0..corners).collect();
            // glTF: without normals, provided tangents must be ignored.
            (flat_normals(&positions), None)
        }
    };

    // Tangents: given (sanitised), MikkTSpace for materials that need a
    // tangent frame (normal maps, clearcoat normal maps, anisotropy), or an
    // orthonormal fallback.
    let tangent_uv = std::iter::once(material)
        .chain(variant_materials.iter().map(|&(_, m)| Some(m)))
        .filter_map(|m| ctx.materials.get(m?)?.tangent_uv_set())
        .next();
    let tangents = match tangents.take() {
        Some(mut t) => {
            for (t, nrm) in t.iter_mut().zip(&normals) {
                let xyz = normalize_or([t[0], t[1], t[2]], [f32::NAN; 3]);
                *t = if xyz[0].is_nan() {
                    tangents::orthonormal_tangent(*nrm)
                } else {
                    [xyz[0], xyz[1], xyz[2], if t[3] < 0.0 { -1.0 } else { 1.0 }]
                };
            }
            t
        }
        None => {
            let uvs = match tangent_uv {
                Some(1) if uv1.is_some() => uv1.as_deref(),
                Some(_) => uv0.as_deref(),
                None => None,
            };
            match uvs {
                Some(uvs) => tangents::generate(&positions, &normals, uvs, &indices),
                None => tangents::fallback_tangents(&normals),
            }
        }
    };

    Ok(Some(Primitive {
        uv0: uv0.unwrap_or_else(|| vec![[0.0; 2]; positions.len()]),
        uv1: uv1.unwrap_or_default(),
        colors: colors.unwrap_or_default(),
        positions,
        normals,
        tangents,
        indices,
        material,
        variant_materials,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_alternate_winding() {
        let list = triangulate(Mode::TriangleStrip, vec![0, 1, 2, 3, 4], 0, 0);
        assert_eq!(list, [0, 1, 2, 1, 3, 2, 2, 3, 4]);
        assert!(triangulate(Mode::TriangleStrip, vec![0, 1], 0, 0).is_empty());
    }

    #[test]
    fn fans_share_the_first_vertex() {
        let list = triangulate(Mode::TriangleFan, vec![0, 1, 2, 3, 4], 0, 0);
        assert_eq!(list, [0, 1, 2, 0, 2, 3, 0, 3, 4]);
        assert!(triangulate(Mode::TriangleFan, vec![], 0, 0).is_empty());
    }

    #[test]
    fn lists_drop_a_partial_triangle() {
        assert_eq!(
            triangulate(Mode::Triangles, vec![0, 1, 2, 3], 0, 0),
            [0, 1, 2]
        );
    }

    #[test]
    fn flat_normals_of_a_ccw_triangle() {
        let n = flat_normals(&[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
        assert_eq!(n, [[0.0, 0.0, 1.0]; 3]);
        // Degenerate and NaN triangles still get a unit normal.
        let n = flat_normals(&[[0.0; 3], [0.0; 3], [f32::NAN; 3]]);
        assert_eq!(n, [[0.0, 0.0, 1.0]; 3]);
    }
}
