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

// KHR_materials_anisotropy. The microfacet lobe is stretched along the
// tangent `t` of an orthonormal frame (t, b, n): alpha_t along t, alpha_b
// along b; `*_dot_t` / `*_dot_b` are the directions' components in that frame.
// Anisotropic GGX: D = 1 / (π αt αb (ToH²/αt² + BoH²/αb² + NoH²)²), written
// with everything multiplied through by αt²αb² to stay finite for small α.
fn d_ggx_aniso(n_dot_h: f32, t_dot_h: f32, b_dot_h: f32, at: f32, ab: f32) -> f32 {
    let a2 = at * ab;
    let d = vec3<f32>(ab * t_dot_h, at * b_dot_h, a2 * n_dot_h);
    let w = a2 / max(dot(d, d), 1e-12);
    return a2 * w * w / PI;
}

// Height-correlated Smith visibility of the anisotropic lobe,
// V = G2 / (4 N·L N·V) with Λ from the projected roughness
// (Heitz 2014; the form Kulla & Conty 2017 and Filament use).
fn v_smith_ggx_correlated_aniso(
    n_dot_v: f32, t_dot_v: f32, b_dot_v: f32,
    n_dot_l: f32, t_dot_l: f32, b_dot_l: f32,
    at: f32, ab: f32,
) -> f32 {
    let gv = n_dot_l * length(vec3<f32>(at * t_dot_v, ab * b_dot_v, n_dot_v));
    let gl = n_dot_v * length(vec3<f32>(at * t_dot_l, ab * b_dot_l, n_dot_l));
    return 0.5 / max(gv + gl, 1e-7);
}

// The normal the prefiltered environment is read around for an anisotropic
// lobe ("bent normal", Revie 2011 / McAuley 2015 as Filament and the glTF
// Sample Renderer use it): the view direction projected onto the plane
// across the bitangent `b` (the plane of n and the stretch direction),
// mixed back toward `n` as the lobe gets rounder — fully for no
// anisotropy, and for rough surfaces whose lobe is wide both ways.
fn aniso_bent_normal(n: vec3<f32>, v: vec3<f32>, b: vec3<f32>, strength: f32, rough: f32) -> vec3<f32> {
    let across = cross(b, v);
    let plane_n = cross(across, b);
    let bend = 1.0 - strength * (1.0 - rough);
    let bend2 = bend * bend;
    let m = mix(plane_n, n, bend2 * bend2);
    // v along b leaves no plane: keep the normal.
    return select(n, normalize(m), dot(m, m) > 1e-8);
}
