//! Tangent generation: MikkTSpace (the glTF reference) for normal-mapped
//! geometry, and an arbitrary orthonormal tangent where there is nothing
//! better (no UVs, degenerate input), so the GPU always gets tangents.

/// A unit tangent perpendicular to `normal` (w = +1). Any direction will do:
/// used when no UVs define one. Never NaN: a zero or non-finite normal gets
/// the +X tangent.
pub(crate) fn orthonormal_tangent(normal: [f32; 3]) -> [f32; 4] {
    let len2 = dot(normal, normal);
    if !(len2.is_finite() && len2 > 1e-12) {
        return [1.0, 0.0, 0.0, 1.0];
    }
    let [x, y, z] = scale(normal, 1.0 / len2.sqrt());
    // Duff et al. 2017, "Building an Orthonormal Basis, Revisited" (the
    // formula glam's `any_orthonormal_vector` uses), in scalar code: this
    // runs per vertex in an unoptimised build.
    let sign = 1.0f32.copysign(z);
    let a = -1.0 / (sign + z);
    let b = x * y * a;
    [1.0 + sign * x * x * a, sign * b, -sign * x, 1.0]
}

/// Orthonormal fallback tangents for every normal.
pub(crate) fn fallback_tangents(normals: &[[f32; 3]]) -> Vec<[f32; 4]> {
    normals.iter().map(|n| orthonormal_tangent(*n)).collect()
}

#[inline]
fn sub(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

#[inline]
fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[inline]
fn scale(a: [f32; 3], s: f32) -> [f32; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}

/// `v` projected onto the plane of unit normal `n`, normalised (MikkTSpace
/// leaves a zero vector as is).
#[inline]
fn project_normalize(v: [f32; 3], n: [f32; 3]) -> [f32; 3] {
    let p = sub(v, scale(n, dot(n, v)));
    let len = dot(p, p).sqrt();
    if len > f32::MIN_POSITIVE {
        scale(p, 1.0 / len)
    } else {
        p
    }
}

/// Per-vertex tangents (xyz unit, w = ±1 bitangent sign) for an indexed
/// triangle list, computed like MikkTSpace (the glTF reference):
///
/// - per face, the UV-gradient tangent `vOs`, flipped when the UV mapping
///   mirrors the face (the face's orientation sets the sign `w`);
/// - per vertex, the faces sharing it are grouped by orientation, each
///   face's tangent projected onto the vertex normal's plane, normalised and
///   weighted by the face's corner angle, the sum normalised.
///
/// Where MikkTSpace would split a vertex shared by faces of both
/// orientations (a mirrored-UV seam), a welded vertex keeps the group with
/// the larger angle sum. MikkTSpace also welds vertices by value; this works
/// on indices. Vertices with no usable face (no UV variation, degenerate
/// triangles, NaN input, unreferenced) get [`orthonormal_tangent`].
///
/// This is a reimplementation rather than a call into the `mikktspace`
/// crate: that crate is generic over its input, so it is compiled at the
/// caller's opt-level, and at the dev profile's opt-level 0 it costs about
/// 30 µs per vertex (~0.4 s for a 13k-vertex product). The tests check that
/// both agree.
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
    let consistent =
        normals.len() == n && uvs.len() == n && indices.iter().all(|&i| (i as usize) < n);
    if !consistent {
        return fallback_tangents(normals);
    }
    // glTF UVs grow downwards (v = 0 is the top of the image) while a normal
    // map's green channel points up the image: MikkTSpace is run on (u, 1 − v),
    // as Blender's importer and the glTF Sample Viewer do, so the bitangent
    // points up the image. This flips the handedness sign relative to raw UVs.
    let flipped: Vec<[f32; 2]> = uvs.iter().map(|t| [t[0], 1.0 - t[1]]).collect();
    let uvs = &flipped[..];
    // Per vertex: [sum xyz, angle sum] for orientation-preserving faces, then
    // the same for mirrored faces.
    let mut acc = vec![[0.0f32; 8]; n];
    for tri in indices.chunks_exact(3) {
        let v = [tri[0] as usize, tri[1] as usize, tri[2] as usize];
        let p = [positions[v[0]], positions[v[1]], positions[v[2]]];
        let t = [uvs[v[0]], uvs[v[1]], uvs[v[2]]];
        let (t21x, t21y) = (t[1][0] - t[0][0], t[1][1] - t[0][1]);
        let (t31x, t31y) = (t[2][0] - t[0][0], t[2][1] - t[0][1]);
        let d1 = sub(p[1], p[0]);
        let d2 = sub(p[2], p[0]);
        let area = t21x * t31y - t21y * t31x;
        if area.is_nan() || area.abs() <= f32::MIN_POSITIVE {
            continue;
        }
        let os = sub(scale(d1, t31y), scale(d2, t21y));
        let ot = sub(scale(d2, t21x), scale(d1, t31x));
        let len_os = dot(os, os).sqrt();
        let len_ot = dot(ot, ot).sqrt();
        if len_os.is_nan() || len_ot.is_nan() || len_os.min(len_ot) <= f32::MIN_POSITIVE {
            continue;
        }
        let preserving = area > 0.0;
        let os = scale(os, if preserving { 1.0 } else { -1.0 } / len_os);
        let slot = if preserving { 0 } else { 4 };
        for k in 0..3 {
            let nrm = normals[v[k]];
            let tangent = project_normalize(os, nrm);
            let e1 = project_normalize(sub(p[(k + 2) % 3], p[k]), nrm);
            let e2 = project_normalize(sub(p[(k + 1) % 3], p[k]), nrm);
            let angle = dot(e1, e2).clamp(-1.0, 1.0).acos();
            if !angle.is_finite() {
                continue;
            }
            let a = &mut acc[v[k]];
            a[slot] += tangent[0] * angle;
            a[slot + 1] += tangent[1] * angle;
            a[slot + 2] += tangent[2] * angle;
            a[slot + 3] += angle;
        }
    }
    acc.iter()
        .zip(normals)
        .map(|(a, nrm)| {
            let (sum, w) = if a[3] >= a[7] {
                ([a[0], a[1], a[2]], 1.0)
            } else {
                ([a[4], a[5], a[6]], -1.0)
            };
            let len = dot(sum, sum).sqrt();
            if a[3].max(a[7]) > 0.0 && len > 1e-20 && len.is_finite() {
                let t = scale(sum, 1.0 / len);
                [t[0], t[1], t[2], w]
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
        // glTF's usual layout: v grows down the image while the quad's +Y is up,
        // so the image's up (the normal map's green) is +Y: bitangent +Y =
        // cross(N, T) → w = +1.
        for t in quad(true) {
            assert!((t[0] - 1.0).abs() < 1e-4 && t[1].abs() < 1e-4 && t[2].abs() < 1e-4);
            assert_eq!(t[3], 1.0);
        }
        // v growing along +Y: the image's up is −Y → w = −1.
        for t in quad(false) {
            assert!((t[0] - 1.0).abs() < 1e-4 && t[1].abs() < 1e-4);
            assert_eq!(t[3], -1.0);
        }
    }

    /// The `mikktspace` crate as the reference implementation.
    struct Reference<'a> {
        positions: &'a [[f32; 3]],
        normals: &'a [[f32; 3]],
        uvs: &'a [[f32; 2]],
        indices: &'a [u32],
        tangents: Vec<[f32; 4]>,
    }

    impl mikktspace::Geometry for Reference<'_> {
        fn num_faces(&self) -> usize {
            self.indices.len() / 3
        }
        fn num_vertices_of_face(&self, _face: usize) -> usize {
            3
        }
        fn position(&self, face: usize, vert: usize) -> [f32; 3] {
            self.positions[self.indices[face * 3 + vert] as usize]
        }
        fn normal(&self, face: usize, vert: usize) -> [f32; 3] {
            self.normals[self.indices[face * 3 + vert] as usize]
        }
        fn tex_coord(&self, face: usize, vert: usize) -> [f32; 2] {
            self.uvs[self.indices[face * 3 + vert] as usize]
        }
        fn set_tangent_encoded(&mut self, tangent: [f32; 4], face: usize, vert: usize) {
            self.tangents[self.indices[face * 3 + vert] as usize] = tangent;
        }
    }

    fn reference(p: &[[f32; 3]], n: &[[f32; 3]], uv: &[[f32; 2]], idx: &[u32]) -> Vec<[f32; 4]> {
        let mut r = Reference {
            positions: p,
            normals: n,
            uvs: uv,
            indices: idx,
            tangents: vec![[0.0; 4]; p.len()],
        };
        assert!(mikktspace::generate_tangents(&mut r));
        r.tangents
    }

    /// A UV sphere (welded grid, seam duplicated), optionally with the V
    /// axis flipped and positions jittered.
    type Geometry = (Vec<[f32; 3]>, Vec<[f32; 3]>, Vec<[f32; 2]>, Vec<u32>);

    fn sphere(flip_v: bool, jitter: f32) -> Geometry {
        let (cols, rows) = (24u32, 12u32);
        let (mut p, mut n, mut uv, mut idx) = (vec![], vec![], vec![], vec![]);
        for r in 0..=rows {
            for c in 0..=cols {
                let (u, v) = (c as f32 / cols as f32, r as f32 / rows as f32);
                let (theta, phi) = (u * std::f32::consts::TAU, v * std::f32::consts::PI);
                let wobble = 1.0 + jitter * ((c * 7 + r * 13) % 5) as f32 / 5.0;
                let d = [phi.sin() * theta.cos(), phi.cos(), -phi.sin() * theta.sin()];
                p.push(scale(d, wobble));
                n.push(d);
                uv.push([u, if flip_v { 1.0 - v } else { v }]);
            }
        }
        for r in 0..rows {
            for c in 0..cols {
                let a = r * (cols + 1) + c;
                let b = a + cols + 1;
                idx.extend_from_slice(&[a, b, a + 1, a + 1, b, b + 1]);
            }
        }
        (p, n, uv, idx)
    }

    #[test]
    fn matches_the_mikktspace_crate() {
        for (flip, jitter) in [(false, 0.0), (true, 0.0), (false, 0.05), (true, 0.05)] {
            let (p, n, uv, idx) = sphere(flip, jitter);
            let ours = generate(&p, &n, &uv, &idx);
            // The crate run on (u, 1 − v), as `generate` documents.
            let uv_up: Vec<[f32; 2]> = uv.iter().map(|t| [t[0], 1.0 - t[1]]).collect();
            let theirs = reference(&p, &n, &uv_up, &idx);
            let cols = 25;
            for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                // The poles are degenerate in UV space (many vertices of
                // one position): MikkTSpace merges them by value there.
                let row = i / cols;
                if row == 0 || row == 12 {
                    continue;
                }
                let d = super::dot([a[0], a[1], a[2]], [b[0], b[1], b[2]]);
                assert!(
                    d > 0.9999,
                    "vertex {i}: {a:?} vs {b:?} (flip {flip}, jitter {jitter})"
                );
                assert_eq!(a[3], b[3], "vertex {i} sign");
            }
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
