// One cube mip level from the one above: 2×2 box filter per face (energy preserving).

@group(0) @binding(0) var src: texture_2d_array<f32>;
@group(0) @binding(1) var dst: texture_storage_2d_array<rgba16float, write>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst).x;
    if id.x >= size || id.y >= size {
        return;
    }
    let p = vec2<i32>(id.xy) * 2;
    let f = i32(id.z);
    let c = textureLoad(src, p, f, 0) + textureLoad(src, p + vec2<i32>(1, 0), f, 0)
        + textureLoad(src, p + vec2<i32>(0, 1), f, 0) + textureLoad(src, p + vec2<i32>(1, 1), f, 0);
    textureStore(dst, id.xy, id.z, vec4<f32>(c.rgb * 0.25, 1.0));
}
