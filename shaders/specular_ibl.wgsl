// The surface shader's prefiltered specular lookup (pbr.wgsl): its mip level
// for a roughness, and its occlusion by the ambient-occlusion map.

// Solid angle of the intersection of two spherical caps with half-angles a1 and a2
// whose axes are d radians apart (Tovchigrechko & Vakser 2001).
// Each angle comes as (angle, cosine, sine): the callers know the cosines and
// sines without trigonometry, which software rasterisers pay dearly for.
fn cap_intersection(a1: vec3<f32>, a2: vec3<f32>, d: vec3<f32>) -> f32 {
    if d.x >= a1.x + a2.x {
        return 0.0;
    }
    if d.x <= abs(a1.x - a2.x) {
        // The smaller cap lies inside the larger (its cosine is the larger).
        return TAU * (1.0 - max(a1.y, a2.y));
    }
    let c1 = a1.y;
    let c2 = a2.y;
    let s1 = max(a1.z, 1e-6);
    let s2 = max(a2.z, 1e-6);
    let cd = d.y;
    let sd = max(d.z, 1e-6);
    let t0 = acos(clamp((cd - c1 * c2) / (s1 * s2), -1.0, 1.0));
    let t1 = acos(clamp((c2 - cd * c1) / (sd * s1), -1.0, 1.0));
    let t2 = acos(clamp((c1 - cd * c2) / (sd * s2), -1.0, 1.0));
    return max(2.0 * (PI - t0 - t1 * c1 - t2 * c2), 0.0);
}

// Specular occlusion from the ambient-occlusion map, by cones (after Jimenez et
// al. 2016): the AO value is read as a cone of open directions around the normal
// (a cone of half-angle θ has cosine-weighted visibility sin²θ, so θ = asin √ao),
// the reflection lobe as a cone around the lookup direction r holding half of the
// lobe (tan θh = α, i.e. 2·atan α around r). The visible share of the lobe's part
// above the surface: 1 for ao = 1 whatever the view, and reflections that leave a
// cavity at a grazing angle are hidden, which a scalar AO factor cannot do.
fn specular_ao(n: vec3<f32>, r: vec3<f32>, ao: f32, rough: f32) -> f32 {
    if ao >= 1.0 {
        return 1.0;
    }
    // sin θ = √ao
    let sin_vis = sqrt(clamp(ao, 0.0, 1.0));
    let vis = vec3<f32>(asin(sin_vis), sqrt(max(1.0 - sin_vis * sin_vis, 0.0)), sin_vis);
    // The lobe's half-angle 2·atan α, within [0.01, π/2]: its cosine and sine
    // from t = tan(half of it).
    let t = clamp(rough * rough, 0.0050000417, 1.0); // tan(0.005)
    let lobe = vec3<f32>(2.0 * atan(t), (1.0 - t * t) / (1.0 + t * t), 2.0 * t / (1.0 + t * t));
    let cd = clamp(dot(n, r), -1.0, 1.0);
    let d = vec3<f32>(acos(cd), cd, sqrt(max(1.0 - cd * cd, 0.0)));
    let above = cap_intersection(vec3<f32>(0.5 * PI, 0.0, 1.0), lobe, d);
    return clamp(cap_intersection(vis, lobe, d) / max(above, 1e-6), 0.0, 1.0);
}

// Prefiltered mip for perceptual roughness `rough`. Mip i holds
// α_i = α0 · (1/α0)^(i / max_lod) (`level_alpha` in renderer/src/ibl/mod.rs; α0 is
// the lobe one texel of mip 0 wide, narrower lobes read mip 0). Between two levels
// the blend weight is linear in α, so the blended lobe has the mean angular radius
// (∝ α) of the wanted one.
fn specular_lod(rough: f32) -> f32 {
    let a0 = min(0.5 * PI / 1.29 / f32(textureDimensions(env_specular).x), 1.0);
    let max_lod = frame.env.w;
    let a = rough * rough;
    if a <= a0 || max_lod < 1.0 {
        return 0.0;
    }
    // log2 of the α ratio of neighbouring levels
    let step = -log2(a0) / max_lod;
    let l = min(floor(log2(a / a0) / step), max_lod - 1.0);
    let lo = a0 * exp2(l * step);
    let hi = lo * exp2(step);
    return l + clamp((a - lo) / (hi - lo), 0.0, 1.0);
}
