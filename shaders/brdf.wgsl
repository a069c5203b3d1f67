// Microfacet BRDF pieces (GGX / Trowbridge-Reitz, height-correlated Smith), shared by
// the IBL precomputation and the surface shader. `a` is alpha = perceptual roughness².

fn d_ggx(n_dot_h: f32, a: f32) -> f32 {
    let a2 = a * a;
    let f = (n_dot_h * a2 - n_dot_h) * n_dot_h + 1.0;
    return a2 / (PI * f * f);
}

// Height-correlated Smith visibility V = G / (4 N·L N·V).
fn v_smith_ggx_correlated(n_dot_v: f32, n_dot_l: f32, a: f32) -> f32 {
    let a2 = a * a;
    let gv = n_dot_l * sqrt(n_dot_v * n_dot_v * (1.0 - a2) + a2);
    let gl = n_dot_v * sqrt(n_dot_l * n_dot_l * (1.0 - a2) + a2);
    return 0.5 / max(gv + gl, 1e-7);
}

fn f_schlick(f0: vec3<f32>, f90: vec3<f32>, v_dot_h: f32) -> vec3<f32> {
    let x = clamp(1.0 - v_dot_h, 0.0, 1.0);
    let x2 = x * x;
    return f0 + (f90 - f0) * (x2 * x2 * x);
}

// GGX half-vector sample (tangent space, z = normal) for uniform point xi.
fn importance_sample_ggx(xi: vec2<f32>, a: f32) -> vec3<f32> {
    let phi = TAU * xi.x;
    let cos_t = sqrt((1.0 - xi.y) / (1.0 + (a * a - 1.0) * xi.y));
    let sin_t = sqrt(max(1.0 - cos_t * cos_t, 0.0));
    return vec3<f32>(sin_t * cos(phi), sin_t * sin(phi), cos_t);
}

// "Charlie" sheen distribution (Estevez & Kulla 2017) for cloth and thread;
// `a` is the sheen alpha (sheen roughness²).
fn d_charlie(n_dot_h: f32, a: f32) -> f32 {
    let inv_a = 1.0 / max(a, 1e-3);
    let sin2 = max(1.0 - n_dot_h * n_dot_h, 0.0);
    return (2.0 + inv_a) * pow(sin2, 0.5 * inv_a) / TAU;
}

// Neubelt & Pettineo 2013 cloth visibility (Filament's sheen visibility).
fn v_neubelt(n_dot_v: f32, n_dot_l: f32) -> f32 {
    return 1.0 / max(4.0 * (n_dot_l + n_dot_v - n_dot_l * n_dot_v), 1e-4);
}
