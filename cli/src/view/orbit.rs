//! The viewer's camera: an orbit around a target point, driven by drags,
//! the wheel and named shots, eased toward its goal with critically damped
//! exponential smoothing so motion is smooth at any frame rate.

use glam::Vec3;
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::scene::Aabb;

/// Degrees of yaw and pitch per logical pixel of drag.
const DEG_PER_PX: f32 = 0.35;
/// Each wheel line brings the camera this much closer (or farther).
const ZOOM_PER_LINE: f32 = 0.88;
/// Time constant of the easing, in seconds: 63 % of the way in this long.
const TAU: f32 = 0.07;

/// The concrete pose: every value resolved (no automatic framing left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Yaw in degrees (unbounded: turning keeps going round).
    pub yaw: f32,
    /// Pitch in degrees, within ±89.
    pub pitch: f32,
    /// Distance from the target in metres.
    pub distance: f32,
    /// Vertical field of view in degrees.
    pub fov: f32,
    /// Orbit centre.
    pub target: Vec3,
}

impl Pose {
    /// Resolve a shot (which may frame the bounds automatically) for a
    /// viewport of this aspect ratio.
    pub fn from_orbit(o: &OrbitCamera, bounds: &Aabb, aspect: f32) -> Self {
        Self {
            yaw: o.yaw_deg,
            pitch: o.pitch_deg.clamp(-89.0, 89.0),
            distance: o.radius(bounds, aspect),
            fov: o.fov_y_deg,
            target: o.target_point(bounds),
        }
    }

    /// As the renderer's orbit camera (explicit distance and target).
    pub fn orbit(&self) -> OrbitCamera {
        OrbitCamera {
            yaw_deg: self.yaw,
            pitch_deg: self.pitch,
            distance: Distance::Metres(self.distance),
            fov_y_deg: self.fov,
            target: Target::Point(self.target),
        }
    }

    fn close_to(&self, o: &Pose) -> bool {
        let scale = self.distance.max(1e-3);
        (self.yaw - o.yaw).abs() < 0.01
            && (self.pitch - o.pitch).abs() < 0.01
            && (self.distance - o.distance).abs() < 1e-4 * scale
            && (self.fov - o.fov).abs() < 0.01
            && self.target.distance(o.target) < 1e-4 * scale
    }
}

/// The camera as shown (`current`) and where it is going (`goal`).
#[derive(Debug, Clone)]
pub struct OrbitController {
    /// What the next frame shows.
    pub current: Pose,
    /// Where input has sent the camera.
    pub goal: Pose,
    /// The framing distance of the product: zoom stays within 1/20× to 8× of it.
    framed: f32,
}

impl OrbitController {
    /// Start at `pose`, at rest.
    pub fn new(pose: Pose) -> Self {
        Self {
            current: pose,
            goal: pose,
            framed: pose.distance,
        }
    }

    /// Turn by a drag of `dx`, `dy` logical pixels (right drag turns the
    /// product to the right: the camera goes left).
    pub fn orbit(&mut self, dx: f32, dy: f32) {
        self.goal.yaw -= dx * DEG_PER_PX;
        self.goal.pitch = (self.goal.pitch + dy * DEG_PER_PX).clamp(-89.0, 89.0);
    }

    /// Move the target in the view plane so the point under the cursor
    /// follows it: `dx`, `dy` logical pixels in a viewport `height` pixels tall.
    pub fn pan(&mut self, dx: f32, dy: f32, height: f32) {
        let g = &mut self.goal;
        let per_px = 2.0 * g.distance * (g.fov.to_radians() * 0.5).tan() / height.max(1.0);
        let (yaw, pitch) = (g.yaw.to_radians(), g.pitch.to_radians());
        let forward = -Vec3::new(
            pitch.cos() * yaw.sin(),
            pitch.sin(),
            pitch.cos() * yaw.cos(),
        );
        let right = forward.cross(Vec3::Y).normalize_or_zero();
        let up = right.cross(forward);
        g.target += (-dx * right + dy * up) * per_px;
    }

    /// Zoom by wheel lines (positive: closer).
    pub fn zoom(&mut self, lines: f32) {
        let d = self.goal.distance * ZOOM_PER_LINE.powf(lines);
        self.goal.distance = d.clamp(self.framed / 20.0, self.framed * 8.0);
    }

    /// Zoom by a pinch factor (> 1: fingers apart, closer).
    pub fn pinch(&mut self, factor: f32) {
        if factor > 0.0 {
            self.zoom(factor.ln() / -ZOOM_PER_LINE.ln());
        }
    }

    /// Go (smoothly) to a new pose, e.g. a named shot or the re-framed view.
    pub fn go_to(&mut self, pose: Pose) {
        // Take the short way round.
        let turns = ((self.current.yaw - pose.yaw) / 360.0).round();
        self.goal = Pose {
            yaw: pose.yaw + turns * 360.0,
            ..pose
        };
        self.framed = pose.distance;
    }

    /// Advance the easing by `dt` seconds; true while still moving.
    pub fn step(&mut self, dt: f32) -> bool {
        if self.current.close_to(&self.goal) {
            self.current = self.goal;
            return false;
        }
        let k = 1.0 - (-dt.max(0.0) / TAU).exp();
        let (c, g) = (&mut self.current, &self.goal);
        c.yaw += (g.yaw - c.yaw) * k;
        c.pitch += (g.pitch - c.pitch) * k;
        // Distance eases in log space: zooming feels even at every scale.
        c.distance *= (g.distance / c.distance.max(1e-9)).powf(k);
        c.fov += (g.fov - c.fov) * k;
        c.target += (g.target - c.target) * k;
        true
    }

    /// Jump to the goal (scripts and tests that want the final pose now).
    pub fn settle(&mut self) {
        self.current = self.goal;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose() -> Pose {
        Pose {
            yaw: 30.0,
            pitch: 10.0,
            distance: 2.0,
            fov: 30.0,
            target: Vec3::ZERO,
        }
    }

    #[test]
    fn easing_converges_and_stops() {
        let mut c = OrbitController::new(pose());
        c.orbit(100.0, 20.0);
        let mut frames = 0;
        while c.step(1.0 / 60.0) {
            frames += 1;
            assert!(frames < 200, "the easing must settle");
        }
        assert_eq!(c.current, c.goal);
        assert!((c.goal.yaw - (30.0 - 35.0)).abs() < 1e-4);
        assert!((c.goal.pitch - 17.0).abs() < 1e-4);
        // Half a second at 60 fps gets well past 99 % of the way.
        let mut c = OrbitController::new(pose());
        c.orbit(100.0, 0.0);
        for _ in 0..30 {
            c.step(1.0 / 60.0);
        }
        assert!((c.current.yaw - c.goal.yaw).abs() < 0.01 * 35.0);
    }

    #[test]
    fn easing_does_not_depend_on_the_frame_rate() {
        let run = |fps: f32| {
            let mut c = OrbitController::new(pose());
            c.orbit(200.0, 0.0);
            for _ in 0..(fps * 0.1) as usize {
                c.step(1.0 / fps);
            }
            c.current.yaw
        };
        assert!((run(30.0) - run(120.0)).abs() < 1e-3);
    }

    #[test]
    fn pitch_is_clamped_and_zoom_is_bounded() {
        let mut c = OrbitController::new(pose());
        c.orbit(0.0, 1e6);
        assert_eq!(c.goal.pitch, 89.0);
        c.zoom(1000.0);
        assert!((c.goal.distance - 0.1).abs() < 1e-6);
        c.zoom(-1000.0);
        assert!((c.goal.distance - 16.0).abs() < 1e-5);
        c.pinch(2.0);
        assert!(c.goal.distance < 16.0);
    }

    #[test]
    fn pan_moves_the_target_across_the_view() {
        let mut c = OrbitController::new(Pose {
            yaw: 0.0,
            pitch: 0.0,
            ..pose()
        });
        // Camera on +Z looking at −Z: dragging right moves the target to −X
        // (the product follows the cursor), by one pixel's world size each.
        c.pan(100.0, 0.0, 1000.0);
        let per_px = 2.0 * 2.0 * (15f32).to_radians().tan() / 1000.0;
        assert!((c.goal.target.x + 100.0 * per_px).abs() < 1e-5);
        assert!(c.goal.target.y.abs() < 1e-6 && c.goal.target.z.abs() < 1e-6);
        c.pan(0.0, 100.0, 1000.0);
        assert!((c.goal.target.y - 100.0 * per_px).abs() < 1e-5);
    }

    #[test]
    fn go_to_takes_the_short_way_round() {
        let mut c = OrbitController::new(Pose {
            yaw: 350.0,
            ..pose()
        });
        c.go_to(Pose {
            yaw: 10.0,
            ..pose()
        });
        assert!((c.goal.yaw - 370.0).abs() < 1e-4);
    }

    #[test]
    fn a_pose_round_trips_through_the_orbit_camera() {
        let bounds = Aabb {
            min: Vec3::splat(-0.5),
            max: Vec3::splat(0.5),
        };
        let shot = OrbitCamera::default();
        let p = Pose::from_orbit(&shot, &bounds, 1.5);
        let o = p.orbit();
        assert_eq!(o.radius(&bounds, 1.5), shot.radius(&bounds, 1.5));
        assert_eq!(o.target_point(&bounds), shot.target_point(&bounds));
        assert_eq!(
            o.view(&bounds, 300, 200),
            shot.view(&bounds, 300, 200),
            "the viewer's resolved pose gives the very same matrices"
        );
    }
}
