// Diffuse irradiance: an exact cosine-weighted integral over every texel of a low
// mip of the radiance cube (solid-angle weighted), not spherical harmonics, so
// narrow dark bands between bright areas survive. Stores E/π, the outgoing radiance
// of a white Lambertian surface.

@group(0) @binding(0) var src: texture_2d_array<f32>;
@group(0) @binding(1) var dst: texture_storage_2d_array<rgba16float, write>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst).x;
    if id.x >= size || id.y >= size {
        return;
    }
    let n = cube_dir(id.z, texel_uv(id.xy, size));
    let s = textureDimensions(src).x;
    let texel_area = 4.0 / f32(s * s);
    var acc = vec3<f32>(0.0);
    for (var f = 0u; f < 6u; f++) {
        for (var y = 0u; y < s; y++) {
            for (var x = 0u; x < s; x++) {
                let uv = texel_uv(vec2<u32>(x, y), s);
                let r2 = 1.0 + dot(uv, uv);
                let d = cube_dir(f, uv);
                let c = dot(n, d);
                if c > 0.0 {
                    let d_omega = texel_area / (r2 * sqrt(r2));
                    acc += textureLoad(src, vec2<u32>(x, y), f, 0).rgb * (c * d_omega);
                }
            }
        }
    }
    textureStore(dst, id.xy, id.z, vec4<f32>(acc * INV_PI, 1.0));
}
