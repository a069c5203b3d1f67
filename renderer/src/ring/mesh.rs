//! Triangle meshes in millimetres, and the sweeps the band and the setting
//! are made of.

use glam::DVec3;

/// An indexed triangle list in millimetres with per-vertex normals and
/// (optionally) UVs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeshData {
    /// Positions, mm.
    pub positions: Vec<DVec3>,
    /// Unit normals.
    pub normals: Vec<DVec3>,
    /// TEXCOORD_0 (empty: none).
    pub uvs: Vec<[f64; 2]>,
    /// Triangles, counter-clockwise seen from outside.
    pub indices: Vec<u32>,
}

impl MeshData {
    /// Appends another mesh (both with UVs, or both without).
    pub fn append(&mut self, other: &MeshData) {
        let base = self.positions.len() as u32;
        self.positions.extend_from_slice(&other.positions);
        self.normals.extend_from_slice(&other.normals);
        self.uvs.extend_from_slice(&other.uvs);
        self.indices.extend(other.indices.iter().map(|i| i + base));
    }

    /// Moves every vertex by `d`.
    pub fn translate(&mut self, d: DVec3) {
        for p in &mut self.positions {
            *p += d;
        }
    }

    /// Axis-aligned bounds `(min, max)`.
    pub fn bounds(&self) -> (DVec3, DVec3) {
        self.positions.iter().fold(
            (DVec3::splat(f64::INFINITY), DVec3::splat(f64::NEG_INFINITY)),
            |(lo, hi), &p| (lo.min(p), hi.max(p)),
        )
    }

    /// The signed volume the triangles enclose (positive when a closed
    /// surface faces outwards).
    pub fn signed_volume(&self) -> f64 {
        self.indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| self.positions[t[k] as usize]);
                a.dot(b.cross(c))
            })
            .sum::<f64>()
            / 6.0
    }

    /// The number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.indices.len() / 3
    }

    /// Reverses every triangle and normal.
    pub(super) fn flip(&mut self) {
        for t in self.indices.chunks_exact_mut(3) {
            t.swap(1, 2);
        }
        for n in &mut self.normals {
            *n = -*n;
        }
    }
}

/// A closed surface from a grid of points that wraps both ways
/// (`points[i][k]`: ring `i` around, profile point `k`), with the seams
/// duplicated for UVs `u = i / n`, `v = v0 + k / m`. Normals come from
/// central differences; the orientation is chosen so the volume is positive.
pub(super) fn torus_grid(points: &[Vec<DVec3>], v0: f64) -> MeshData {
    let n = points.len();
    let m = points[0].len();
    let p = |i: usize, k: usize| points[i % n][k % m];
    let mut mesh = MeshData::default();
    for i in 0..=n {
        for k in 0..=m {
            let du = p(i + 1, k) - p(i + n - 1, k);
            let dv = p(i, k + 1) - p(i, k + m - 1);
            mesh.positions.push(p(i, k));
            mesh.normals.push(du.cross(dv).normalize_or(DVec3::Y));
            mesh.uvs
                .push([i as f64 / n as f64, v0 + k as f64 / m as f64]);
        }
    }
    let at = |i: usize, k: usize| (i * (m + 1) + k) as u32;
    for i in 0..n {
        for k in 0..m {
            let (a, b, c, d) = (at(i, k), at(i + 1, k), at(i + 1, k + 1), at(i, k + 1));
            mesh.indices.extend_from_slice(&[a, b, c, a, c, d]);
        }
    }
    if mesh.signed_volume() < 0.0 {
        mesh.flip();
    }
    mesh
}

/// A tube along a centreline with radii per point, closed by hemispherical
/// caps at both ends; UVs `u` around, `v = v0 + arc length / total`.
pub(super) fn tube(path: &[DVec3], radii: &[f64], sides: usize, v0: f64) -> MeshData {
    let n = path.len();
    let tangent = |i: usize| {
        let a = path[i.saturating_sub(1)];
        let b = path[(i + 1).min(n - 1)];
        (b - a).normalize()
    };
    // Rotation-minimising frames (parallel transport of the first normal).
    let mut frames = Vec::with_capacity(n);
    let t0 = tangent(0);
    let mut nrm = t0.any_orthonormal_vector();
    for i in 0..n {
        let t = tangent(i);
        nrm = (nrm - t * nrm.dot(t)).normalize();
        frames.push((t, nrm, t.cross(nrm)));
    }
    let total: f64 = path.windows(2).map(|w| w[0].distance(w[1])).sum();
    // Rings: (centre, radius, normal tilt along the tangent, v).
    struct Ring {
        c: DVec3,
        r: f64,
        tilt: f64,
        frame: usize,
        v: f64,
    }
    let mut rings = Vec::new();
    let caps = 5;
    for q in (1..caps).rev() {
        let a = std::f64::consts::FRAC_PI_2 * q as f64 / caps as f64;
        rings.push(Ring {
            c: path[0] - frames[0].0 * radii[0] * a.sin(),
            r: radii[0] * a.cos(),
            tilt: -a,
            frame: 0,
            v: 0.0,
        });
    }
    let mut s = 0.0;
    for i in 0..n {
        if i > 0 {
            s += path[i].distance(path[i - 1]);
        }
        rings.push(Ring {
            c: path[i],
            r: radii[i],
            tilt: 0.0,
            frame: i,
            v: s / total,
        });
    }
    for q in 1..caps {
        let a = std::f64::consts::FRAC_PI_2 * q as f64 / caps as f64;
        rings.push(Ring {
            c: path[n - 1] + frames[n - 1].0 * radii[n - 1] * a.sin(),
            r: radii[n - 1] * a.cos(),
            tilt: a,
            frame: n - 1,
            v: 1.0,
        });
    }
    let mut mesh = MeshData::default();
    for ring in &rings {
        let (t, nn, bb) = frames[ring.frame];
        for j in 0..=sides {
            let a = std::f64::consts::TAU * j as f64 / sides as f64;
            let radial = nn * a.cos() + bb * a.sin();
            mesh.positions.push(ring.c + radial * ring.r);
            mesh.normals
                .push((radial * ring.tilt.cos() + t * ring.tilt.sin()).normalize());
            mesh.uvs.push([j as f64 / sides as f64, v0 + ring.v]);
        }
    }
    let row = sides as u32 + 1;
    for r in 0..rings.len() as u32 - 1 {
        for j in 0..sides as u32 {
            let (a, b, c, d) = (
                r * row + j,
                r * row + j + 1,
                (r + 1) * row + j + 1,
                (r + 1) * row + j,
            );
            mesh.indices.extend_from_slice(&[a, b, c, a, c, d]);
        }
    }
    // Poles.
    for (end, ring, t) in [
        (path[0] - frames[0].0 * radii[0], 0u32, -frames[0].0),
        (
            path[n - 1] + frames[n - 1].0 * radii[n - 1],
            rings.len() as u32 - 1,
            frames[n - 1].0,
        ),
    ] {
        let pole = mesh.positions.len() as u32;
        mesh.positions.push(end);
        mesh.normals.push(t);
        mesh.uvs.push([0.5, v0 + if ring == 0 { 0.0 } else { 1.0 }]);
        for j in 0..sides as u32 {
            let (a, b) = (ring * row + j, ring * row + j + 1);
            if ring == 0 {
                mesh.indices.extend_from_slice(&[pole, b, a]);
            } else {
                mesh.indices.extend_from_slice(&[pole, a, b]);
            }
        }
    }
    // Orient: the first body quad's winding against its vertex normal.
    let first = (caps as u32 - 1) * row;
    let [a, b, c] = [first, first + 1, first + row + 1].map(|k| mesh.positions[k as usize]);
    if (b - a).cross(c - a).dot(mesh.normals[first as usize]) < 0.0 {
        for t in mesh.indices.chunks_exact_mut(3) {
            t.swap(1, 2);
        }
    }
    mesh
}
