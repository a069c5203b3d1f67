// Ground contact shadow, first two steps: the product seen from under the
// ground plane (orthographic, straight up) writes how close each surface
// comes to the ground (max-blended: the nearest wins), then a separable
// Gaussian softens it. `ground.wgsl` lays the result on the ground.

struct Ground {
    // clip from world for the view from below: x, z of the footprint → [-1, 1]
    view_proj: mat4x4<f32>,
    // ground height (m), fade height (m), intensity, 0
    params: vec4<f32>,
    // footprint: centre x, centre z, half size (m), 0
    rect: vec4<f32>,
    // blur: texel size (uv), radius (texels), 0, 0
    blur: vec4<f32>,
}

struct Draw {
    model: mat4x4<f32>,
    normal: mat4x4<f32>,
    flags: vec4<f32>,
}

@group(0) @binding(0) var<uniform> ground: Ground;
@group(1) @binding(0) var<uniform> draw: Draw;

struct OccluderOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) height: f32,
}

@vertex
fn vs_occluder(@location(0) position: vec3<f32>) -> OccluderOut {
    var o: OccluderOut;
    let world = draw.model * vec4<f32>(position, 1.0);
    o.clip = ground.view_proj * world;
    o.height = world.y - ground.params.x;
    return o;
}

@fragment
fn fs_occluder(in: OccluderOut) -> @location(0) vec4<f32> {
    // Surfaces at the ground darken fully; the darkness falls off
    // quadratically up to the fade height.
    let t = 1.0 - clamp(in.height / max(ground.params.y, 1e-4), 0.0, 1.0);
    return vec4<f32>(t * t, 0.0, 0.0, 1.0);
}

@group(1) @binding(1) var blur_src: texture_2d<f32>;
@group(1) @binding(2) var blur_sampler: sampler;

struct BlurOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) uv: vec2<f32>,
}

@vertex
fn vs_blur(@builtin(vertex_index) i: u32) -> BlurOut {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    var o: BlurOut;
    o.clip = vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
    o.uv = vec2<f32>(p.x, 1.0 - p.y);
    return o;
}

fn blur(uv: vec2<f32>, dir: vec2<f32>) -> f32 {
    let radius = ground.blur.y;
    let sigma = max(radius / 2.5, 0.5);
    let taps = i32(ceil(radius));
    var sum = 0.0;
    var wsum = 0.0;
    for (var k = -taps; k <= taps; k++) {
        let x = f32(k);
        let w = exp(-0.5 * x * x / (sigma * sigma));
        sum += w * textureSampleLevel(blur_src, blur_sampler, uv + dir * x * ground.blur.x, 0.0).r;
        wsum += w;
    }
    return sum / wsum;
}

@fragment
fn fs_blur_h(in: BlurOut) -> @location(0) vec4<f32> {
    return vec4<f32>(blur(in.uv, vec2<f32>(1.0, 0.0)), 0.0, 0.0, 1.0);
}

@fragment
fn fs_blur_v(in: BlurOut) -> @location(0) vec4<f32> {
    return vec4<f32>(blur(in.uv, vec2<f32>(0.0, 1.0)), 0.0, 0.0, 1.0);
}
