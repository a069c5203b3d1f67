// Ground contact shadow, last step: a quad on the ground under the product,
// drawn in the surface pass after opaque surfaces (depth-tested, not
// written), black with the shadow as premultiplied alpha. Over a
// transparent background the shadow is in the alpha alone, so it
// composites onto any page; the product's own pixels are untouched.

struct Ground {
    view_proj: mat4x4<f32>,
    // ground height (m), fade height (m), intensity, 0
    params: vec4<f32>,
    // footprint: centre x, centre z, half size (m), 0
    rect: vec4<f32>,
    blur: vec4<f32>,
}

@group(1) @binding(0) var<uniform> ground: Ground;
@group(1) @binding(1) var ground_map: texture_2d<f32>;
@group(1) @binding(2) var ground_sampler: sampler;

struct PlaneOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) uv: vec2<f32>,
}

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> PlaneOut {
    // Two triangles over the footprint.
    var corners = array<vec2<f32>, 6>(
        vec2<f32>(0.0, 0.0), vec2<f32>(1.0, 0.0), vec2<f32>(1.0, 1.0),
        vec2<f32>(0.0, 0.0), vec2<f32>(1.0, 1.0), vec2<f32>(0.0, 1.0),
    );
    let c = corners[i];
    let x = ground.rect.x + (c.x * 2.0 - 1.0) * ground.rect.z;
    let z = ground.rect.y + (c.y * 2.0 - 1.0) * ground.rect.z;
    var o: PlaneOut;
    o.clip = frame.view_proj * vec4<f32>(x, ground.params.x, z, 1.0);
    // The map's v runs against +z (its rows were written top-down in clip y).
    o.uv = vec2<f32>(c.x, 1.0 - c.y);
    return o;
}

@fragment
fn fs_main(in: PlaneOut) -> @location(0) vec4<f32> {
    let s = textureSample(ground_map, ground_sampler, in.uv).r;
    // Fade to nothing at the footprint's border.
    let edge = min(min(in.uv.x, 1.0 - in.uv.x), min(in.uv.y, 1.0 - in.uv.y));
    let a = clamp(s * ground.params.z * smoothstep(0.0, 0.08, edge), 0.0, 1.0);
    return vec4<f32>(0.0, 0.0, 0.0, a);
}
