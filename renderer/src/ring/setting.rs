//! The setting: prongs (claws) or a bezel cup, shaped around the stone.
//!
//! Everything is placed with the stone's conservative signed distance
//! ([`Polyhedron::signed_distance_with`]): a prong's centreline keeps at
//! least its radius plus [`GAP_MM`] from every facet plane, the bezel's
//! inner wall keeps [`GAP_MM`] — so metal touches the stone and never cuts
//! into it. The prongs rise from the top of the band, run up outside the
//! girdle, wrap the girdle edge and lie on the crown; the bezel is a cup
//! whose inner wall follows the pavilion, the girdle and (as a lip) the
//! crown edge, and whose foot is sunk into the band.

use super::band::Band;
use super::gem::Polyhedron;
use super::mesh::{MeshData, torus_grid, tube};
use glam::DVec3;

/// Clearance between the metal and the stone, mm.
pub const GAP_MM: f64 = 0.02;

/// A stone placed in the ring frame: its facet planes (ring frame), the
/// y of its girdle centre and half the girdle thickness.
pub(super) struct Placed {
    pub planes: Vec<(DVec3, f64)>,
    pub girdle_y: f64,
    pub girdle_half: f64,
    /// The lowest point of the stone (the culet), mm.
    pub bottom_y: f64,
    /// The highest point (the table), mm.
    pub top_y: f64,
}

impl Placed {
    pub fn new(gem: &Polyhedron, girdle_y: f64) -> Self {
        let lift = DVec3::Y * girdle_y;
        let planes = gem
            .planes()
            .into_iter()
            .map(|(n, d)| (n, d + n.dot(lift)))
            .collect();
        let (lo, hi) = gem.bounds();
        let girdle_half = gem
            .faces_of(super::gem::Facet::Girdle)
            .flat_map(|(_, f)| f.vertices.iter().map(|&k| gem.vertices[k].y))
            .fold(0.0f64, |m, y| m.max(y.abs()));
        Self {
            planes,
            girdle_y,
            girdle_half,
            bottom_y: girdle_y + lo.y,
            top_y: girdle_y + hi.y,
        }
    }

    fn sd(&self, p: DVec3) -> f64 {
        Polyhedron::signed_distance_with(&self.planes, p)
    }

    /// Moves `p` along `dir` (unit) until its signed distance reaches
    /// `target` (unchanged when it already does).
    fn push(&self, p: DVec3, dir: DVec3, target: f64) -> DVec3 {
        if self.sd(p) >= target {
            return p;
        }
        let mut hi = 1.0;
        while self.sd(p + dir * hi) < target {
            hi *= 2.0;
        }
        // sd along the ray is convex: below target on [0, t*), above after.
        let mut lo = 0.0;
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.sd(p + dir * mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        p + dir * hi
    }
}

/// Prongs: `count` claws at even angles (4: on the diagonals; 6: one at
/// ±X, the finger's sides), radius `r_tip` at the tip, 1.25 × at the base.
pub(super) fn prongs(stone: &Placed, band: &Band, count: usize, r_tip: f64) -> MeshData {
    let r_base = 1.25 * r_tip;
    let mut mesh = MeshData::default();
    let offset = if count == 4 {
        std::f64::consts::FRAC_PI_4
    } else {
        0.0
    };
    for k in 0..count {
        let a = offset + std::f64::consts::TAU * k as f64 / count as f64;
        let e = DVec3::new(a.cos(), 0.0, a.sin());
        let (path, radii): (Vec<DVec3>, Vec<f64>) = prong_path(stone, band, e, r_tip, r_base)
            .into_iter()
            .unzip();
        mesh.append(&tube(&path, &radii, 20, 1.0));
    }
    mesh
}

/// The centreline of one prong with its radius at each point.
fn prong_path(stone: &Placed, band: &Band, e: DVec3, r_tip: f64, r_base: f64) -> Vec<(DVec3, f64)> {
    let target = r_tip + GAP_MM;
    let (gy, gh) = (stone.girdle_y, stone.girdle_half);
    // The girdle edge along e (where the stone ends at girdle height).
    let edge_r = stone.push(DVec3::Y * gy, e, 0.0).dot(e);
    let top_edge = e * edge_r + DVec3::Y * (gy + gh);
    // Around the girdle's top edge, then along the crown.
    // The crown's slope along e at the edge: the arc stops at its normal.
    let crown_y = |rho: f64| stone.push(e * rho + DVec3::Y * gy, DVec3::Y, 0.0).y;
    let (r0, r1) = (edge_r - 0.05, edge_r - 0.3);
    let slope = ((crown_y(r1) - crown_y(r0)) / (r0 - r1)).max(0.0).atan();
    let arc = std::f64::consts::FRAC_PI_2 - slope;
    let mut claw = Vec::new();
    for q in 0..=6 {
        let a = arc * q as f64 / 6.0;
        let d = e * a.cos() + DVec3::Y * a.sin();
        claw.push(stone.push(top_edge + d * 0.5 * target, d, target));
    }
    // Along the crown, while the claw stays below the table (a low crown,
    // as a princess's corner, keeps a short claw).
    let reach = r_tip + 0.2;
    for q in 1..=4 {
        let p = e * (edge_r - reach * q as f64 / 4.0) + DVec3::Y * (gy + gh);
        let p = stone.push(p, DVec3::Y, target);
        if p.y > stone.top_y - 0.3 * r_tip {
            break;
        }
        claw.push(p);
    }
    // Below the girdle the prong runs parallel to the pavilion (the line
    // from the culet to the girdle's lower edge along e), offset by its
    // base radius, down to the top of the band (a basket).
    let bottom_edge = stone.push(DVec3::Y * (gy - gh), e, 0.0).dot(e);
    let (c, g) = ((0.0, stone.bottom_y), (bottom_edge, gy - gh));
    let len = (g.0 - c.0).hypot(g.1 - c.1);
    let d = ((g.0 - c.0) / len, (g.1 - c.1) / len);
    let n = (d.1, -d.0); // out and down
    let off = r_base + 2.0 * GAP_MM;
    let on_line = |rho: f64| {
        let s = (rho - c.0 - n.0 * off) / d.0;
        c.1 + n.1 * off + d.1 * s
    };
    let grip_r = edge_r + target;
    let knee = (grip_r, on_line(grip_r));
    // Where the line meets the band (within its width).
    let zmax = (0.55 * band.half_width - 0.5 * r_base).max(0.0);
    let rho_max = if e.z.abs() > 1e-9 {
        (zmax / e.z.abs()).min(grip_r)
    } else {
        grip_r
    };
    let band_top = |rho: f64| {
        let (x, z) = (rho * e.x, rho * e.z);
        let r = band.outer_rho(z);
        (r * r - x * x).max(0.0).sqrt()
    };
    let (mut lo, mut hi) = (0.0, rho_max);
    let base_rho = if on_line(hi) <= band_top(hi) {
        hi
    } else if on_line(lo) >= band_top(lo) {
        lo
    } else {
        for _ in 0..50 {
            let mid = 0.5 * (lo + hi);
            if on_line(mid) < band_top(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    };
    let at = |rho: f64, y: f64| e * rho + DVec3::Y * y;
    let mut corners = vec![
        // Sunk into the band, straight below where the prong leaves it.
        (
            at(
                base_rho,
                band_top(base_rho).min(on_line(base_rho)) - 1.5 * r_base,
            ),
            r_base,
        ),
        (
            at(base_rho, on_line(base_rho).max(band_top(base_rho))),
            r_base,
        ),
    ];
    let steps = 8;
    for k in 1..=steps {
        let t = k as f64 / steps as f64;
        let rho = base_rho + (knee.0 - base_rho) * t;
        corners.push((at(rho, on_line(rho)), r_base + (r_tip - r_base) * t));
    }
    corners.push((at(grip_r, gy - gh), r_tip));
    corners.push((at(grip_r, gy), r_tip));
    // Round the knees (Chaikin), then keep every point clear of the stone.
    for _ in 0..2 {
        let mut next = vec![corners[0]];
        for w in corners.windows(2) {
            let ((p, r), (q, s)) = (w[0], w[1]);
            next.push((p * 0.75 + q * 0.25, r * 0.75 + s * 0.25));
            next.push((p * 0.25 + q * 0.75, r * 0.25 + s * 0.75));
        }
        next.push(*corners.last().unwrap());
        corners = next;
    }
    let mut path: Vec<(DVec3, f64)> = corners
        .into_iter()
        .map(|(p, r)| (stone.push(p, e, r + GAP_MM), r))
        .collect();
    path.extend(claw.into_iter().map(|p| (p, r_tip)));
    // Drop points closer than a hundredth of a millimetre (duplicates).
    let mut out: Vec<(DVec3, f64)> = Vec::new();
    for (p, r) in path {
        if out.last().is_none_or(|(q, _)| q.distance(p) > 0.01) {
            out.push((p, r));
        }
    }
    out
}

/// A bezel cup with a wall `thick` mm thick; its foot at `foot_y`. The
/// stone is a 16-sided brilliant stretched by `stretch` along Z when
/// `round_girdle` is set (round, oval): the collar then follows the circle
/// (ellipse) through the girdle's corners instead of its 16 flats.
pub(super) fn bezel(
    stone: &Placed,
    thick: f64,
    foot_y: f64,
    lip: f64,
    stretch: f64,
    round_girdle: bool,
) -> MeshData {
    let (gy, gh) = (stone.girdle_y, stone.girdle_half);
    let top = gy + gh + lip;
    // Heights of the inner and outer walls, bottom to top, denser at the girdle.
    let mut ys: Vec<f64> = Vec::new();
    let below = gy - gh - foot_y;
    for k in 0..10 {
        ys.push(foot_y + below * k as f64 / 10.0);
    }
    for k in 0..=6 {
        ys.push(gy - gh + (top - (gy - gh)) * k as f64 / 6.0);
    }
    let r_min = 0.2;
    let n = 128;
    // Directions in the unstretched frame (a brilliant's girdle is then
    // a regular 16-gon) and the real directions they map to.
    let dirs: Vec<DVec3> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            DVec3::new(a.cos(), 0.0, a.sin())
        })
        .collect();
    let unstretch = |p: DVec3| DVec3::new(p.x, 0.0, p.z / stretch);
    // Radii (unstretched) where the walls clear the stone by GAP (inner)
    // and GAP + thick (outer), per direction and height.
    let radii = |target: f64| -> Vec<Vec<f64>> {
        dirs.iter()
            .map(|&d| {
                let e = DVec3::new(d.x, 0.0, d.z * stretch).normalize();
                ys.iter()
                    .map(|&y| {
                        let r = stone.push(DVec3::Y * y, e, target).dot(e).max(r_min);
                        unstretch(e * r).length()
                    })
                    .collect()
            })
            .collect()
    };
    // A faceted girdle would make a faceted collar: take the largest radius
    // within ±11.25° (one girdle facet of a brilliant), then soften. Never
    // less than the clearing radius (the stones are centrally symmetric, so
    // further out along a ray stays clear).
    let smooth = |r: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        if !round_girdle {
            return r;
        }
        let w = n / 32;
        let wide: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..ys.len())
                    .map(|k| {
                        (0..=2 * w)
                            .map(|j| r[(i + n + j - w) % n][k])
                            .fold(0.0, f64::max)
                    })
                    .collect()
            })
            .collect();
        (0..n)
            .map(|i| {
                (0..ys.len())
                    .map(|k| {
                        let avg = (0..5).map(|j| wide[(i + n + j - 2) % n][k]).sum::<f64>() / 5.0;
                        avg.max(r[i][k])
                    })
                    .collect()
            })
            .collect()
    };
    let inner = smooth(radii(GAP_MM));
    let outer = smooth(radii(GAP_MM + thick));
    let rings: Vec<Vec<DVec3>> = (0..n)
        .map(|i| {
            let e = dirs[i];
            let ri: Vec<f64> = inner[i].clone();
            let at = |r: f64, y: f64| DVec3::new(e.x * r, y, e.z * r * stretch);
            let ro: Vec<f64> = outer[i]
                .iter()
                .zip(&ri)
                .map(|(&o, &r)| o.max(r + 0.5 * thick))
                .collect();
            // Loop: inner top → inner foot, outer foot → outer top, cap.
            let mut profile: Vec<(f64, f64)> =
                ri.iter().zip(&ys).rev().map(|(&r, &y)| (r, y)).collect();
            profile.extend(ro.iter().zip(&ys).map(|(&r, &y)| (r, y)));
            let (a, b) = (*ri.last().unwrap(), *ro.last().unwrap());
            let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
            for q in 1..8 {
                let t = std::f64::consts::PI * q as f64 / 8.0;
                profile.push((c + h * t.cos(), top + h * t.sin()));
            }
            profile.into_iter().map(|(r, y)| at(r, y)).collect()
        })
        .collect();
    torus_grid(&rings, 1.0)
}
