//! Gems: primitives whose geometry is a convex polyhedron (a faceted stone)
//! get their facet planes, in the mesh's own space, so the surface shader
//! can trace refracted light inside the stone — total internal reflection,
//! per-channel IOR for dispersion — instead of reading the environment
//! through it once. See `trace_gem` in `shaders/refraction.wgsl`.

use glam::{Vec3, Vec4};

/// The most facet planes one gem may have (a round brilliant has 57 facets
/// and its girdle; 256 leaves room for fancier cuts).
pub const MAX_GEM_PLANES: usize = 256;
/// Only primitives this small are considered (stones are small meshes).
const MAX_GEM_TRIANGLES: usize = 8192;

/// The facet planes (`xyz` outward unit normal, `w` = offset: `n·p = w` on
/// the plane) of a closed convex triangle mesh, or `None` when the mesh is
/// not convex, has too many distinct planes, or is degenerate.
pub fn convex_planes(positions: &[[f32; 3]], indices: &[u32]) -> Option<Vec<Vec4>> {
    let tris = indices.len() / 3;
    if !(4..=MAX_GEM_TRIANGLES).contains(&tris) {
        return None;
    }
    let p = |i: u32| positions.get(i as usize).map(|v| Vec3::from(*v));
    let mut lo = Vec3::splat(f32::INFINITY);
    let mut hi = Vec3::splat(f32::NEG_INFINITY);
    for v in positions {
        lo = lo.min(Vec3::from(*v));
        hi = hi.max(Vec3::from(*v));
    }
    let scale = (hi - lo).length();
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    let eps = 1e-4 * scale;
    let mut planes: Vec<Vec4> = Vec::new();
    let mut area_covered = 0.0f32;
    for t in indices.chunks_exact(3) {
        let (a, b, c) = (p(t[0])?, p(t[1])?, p(t[2])?);
        // Corners that weld together make no facet (a UV sphere's poles,
        // whose rounding can even flip the sliver's normal).
        let k = [weld(a, eps), weld(b, eps), weld(c, eps)];
        if k[0] == k[1] || k[1] == k[2] || k[2] == k[0] {
            continue;
        }
        let cross = (b - a).cross(c - a);
        let area = cross.length();
        if area <= 1e-12 * scale * scale {
            continue;
        }
        area_covered += area;
        let n = cross / area;
        let d = n.dot(a);
        let same = planes
            .iter()
            .any(|q| q.truncate().dot(n) > 0.9999 && (q.w - d).abs() < eps);
        if !same {
            if planes.len() == MAX_GEM_PLANES {
                return None;
            }
            planes.push(n.extend(d));
        }
    }
    if planes.len() < 4 || area_covered <= 0.0 {
        return None;
    }
    // Convex with outward normals: every vertex on or behind every plane.
    let convex = positions.iter().all(|v| {
        let v = Vec3::from(*v);
        planes.iter().all(|q| q.truncate().dot(v) - q.w <= eps)
    });
    (convex && closed(positions, indices, eps)).then_some(planes)
}

/// A position rounded to a grid of `eps`: corners closer than that weld.
fn weld(v: Vec3, eps: f32) -> (i64, i64, i64) {
    let v = v / eps;
    (v.x.round() as i64, v.y.round() as i64, v.z.round() as i64)
}

/// Every edge (between welded positions: flat-shaded stones split their
/// vertices per facet) is shared by exactly two triangles.
fn closed(positions: &[[f32; 3]], indices: &[u32], eps: f32) -> bool {
    use std::collections::HashMap;
    let key = |i: u32| weld(Vec3::from(positions[i as usize]), eps);
    let mut edges: HashMap<_, u32> = HashMap::new();
    for t in indices.chunks_exact(3) {
        let k = [key(t[0]), key(t[1]), key(t[2])];
        // Degenerate triangles (a UV sphere's poles) add no surface.
        if k[0] == k[1] || k[1] == k[2] || k[2] == k[0] {
            continue;
        }
        for (a, b) in [(k[0], k[1]), (k[1], k[2]), (k[2], k[0])] {
            *edges
                .entry(if a < b { (a, b) } else { (b, a) })
                .or_default() += 1;
        }
    }
    !edges.is_empty() && edges.values().all(|&n| n == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cube() -> (Vec<[f32; 3]>, Vec<u32>) {
        let v: Vec<[f32; 3]> = (0..8)
            .map(|i| {
                [
                    if i & 1 == 0 { -1.0 } else { 1.0 },
                    if i & 2 == 0 { -1.0 } else { 1.0 },
                    if i & 4 == 0 { -1.0 } else { 1.0 },
                ]
            })
            .collect();
        // Two triangles a face, wound counter-clockwise seen from outside.
        let faces = [
            [0, 2, 6, 4], // -x
            [1, 5, 7, 3], // +x
            [0, 4, 5, 1], // -y
            [2, 3, 7, 6], // +y
            [0, 1, 3, 2], // -z
            [4, 6, 7, 5], // +z
        ];
        let mut idx = Vec::new();
        for f in faces {
            idx.extend([f[0], f[2], f[1], f[0], f[3], f[2]]);
        }
        (v, idx)
    }

    #[test]
    fn a_cube_has_six_outward_planes() {
        let (v, i) = cube();
        let planes = convex_planes(&v, &i).expect("a cube is convex");
        assert_eq!(planes.len(), 6);
        for q in &planes {
            assert!((q.w - 1.0).abs() < 1e-6, "{q}");
            assert!((q.truncate().length() - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn concave_and_open_meshes_are_not_gems() {
        let (mut v, i) = cube();
        // Push one corner inward: the faces around it are no longer planar
        // with the rest, and the mesh is not convex.
        v[7] = [0.2, 0.2, 0.2];
        assert!(convex_planes(&v, &i).is_none());
        // An open box (no +y face): convex vertices, but not closed.
        let (v, i) = cube();
        let open: Vec<u32> = i
            .chunks_exact(6)
            .enumerate()
            .filter(|(f, _)| *f != 3)
            .flat_map(|(_, c)| c.to_vec())
            .collect();
        assert!(convex_planes(&v, &open).is_none());
        // A single quad is no gem.
        assert!(convex_planes(&v, &i[..6]).is_none());
    }
}

#[cfg(test)]
mod sphere_tests {
    #[test]
    fn a_low_poly_uv_sphere_is_a_gem() {
        let p = crate::scene::shapes::uv_sphere(1.0, 10, 6);
        let planes = super::convex_planes(&p.positions, &p.indices);
        let n = planes.as_ref().map(Vec::len);
        assert_eq!(n, Some(10 * 6 - 2 * 10 + 2 * 10), "{planes:?}");
    }
}
