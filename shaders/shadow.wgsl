// Shadow maps of KHR_lights_punctual lights: the product's depth as each
// light (or each cube face of a point light) sees it (depth only, no
// fragment stage).

struct Caster {
    view_proj: mat4x4<f32>,
}

struct Draw {
    model: mat4x4<f32>,
    normal: mat4x4<f32>,
    flags: vec4<f32>,
}

@group(0) @binding(0) var<uniform> caster: Caster;
@group(1) @binding(0) var<uniform> draw: Draw;

@vertex
fn vs_main(@location(0) position: vec3<f32>) -> @builtin(position) vec4<f32> {
    return caster.view_proj * (draw.model * vec4<f32>(position, 1.0));
}
