// The display pass's source: the multisampled HDR image, resolved here (the
// box filter a resolve attachment applies) rather than by a resolve pass
// that writes and reads back a whole image.
@group(0) @binding(0) var src: texture_multisampled_2d<f32>;
override SAMPLES: u32 = 4u;

fn texel(p: vec2<u32>) -> vec4<f32> {
    var acc = vec4<f32>(0.0);
    for (var i = 0u; i < SAMPLES; i++) {
        acc += textureLoad(src, p, i);
    }
    return acc / f32(SAMPLES);
}
