//! Faceted gems as closed convex polyhedra with flat facets.
//!
//! Every cut is built in the gem's own frame: millimetres, +Y up (the table
//! on top), the girdle centred on the origin (it spans `y ∈ [−g/2, g/2]`).
//!
//! - **Round brilliant** ([`round_brilliant`]): the 57-facet Tolkowsky / GIA
//!   "excellent" geometry built vertex by vertex so every facet is planar by
//!   construction: an octagonal table, 8 stars, 8 bezels (kites), 16 upper
//!   girdle facets, a 16-sided faceted girdle (not counted among the 57, as
//!   in the trade), 8 pavilion mains, 16 lower girdle facets and a pointed
//!   culet (no culet facet). The bezel planes rise at the crown angle from
//!   the girdle through the table corners (so crown height =
//!   `(D/2 − table/2) · tan crown_angle`), the mains fall at the pavilion
//!   angle from the girdle to the culet (pavilion depth = `D/2 · tan
//!   pavilion_angle`); star and lower girdle points lie on those planes at
//!   the star and lower-girdle lengths.
//! - **Oval** ([`oval`]): the round brilliant stretched along its length
//!   (an affine map keeps every facet planar and the solid convex): the
//!   same 57 facets, length/width ratio 1.4 by default.
//! - **Princess** ([`princess`]): a square stone cut from half-spaces:
//!   a 70 % table, two tiers of crown facets, a four-sided girdle and a
//!   chevron pavilion (one tier of girdle-side facets, then tiers of facet
//!   pairs that meet on each side's bisector in a ridge and zig-zag along
//!   the diagonals).

use glam::DVec3;

/// What part of the stone a facet is (for counts and measurements).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// The table (top facet).
    Table,
    /// Star facets between the table and the bezels (brilliant).
    Star,
    /// Bezel (kite) facets, at the crown angle (brilliant).
    Bezel,
    /// Upper girdle facets (brilliant).
    UpperGirdle,
    /// The girdle band (vertical facets; not counted as facets).
    Girdle,
    /// Pavilion main facets, at the pavilion angle (brilliant).
    PavilionMain,
    /// Lower girdle facets (brilliant).
    LowerGirdle,
    /// Crown facets of a step or princess crown.
    Crown,
    /// Pavilion facets of a princess (girdle-side and chevron facets).
    Pavilion,
}

/// One flat facet: its vertices (indices into [`Polyhedron::vertices`]),
/// counter-clockwise seen from outside.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// Vertex indices, in order around the facet.
    pub vertices: Vec<usize>,
    /// Which facet family it belongs to.
    pub kind: Facet,
}

/// A closed convex polyhedron with planar faces, in millimetres.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyhedron {
    /// Vertex positions.
    pub vertices: Vec<DVec3>,
    /// Faces, outward (counter-clockwise seen from outside).
    pub faces: Vec<Face>,
}

/// Round brilliant proportions, as fractions of the girdle diameter and
/// angles in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrilliantProportions {
    /// Table width (corner to corner of the octagon) / diameter.
    pub table: f64,
    /// Bezel angle to the girdle plane, degrees.
    pub crown_angle_deg: f64,
    /// Pavilion main angle to the girdle plane, degrees.
    pub pavilion_angle_deg: f64,
    /// Girdle thickness / diameter.
    pub girdle: f64,
    /// Star length: how far the star points reach from the table edge
    /// towards the girdle (fraction).
    pub star: f64,
    /// Lower girdle length: how far the lower girdle points reach from the
    /// girdle towards the culet (fraction).
    pub lower_girdle: f64,
}

impl Default for BrilliantProportions {
    /// Tolkowsky / GIA-typical: table 56 %, crown 34.5°, pavilion 40.75°,
    /// girdle 2.5 %, star 50 %, lower girdle 77 %.
    fn default() -> Self {
        Self {
            table: 0.56,
            crown_angle_deg: 34.5,
            pavilion_angle_deg: 40.75,
            girdle: 0.025,
            star: 0.5,
            lower_girdle: 0.77,
        }
    }
}

/// The oval's default length / width ratio.
pub const OVAL_RATIO: f64 = 1.4;

/// Princess proportions (fractions of the width; tiers are listed from the
/// girdle inwards).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincessProportions {
    /// Table width / stone width.
    pub table: f64,
    /// Girdle thickness / width.
    pub girdle: f64,
    /// Slope of the outer and inner crown tiers to the girdle plane, degrees.
    pub crown_angles_deg: [f64; 2],
    /// Pavilion depth / width.
    pub pavilion_depth: f64,
    /// Pavilion tiers along each side's bisector: `(half-width fraction
    /// where the tier ends, towards the culet; chevron tilt)`. The first
    /// tier starts at the girdle edge; the last ends at the culet (0). A
    /// tilt of 0 is a single facet across the side; above 0 the tier is a
    /// pair of facets leaning towards the two corners.
    pub tiers: Vec<(f64, f64)>,
}

impl Default for PrincessProportions {
    /// Table 70 %, girdle 2.5 %, crown tiers 40° and 25° (crown height
    /// ≈ 10 %), pavilion depth 61 % (≈ 41° along the diagonals), one
    /// girdle-side tier and two chevron tiers.
    fn default() -> Self {
        Self {
            table: 0.70,
            girdle: 0.025,
            crown_angles_deg: [40.0, 25.0],
            pavilion_depth: 0.615,
            tiers: vec![(0.62, 0.0), (0.30, 0.22), (0.0, 0.32)],
        }
    }
}

/// A round brilliant of girdle diameter `d` mm.
pub fn round_brilliant(d: f64, p: &BrilliantProportions) -> Polyhedron {
    brilliant(d, 1.0, p)
}

/// An oval brilliant `width` mm wide and `ratio × width` long, the length
/// along Z.
pub fn oval(width: f64, ratio: f64, p: &BrilliantProportions) -> Polyhedron {
    brilliant(width, ratio, p)
}

fn dir(theta: f64) -> DVec3 {
    DVec3::new(theta.cos(), 0.0, theta.sin())
}

/// The brilliant, stretched by `stretch` along Z.
fn brilliant(d: f64, stretch: f64, p: &BrilliantProportions) -> Polyhedron {
    use std::f64::consts::PI;
    let r = 0.5 * d;
    let rt = 0.5 * p.table * d;
    let zg = 0.5 * p.girdle * d;
    let tb = p.crown_angle_deg.to_radians().tan();
    let ta = p.pavilion_angle_deg.to_radians().tan();
    let half = PI / 8.0; // 22.5°
    let crown_h = (r - rt) * tb;
    // Star points: on the bisector between two bezels, `star` of the way
    // from the table edge (midpoint) to the girdle; on the bezel plane.
    let table_edge = rt * half.cos();
    let rs = table_edge + p.star * (r - table_edge);
    let ys = zg + tb * (r - rs * half.cos());
    // Lower girdle points: `lower_girdle` of the way from the girdle to the
    // culet, on the pavilion main plane.
    let rp = r * (1.0 - p.lower_girdle);
    let yp = -zg - ta * (r - rp * half.cos());
    let culet_y = -zg - r * ta;

    let mut v = Vec::new();
    let mut push = |p: DVec3| {
        v.push(p);
        v.len() - 1
    };
    let theta = |k: usize| k as f64 * PI / 4.0;
    let table: Vec<usize> = (0..8)
        .map(|k| push(dir(theta(k)) * rt + DVec3::Y * (zg + crown_h)))
        .collect();
    let star: Vec<usize> = (0..8)
        .map(|k| push(dir(theta(k) + half) * rs + DVec3::Y * ys))
        .collect();
    // Girdle points, 16 around: even = under a bezel (G), odd = between (H).
    let girdle_top: Vec<usize> = (0..16)
        .map(|i| push(dir(i as f64 * half) * r + DVec3::Y * zg))
        .collect();
    let girdle_bottom: Vec<usize> = (0..16)
        .map(|i| push(dir(i as f64 * half) * r - DVec3::Y * zg))
        .collect();
    let lower: Vec<usize> = (0..8)
        .map(|k| push(dir(theta(k) + half) * rp + DVec3::Y * yp))
        .collect();
    let culet = push(DVec3::Y * culet_y);

    let mut faces = Vec::new();
    let mut face = |kind, vertices: Vec<usize>| faces.push(Face { vertices, kind });
    face(Facet::Table, table.clone());
    for k in 0..8 {
        let k1 = (k + 1) % 8;
        let km = (k + 7) % 8;
        let g = girdle_top[2 * k];
        let h = girdle_top[2 * k + 1];
        let g1 = girdle_top[(2 * k + 2) % 16];
        face(Facet::Star, vec![table[k], table[k1], star[k]]);
        face(Facet::Bezel, vec![table[k], star[k], g, star[km]]);
        face(Facet::UpperGirdle, vec![star[k], g, h]);
        face(Facet::UpperGirdle, vec![star[k], h, g1]);
        let gb = girdle_bottom[2 * k];
        let hb = girdle_bottom[2 * k + 1];
        let gb1 = girdle_bottom[(2 * k + 2) % 16];
        face(Facet::LowerGirdle, vec![lower[k], gb, hb]);
        face(Facet::LowerGirdle, vec![lower[k], hb, gb1]);
        face(Facet::PavilionMain, vec![gb, lower[k], culet, lower[km]]);
    }
    for i in 0..16 {
        let j = (i + 1) % 16;
        face(
            Facet::Girdle,
            vec![
                girdle_top[i],
                girdle_top[j],
                girdle_bottom[j],
                girdle_bottom[i],
            ],
        );
    }
    for p in &mut v {
        p.z *= stretch;
    }
    Polyhedron::new(v, faces)
}

/// A princess (square) of width `w` mm.
pub fn princess(w: f64, p: &PrincessProportions) -> Polyhedron {
    let a = 0.5 * w;
    let zg = 0.5 * p.girdle * w;
    let t = 0.5 * p.table * w;
    let [outer, inner] = p.crown_angles_deg.map(|d| d.to_radians());
    // The crown tiers meet halfway between the table edge and the girdle.
    let m = 0.5 * (t + a);
    let y_mid = zg + (a - m) * outer.tan();
    let y_table = y_mid + (m - t) * inner.tan();
    let culet_y = -zg - p.pavilion_depth * w;

    let mut planes: Vec<(DVec3, f64, Facet)> = Vec::new();
    let mut plane = |n: DVec3, through: DVec3, kind| {
        let n = n.normalize();
        planes.push((n, n.dot(through), kind));
    };
    plane(DVec3::Y, DVec3::Y * y_table, Facet::Table);
    // Bisector profile of the pavilion: girdle edge, tier ends, culet.
    let mut profile = vec![(a, -zg)];
    for &(x, _) in &p.tiers {
        let y = if x <= 0.0 {
            culet_y
        } else {
            // Slopes grow towards the girdle (convex): interpolate depth
            // along a parabola from the culet to the girdle edge.
            let s = x;
            culet_y + (-zg - culet_y) * s * (0.55 + 0.45 * s)
        };
        profile.push((x * a, y));
    }
    for side in 0..4 {
        let e = dir(side as f64 * std::f64::consts::FRAC_PI_2);
        let f = DVec3::Y.cross(e); // along the side
        plane(e, e * a, Facet::Girdle);
        let (so, si) = (outer.sin(), inner.sin());
        plane(
            e * so + DVec3::Y * outer.cos(),
            e * a + DVec3::Y * zg,
            Facet::Crown,
        );
        plane(
            e * si + DVec3::Y * inner.cos(),
            e * t + DVec3::Y * y_table,
            Facet::Crown,
        );
        for (i, &(_, tilt)) in p.tiers.iter().enumerate() {
            let (x0, y0) = profile[i];
            let (x1, y1) = profile[i + 1];
            let p0 = e * x0 + DVec3::Y * y0;
            let p1 = e * x1 + DVec3::Y * y1;
            // The normal of the bisector segment in the side's vertical
            // plane, pointing out and down.
            let along = (p1 - p0).normalize();
            let n0 = along.cross(f).normalize();
            let n0 = if n0.dot(e) < 0.0 { -n0 } else { n0 };
            if tilt == 0.0 {
                plane(n0, p0, Facet::Pavilion);
            } else {
                for sign in [-1.0, 1.0] {
                    plane(n0 + f * (sign * tilt), p0, Facet::Pavilion);
                }
            }
        }
    }
    from_planes(&planes, w)
}

impl Polyhedron {
    /// A polyhedron from vertices and faces in any winding: each face is
    /// turned to face away from the centroid (valid for convex solids).
    pub fn new(vertices: Vec<DVec3>, mut faces: Vec<Face>) -> Self {
        let c = vertices.iter().sum::<DVec3>() / vertices.len().max(1) as f64;
        for f in &mut faces {
            let n = newell(&vertices, &f.vertices);
            let fc =
                f.vertices.iter().map(|&i| vertices[i]).sum::<DVec3>() / f.vertices.len() as f64;
            if n.dot(fc - c) < 0.0 {
                f.vertices.reverse();
            }
        }
        Self { vertices, faces }
    }

    /// The unit outward normal of face `i`.
    pub fn normal(&self, i: usize) -> DVec3 {
        newell(&self.vertices, &self.faces[i].vertices).normalize()
    }

    /// Face `i`'s plane `(n, d)` with `n · p = d` on it, `n` outward.
    pub fn plane(&self, i: usize) -> (DVec3, f64) {
        let n = self.normal(i);
        let c = self.centroid_of(i);
        (n, n.dot(c))
    }

    fn centroid_of(&self, i: usize) -> DVec3 {
        let f = &self.faces[i].vertices;
        f.iter().map(|&k| self.vertices[k]).sum::<DVec3>() / f.len() as f64
    }

    /// Every face plane.
    pub fn planes(&self) -> Vec<(DVec3, f64)> {
        (0..self.faces.len()).map(|i| self.plane(i)).collect()
    }

    /// The enclosed volume (divergence theorem), mm³.
    pub fn volume(&self) -> f64 {
        let mut v = 0.0;
        for f in &self.faces {
            let p0 = self.vertices[f.vertices[0]];
            for w in f.vertices[1..].windows(2) {
                v += p0.dot(self.vertices[w[0]].cross(self.vertices[w[1]]));
            }
        }
        v / 6.0
    }

    /// A conservative signed distance: the largest `n · p − d` over the
    /// faces. Positive outside; never more than the true distance, so a
    /// point with `signed_distance ≥ r` has a ball of radius `r` around it
    /// clear of the stone.
    pub fn signed_distance(&self, p: DVec3) -> f64 {
        self.planes()
            .iter()
            .map(|(n, d)| n.dot(p) - d)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// [`Self::signed_distance`] against precomputed planes.
    pub fn signed_distance_with(planes: &[(DVec3, f64)], p: DVec3) -> f64 {
        planes
            .iter()
            .map(|(n, d)| n.dot(p) - d)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Axis-aligned bounds `(min, max)`.
    pub fn bounds(&self) -> (DVec3, DVec3) {
        self.vertices.iter().fold(
            (DVec3::splat(f64::INFINITY), DVec3::splat(f64::NEG_INFINITY)),
            |(lo, hi), &p| (lo.min(p), hi.max(p)),
        )
    }

    /// Faces of one kind.
    pub fn faces_of(&self, kind: Facet) -> impl Iterator<Item = (usize, &Face)> {
        self.faces
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.kind == kind)
    }

    /// The number of edges (each shared by two faces in a closed solid).
    pub fn edge_count(&self) -> usize {
        let mut edges = std::collections::HashSet::new();
        for f in &self.faces {
            for (i, &a) in f.vertices.iter().enumerate() {
                let b = f.vertices[(i + 1) % f.vertices.len()];
                edges.insert((a.min(b), a.max(b)));
            }
        }
        edges.len()
    }

    /// Checks that this is a closed convex polyhedron with planar, convex,
    /// outward faces: every edge shared by exactly two faces (used once in
    /// each direction), Euler characteristic 2, every face planar within
    /// `tol` (mm) and convex, every vertex on or behind every face plane,
    /// positive volume. Returns what is wrong.
    pub fn check(&self, tol: f64) -> Result<(), String> {
        use std::collections::HashMap;
        let mut directed: HashMap<(usize, usize), usize> = HashMap::new();
        for (fi, f) in self.faces.iter().enumerate() {
            if f.vertices.len() < 3 {
                return Err(format!("face {fi} has {} vertices", f.vertices.len()));
            }
            for (i, &a) in f.vertices.iter().enumerate() {
                let b = f.vertices[(i + 1) % f.vertices.len()];
                if directed.insert((a, b), fi).is_some() {
                    return Err(format!("edge {a}→{b} used twice in the same direction"));
                }
            }
        }
        for &(a, b) in directed.keys() {
            if !directed.contains_key(&(b, a)) {
                return Err(format!("edge {a}–{b} has only one face (open surface)"));
            }
        }
        let (v, e, f) = (self.vertices.len(), directed.len() / 2, self.faces.len());
        if v + f != e + 2 {
            return Err(format!(
                "Euler characteristic V − E + F = {v} − {e} + {f} ≠ 2"
            ));
        }
        let planes = self.planes();
        for (fi, face) in self.faces.iter().enumerate() {
            let (n, d) = planes[fi];
            for &k in &face.vertices {
                let off = (n.dot(self.vertices[k]) - d).abs();
                if off > tol {
                    return Err(format!(
                        "face {fi} is not planar: vertex {k} is {off} mm off"
                    ));
                }
            }
            // Convex polygon: every turn is to the left around the normal.
            let m = face.vertices.len();
            for i in 0..m {
                let a = self.vertices[face.vertices[i]];
                let b = self.vertices[face.vertices[(i + 1) % m]];
                let c = self.vertices[face.vertices[(i + 2) % m]];
                if (b - a).cross(c - b).dot(n) < -tol * tol {
                    return Err(format!(
                        "face {fi} is not convex at vertex {}",
                        face.vertices[(i + 1) % m]
                    ));
                }
            }
            for (k, p) in self.vertices.iter().enumerate() {
                let out = n.dot(*p) - d;
                if out > tol {
                    return Err(format!(
                        "not convex: vertex {k} is {out} mm outside face {fi} ({:?})",
                        face.kind
                    ));
                }
            }
        }
        let vol = self.volume();
        if vol.is_nan() || vol <= 0.0 {
            return Err(format!("volume {vol} is not positive"));
        }
        Ok(())
    }

    /// Flat-shaded triangles: per facet its own vertices and normal
    /// (positions, normals, indices), collinear points dropped so no
    /// triangle is degenerate.
    pub fn flat_triangles(&self) -> (Vec<DVec3>, Vec<DVec3>, Vec<u32>) {
        let (mut pos, mut nor, mut idx) = (Vec::new(), Vec::new(), Vec::new());
        for (fi, f) in self.faces.iter().enumerate() {
            let n = self.normal(fi);
            let pts: Vec<DVec3> = f.vertices.iter().map(|&i| self.vertices[i]).collect();
            let m = pts.len();
            let corners: Vec<DVec3> = (0..m)
                .filter(|&i| {
                    let a = pts[(i + m - 1) % m];
                    let b = pts[i];
                    let c = pts[(i + 1) % m];
                    (b - a).cross(c - b).dot(n) > 1e-12 * (b - a).length() * (c - b).length()
                })
                .map(|i| pts[i])
                .collect();
            let base = pos.len() as u32;
            for p in &corners {
                pos.push(*p);
                nor.push(n);
            }
            for i in 1..corners.len().saturating_sub(1) {
                idx.extend_from_slice(&[base, base + i as u32, base + i as u32 + 1]);
            }
        }
        (pos, nor, idx)
    }
}

/// Newell's polygon normal (length = twice the area).
fn newell(v: &[DVec3], f: &[usize]) -> DVec3 {
    let mut n = DVec3::ZERO;
    for (i, &a) in f.iter().enumerate() {
        let p = v[a];
        let q = v[f[(i + 1) % f.len()]];
        n += DVec3::new(
            (p.y - q.y) * (p.z + q.z),
            (p.z - q.z) * (p.x + q.x),
            (p.x - q.x) * (p.y + q.y),
        );
    }
    n
}

/// The intersection of half-spaces `n · p ≤ d` (bounded, `scale` mm
/// across): each plane's face is a large square clipped by all the others;
/// vertices closer than a tolerance are merged and T-junctions split so
/// every edge is shared by exactly two faces.
fn from_planes(planes: &[(DVec3, f64, Facet)], scale: f64) -> Polyhedron {
    let eps = 1e-9 * scale;
    let mut polys: Vec<(Vec<DVec3>, Facet)> = Vec::new();
    for (i, &(n, d, kind)) in planes.iter().enumerate() {
        let u = n.any_orthonormal_vector();
        let w = n.cross(u);
        let c = n * d;
        let s = 10.0 * scale;
        let mut poly = vec![
            c - u * s - w * s,
            c + u * s - w * s,
            c + u * s + w * s,
            c - u * s + w * s,
        ];
        for (j, &(m, e, _)) in planes.iter().enumerate() {
            if i == j || poly.is_empty() {
                continue;
            }
            poly = clip(&poly, m, e, eps);
        }
        if poly.len() >= 3 {
            polys.push((poly, kind));
        }
    }
    // Merge vertices.
    let tol = 1e-7 * scale;
    let mut vertices: Vec<DVec3> = Vec::new();
    let mut faces = Vec::new();
    for (poly, kind) in polys {
        let mut idx: Vec<usize> = Vec::new();
        for p in poly {
            let k = match vertices.iter().position(|q| q.distance(p) < tol) {
                Some(k) => k,
                None => {
                    vertices.push(p);
                    vertices.len() - 1
                }
            };
            if idx.last() != Some(&k) {
                idx.push(k);
            }
        }
        while idx.len() > 1 && idx.first() == idx.last() {
            idx.pop();
        }
        if idx.len() >= 3 {
            faces.push(Face {
                vertices: idx,
                kind,
            });
        }
    }
    // Split T-junctions: a vertex lying inside another face's edge joins it.
    for f in &mut faces {
        let mut out = Vec::new();
        let m = f.vertices.len();
        for i in 0..m {
            let a = f.vertices[i];
            let b = f.vertices[(i + 1) % m];
            out.push(a);
            let (pa, pb) = (vertices[a], vertices[b]);
            let len = pa.distance(pb);
            let dirv = (pb - pa) / len;
            let mut between: Vec<(f64, usize)> = vertices
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != a && k != b)
                .filter_map(|(k, &p)| {
                    let t = (p - pa).dot(dirv);
                    let off = (p - pa - dirv * t).length();
                    (t > tol && t < len - tol && off < tol).then_some((t, k))
                })
                .collect();
            between.sort_by(|x, y| x.0.total_cmp(&y.0));
            out.extend(between.into_iter().map(|(_, k)| k));
        }
        f.vertices = out;
    }
    // Drop vertices no face uses.
    let mut used = vec![usize::MAX; vertices.len()];
    let mut kept = Vec::new();
    for f in &mut faces {
        for k in &mut f.vertices {
            if used[*k] == usize::MAX {
                used[*k] = kept.len();
                kept.push(vertices[*k]);
            }
            *k = used[*k];
        }
    }
    Polyhedron::new(kept, faces)
}

/// Sutherland–Hodgman: the part of a convex polygon with `n · p ≤ d`.
fn clip(poly: &[DVec3], n: DVec3, d: f64, eps: f64) -> Vec<DVec3> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        let da = n.dot(a) - d;
        let db = n.dot(b) - d;
        if da <= eps {
            out.push(a);
        }
        if (da < -eps && db > eps) || (da > eps && db < -eps) {
            let t = da / (da - db);
            out.push(a + (b - a) * t);
        }
    }
    out
}
