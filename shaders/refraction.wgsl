// Light through transmissive surfaces for the surface shader (pbr.wgsl):
// rays traced inside faceted gems, and the opaque scene seen behind
// refracting surfaces.

// Unpolarised Fresnel reflectance leaving a medium of index `ior` into air,
// `cos_i` the cosine to the facet normal inside (1 at total internal reflection).
fn fresnel_exit(cos_i: f32, ior: f32) -> f32 {
    let sin_t2 = ior * ior * max(1.0 - cos_i * cos_i, 0.0);
    if sin_t2 >= 1.0 {
        return 1.0;
    }
    let cos_t = sqrt(1.0 - sin_t2);
    let rs = (ior * cos_i - cos_t) / (ior * cos_i + cos_t);
    let rp = (ior * cos_t - cos_i) / (ior * cos_t + cos_i);
    return 0.5 * (rs * rs + rp * rp);
}

const GEM_BOUNCES: u32 = 8u;

// Light leaving a faceted gem toward the eye, for one IOR: the refracted ray
// is followed inside the stone's convex polyhedron (its facet planes, in
// mesh space). At each facet the ray leaves with the Fresnel transmittance,
// picking up the environment in its exit direction, and the rest reflects
// inside (all of it beyond the critical angle: total internal reflection),
// attenuated by the volume's absorption over the path. After the last bounce
// what is left leaves along the ray, so no energy is created or lost.
fn trace_gem(world: vec3<f32>, dir_world: vec3<f32>, ior: f32, s: Surface, lod: f32) -> vec3<f32> {
    let rough = s.roughness * clamp(s.ior * 2.0 - 2.0, 0.0, 1.0);
    var travelled = 0.0;
    var p = (draw.inv_model * vec4<f32>(world, 1.0)).xyz;
    var d = normalize((draw.inv_model * vec4<f32>(dir_world, 0.0)).xyz);
    var through = vec3<f32>(1.0);
    var light = vec3<f32>(0.0);
    let first = draw.gem.x;
    let count = draw.gem.y;
    var sigma = vec3<f32>(0.0);
    if s.atten_dist > 0.0 {
        sigma = -log(max(s.atten_color, vec3<f32>(1e-4))) / s.atten_dist;
    }
    for (var bounce = 0u; bounce < GEM_BOUNCES; bounce++) {
        var t_exit = 1e30;
        var n_exit = vec3<f32>(0.0, 1.0, 0.0);
        for (var i = 0u; i < count; i++) {
            let q = gem_planes[first + i];
            let dn = dot(q.xyz, d);
            if dn > 1e-6 {
                let t = (q.w - dot(q.xyz, p)) / dn;
                if t < t_exit {
                    t_exit = t;
                    n_exit = q.xyz;
                }
            }
        }
        if t_exit > 1e29 {
            break;
        }
        t_exit = max(t_exit, 0.0);
        let path = length((draw.model * vec4<f32>(d * t_exit, 0.0)).xyz);
        travelled += path;
        through *= exp(-sigma * path);
        p += d * t_exit;
        let cos_i = dot(d, n_exit);
        let f = fresnel_exit(cos_i, ior);
        if f < 1.0 {
            let out_dir = refract(d, -n_exit, ior);
            let w = normalize((draw.model * vec4<f32>(out_dir, 0.0)).xyz);
            let exit = (draw.model * vec4<f32>(p, 1.0)).xyz;
            light += through * (1.0 - f) * gem_exit_light(exit, w, travelled, rough, lod);
            through *= f;
        }
        d = reflect(d, n_exit);
    }
    let w = normalize((draw.model * vec4<f32>(d, 0.0)).xyz);
    let exit = (draw.model * vec4<f32>(p, 1.0)).xyz;
    return light + through * gem_exit_light(exit, w, travelled, rough, lod);
}

// What a ray leaving a gem at `exit` along `w` sees: the environment, or,
// heading away from the eye, the opaque scene behind the stone (the
// backdrop, read where the ray is after `reach`, its path inside the stone,
// as the screen-space refraction of `behind` does), so a setting and what
// lies under the stone show through it.
fn gem_exit_light(exit: vec3<f32>, w: vec3<f32>, reach: f32, rough: f32, lod: f32) -> vec3<f32> {
    let env = textureSampleLevel(env_specular, env_sampler, env_dir(w, frame.env.xy), lod).rgb * frame.env.z;
    if frame.pixel.y <= 0.0 {
        return env;
    }
    let away = smoothstep(0.0, 0.3, dot(w, normalize(exit - frame.camera_pos.xyz)));
    if away <= 0.0 {
        return env;
    }
    return mix(env, behind(exit + w * reach, rough, env), away);
}

// A gem's transmitted light: one trace, or three with the IOR spread by
// KHR_materials_dispersion (the Khronos sample renderer's spread:
// ±(ior − 1) · 0.025 · dispersion for red and blue) for its fire.
fn gem_light(world: vec3<f32>, v: vec3<f32>, n: vec3<f32>, s: Surface, lod: f32) -> vec3<f32> {
    let dispersion = material.attenuation.w;
    if dispersion <= 0.0 {
        let d = refract(-v, n, 1.0 / s.ior);
        return trace_gem(world, d, s.ior, s, lod);
    }
    let spread = (s.ior - 1.0) * 0.025 * dispersion;
    let iors = vec3<f32>(s.ior - spread, s.ior, s.ior + spread);
    var out = vec3<f32>(0.0);
    for (var c = 0u; c < 3u; c++) {
        let d = refract(-v, n, 1.0 / iors[c]);
        out[c] = trace_gem(world, d, iors[c], s, lod)[c];
    }
    return out;
}

// What a refracted ray sees of the opaque scene: the backdrop where the ray
// leaves the volume (`exit`, projected to the screen), read at a mip level
// that grows with the roughness the IOR spreads (the Khronos sample
// renderer's log2(size) · roughness), over `env` where the backdrop is empty.
fn behind(exit: vec3<f32>, rough: f32, env: vec3<f32>) -> vec3<f32> {
    let clip = frame.view_proj * vec4<f32>(exit, 1.0);
    let ndc = clip.xy / max(clip.w, 1e-6);
    let uv = vec2<f32>(0.5 + 0.5 * ndc.x, 0.5 - 0.5 * ndc.y);
    let seen = textureSampleLevel(backdrop, env_sampler, uv, frame.pixel.z * rough);
    return seen.rgb + (1.0 - seen.a) * env;
}
