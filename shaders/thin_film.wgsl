// Thin-film interference (KHR_materials_iridescence; Belcour & Barla 2017,
// "A Practical Extension to Microfacet Theory for the Modeling of Varying
// Iridescence"): the reflectance of a film of index `film_ior` and thickness
// `thickness` nm over a base of normal reflectance `base_f0`, seen from air at
// `cos1`. The spectral integral is the paper's analytic one: the CIE
// sensitivities fitted by Gaussians, evaluated in XYZ and taken to linear
// Rec. 709 (sRGB primaries).
fn iridescence_sensitivity(opd: f32, shift: vec3<f32>) -> vec3<f32> {
    let phase = 2.0 * PI * opd * 1.0e-9;
    let val = vec3<f32>(5.4856e-13, 4.4201e-13, 5.2481e-13);
    let pos = vec3<f32>(1.6810e+06, 1.7953e+06, 2.2084e+06);
    let var_ = vec3<f32>(4.3278e+09, 9.3046e+09, 6.6121e+09);
    var xyz = val * sqrt(2.0 * PI * var_) * cos(pos * phase + shift) * exp(-phase * phase * var_);
    xyz.x += 9.7470e-14 * sqrt(2.0 * PI * 4.5282e+09) * cos(2.2399e+06 * phase + shift.x)
        * exp(-4.5282e+09 * phase * phase);
    xyz /= 1.0685e-7;
    return vec3<f32>(
        3.2404542 * xyz.x - 1.5371385 * xyz.y - 0.4985314 * xyz.z,
        -0.9692660 * xyz.x + 1.8760108 * xyz.y + 0.0415560 * xyz.z,
        0.0556434 * xyz.x - 0.2040259 * xyz.y + 1.0572252 * xyz.z,
    );
}

fn schlick3(f0: vec3<f32>, c: f32) -> vec3<f32> {
    return f0 + (1.0 - f0) * pow(1.0 - c, 5.0);
}

fn iridescence_fresnel(cos1: f32, film_ior: f32, thickness: f32, base_f0: vec3<f32>) -> vec3<f32> {
    // A vanishing film fades to no film (the spec's smoothstep over 0–30 nm).
    let eta2 = mix(1.0, film_ior, smoothstep(0.0, 30.0, thickness));
    let sin2_sq = (1.0 - cos1 * cos1) / (eta2 * eta2);
    let cos2_sq = 1.0 - sin2_sq;
    if cos2_sq < 0.0 {
        return vec3<f32>(1.0);
    }
    let cos2 = sqrt(cos2_sq);
    // Air–film interface.
    let r0 = pow((eta2 - 1.0) / (eta2 + 1.0), 2.0);
    let r12 = r0 + (1.0 - r0) * pow(1.0 - cos1, 5.0);
    let t121 = 1.0 - r12;
    let phi12 = select(0.0, PI, eta2 < 1.0);
    let phi21 = PI - phi12;
    // Film–base interface; the base's IOR from its normal reflectance.
    let sqrt_f0 = sqrt(clamp(base_f0, vec3<f32>(0.0), vec3<f32>(0.9999)));
    let eta3 = (1.0 + sqrt_f0) / (1.0 - sqrt_f0);
    let r1 = pow((eta3 - eta2) / (eta3 + eta2), vec3<f32>(2.0));
    let r23 = schlick3(r1, cos2);
    let phi23 = select(vec3<f32>(0.0), vec3<f32>(PI), eta3 < vec3<f32>(eta2));
    // Optical path difference and phase.
    let opd = 2.0 * eta2 * thickness * cos2;
    let phi = vec3<f32>(phi21) + phi23;
    let r123 = clamp(r12 * r23, vec3<f32>(1e-5), vec3<f32>(0.9999));
    let sqrt_r123 = sqrt(r123);
    let rs = t121 * t121 * r23 / (1.0 - r123);
    var i = r12 + rs;
    var cm = rs - t121;
    for (var m = 1; m <= 2; m++) {
        cm *= sqrt_r123;
        let sm = 2.0 * iridescence_sensitivity(f32(m) * opd, f32(m) * phi);
        i += cm * sm;
    }
    return max(i, vec3<f32>(0.0));
}
