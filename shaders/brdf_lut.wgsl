// Split-sum DFG lookup table (Karis 2013) for GGX + height-correlated Smith:
// x = N·V, y = perceptual roughness; r = A (scale of F0), g = B (bias),
// so the single-scattering directional albedo is F0·A + B and A + B = E_ss(F0 = 1),
// used for the multiple-scattering compensation (Fdez-Agüera 2019);
// b = directional albedo of the Charlie sheen lobe (Charlie D, Neubelt V) with
// y read as sheen roughness, which scales the sheen's image-based light and
// dims the layer under it (energy conservation, as Filament and the Khronos
// glTF Sample Viewer do);
// a = where that lobe gathers its light: the tangent of the angle between
// the normal and the lobe's mean (cosine- and BRDF-weighted) incident
// direction, which leans from the normal toward the viewer. The Charlie
// lobe is wider than a cosine lobe and centred nowhere near the mirror
// direction (its mean cosine to it is about 0 for N·V < 0.7), so its
// image-based light is the irradiance map read along that direction.

@group(0) @binding(0) var dst: texture_storage_2d<rgba16float, write>;

const SAMPLES: u32 = 1024u;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst);
    if id.x >= size.x || id.y >= size.y {
        return;
    }
    let n_dot_v = max((f32(id.x) + 0.5) / f32(size.x), 1e-4);
    let rough = (f32(id.y) + 0.5) / f32(size.y);
    let a = rough * rough;
    let v = vec3<f32>(sqrt(1.0 - n_dot_v * n_dot_v), 0.0, n_dot_v);
    var sa = 0.0;
    var sb = 0.0;
    for (var i = 0u; i < SAMPLES; i++) {
        let h = importance_sample_ggx(hammersley(i, SAMPLES), a);
        let v_dot_h = dot(v, h);
        let l = 2.0 * v_dot_h * h - v;
        let n_dot_l = l.z;
        let n_dot_h = h.z;
        if n_dot_l > 0.0 && v_dot_h > 0.0 {
            let vis = v_smith_ggx_correlated(n_dot_v, n_dot_l, a);
            let g = vis * v_dot_h * n_dot_l * 4.0 / n_dot_h;
            let fc = pow(1.0 - v_dot_h, 5.0);
            sa += (1.0 - fc) * g;
            sb += fc * g;
        }
    }
    // Sheen: uniform hemisphere sampling (pdf 1 / 2π).
    let sa_sheen = max(rough * rough, 1e-3);
    var sc = 0.0;
    var mean_l = vec2<f32>(0.0);
    for (var i = 0u; i < SAMPLES; i++) {
        let xi = hammersley(i, SAMPLES);
        let cos_t = 1.0 - xi.y;
        let sin_t = sqrt(max(1.0 - cos_t * cos_t, 0.0));
        let phi = TAU * xi.x;
        let l = vec3<f32>(sin_t * cos(phi), sin_t * sin(phi), cos_t);
        let h = normalize(l + v);
        let w = d_charlie(h.z, sa_sheen) * v_neubelt(n_dot_v, l.z) * l.z * TAU;
        sc += w;
        mean_l += w * l.xz;
    }
    let tilt = mean_l.x / max(mean_l.y, 1e-6);
    textureStore(dst, id.xy, vec4<f32>(sa / f32(SAMPLES), sb / f32(SAMPLES), sc / f32(SAMPLES), tilt));
}
