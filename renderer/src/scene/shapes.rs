//! Procedural shapes for tests, furnaces and previews.

use super::{Material, Mesh, MeshInstance, Primitive, Scene};
use glam::{Mat4, Vec3};
use std::f32::consts::PI;

/// A UV sphere of `radius` with `segments` around and `rings` from pole to pole,
/// with normals, tangents (along +u) and UVs.
pub fn uv_sphere(radius: f32, segments: u32, rings: u32) -> Primitive {
    let mut p = Primitive::default();
    for r in 0..=rings {
        let v = r as f32 / rings as f32;
        let theta = v * PI;
        for s in 0..=segments {
            let u = s as f32 / segments as f32;
            let phi = u * 2.0 * PI;
            let n = Vec3::new(
                theta.sin() * phi.cos(),
                theta.cos(),
                -theta.sin() * phi.sin(),
            );
            p.positions.push((n * radius).to_array());
            p.normals.push(n.to_array());
            let t = Vec3::new(-phi.sin(), 0.0, -phi.cos());
            p.tangents.push([t.x, t.y, t.z, 1.0]);
            p.uv0.push([u, v]);
        }
    }
    let row = segments + 1;
    for r in 0..rings {
        for s in 0..segments {
            let a = r * row + s;
            let b = a + row;
            p.indices.extend_from_slice(&[a, b, a + 1, a + 1, b, b + 1]);
        }
    }
    p
}

/// A scene of one sphere per material, laid out in a row along +X, 2.5 radii apart.
pub fn sphere_row(materials: Vec<Material>) -> Scene {
    let mut scene = Scene::default();
    let n = materials.len();
    scene.meshes = (0..n)
        .map(|i| {
            let mut prim = uv_sphere(1.0, 96, 48);
            prim.material = Some(i);
            Mesh {
                name: Some(format!("sphere {i}")),
                primitives: vec![prim],
            }
        })
        .collect();
    scene.instances = (0..n)
        .map(|i| MeshInstance {
            mesh: i,
            world: Mat4::from_translation(Vec3::new(
                (i as f32 - (n as f32 - 1.0) * 0.5) * 2.5,
                0.0,
                0.0,
            )),
            node_name: None,
            node: i,
        })
        .collect();
    scene.materials = materials;
    scene.compute_bounds();
    scene
}
