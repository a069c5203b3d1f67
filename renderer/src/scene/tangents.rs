//! Tangent generation: MikkTSpace (the glTF reference) for normal-mapped
//! geometry, and an arbitrary orthonormal tangent where there is nothing
//! better (no UVs, degenerate input), so the GPU always gets tangents.

use glam::Vec3;

/// A unit tangent perpendicular to `normal` (w = +1). Any direction will do:
/// used when no UVs define one. Never NaN: a zero or non-finite normal gets
/// the +X tangent.
pub(crate) fn orthonormal_tangent(normal: [f32; 3]) -> [f32; 4] {
    let n = Vec3::from(normal);
    if !n.is_finite() || n.length_squared() < 1e-12 {
        return [1.0, 0.0, 0.0, 1.0];
    }
    let t = n.normalize().any_orthonormal_vector();
    [t.x, t.y, t.z, 1.0]
}

/// Orthonormal fallback tangents for every normal.
pub(crate) fn fallback_tangents(normals: &[[f32; 3]]) -> Vec<[f32; 4]> {
    normals.iter().map(|n| orthonormal_tangent(*n)).collect()
}

struct MikkGeometry<'a> {
    positions: &'a [[f32; 3]],
    normals: &'a [[f32; 3]],
    uvs: &'a [[f32; 2]],
    indices: &'a [u32],
    tangents: Vec<[f32; 4]>,
    written: Vec<bool>,
}

impl MikkGeometry<'_> {
    #[inline]
    fn vertex(&self, face: usize, vert: usize) -> usize {
        self.indices[face * 3 + vert] as usize
    }
}

impl mikktspace::Geometry for MikkGeometry<'_> {
    fn num_faces(&self) -> usize {
        self.indices.len() / 3
    }
    fn num_vertices_of_face(&self, _face: usize) -> usize {
        3
    }
    fn position(&self, face: usize, vert: usize) -> [f32; 3] {
        self.positions[self.vertex(face, vert)]
    }
    fn normal(&self, face: usize, vert: usize) -> [f32; 3] {
        self.normals[self.vertex(face, vert)]
    }
    fn tex_coord(&self, face: usize, vert: usize) -> [f32; 2] {
        self.uvs[self.vertex(face, vert)]
    }
    fn set_tangent_encoded(&mut self, tangent: [f32; 4], face: usize, vert: usize) {
        let v = self.vertex(face, vert);
        self.tangents[v] = tangent;
        self.written[v] = true;
    }
}

fn finite<const N: usize>(v: &[[f32; N]]) -> bool {
    v.iter().all(|a| a.iter().all(|c| c.is_finite()))
}

/// Whether the referenced positions span a finite, non-empty box. MikkTSpace
/// 0.3 indexes past its hash table (and panics) when they do not (all
/// positions equal, or an extent that overflows to infinity).
fn has_extent(positions: &[[f32; 3]], indices: &[u32]) -> bool {
    let mut lo = Vec3::splat(f32::INFINITY);
    let mut hi = Vec3::splat(f32::NEG_INFINITY);
    for &i in indices {
        let p = Vec3::from(positions[i as usize]);
        lo = lo.min(p);
        hi = hi.max(p);
    }
    let extent = hi - lo;
    extent.is_finite() && extent.max_element() > 0.0
}

/// Per-vertex tangents (xyz unit, w = ±1 bitangent sign) for an indexed
/// triangle list. Uses MikkTSpace with `uvs`; vertices MikkTSpace cannot
/// handle (no UV variation, degenerate triangles, unreferenced vertices, NaN
/// input) get an orthonormal fallback. Vertices shared by faces that
/// MikkTSpace splits keep the tangent of the last face written.
///
/// All slices must be as long as `positions` and indices must be in range
/// (the importer checks both); otherwise only the fallback is used.
pub(crate) fn generate(
    positions: &[[f32; 3]],
    normals: &[[f32; 3]],
    uvs: &[[f32; 2]],
    indices: &[u32],
) -> Vec<[f32; 4]> {
    let n = positions.len();
    let consistent = normals.len() == n
        && uvs.len() == n
        && indices.iter().all(|&i| (i as usize) < n)
        && indices.len() >= 3;
    // MikkTSpace is a C port: keep NaN and infinities away from it.
    if !consistent
        || !finite(positions)
        || !finite(normals)
        || !finite(uvs)
        || !has_extent(positions, indices)
    {
        return fallback_tangents(normals);
    }
    let mut geometry = MikkGeometry {
        positions,
        normals,
        uvs,
        indices,
        tangents: vec![[0.0; 4]; n],
        written: vec![false; n],
    };
    if !mikktspace::generate_tangents(&mut geometry) {
        return fallback_tangents(normals);
    }
    let MikkGeometry {
        tangents, written, ..
    } = geometry;
    tangents
        .into_iter()
        .zip(written)
        .zip(normals)
        .map(|((t, w), nrm)| {
            let v = Vec3::new(t[0], t[1], t[2]);
            if w && v.is_finite() && v.length_squared() > 1e-12 {
                let v = v.normalize();
                [v.x, v.y, v.z, if t[3] < 0.0 { -1.0 } else { 1.0 }]
            } else {
                orthonormal_tangent(*nrm)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(a: [f32; 4], n: [f32; 3]) -> f32 {
        a[0] * n[0] + a[1] * n[1] + a[2] * n[2]
    }

    #[test]
    fn orthonormal_fallback() {
        for n in [
            [0.0, 0.0, 1.0],
            [1.0, 0.0, 0.0],
            [0.0, -1.0, 0.0],
            [0.577, 0.577, 0.577],
        ] {
            let t = orthonormal_tangent(n);
            assert!(dot(t, n).abs() < 1e-3, "{t:?} vs {n:?}");
            let len = (t[0] * t[0] + t[1] * t[1] + t[2] * t[2]).sqrt();
            assert!((len - 1.0).abs() < 1e-5);
        }
        assert_eq!(orthonormal_tangent([0.0; 3]), [1.0, 0.0, 0.0, 1.0]);
        assert_eq!(orthonormal_tangent([f32::NAN; 3]), [1.0, 0.0, 0.0, 1.0]);
    }

    fn quad(v_flipped: bool) -> Vec<[f32; 4]> {
        let p = [
            [0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [1.0, 1.0, 0.0],
            [0.0, 1.0, 0.0],
        ];
        let n = [[0.0, 0.0, 1.0]; 4];
        let uv: Vec<[f32; 2]> = p
            .iter()
            .map(|q| [q[0], if v_flipped { 1.0 - q[1] } else { q[1] }])
            .collect();
        generate(&p, &n, &uv, &[0, 1, 2, 0, 2, 3])
    }

    #[test]
    fn mikktspace_quad_handedness() {
        // u along +X, v along +Y: tangent +X, bitangent +Y = cross(N, T) → w = +1.
        for t in quad(false) {
            assert!((t[0] - 1.0).abs() < 1e-4 && t[1].abs() < 1e-4 && t[2].abs() < 1e-4);
            assert_eq!(t[3], 1.0);
        }
        // v along −Y (glTF's usual top-left UV origin): bitangent −Y → w = −1.
        for t in quad(true) {
            assert!((t[0] - 1.0).abs() < 1e-4 && t[1].abs() < 1e-4);
            assert_eq!(t[3], -1.0);
        }
    }

    #[test]
    fn degenerate_input_falls_back() {
        let p = [[0.0; 3]; 3];
        let n = [[0.0, 1.0, 0.0]; 3];
        let t = generate(&p, &n, &[[0.0; 2]; 3], &[0, 1, 2]);
        assert_eq!(t.len(), 3);
        for t in t {
            assert!(dot(t, [0.0, 1.0, 0.0]).abs() < 1e-4);
            assert!(t.iter().all(|c| c.is_finite()));
        }
        // NaN positions, out-of-range indices, no faces: fallback, no panic.
        let p = [[f32::NAN; 3]; 3];
        assert_eq!(generate(&p, &n, &[[0.0; 2]; 3], &[0, 1, 2]).len(), 3);
        assert_eq!(
            generate(&[[0.0; 3]; 3], &n, &[[0.0; 2]; 3], &[0, 1, 7]).len(),
            3
        );
        assert_eq!(generate(&[[0.0; 3]; 3], &n, &[[0.0; 2]; 3], &[]).len(), 3);
        // An extent that overflows to infinity.
        let p = [[-3e38, 0.0, 0.0], [3e38, 0.0, 0.0], [0.0, 1.0, 0.0]];
        let uv = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        assert_eq!(generate(&p, &n, &uv, &[0, 1, 2]).len(), 3);
    }
}
