// Per-frame data shared by the surface and background passes (bind group 0).

struct Frame {
    view_proj: mat4x4<f32>,
    inv_view_proj: mat4x4<f32>,
    camera_pos: vec4<f32>,
    // cos(rotation), sin(rotation), intensity, prefiltered mip count - 1
    env: vec4<f32>,
    // light count, 0, 0, 0
    counts: vec4<u32>,
    // x: size of a pixel in world units at unit distance from the eye;
    // y: 1 when `backdrop` holds the opaque scene behind transmissive
    // surfaces; z: log2 of its width
    pixel: vec4<f32>,
    // 1 / width, 1 / height of the image; z: 1 when `ssao_map` holds the
    // screen-space ambient occlusion
    viewport: vec4<f32>,
}

struct Light {
    // xyz position, w range (0 = infinite)
    position_range: vec4<f32>,
    // xyz direction the light points to, w kind (0 directional, 1 point, 2 spot)
    direction_kind: vec4<f32>,
    // linear colour × intensity
    color: vec4<f32>,
    // spot: angle scale, angle offset (KHR_lights_punctual)
    cone: vec4<f32>,
    // shadow map: clip from world; for a point light (z = 2) the cube
    // faces' common clip from face view (punctual.wgsl `cube_face_local`)
    shadow_view_proj: mat4x4<f32>,
    // x: shadow map layer (< 0: none; a point light's first of six),
    // y: texel size (world units; per unit distance when z = 1, per unit
    // depth along the face's axis when z = 2), z: 0 orthographic
    // (directional), 1 perspective (spot), 2 cube (point)
    shadow: vec4<f32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;
@group(0) @binding(1) var<storage, read> lights: array<Light>;
@group(0) @binding(2) var env_specular: texture_cube<f32>;
@group(0) @binding(3) var env_irradiance: texture_cube<f32>;
@group(0) @binding(4) var brdf_lut: texture_2d<f32>;
@group(0) @binding(5) var env_sampler: sampler;
@group(0) @binding(6) var shadow_maps: texture_depth_2d_array;
@group(0) @binding(7) var shadow_sampler: sampler_comparison;
// The opaque scene (premultiplied linear radiance, full mip chain), drawn
// before transmissive surfaces so they can refract it.
@group(0) @binding(8) var backdrop: texture_2d<f32>;
// Screen-space ambient occlusion of the opaque surfaces (half resolution).
@group(0) @binding(9) var ssao_map: texture_2d<f32>;

