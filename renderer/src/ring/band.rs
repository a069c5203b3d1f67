//! The band: a profile swept around the finger axis (Z).
//!
//! The profile lies in the (ρ, z) half-plane (ρ = distance from the finger
//! axis): a superellipse `|x / a|ⁿ + |z / b|ⁿ = 1` centred at
//! `ρ = r_i + a` with `a` half the thickness and `b` half the width, whose
//! exponent differs between the finger side (`x < 0`) and the outside
//! (`x > 0`). Both halves meet with vertical tangents at `x = 0`, so the
//! profile and its normals are smooth all round:
//!
//! | profile | finger side n | outside n | look |
//! |---|---|---|---|
//! | flat | 8 | 8 | flat inside and out, rounded corners |
//! | court (comfort fit) | 2.5 | 2.2 | domed inside and out, round sides |
//! | D-shape | 8 | 2 | flat inside, half-round outside |
//!
//! The ring size is the inner diameter at the crest (`ρ = r_i`, `z = 0`).
//! The **inner surface** (the finger side, where the normal is within 50°
//! of pointing at the axis) has its own UVs in [0, 1]²; the rest (side
//! walls and outside) has `v` in [1, 2].
//!
//! Angle φ around the axis: `(x, y) = ρ (−sin φ, cos φ)`: φ = 0 at the top
//! (+Y, under the gem), the bottom (−Y) at φ = π where `u` runs towards +X.

use super::Profile;
use super::mesh::MeshData;
use glam::DVec3;
use std::f64::consts::{PI, TAU};

/// The swept band and its measurements.
#[derive(Debug, Clone)]
pub struct Band {
    /// The inner (finger-side) surface: `u` around (0 at the top, 0.5 at
    /// the bottom, towards +X there), `v` across the width from the −Z
    /// side (0) to the +Z side (1), both proportional to arc length.
    pub inner: MeshData,
    /// Side walls and the outer surface: `u` as the inner,
    /// `v = 1 + arc length / length` (outside the unit square, so a UV
    /// decal in [0, 1]² only lands inside the band).
    pub outer: MeshData,
    /// Inner radius at the crest, mm.
    pub inner_radius: f64,
    /// Outer radius at the crest (the top of the band under the gem), mm.
    pub outer_radius: f64,
    /// Half the width, mm.
    pub half_width: f64,
    /// The outside's superellipse exponent.
    outer_exponent: f64,
    /// Arc length of the inner surface across the width (v = 0 → 1), mm.
    pub inner_arc_mm: f64,
    /// Circumference at the inner crest (u = 0 → 1), mm.
    pub inner_circumference_mm: f64,
}

impl Band {
    /// The outside's distance from the axis at `z` (|z| ≤ half width).
    pub fn outer_rho(&self, z: f64) -> f64 {
        let a = 0.5 * (self.outer_radius - self.inner_radius);
        let s = (z / self.half_width).abs().min(1.0);
        self.inner_radius
            + a
            + a * (1.0 - s.powf(self.outer_exponent)).powf(1.0 / self.outer_exponent)
    }
}

/// A point of the profile at superellipse angle `t` and its unit normal.
fn profile_point(t: f64, a: f64, b: f64, n_in: f64, n_out: f64) -> ((f64, f64), (f64, f64)) {
    let (s, c) = t.sin_cos();
    let n = if c < 0.0 { n_in } else { n_out };
    let p = 2.0 / n;
    let x = a * c.signum() * c.abs().powf(p);
    let z = b * s.signum() * s.abs().powf(p);
    // ∇(|x/a|ⁿ + |z/b|ⁿ), up to the factor n.
    let gx = (x / a).signum() * (x / a).abs().powf(n - 1.0) / a;
    let gz = (z / b).signum() * (z / b).abs().powf(n - 1.0) / b;
    let l = gx.hypot(gz);
    ((x, z), (gx / l, gz / l))
}

/// Sweeps the band: inner diameter `d`, width `w`, thickness `t` (mm),
/// `segments` around.
pub fn band(d: f64, w: f64, t: f64, profile: Profile, segments: usize) -> Band {
    let ri = 0.5 * d;
    let (a, b) = (0.5 * t, 0.5 * w);
    let centre = ri + a;
    let (n_in, n_out) = match profile {
        Profile::Flat => (8.0, 8.0),
        Profile::Court => (2.5, 2.2),
        Profile::DShape => (8.0, 2.0),
    };
    // Dense samples of one turn, starting at the inner crest (t = π) and
    // going towards +z (t decreasing: z = b sin t grows as t goes below π).
    let dense = 8192;
    let ts: Vec<f64> = (0..=dense)
        .map(|k| PI - TAU * k as f64 / dense as f64)
        .collect();
    let pts: Vec<((f64, f64), (f64, f64))> = ts
        .iter()
        .map(|&t| profile_point(t, a, b, n_in, n_out))
        .collect();
    // The inner surface: normals within 50° of −ρ, i.e. |n_z| < sin 50°.
    let limit = 50f64.to_radians().sin();
    let inner_end = pts
        .iter()
        .position(|(_, n)| n.1.abs() >= limit)
        .expect("the profile turns");
    let inner_start = dense
        - pts
            .iter()
            .rev()
            .position(|(_, n)| n.1.abs() >= limit)
            .expect("the profile turns");
    // Resample a run of dense indices (wrapping) evenly by arc length.
    let resample = |from: usize, to: usize, count: usize| -> (Vec<(f64, f64, f64, f64)>, f64) {
        let idx: Vec<usize> = if from <= to {
            (from..=to).collect()
        } else {
            (from..dense).chain(0..=to).collect()
        };
        let mut s = vec![0.0];
        for w in idx.windows(2) {
            let (p, q) = (pts[w[0]].0, pts[w[1]].0);
            s.push(s.last().unwrap() + (q.0 - p.0).hypot(q.1 - p.1));
        }
        let len = *s.last().unwrap();
        let mut out = Vec::with_capacity(count + 1);
        let mut j = 0;
        for k in 0..=count {
            let target = len * k as f64 / count as f64;
            while j + 1 < s.len() - 1 && s[j + 1] < target {
                j += 1;
            }
            let f = ((target - s[j]) / (s[j + 1] - s[j]).max(1e-15)).clamp(0.0, 1.0);
            let tt = ts[idx[j]] + (ts[idx[j + 1]] - ts[idx[j]]) * f;
            let ((x, z), (nx, nz)) = profile_point(tt, a, b, n_in, n_out);
            out.push((x, z, nx, nz));
        }
        (out, len)
    };
    // Inner: from the −z end to the +z end (v grows towards +Z).
    let (inner_pts, l_in) = resample(inner_start, inner_end, 40);
    let (outer_pts, _) = resample(inner_end, inner_start, 72);
    let sweep = |prof: &[(f64, f64, f64, f64)], v0: f64| {
        let mut mesh = MeshData::default();
        let m = prof.len();
        for j in 0..=segments {
            let u = j as f64 / segments as f64;
            let (sn, cs) = (TAU * u).sin_cos();
            for (q, &(x, z, nx, nz)) in prof.iter().enumerate() {
                let rho = centre + x;
                mesh.positions.push(DVec3::new(-rho * sn, rho * cs, z));
                mesh.normals.push(DVec3::new(-nx * sn, nx * cs, nz));
                mesh.uvs.push([u, v0 + q as f64 / (m - 1) as f64]);
            }
        }
        let rows = m as u32;
        for j in 0..segments as u32 {
            for q in 0..rows - 1 {
                let a = j * rows + q;
                let b = (j + 1) * rows + q;
                mesh.indices
                    .extend_from_slice(&[a, b, b + 1, a, b + 1, a + 1]);
            }
        }
        // Winding against the normals.
        let t = &mesh.indices[0..3];
        let [p, q, r] = [0, 1, 2].map(|i| mesh.positions[t[i] as usize]);
        if (q - p).cross(r - p).dot(mesh.normals[t[0] as usize]) < 0.0 {
            for t in mesh.indices.chunks_exact_mut(3) {
                t.swap(1, 2);
            }
        }
        mesh
    };
    Band {
        inner: sweep(&inner_pts, 0.0),
        outer: sweep(&outer_pts, 1.0),
        inner_radius: ri,
        outer_radius: ri + t,
        half_width: b,
        outer_exponent: n_out,
        inner_arc_mm: l_in,
        inner_circumference_mm: TAU * ri,
    }
}
