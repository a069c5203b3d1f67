// Split-sum DFG lookup table (Karis 2013) for GGX + height-correlated Smith:
// x = N·V, y = perceptual roughness; r = A (scale of F0), g = B (bias),
// so the single-scattering directional albedo is F0·A + B and A + B = E_ss(F0 = 1),
// used for the multiple-scattering compensation (Fdez-Agüera 2019).

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
    textureStore(dst, id.xy, vec4<f32>(sa / f32(SAMPLES), sb / f32(SAMPLES), 0.0, 1.0));
}
