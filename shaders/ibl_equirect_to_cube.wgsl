// Equirectangular radiance -> cube map (mip 0), 2×2 supersampled per texel.
// Mapping (shared/reference convention, three.js equirectUv): u = 0.5 + atan2(z, x) / 2π,
// v = 0.5 + asin(y) / π with v growing upwards; image rows run top-down.

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var src_sampler: sampler;
@group(0) @binding(2) var dst: texture_storage_2d_array<rgba16float, write>;

fn equirect_uv(d: vec3<f32>) -> vec2<f32> {
    let u = 0.5 + atan2(d.z, d.x) / TAU;
    let v = 0.5 - asin(clamp(d.y, -1.0, 1.0)) / PI;
    return vec2<f32>(u, v);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst).x;
    if id.x >= size || id.y >= size {
        return;
    }
    var acc = vec3<f32>(0.0);
    for (var s = 0u; s < 4u; s++) {
        let off = vec2<f32>(f32(s & 1u), f32(s >> 1u)) * 0.5 + 0.25;
        let uv = (vec2<f32>(id.xy) + off) / f32(size) * 2.0 - 1.0;
        let d = cube_dir(id.z, uv);
        acc += textureSampleLevel(src, src_sampler, equirect_uv(d), 0.0).rgb;
    }
    textureStore(dst, id.xy, id.z, vec4<f32>(acc * 0.25, 1.0));
}
