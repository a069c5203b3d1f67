// The surface pass: glTF metallic-roughness materials lit by the prefiltered
// environment (split-sum with multiple-scattering compensation, Fdez-Agüera 2019)
// and KHR_lights_punctual lights. Outputs linear, premultiplied radiance.

struct TexSlot {
    // uv' = (dot(row0.xyz, (uv, 1)), dot(row1.xyz, (uv, 1))); row0.w = UV set
    row0: vec4<f32>,
    row1: vec4<f32>,
}

struct Material {
    base_color: vec4<f32>,
    // rgb × emissive strength
    emissive: vec4<f32>,
    // metallic, roughness, normal scale, occlusion strength
    params: vec4<f32>,
    // alpha mode (0 opaque, 1 mask, 2 blend), cutoff, unlit, double sided;
    // z and w are not read here: unlit is the pipeline's UNLIT constant and
    // double-sidedness its cull mode
    alpha: vec4<f32>,
    // x: texture presence bits, one per slot (1 base, 2 metal-rough, 4 normal,
    // 8 occlusion, 16 emissive, 32 clearcoat, 64 clearcoat roughness,
    // 128 clearcoat normal, 256 sheen colour, 512 sheen roughness,
    // 1024 specular, 2048 specular colour, 4096 transmission, 8192 thickness,
    // 16384 iridescence, 32768 iridescence thickness, 65536 anisotropy);
    // y: 1 when the material has a volume (KHR_materials_volume)
    flags: vec4<u32>,
    // KHR_materials_clearcoat: factor, roughness, normal scale, present
    clearcoat: vec4<f32>,
    // KHR_materials_sheen: colour, roughness
    sheen: vec4<f32>,
    // KHR_materials_specular: factor, colour
    specular: vec4<f32>,
    // KHR_materials_ior: ior; KHR_materials_transmission: factor;
    // KHR_materials_volume: thickness (model units), attenuation distance
    dielectric: vec4<f32>,
    // KHR_materials_volume: attenuation colour; w: KHR_materials_dispersion
    // (20 / Abbe number). The thickness is scaled to the world by the draw's
    // model matrix in material_layers.
    attenuation: vec4<f32>,
    // KHR_materials_iridescence: factor, film IOR, maximum and minimum film
    // thickness (nm)
    iridescence: vec4<f32>,
    // KHR_materials_anisotropy: strength, cos and sin of the rotation,
    // 1 when shaded
    anisotropy: vec4<f32>,
    slots: array<TexSlot, 17>,
}

struct Draw {
    model: mat4x4<f32>,
    normal: mat4x4<f32>,
    // x: +1, or -1 when the transform mirrors (negative determinant)
    flags: vec4<f32>,
    // model from world
    inv_model: mat4x4<f32>,
    // gem facet planes: first, count (0: not a gem)
    gem: vec4<u32>,
}

@group(1) @binding(0) var<uniform> material: Material;
@group(1) @binding(1) var t_base: texture_2d<f32>;
@group(1) @binding(2) var t_mr: texture_2d<f32>;
@group(1) @binding(3) var t_normal: texture_2d<f32>;
@group(1) @binding(4) var t_occlusion: texture_2d<f32>;
@group(1) @binding(5) var t_emissive: texture_2d<f32>;
@group(1) @binding(6) var t_clearcoat: texture_2d<f32>;
@group(1) @binding(7) var t_clearcoat_rough: texture_2d<f32>;
@group(1) @binding(8) var t_clearcoat_normal: texture_2d<f32>;
@group(1) @binding(9) var t_sheen_color: texture_2d<f32>;
@group(1) @binding(10) var t_sheen_rough: texture_2d<f32>;
@group(1) @binding(11) var t_specular: texture_2d<f32>;
@group(1) @binding(12) var t_specular_color: texture_2d<f32>;
@group(1) @binding(13) var t_transmission: texture_2d<f32>;
@group(1) @binding(14) var t_thickness: texture_2d<f32>;
@group(1) @binding(15) var t_iridescence: texture_2d<f32>;
@group(1) @binding(16) var t_iridescence_thickness: texture_2d<f32>;
@group(1) @binding(17) var t_anisotropy: texture_2d<f32>;
@group(1) @binding(18) var s_base: sampler;
@group(1) @binding(19) var s_mr: sampler;
@group(1) @binding(20) var s_normal: sampler;
@group(1) @binding(21) var s_occlusion: sampler;
@group(1) @binding(22) var s_emissive: sampler;
@group(1) @binding(23) var s_clearcoat: sampler;
@group(1) @binding(24) var s_clearcoat_rough: sampler;
@group(1) @binding(25) var s_clearcoat_normal: sampler;
@group(1) @binding(26) var s_sheen_color: sampler;
@group(1) @binding(27) var s_sheen_rough: sampler;
@group(1) @binding(28) var s_specular: sampler;
@group(1) @binding(29) var s_specular_color: sampler;
@group(1) @binding(30) var s_transmission: sampler;
@group(1) @binding(31) var s_thickness: sampler;
@group(1) @binding(32) var s_iridescence: sampler;
@group(1) @binding(33) var s_iridescence_thickness: sampler;
@group(1) @binding(34) var s_anisotropy: sampler;

@group(2) @binding(0) var<uniform> draw: Draw;
// Facet planes of the scene's gems, in mesh space: xyz outward normal, w offset.
@group(2) @binding(1) var<storage, read> gem_planes: array<vec4<f32>>;

// Alpha-tested (MASK) pipelines only: the opaque pipeline has no `discard`, so
// rasterisers (llvmpipe included) can test depth before shading.
override ALPHA_MASK: bool = false;
// Specialisations (the pipeline key): materials with clearcoat, sheen,
// specular or a non-default IOR, and draws that receive decals. Without
// them the code is compiled out, which keeps software rasterisers fast.
override LAYERS: bool = false;
override DECALS: bool = false;
// Faceted stones: light traced inside the convex gem (see trace_gem).
override GEM: bool = false;
// The material's core textures, as presence bits (1 base colour, 2
// metallic-roughness, 4 normal, 8 occlusion, 16 emissive): absent ones are
// compiled out. Software rasterisers (llvmpipe) run both sides of a branch
// on a uniform, so a runtime test would not save the work. An absent texture
// is bound as white, so the default (all present) is right for any material.
override TEXTURES: u32 = 31u;
// The occlusion texture is the metallic-roughness one, with the same UV set
// and transform (glTF's packed ORM: R occlusion, G roughness, B metallic):
// read once.
override ORM: bool = false;
// Every core texture (slots 0–4) reads UV set 0 with no KHR_texture_transform:
// their per-slot UV-set choice and transform are skipped.
override UV_PLAIN: bool = false;
// KHR_materials_unlit: the base colour, no shading.
override UNLIT: bool = false;
// The frame has punctual lights / screen-space ambient occlusion.
override LIGHTS: bool = true;
override SSAO: bool = true;

struct VertexIn {
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
}

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) world: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
}

@vertex
fn vs_main(v: VertexIn) -> VertexOut {
    var o: VertexOut;
    let world = draw.model * vec4<f32>(v.position, 1.0);
    o.world = world.xyz;
    o.clip = frame.view_proj * world;
    let nm = mat3x3<f32>(draw.normal[0].xyz, draw.normal[1].xyz, draw.normal[2].xyz);
    o.normal = nm * v.normal;
    let m3 = mat3x3<f32>(draw.model[0].xyz, draw.model[1].xyz, draw.model[2].xyz);
    // The bitangent sign flips with a mirroring transform.
    o.tangent = vec4<f32>(m3 * v.tangent.xyz, v.tangent.w * draw.flags.x);
    o.uv0 = v.uv0;
    o.uv1 = v.uv1;
    o.color = v.color;
    return o;
}

fn slot_uv(i: u32, in: VertexOut) -> vec2<f32> {
    if UV_PLAIN && i <= 4u {
        return in.uv0;
    }
    let s = material.slots[i];
    let uv = select(in.uv0, in.uv1, s.row0.w > 0.5);
    let p = vec3<f32>(uv, 1.0);
    return vec2<f32>(dot(s.row0.xyz, p), dot(s.row1.xyz, p));
}

// Whether the material has the texture of slot bit `bit` (core slots from the
// pipeline's `TEXTURES`, the layers' from the material).
fn has(bit: u32) -> bool {
    if bit <= 16u {
        return (TEXTURES & bit) != 0u;
    }
    return (material.flags.x & bit) != 0u;
}

struct Surface {
    albedo: vec3<f32>,
    alpha: f32,
    metallic: f32,
    roughness: f32,
    n: vec3<f32>,
    ng: vec3<f32>,
    ao: f32,
    emissive: vec3<f32>,
    // Charlie sheen (cloth, thread); black = none
    sheen_color: vec3<f32>,
    sheen_roughness: f32,
    // dielectric reflectance at normal incidence (ior × specular colour) and
    // its strength at grazing angles (specular factor)
    f0_dielectric: vec3<f32>,
    f90_dielectric: f32,
    // clearcoat layer: strength, roughness, its own normal
    coat: f32,
    coat_roughness: f32,
    coat_n: vec3<f32>,
    // KHR_materials_transmission / _volume: share of the dielectric base
    // that is transmitted, IOR, path length (world units, 0 = thin
    // walled) and Beer–Lambert attenuation
    transmission: f32,
    ior: f32,
    thickness: f32,
    atten_color: vec3<f32>,
    atten_dist: f32,
    // KHR_materials_iridescence: strength, film IOR, thickness in nm
    irid: f32,
    irid_ior: f32,
    irid_thickness: f32,
    // KHR_materials_anisotropy: strength (0 = isotropic) and the orthonormal
    // frame around n the lobe is stretched in (along aniso_t)
    aniso: f32,
    aniso_t: vec3<f32>,
    aniso_b: vec3<f32>,
}

fn surface(in: VertexOut, front: bool) -> Surface {
    var s: Surface;
    var base = material.base_color * in.color;
    if has(1u) {
        base *= textureSample(t_base, s_base, slot_uv(0u, in));
    }
    s.albedo = base.rgb;
    s.alpha = base.a;
    var metallic = material.params.x;
    var roughness = material.params.y;
    var mr = vec4<f32>(1.0);
    if has(2u) {
        mr = textureSample(t_mr, s_mr, slot_uv(1u, in));
        roughness *= mr.g;
        metallic *= mr.b;
    }
    s.metallic = clamp(metallic, 0.0, 1.0);

    var ng = normalize(in.normal);
    // Back faces of double-sided materials are shaded with the flipped normal.
    let flip = select(-1.0, 1.0, front);
    ng *= flip;
    var n = ng;
    // Tangent frame (Gram-Schmidt against the shading side's normal).
    var t = in.tangent.xyz - ng * dot(ng, in.tangent.xyz);
    t = normalize(t) * flip;
    let b = cross(ng, t) * in.tangent.w * flip;
    if has(4u) {
        var tn = textureSample(t_normal, s_normal, slot_uv(2u, in)).xyz * 2.0 - 1.0;
        tn = vec3<f32>(tn.xy * material.params.z, tn.z);
        n = normalize(mat3x3<f32>(t, b, ng) * tn);
    }
    s.n = n;
    s.ng = ng;

    // No lobe widening for geometric specular anti-aliasing here: Cycles'
    // supersampled reference is matched better by MSAA/SSAA alone.
    s.roughness = clamp(roughness, 0.0, 1.0);

    s.ao = 1.0;
    if has(8u) {
        var occ = mr.r;
        if !ORM {
            occ = textureSample(t_occlusion, s_occlusion, slot_uv(3u, in)).r;
        }
        s.ao = 1.0 + material.params.w * (occ - 1.0);
    }
    var e = material.emissive.rgb;
    if has(16u) {
        e *= textureSample(t_emissive, s_emissive, slot_uv(4u, in)).rgb;
    }
    s.emissive = e;
    s.sheen_color = vec3<f32>(0.0);
    s.sheen_roughness = 0.5;
    s.f0_dielectric = vec3<f32>(0.04);
    s.f90_dielectric = 1.0;
    s.coat = 0.0;
    s.coat_roughness = 0.0;
    s.coat_n = ng;
    s.transmission = 0.0;
    s.ior = 1.5;
    s.thickness = 0.0;
    s.atten_color = vec3<f32>(1.0);
    s.atten_dist = 0.0;
    s.irid = 0.0;
    s.irid_ior = 1.3;
    s.irid_thickness = 0.0;
    s.aniso = 0.0;
    s.aniso_t = t;
    s.aniso_b = b;
    if LAYERS {
        material_layers(in, &s, t, b);
    }
    if DECALS {
        apply_decals(in, &s, t, b);
    }
    // Screen-space ambient occlusion, for the opaque surfaces the pre-pass
    // drew; the smaller of it and the baked occlusion (both see the same
    // crevices: multiplying would darken them twice).
    if SSAO && frame.viewport.z > 0.0 && material.alpha.x < 1.5 && s.transmission <= 0.0 {
        let ssao = textureSampleLevel(ssao_map, env_sampler, in.clip.xy * frame.viewport.xy, 0.0).r;
        s.ao = min(s.ao, ssao);
    }
    return s;
}

fn shade(in: VertexOut, s: Surface) -> vec3<f32> {
    let v = normalize(frame.camera_pos.xyz - in.world);
    let n = s.n;
    let n_dot_v = clamp(dot(n, v), 1e-4, 1.0);
    let f0 = mix(s.f0_dielectric, s.albedo, s.metallic);
    let diffuse_color = s.albedo * (1.0 - s.metallic);
    let rough = s.roughness;

    // Image-based lighting.
    let rot = frame.env.xy;
    let intensity = frame.env.z;
    // Dominant direction of the GGX lobe: rough lobes lean toward the normal
    // (off-specular peak), which keeps a bright source behind a grazing surface
    // from ringing the silhouette (Lagarde & de Rousiers 2014).
    // An anisotropic lobe is read around its bent normal (stretched along
    // the anisotropy direction); the lean toward n stays the same.
    var n_ibl = n;
    let has_aniso = LAYERS && s.aniso > 0.0;
    var aniso_t = s.aniso_t;
    var aniso_b = s.aniso_b;
    if has_aniso {
        if DECALS {
            // A decal's relief may have turned n since the frame was made.
            let tt = s.aniso_t - n * dot(n, s.aniso_t);
            aniso_t = select(s.aniso_t, normalize(tt), dot(tt, tt) > 1e-8);
            aniso_b = cross(n, aniso_t);
        }
        n_ibl = aniso_bent_normal(n, v, aniso_b, s.aniso, rough);
    }
    let r = normalize(mix(reflect(-v, n_ibl), n, rough * rough));
    let lut = textureSampleLevel(brdf_lut, env_sampler, vec2<f32>(n_dot_v, rough), 0.0).rg;
    let radiance = textureSampleLevel(env_specular, env_sampler, env_dir(r, rot), specular_lod(rough)).rgb * intensity;
    let irradiance = textureSampleLevel(env_irradiance, env_sampler, env_dir(n, rot), 0.0).rgb * intensity;
    // glTF mixes a dielectric BRDF (F0 = 0.04 over the diffuse base) and a metal
    // BRDF (F0 = base colour) by metallic; each lobe gets its single-scattering
    // albedo from the LUT (Schlick's Fresnel over GGX) and its multiple-scattering
    // compensation (Fdez-Agüera 2019), and the two are mixed. The diffuse base
    // lies under the dielectric reflection only, so the metal's reflectance does
    // not dim it.
    let ess = lut.x + lut.y;
    let ems = 1.0 - ess;
    // The dielectric lobe: F0 from the IOR and KHR_materials_specular, F90
    // scaled by the specular factor.
    var d_fss_ess = s.f0_dielectric * lut.x + s.f90_dielectric * lut.y;
    var m_fss_ess = s.albedo * lut.x + lut.y;
    // Iridescence replaces the Fresnel term of both lobes by the thin film's
    // reflectance (evaluated at the view angle), weighted by its strength.
    var irid_d = vec3<f32>(0.0);
    var irid_m = vec3<f32>(0.0);
    let has_irid = LAYERS && s.irid > 0.0;
    if has_irid {
        irid_d = iridescence_fresnel(n_dot_v, s.irid_ior, s.irid_thickness, s.f0_dielectric);
        irid_m = iridescence_fresnel(n_dot_v, s.irid_ior, s.irid_thickness, s.albedo);
        d_fss_ess = mix(d_fss_ess, irid_d * (lut.x + lut.y), s.irid);
        m_fss_ess = mix(m_fss_ess, irid_m * (lut.x + lut.y), s.irid);
    }
    let d_f_avg = s.f0_dielectric + (vec3<f32>(s.f90_dielectric) - s.f0_dielectric) / 21.0;
    let d_fms_ems = ems * d_fss_ess * d_f_avg / (1.0 - d_f_avg * ems);
    let m_f_avg = s.albedo + (1.0 - s.albedo) / 21.0;
    let m_fms_ems = ems * m_fss_ess * m_f_avg / (1.0 - m_f_avg * ems);
    let fss_ess = mix(d_fss_ess, m_fss_ess, s.metallic);
    let fms_ems = mix(d_fms_ems, m_fms_ems, s.metallic);
    let k_d = diffuse_color * (1.0 - d_fss_ess - d_fms_ems);
    // Horizon occlusion: normal-mapped reflections below the geometric surface are hidden.
    let horizon = clamp(1.0 + dot(r, s.ng), 0.0, 1.0);
    var diffuse_light = k_d * irradiance * s.ao;
    if LAYERS && s.transmission > 0.0 {
        // Transmission (KHR_materials_transmission + _volume): the
        // dielectric base lets light through instead of scattering it. The
        // ray refracts into the volume (straight through when thin walled)
        // and is read from the prefiltered environment at a lobe widened by
        // the roughness as the IOR spreads it (Khronos sample renderer),
        // tinted by the base colour and attenuated over the path length.
        var t_dir = -v;
        if s.thickness > 0.0 {
            let refr = refract(-v, n, 1.0 / s.ior);
            t_dir = select(refr, reflect(-v, n), dot(refr, refr) < 1e-6);
        }
        let t_rough = rough * clamp(s.ior * 2.0 - 2.0, 0.0, 1.0);
        var t_light: vec3<f32>;
        let traced = GEM && draw.gem.y > 0u && material.flags.y == 1u;
        if traced {
            // A faceted stone: traced inside (the absorption is in the trace).
            t_light = gem_light(in.world, v, n, s, specular_lod(t_rough));
        } else {
            t_light = textureSampleLevel(env_specular, env_sampler, env_dir(t_dir, rot), specular_lod(t_rough)).rgb * intensity;
            if frame.pixel.y > 0.0 {
                t_light = behind(in.world + t_dir * s.thickness, t_rough, t_light);
            }
        }
        var absorb = vec3<f32>(1.0);
        if s.atten_dist > 0.0 && s.thickness > 0.0 && !traced {
            absorb = pow(max(s.atten_color, vec3<f32>(1e-4)), vec3<f32>(s.thickness / s.atten_dist));
        }
        let btdf = (1.0 - d_fss_ess - d_fms_ems) * diffuse_color * t_light * absorb;
        diffuse_light = mix(diffuse_light, btdf, s.transmission);
    }
    var color = (fss_ess * radiance * horizon * horizon + fms_ems * irradiance) * specular_ao(n, r, s.ao, rough)
        + diffuse_light;

    // Sheen layer over the base: its light, and the base dimmed by what the
    // sheen reflects (albedo scaling, Conty & Kulla 2017). The Charlie lobe
    // is broader than a cosine lobe and gathers its light around a direction
    // between the normal and the viewer (back-scattering), not around the
    // mirror direction, so its image-based light is the cosine-filtered
    // irradiance read along that mean direction (tangent of its tilt from
    // the normal in the LUT's alpha), not the GGX-prefiltered reflection.
    let has_sheen = (LAYERS || DECALS) && max(s.sheen_color.r, max(s.sheen_color.g, s.sheen_color.b)) > 0.0;
    var sheen_scale = 1.0;
    let sheen_a = max(s.sheen_roughness * s.sheen_roughness, 0.002);
    if has_sheen {
        let lut_sheen = textureSampleLevel(brdf_lut, env_sampler, vec2<f32>(n_dot_v, s.sheen_roughness), 0.0).ba;
        let e_sheen = lut_sheen.x;
        sheen_scale = 1.0 - max(s.sheen_color.r, max(s.sheen_color.g, s.sheen_color.b)) * e_sheen;
        let v_t = v - n * dot(n, v);
        let sheen_dir = normalize(n + v_t * (lut_sheen.y / max(length(v_t), 1e-4)));
        let sheen_light = textureSampleLevel(env_irradiance, env_sampler, env_dir(sheen_dir, rot), 0.0).rgb * intensity;
        color = color * sheen_scale + s.sheen_color * e_sheen * sheen_light * s.ao;
    }

    // Clearcoat: a dielectric (IOR 1.5) layer with its own roughness and
    // normal over everything; what it reflects no longer reaches the base
    // (Filament's layering: base × (1 − coat·Fc) + coat specular).
    let nc = s.coat_n;
    let nc_dot_v = clamp(dot(nc, v), 1e-4, 1.0);
    let has_coat = LAYERS && s.coat > 0.0;
    let coat_f = select(0.0, s.coat * f_schlick(vec3<f32>(0.04), vec3<f32>(1.0), nc_dot_v).x, has_coat);
    let coat_a = max(s.coat_roughness * s.coat_roughness, 0.002);
    if has_coat {
        let lut_c = textureSampleLevel(brdf_lut, env_sampler, vec2<f32>(nc_dot_v, s.coat_roughness), 0.0).rg;
        let rc = normalize(mix(reflect(-v, nc), nc, coat_a));
        let coat_light = textureSampleLevel(env_specular, env_sampler, env_dir(rc, rot), specular_lod(s.coat_roughness)).rgb * intensity;
        color = color * (1.0 - coat_f) + s.coat * (0.04 * lut_c.x + lut_c.y) * coat_light * specular_ao(nc, rc, s.ao, s.coat_roughness);
    }

    // Punctual lights.
    let a = max(rough * rough, 0.002);
    // Anisotropy roughens the lobe along its direction (the extension's
    // alpha_t = mix(alpha, 1, strength²), alpha_b = alpha).
    let a_t = mix(a, 1.0, s.aniso * s.aniso);
    for (var i = 0u; i < select(0u, frame.counts.x, LIGHTS); i++) {
        let light = lights[i];
        let kind = u32(light.direction_kind.w);
        var l: vec3<f32>;
        var atten = 1.0;
        if kind == 0u {
            l = -light.direction_kind.xyz;
        } else {
            let to_light = light.position_range.xyz - in.world;
            let dist = length(to_light);
            l = to_light / max(dist, 1e-6);
            atten = range_attenuation(dist, light.position_range.w);
            if kind == 2u {
                let cd = dot(light.direction_kind.xyz, -l);
                let t = clamp(cd * light.cone.x + light.cone.y, 0.0, 1.0);
                atten *= t * t;
            }
        }
        let n_dot_l = dot(n, l);
        if atten <= 0.0 {
            continue;
        }
        atten *= shadow_visibility(light, in.world, s.ng);
        let h = normalize(l + v);
        let v_dot_h_c = clamp(dot(v, h), 0.0, 1.0);
        let nc_dot_l = dot(nc, l);
        if has_coat && nc_dot_l > 0.0 {
            let fc = 0.04 + 0.96 * pow(1.0 - v_dot_h_c, 5.0);
            let coat_spec = s.coat * fc * d_ggx(clamp(dot(nc, h), 0.0, 1.0), coat_a)
                * v_smith_ggx_correlated(nc_dot_v, nc_dot_l, coat_a);
            color += coat_spec * light.color.rgb * (atten * nc_dot_l);
        }
        if n_dot_l <= 0.0 {
            continue;
        }
        let n_dot_h = clamp(dot(n, h), 0.0, 1.0);
        let v_dot_h = clamp(dot(v, h), 0.0, 1.0);
        let f90 = mix(vec3<f32>(s.f90_dielectric), vec3<f32>(1.0), s.metallic);
        var f = f_schlick(f0, f90, v_dot_h);
        if has_irid {
            f = mix(f, mix(irid_d, irid_m, s.metallic), s.irid);
        }
        var dv: f32;
        if has_aniso {
            let tb = mat3x3<f32>(aniso_t, aniso_b, n);
            let lv = l * tb;
            let vv = v * tb;
            let hv = h * tb;
            dv = d_ggx_aniso(n_dot_h, hv.x, hv.y, a_t, a)
                * v_smith_ggx_correlated_aniso(n_dot_v, vv.x, vv.y, n_dot_l, lv.x, lv.y, a_t, a);
        } else {
            dv = d_ggx(n_dot_h, a) * v_smith_ggx_correlated(n_dot_v, n_dot_l, a);
        }
        let spec = f * dv;
        // The diffuse part lies under the dielectric interface only.
        let f_diel = f_schlick(s.f0_dielectric, vec3<f32>(s.f90_dielectric), v_dot_h);
        // Transmitted light does not scatter diffusely.
        let diff = (1.0 - f_diel) * diffuse_color * INV_PI * (1.0 - s.transmission);
        var lit = diff + spec;
        if has_sheen {
            // KHR_materials_sheen: for a light the base keeps what the sheen
            // lets through both toward the viewer and from the light.
            let e_l = textureSampleLevel(brdf_lut, env_sampler, vec2<f32>(n_dot_l, s.sheen_roughness), 0.0).b;
            let scale_l = 1.0 - max(s.sheen_color.r, max(s.sheen_color.g, s.sheen_color.b)) * e_l;
            lit = lit * min(sheen_scale, scale_l)
                + s.sheen_color * d_charlie(n_dot_h, sheen_a) * v_neubelt(n_dot_v, n_dot_l);
        }
        lit *= 1.0 - coat_f;
        color += lit * light.color.rgb * (atten * n_dot_l);
    }
    return color + s.emissive;
}

@fragment
fn fs_main(in: VertexOut, @builtin(front_facing) front_facing: bool) -> @location(0) vec4<f32> {
    // A mirroring transform swaps which side the rasteriser calls front.
    let front = front_facing == (draw.flags.x > 0.0);
    let s = surface(in, front);
    let mode = u32(material.alpha.x);
    if ALPHA_MASK && mode == 1u && s.alpha < material.alpha.y {
        discard;
    }
    var color: vec3<f32>;
    if UNLIT {
        color = s.albedo;
    } else {
        color = shade(in, s);
    }
    if mode == 2u {
        let a = clamp(s.alpha, 0.0, 1.0);
        return vec4<f32>(color * a, a);
    }
    return vec4<f32>(color, 1.0);
}

// The ambient-occlusion pre-pass (render::ssao): world-space geometric
// normal of the opaque surfaces, facing the eye; depth goes to the depth
// target.
@fragment
fn fs_normal(in: VertexOut, @builtin(front_facing) front_facing: bool) -> @location(0) vec4<f32> {
    if ALPHA_MASK && u32(material.alpha.x) == 1u {
        var alpha = material.base_color.a * in.color.a;
        if has(1u) {
            alpha *= textureSample(t_base, s_base, slot_uv(0u, in)).a;
        }
        if alpha < material.alpha.y {
            discard;
        }
    }
    let front = front_facing == (draw.flags.x > 0.0);
    return vec4<f32>(normalize(in.normal) * select(-1.0, 1.0, front), 1.0);
}
