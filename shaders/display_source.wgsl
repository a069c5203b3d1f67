// The display pass's source: the resolved HDR image (no MSAA).
@group(0) @binding(0) var src: texture_2d<f32>;

fn texel(p: vec2<u32>) -> vec4<f32> {
    return textureLoad(src, p, 0);
}
