//! The orbit camera and automatic framing, in the convention of
//! `shared/reference/README.md`: glTF world frame (+Y up, metres);
//! `eye = target + R·(cos θ·sin ψ, sin θ, cos θ·cos ψ)` for yaw ψ and pitch θ;
//! look-at with world up +Y; symmetric perspective with a vertical field of view.

use crate::scene::{Aabb, CameraProjection, SceneCamera};
use glam::{Mat4, Vec3};

/// Where the camera orbits around.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Target {
    /// The centre of the product's world-space vertex bounds.
    #[default]
    Auto,
    /// An explicit point in metres.
    Point(Vec3),
}

/// How far the camera is from the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distance {
    /// An explicit radius in metres.
    Metres(f32),
    /// Frame the bounds: `R = f · r_enc / sin(fov / 2)`, where `r_enc` is the
    /// largest distance from the target to a bounds corner; `f = 1` makes that
    /// sphere exactly fill the narrower field of view. Use > 1 for padding.
    Fit(f32),
}

impl Default for Distance {
    fn default() -> Self {
        Distance::Fit(1.0)
    }
}

/// An orbit camera description (degrees for angles, as on the command line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitCamera {
    /// Yaw ψ in degrees: 0 = camera on +Z looking toward −Z; 90 = camera on +X.
    pub yaw_deg: f32,
    /// Pitch θ in degrees above the horizon (positive looks down); |θ| < 90.
    pub pitch_deg: f32,
    /// Distance from the target.
    pub distance: Distance,
    /// Vertical field of view in degrees over the full image height.
    pub fov_y_deg: f32,
    /// Orbit centre.
    pub target: Target,
}

impl Default for OrbitCamera {
    /// A three-quarter product view.
    fn default() -> Self {
        Self {
            yaw_deg: 35.0,
            pitch_deg: 15.0,
            distance: Distance::Fit(1.0),
            fov_y_deg: 30.0,
            target: Target::Auto,
        }
    }
}

/// A resolved camera: view and projection matrices for one image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraView {
    /// World-to-view transform.
    pub view: Mat4,
    /// View-to-clip (reversed Z: near → 1, far → 0).
    pub proj: Mat4,
    /// Eye position in world space.
    pub eye: Vec3,
}

impl CameraView {
    /// `proj · view`.
    pub fn view_proj(&self) -> Mat4 {
        self.proj * self.view
    }

    /// The height of one pixel of an image `height_px` tall, in world units
    /// at unit distance from the eye (perspective; for an orthographic
    /// camera, the world height of a pixel).
    pub fn pixel_size(&self, height_px: u32) -> f32 {
        // proj[1][1] is cot(fov / 2) (perspective) or 2 / height (orthographic).
        2.0 / (self.proj.y_axis.y * height_px.max(1) as f32)
    }

    /// The pixels of a `width` × `height` image that `bounds` can cover: its
    /// corners' projection, widened by two pixels for antialiased edges and
    /// clamped to the image, as (x, y, width, height) with y down. `None`
    /// when the box is empty or reaches behind the eye (then anything may
    /// be covered).
    pub fn screen_rect(&self, bounds: &Aabb, width: u32, height: u32) -> Option<[u32; 4]> {
        if bounds.is_empty() {
            return None;
        }
        let vp = self.view_proj();
        let (mut lo, mut hi) = (
            glam::Vec2::splat(f32::INFINITY),
            glam::Vec2::splat(f32::NEG_INFINITY),
        );
        for c in bounds.corners() {
            let clip = vp * c.extend(1.0);
            if clip.w <= 1e-6 || !clip.is_finite() {
                return None;
            }
            let ndc = clip.truncate().truncate() / clip.w;
            let px = glam::Vec2::new(
                (ndc.x * 0.5 + 0.5) * width as f32,
                (0.5 - ndc.y * 0.5) * height as f32,
            );
            lo = lo.min(px);
            hi = hi.max(px);
        }
        let size = glam::Vec2::new(width as f32, height as f32);
        let lo = (lo - 2.0).floor().clamp(glam::Vec2::ZERO, size);
        let hi = (hi + 2.0).ceil().clamp(glam::Vec2::ZERO, size);
        Some([
            lo.x as u32,
            lo.y as u32,
            (hi.x - lo.x) as u32,
            (hi.y - lo.y) as u32,
        ])
    }
}

/// Projection with reversed Z and an infinite far plane: best depth precision
/// for product shots whose depth range is unknown.
fn perspective(fov_y: f32, aspect: f32, near: f32) -> Mat4 {
    Mat4::perspective_infinite_reverse_rh(fov_y, aspect, near)
}

/// The largest distance from `target` to a corner of `bounds` (`None` when empty).
fn enclosing_radius(bounds: &Aabb, target: Vec3) -> Option<f32> {
    (!bounds.is_empty()).then(|| {
        bounds
            .corners()
            .iter()
            .map(|c| c.distance(target))
            .fold(0.0, f32::max)
    })
}

impl OrbitCamera {
    /// The orbit centre for these bounds.
    pub fn target_point(&self, bounds: &Aabb) -> Vec3 {
        match self.target {
            Target::Point(p) => p,
            Target::Auto if bounds.is_empty() => Vec3::ZERO,
            Target::Auto => bounds.center(),
        }
    }

    /// The orbit radius in metres for these bounds and image aspect (width / height).
    pub fn radius(&self, bounds: &Aabb, aspect: f32) -> f32 {
        match self.distance {
            Distance::Metres(r) => r,
            Distance::Fit(f) => {
                let r_enc = enclosing_radius(bounds, self.target_point(bounds)).unwrap_or(1.0);
                let half_y = (self.fov_y_deg.to_radians() * 0.5).clamp(1e-4, 1.55);
                // Portrait images: the horizontal field of view is the narrower one.
                let half = if aspect < 1.0 {
                    (half_y.tan() * aspect).atan()
                } else {
                    half_y
                };
                f * r_enc.max(1e-6) / half.sin()
            }
        }
    }

    /// Resolve to matrices for `bounds` and an image of `width`×`height`.
    pub fn view(&self, bounds: &Aabb, width: u32, height: u32) -> CameraView {
        let aspect = width as f32 / height.max(1) as f32;
        let target = self.target_point(bounds);
        let r = self.radius(bounds, aspect);
        let (yaw, pitch) = (
            self.yaw_deg.to_radians(),
            self.pitch_deg.clamp(-89.9, 89.9).to_radians(),
        );
        let dir = Vec3::new(
            pitch.cos() * yaw.sin(),
            pitch.sin(),
            pitch.cos() * yaw.cos(),
        );
        let eye = target + r * dir;
        let view = Mat4::look_at_rh(eye, target, Vec3::Y);
        // Near plane: as far as possible without clipping the bounds.
        let extent = enclosing_radius(bounds, target).unwrap_or(r);
        let near = ((r - extent) * 0.5).max(r * 1e-3).max(1e-4);
        CameraView {
            view,
            proj: perspective(self.fov_y_deg.to_radians(), aspect, near),
            eye,
        }
    }
}

/// A camera from the glTF file, for an image of `width`×`height`.
pub fn scene_camera_view(cam: &SceneCamera, width: u32, height: u32) -> CameraView {
    let aspect = width as f32 / height.max(1) as f32;
    let view = cam.world.inverse();
    let eye = cam.world.transform_point3(Vec3::ZERO);
    let proj = match cam.projection {
        CameraProjection::Perspective { yfov, znear, .. } => {
            perspective(yfov, aspect, znear.max(1e-5))
        }
        CameraProjection::Orthographic {
            xmag,
            ymag,
            znear,
            zfar,
        } => {
            // Keep the file's vertical extent; fit the width to the image aspect.
            let _ = xmag;
            let (h, w) = (ymag, ymag * aspect);
            // Reversed Z: swap near and far.
            Mat4::orthographic_rh(-w, w, -h, h, zfar, znear)
        }
    };
    CameraView { view, proj, eye }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_rect_holds_the_projected_box() {
        let c = OrbitCamera {
            yaw_deg: 30.0,
            pitch_deg: 20.0,
            distance: Distance::Metres(10.0),
            ..Default::default()
        };
        let b = unit_box();
        let (w, h) = (320, 200);
        let v = c.view(&b, w, h);
        let [x, y, rw, rh] = v.screen_rect(&b, w, h).expect("in front of the eye");
        assert!(rw > 10 && rh > 10 && x + rw <= w && y + rh <= h);
        // Every point of the box (its corners and a grid on its faces; all in
        // view from 10 m) lies inside, at least 2 px from the edges.
        let vp = v.view_proj();
        for i in 0..=8 {
            for j in 0..=8 {
                for k in [0.0, 1.0] {
                    let (u, t) = (i as f32 / 8.0, j as f32 / 8.0);
                    for p in [Vec3::new(u, t, k), Vec3::new(u, k, t), Vec3::new(k, u, t)] {
                        let p = b.min + (b.max - b.min) * p;
                        let clip = vp * p.extend(1.0);
                        let px = (clip.x / clip.w * 0.5 + 0.5) * w as f32;
                        let py = (0.5 - clip.y / clip.w * 0.5) * h as f32;
                        assert!(
                            px >= x as f32 + 2.0 && px <= (x + rw) as f32 - 2.0,
                            "x {px}"
                        );
                        assert!(
                            py >= y as f32 + 2.0 && py <= (y + rh) as f32 - 2.0,
                            "y {py}"
                        );
                    }
                }
            }
        }
        // Much smaller than the image: the box is 10 m away.
        assert!(rw * rh < w * h / 2);
        // A box around the eye has no rectangle; nor has an empty one.
        let around = Aabb {
            min: v.eye - 1.0,
            max: v.eye + 1.0,
        };
        assert_eq!(v.screen_rect(&around, w, h), None);
        assert_eq!(v.screen_rect(&Aabb::EMPTY, w, h), None);
        // Off to the side: clamped to the image (here nothing is left).
        let far_right = Aabb {
            min: Vec3::new(100.0, -1.0, -1.0),
            max: Vec3::new(102.0, 1.0, 1.0),
        };
        if let Some([x, _, rw, _]) = v.screen_rect(&far_right, w, h) {
            assert!(x + rw <= w);
        }
    }

    fn unit_box() -> Aabb {
        Aabb {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        }
    }

    #[test]
    fn yaw_zero_is_on_plus_z_and_yaw_90_on_plus_x() {
        let mut c = OrbitCamera {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            distance: Distance::Metres(5.0),
            ..Default::default()
        };
        let v = c.view(&unit_box(), 100, 100);
        assert!(v.eye.abs_diff_eq(Vec3::new(0.0, 0.0, 5.0), 1e-5));
        c.yaw_deg = 90.0;
        assert!(
            c.view(&unit_box(), 100, 100)
                .eye
                .abs_diff_eq(Vec3::new(5.0, 0.0, 0.0), 1e-5)
        );
        c.yaw_deg = 0.0;
        c.pitch_deg = 90.0 - 1e-3;
        assert!(c.view(&unit_box(), 100, 100).eye.y > 4.99);
    }

    #[test]
    fn fit_radius_follows_the_convention() {
        let c = OrbitCamera {
            distance: Distance::Fit(1.0),
            fov_y_deg: 30.0,
            ..Default::default()
        };
        let r = c.radius(&unit_box(), 1.0);
        let expected = 3f32.sqrt() / 15f32.to_radians().sin();
        assert!((r - expected).abs() < 1e-4, "{r} vs {expected}");
        // Portrait: fits the narrower horizontal field of view, so it is farther.
        assert!(c.radius(&unit_box(), 0.5) > r);
    }

    #[test]
    fn target_projects_to_image_centre_and_bounds_stay_inside() {
        let c = OrbitCamera::default();
        let b = unit_box();
        for (w, h) in [(1024, 1024), (1600, 900), (600, 1200)] {
            let v = c.view(&b, w, h);
            let vp = v.view_proj();
            let centre = vp.project_point3(b.center());
            assert!(centre.truncate().length() < 1e-4);
            for corner in b.corners() {
                let p = vp.project_point3(corner);
                assert!(
                    p.x.abs() <= 1.0 && p.y.abs() <= 1.0,
                    "{p} outside for {w}x{h}"
                );
                assert!(p.z > 0.0 && p.z <= 1.0, "depth {p}");
            }
        }
    }
}
