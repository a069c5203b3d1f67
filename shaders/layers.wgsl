// The surface shader's material layers (pbr.wgsl): what the KHR_materials
// extensions add to the core `Surface`.

// KHR_materials_sheen, _ior, _specular, _clearcoat, _transmission, _volume,
// _iridescence and _anisotropy.
fn material_layers(in: VertexOut, s: ptr<function, Surface>, t: vec3<f32>, b: vec3<f32>) {
    let ng = (*s).ng;
    // KHR_materials_iridescence: the strength texture's R multiplies the
    // factor; the thickness texture's G goes from the minimum to the
    // maximum thickness (the maximum everywhere without it).
    var irid = material.iridescence.x;
    if has(16384u) {
        irid *= textureSample(t_iridescence, s_iridescence, slot_uv(14u, in)).r;
    }
    var film = material.iridescence.z;
    if has(32768u) {
        let g = textureSample(t_iridescence_thickness, s_iridescence_thickness, slot_uv(15u, in)).g;
        film = mix(material.iridescence.w, material.iridescence.z, g);
    }
    (*s).irid = clamp(irid, 0.0, 1.0);
    (*s).irid_ior = max(material.iridescence.y, 1.0);
    (*s).irid_thickness = max(film, 0.0);
    if material.anisotropy.w > 0.5 {
        anisotropy(in, s, t, b);
    }
    var sheen = material.sheen;
    if has(256u) {
        sheen = vec4<f32>(sheen.rgb * textureSample(t_sheen_color, s_sheen_color, slot_uv(8u, in)).rgb, sheen.a);
    }
    if has(512u) {
        sheen.a *= textureSample(t_sheen_rough, s_sheen_rough, slot_uv(9u, in)).a;
    }
    (*s).sheen_color = sheen.rgb;
    (*s).sheen_roughness = clamp(sheen.a, 0.0, 1.0);
    // KHR_materials_ior and KHR_materials_specular.
    let ior = material.dielectric.x;
    let r0 = select(pow((ior - 1.0) / (ior + 1.0), 2.0), 1.0, ior == 0.0);
    var spec_factor = material.specular.x;
    var spec_color = material.specular.yzw;
    if has(1024u) {
        spec_factor *= textureSample(t_specular, s_specular, slot_uv(10u, in)).a;
    }
    if has(2048u) {
        spec_color *= textureSample(t_specular_color, s_specular_color, slot_uv(11u, in)).rgb;
    }
    (*s).f0_dielectric = min(vec3<f32>(r0) * spec_color, vec3<f32>(1.0)) * spec_factor;
    (*s).f90_dielectric = spec_factor;
    (*s).ior = max(ior, 1.0);
    var transmission = material.dielectric.y;
    if has(4096u) {
        transmission *= textureSample(t_transmission, s_transmission, slot_uv(12u, in)).r;
    }
    (*s).transmission = clamp(transmission, 0.0, 1.0);
    var thickness = material.dielectric.z;
    if has(8192u) {
        thickness *= textureSample(t_thickness, s_thickness, slot_uv(13u, in)).g;
    }
    // Thickness is given in the mesh's units: scale it to the world.
    (*s).thickness = thickness * length(draw.model[0].xyz);
    (*s).atten_color = material.attenuation.rgb;
    (*s).atten_dist = material.dielectric.w;
    // KHR_materials_clearcoat: the coat has the geometric normal unless it
    // has a normal map of its own.
    if material.clearcoat.w > 0.5 {
        var coat = material.clearcoat.x;
        var coat_rough = material.clearcoat.y;
        if has(32u) {
            coat *= textureSample(t_clearcoat, s_clearcoat, slot_uv(5u, in)).r;
        }
        if has(64u) {
            coat_rough *= textureSample(t_clearcoat_rough, s_clearcoat_rough, slot_uv(6u, in)).g;
        }
        if has(128u) {
            var cn = textureSample(t_clearcoat_normal, s_clearcoat_normal, slot_uv(7u, in)).xyz * 2.0 - 1.0;
            cn = vec3<f32>(cn.xy * material.clearcoat.z, cn.z);
            (*s).coat_n = normalize(mat3x3<f32>(t, b, ng) * cn);
        }
        (*s).coat = clamp(coat, 0.0, 1.0);
        (*s).coat_roughness = clamp(coat_rough, 0.0, 1.0);
    }
}

// KHR_materials_anisotropy: the direction in the tangent plane (from the
// texture's RG mapped to [-1, 1], else the tangent), turned by the rotation
// toward the bitangent, and the strength (times the texture's B). The frame
// is made orthonormal around the shading normal.
fn anisotropy(in: VertexOut, s: ptr<function, Surface>, t: vec3<f32>, b: vec3<f32>) {
    var dir = vec2<f32>(1.0, 0.0);
    var strength = material.anisotropy.x;
    if has(65536u) {
        let a = textureSample(t_anisotropy, s_anisotropy, slot_uv(16u, in)).rgb;
        dir = a.rg * 2.0 - 1.0;
        strength *= a.b;
        // A texel with no direction (RG = ½) keeps the tangent.
        dir = select(vec2<f32>(1.0, 0.0), normalize(dir), dot(dir, dir) > 1e-6);
    }
    let c = material.anisotropy.y;
    let sn = material.anisotropy.z;
    dir = vec2<f32>(c * dir.x - sn * dir.y, sn * dir.x + c * dir.y);
    let n = (*s).n;
    var at = t * dir.x + b * dir.y;
    at -= n * dot(n, at);
    if dot(at, at) < 1e-8 {
        // The normal map turned n onto the direction: no frame to stretch in.
        return;
    }
    at = normalize(at);
    (*s).aniso = clamp(strength, 0.0, 1.0);
    (*s).aniso_t = at;
    (*s).aniso_b = cross(n, at);
}
