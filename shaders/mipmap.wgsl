// One mip level from the level above, by a bilinear fetch at the texel corner
// shared by the four parent texels (a 2×2 box filter). Through an sRGB view both
// the fetch and the write are linearised by the hardware.

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var src_sampler: sampler;

struct MipOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) uv: vec2<f32>,
}

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> MipOut {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    var o: MipOut;
    o.clip = vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
    o.uv = vec2<f32>(p.x, 1.0 - p.y);
    return o;
}

@fragment
fn fs_main(in: MipOut) -> @location(0) vec4<f32> {
    return textureSampleLevel(src, src_sampler, in.uv, 0.0);
}
