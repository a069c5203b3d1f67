// GGX-prefiltered specular radiance for one roughness (one mip of the output cube),
// importance sampled with filtered importance sampling (Křivánek & Colbert 2008):
// each sample reads the source cube at the mip whose texel solid angle matches the
// sample's share of the lobe, which removes fireflies from bright, small lights.
// No extra lod bias: a coarser read smears a lamp or the sun beyond the lobe; the
// sample count grows for the small, rough mips instead (`prefilter_samples`).

struct Params {
    roughness: f32,
    sample_count: u32,
    src_size: f32,
    src_mips: f32,
}

@group(0) @binding(0) var src: texture_cube<f32>;
@group(0) @binding(1) var src_sampler: sampler;
@group(0) @binding(2) var dst: texture_storage_2d_array<rgba16float, write>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst).x;
    if id.x >= size || id.y >= size {
        return;
    }
    let n = cube_dir(id.z, texel_uv(id.xy, size));
    let a = params.roughness * params.roughness;
    let tbn = basis(n);
    let omega_p = 4.0 * PI / (6.0 * params.src_size * params.src_size);
    var acc = vec3<f32>(0.0);
    var weight = 0.0;
    for (var i = 0u; i < params.sample_count; i++) {
        let h = tbn * importance_sample_ggx(hammersley(i, params.sample_count), a);
        let n_dot_h = max(dot(n, h), 0.0);
        // V = N, so L = reflect(-N, H) and V·H = N·H.
        let l = 2.0 * n_dot_h * h - n;
        let n_dot_l = dot(n, l);
        if n_dot_l > 0.0 {
            let pdf = d_ggx(n_dot_h, a) * 0.25;
            let omega_s = 1.0 / (f32(params.sample_count) * pdf + 1e-6);
            let lod = clamp(0.5 * log2(omega_s / omega_p), 0.0, params.src_mips - 1.0);
            acc += textureSampleLevel(src, src_sampler, l, lod).rgb * n_dot_l;
            weight += n_dot_l;
        }
    }
    textureStore(dst, id.xy, id.z, vec4<f32>(acc / max(weight, 1e-6), 1.0));
}
