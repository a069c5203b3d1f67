// KHR_lights_punctual helpers of the surface shader (pbr.wgsl): shadow-map
// visibility and the range window.

// A point light's shadow cube: the face (+X, −X, +Y, −Y, +Z, −Z as 0–5, its
// layer after the light's first) of the direction `d` from the light, and
// `d` in that face's view space (w). The frames are `CUBE_FACES` in
// renderer/src/render/shadows.rs: looking along the axis, up +Y (+Z for the
// ±Y faces), so right = axis × up.
fn cube_face_local(d: vec3<f32>) -> vec4<f32> {
    let a = abs(d);
    if a.x >= a.y && a.x >= a.z {
        let s = select(-1.0, 1.0, d.x >= 0.0);
        return vec4<f32>(d.z * s, d.y, -a.x, select(1.0, 0.0, d.x >= 0.0));
    }
    if a.y >= a.z {
        let s = select(-1.0, 1.0, d.y >= 0.0);
        return vec4<f32>(d.x * s, d.z, -a.y, select(3.0, 2.0, d.y >= 0.0));
    }
    let s = select(-1.0, 1.0, d.z >= 0.0);
    return vec4<f32>(-d.x * s, d.y, -a.z, select(5.0, 4.0, d.z >= 0.0));
}

// Visibility of a light from a shadow map: the point pushed off the surface
// by about one texel along the geometric normal (no acne, no peter-panning
// from a large depth bias), then 3×3 bilinear-compared taps. A point light
// looks up the cube face its offset point lies in; the faces are rendered a
// few texels wider than 90°, so all taps stay on that face at the seams.
fn shadow_visibility(light: Light, world: vec3<f32>, ng: vec3<f32>) -> f32 {
    var layer = i32(light.shadow.x);
    if layer < 0 {
        return 1.0;
    }
    let cube = light.shadow.z > 1.5;
    var texel = light.shadow.y;
    if cube {
        // Per unit depth along the face's axis.
        let d = abs(world - light.position_range.xyz);
        texel *= max(d.x, max(d.y, d.z));
    } else if light.shadow.z > 0.5 {
        texel *= length(light.position_range.xyz - world);
    }
    let p = world + ng * (1.5 * texel);
    var c: vec4<f32>;
    if cube {
        let local = cube_face_local(p - light.position_range.xyz);
        layer += i32(local.w);
        c = light.shadow_view_proj * vec4<f32>(local.xyz, 1.0);
    } else {
        c = light.shadow_view_proj * vec4<f32>(p, 1.0);
    }
    if c.w <= 0.0 {
        return 1.0;
    }
    let ndc = c.xyz / c.w;
    let uv = vec2<f32>(ndc.x * 0.5 + 0.5, 0.5 - ndc.y * 0.5);
    if any(uv < vec2<f32>(0.0)) || any(uv > vec2<f32>(1.0)) || ndc.z >= 1.0 {
        return 1.0;
    }
    let step = 1.0 / f32(textureDimensions(shadow_maps).x);
    var sum = 0.0;
    for (var y = -1; y <= 1; y++) {
        for (var x = -1; x <= 1; x++) {
            sum += textureSampleCompareLevel(shadow_maps, shadow_sampler, uv + vec2<f32>(f32(x), f32(y)) * step, layer, ndc.z);
        }
    }
    return sum / 9.0;
}

// KHR_lights_punctual range window.
fn range_attenuation(dist: f32, range: f32) -> f32 {
    let d2 = max(dist * dist, 1e-8);
    if range <= 0.0 {
        return 1.0 / d2;
    }
    let r = dist / range;
    let r4 = r * r * r * r;
    return clamp(1.0 - r4, 0.0, 1.0) / d2;
}
