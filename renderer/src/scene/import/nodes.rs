//! The node hierarchy of the default scene: world transforms, mesh
//! instances, punctual lights and cameras.

use glam::{Mat4, Quat, Vec3};
use gltf::json;
use gltf::json::validation::Checked;

use super::ImportError;
use crate::scene::{CameraProjection, Light, LightKind, MeshInstance, Scene, SceneCamera};

/// A node of the default scene with its world transform.
pub(super) struct Placed {
    pub node: usize,
    pub world: Mat4,
    pub mesh: Option<usize>,
}

fn local_transform(node: &json::Node) -> Mat4 {
    if let Some(m) = node.matrix {
        return Mat4::from_cols_array(&m);
    }
    let t = Vec3::from(node.translation.unwrap_or([0.0; 3]));
    let s = Vec3::from(node.scale.unwrap_or([1.0; 3]));
    let r = node.rotation.map_or(Quat::IDENTITY, |r| {
        let q = Quat::from_array(r.0);
        let len2 = q.length_squared();
        if len2.is_finite() && len2 > 1e-12 {
            q.normalize()
        } else {
            Quat::IDENTITY
        }
    });
    Mat4::from_scale_rotation_translation(s, r, t)
}

/// Check that the nodes form disjoint trees: every child index exists, no
/// node has two parents, no cycles. Returns each node's parent.
fn check_node_forest(nodes: &[json::Node]) -> Result<Vec<Option<usize>>, ImportError> {
    let mut parent = vec![None; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for c in node.children.iter().flatten() {
            let c = c.value();
            let slot = parent
                .get_mut(c)
                .ok_or_else(|| ImportError::MissingReference {
                    from: format!("node {i}"),
                    kind: "node",
                    index: c,
                })?;
            if c == i {
                return Err(ImportError::CyclicNodeGraph { node: i });
            }
            if slot.is_some() {
                return Err(ImportError::MultipleParents { node: c });
            }
            *slot = Some(i);
        }
    }
    // With at most one parent each, a node that no root reaches is on a cycle.
    let mut reached = vec![false; nodes.len()];
    let mut stack: Vec<usize> = (0..nodes.len()).filter(|&i| parent[i].is_none()).collect();
    while let Some(i) = stack.pop() {
        reached[i] = true;
        stack.extend(nodes[i].children.iter().flatten().map(|c| c.value()));
    }
    if let Some(node) = reached.iter().position(|r| !r) {
        return Err(ImportError::CyclicNodeGraph { node });
    }
    Ok(parent)
}

/// Every node of the default scene, parents before children, with world
/// transforms. Iterative: deep hierarchies cannot overflow the stack.
pub(super) fn traverse_default_scene(root: &json::Root) -> Result<Vec<Placed>, ImportError> {
    let parent = check_node_forest(&root.nodes)?;
    let roots: Vec<usize> = match root.scene.map(|s| s.value()) {
        Some(s) => {
            let scene = root.scenes.get(s).ok_or(ImportError::MissingReference {
                from: "the document's `scene`".into(),
                kind: "scene",
                index: s,
            })?;
            scene.nodes.iter().map(|n| n.value()).collect()
        }
        None => match root.scenes.first() {
            Some(scene) => scene.nodes.iter().map(|n| n.value()).collect(),
            None if root.nodes.is_empty() => return Err(ImportError::NoScene),
            None => (0..root.nodes.len())
                .filter(|&i| parent[i].is_none())
                .collect(),
        },
    };
    let mut visited = vec![false; root.nodes.len()];
    let mut placed = Vec::new();
    let mut stack: Vec<(usize, Mat4)> = roots.iter().rev().map(|&n| (n, Mat4::IDENTITY)).collect();
    while let Some((n, parent_world)) = stack.pop() {
        let node = root
            .nodes
            .get(n)
            .ok_or_else(|| ImportError::MissingReference {
                from: "the default scene".into(),
                kind: "node",
                index: n,
            })?;
        // The forest check rules out cycles; a node reached twice was listed
        // twice by the scene (or as a root and below another root).
        if std::mem::replace(&mut visited[n], true) {
            return Err(ImportError::MultipleParents { node: n });
        }
        let world = parent_world * local_transform(node);
        placed.push(Placed {
            node: n,
            world,
            mesh: node.mesh.map(|m| m.value()),
        });
        for c in node.children.iter().flatten().rev() {
            stack.push((c.value(), world));
        }
    }
    for p in &placed {
        if let Some(m) = p.mesh
            && m >= root.meshes.len()
        {
            return Err(ImportError::MissingReference {
                from: format!("node {}", p.node),
                kind: "mesh",
                index: m,
            });
        }
    }
    Ok(placed)
}

/// Instances, lights and cameras of the placed nodes.
pub(super) fn place(
    root: &json::Root,
    placed: &[Placed],
    scene: &mut Scene,
) -> Result<(), ImportError> {
    let lights: &[json::extensions::scene::khr_lights_punctual::Light] = root
        .extensions
        .as_ref()
        .and_then(|e| e.khr_lights_punctual.as_ref())
        .map_or(&[], |l| l.lights.as_slice());
    scene.nodes = root
        .nodes
        .iter()
        .map(|n| crate::scene::Node {
            name: n.name.clone(),
            parent: None,
            mesh: n.mesh.map(|m| m.value()),
        })
        .collect();
    for (i, n) in root.nodes.iter().enumerate() {
        for c in n.children.iter().flatten() {
            if let Some(child) = scene.nodes.get_mut(c.value()) {
                child.parent = Some(i);
            }
        }
    }
    for p in placed {
        let node = &root.nodes[p.node];
        if let Some(mesh) = p.mesh {
            scene.instances.push(MeshInstance {
                mesh,
                world: p.world,
                node_name: node.name.clone(),
                node: p.node,
            });
        }
        if let Some(c) = node.camera {
            let cam = root
                .cameras
                .get(c.value())
                .ok_or_else(|| ImportError::MissingReference {
                    from: format!("node {}", p.node),
                    kind: "camera",
                    index: c.value(),
                })?;
            if let Some(camera) = convert_camera(cam, node, p.world) {
                scene.cameras.push(camera);
            } else {
                tracing::warn!(
                    camera = c.value(),
                    "camera without a valid projection skipped"
                );
            }
        }
        let light = node
            .extensions
            .as_ref()
            .and_then(|e| e.khr_lights_punctual.as_ref())
            .map(|l| l.light.value());
        if let Some(l) = light {
            let light = lights.get(l).ok_or_else(|| ImportError::MissingReference {
                from: format!("node {}", p.node),
                kind: "KHR_lights_punctual light",
                index: l,
            })?;
            match convert_light(light, p.world) {
                Some(light) => scene.lights.push(light),
                None => tracing::warn!(light = l, "light of unknown type skipped"),
            }
        }
    }
    Ok(())
}

fn convert_camera(cam: &json::Camera, node: &json::Node, world: Mat4) -> Option<SceneCamera> {
    use json::camera::Type;
    let projection = match (&cam.type_, &cam.perspective, &cam.orthographic) {
        (Checked::Valid(Type::Perspective), Some(p), _) => CameraProjection::Perspective {
            yfov: p.yfov,
            aspect_ratio: p.aspect_ratio,
            znear: p.znear,
            zfar: p.zfar,
        },
        (Checked::Valid(Type::Orthographic), _, Some(o)) => CameraProjection::Orthographic {
            xmag: o.xmag,
            ymag: o.ymag,
            znear: o.znear,
            zfar: o.zfar,
        },
        _ => return None,
    };
    let (_, rotation, translation) = world.to_scale_rotation_translation();
    Some(SceneCamera {
        name: cam.name.clone().or_else(|| node.name.clone()),
        world: Mat4::from_rotation_translation(rotation, translation),
        projection,
    })
}

fn convert_light(
    l: &json::extensions::scene::khr_lights_punctual::Light,
    world: Mat4,
) -> Option<Light> {
    use json::extensions::scene::khr_lights_punctual::Type;
    let kind = match l.type_ {
        Checked::Valid(Type::Directional) => LightKind::Directional,
        Checked::Valid(Type::Point) => LightKind::Point,
        Checked::Valid(Type::Spot) => {
            let (inner, outer) = l
                .spot
                .as_ref()
                .map_or((0.0, std::f32::consts::FRAC_PI_4), |s| {
                    (s.inner_cone_angle, s.outer_cone_angle)
                });
            LightKind::Spot {
                inner_cone_angle: inner,
                outer_cone_angle: outer,
            }
        }
        Checked::Invalid => return None,
    };
    let direction = world.transform_vector3(Vec3::NEG_Z);
    let direction = if direction.is_finite() && direction.length_squared() > 1e-24 {
        direction.normalize()
    } else {
        Vec3::NEG_Z
    };
    Some(Light {
        name: l.name.clone(),
        kind,
        color: l.color,
        intensity: l.intensity,
        range: l.range.filter(|r| *r > 0.0),
        position: world.transform_point3(Vec3::ZERO),
        direction,
    })
}
