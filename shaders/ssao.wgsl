// Screen-space ambient occlusion (render::ssao), at half resolution, from a
// pre-pass of the opaque surfaces' depth and world-space normals.
//
// fs_ao: for each pixel, N points of the normal-oriented hemisphere of
// radius R (cosine-distributed directions, lengths denser near the centre,
// the set rotated per pixel in a 4×4 pattern) are projected to the screen;
// a point is occluded when the surface seen there lies in front of it, with
// a range check that fades occluders farther than R away (no dark halos
// around silhouettes). Cosine-distributed samples make the occluded fraction
// an estimate of the cosine-weighted visibility, which is what scales the
// ambient diffuse light.
// fs_blur: a 4×4 box over the rotation pattern, weighted by depth
// similarity so the occlusion of one surface does not bleed onto another.

struct Params {
    view_proj: mat4x4<f32>,
    inv_view_proj: mat4x4<f32>,
    // radius (world units), intensity, samples, 0
    ao: vec4<f32>,
    // width, height, 1 / width, 1 / height of the half-resolution targets
    size: vec4<f32>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var t_normal: texture_2d<f32>;
@group(0) @binding(2) var t_depth: texture_depth_2d;
// fs_blur only: the raw occlusion.
@group(0) @binding(3) var t_ao: texture_2d<f32>;

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

fn clamp_px(px: vec2<i32>) -> vec2<i32> {
    return clamp(px, vec2<i32>(0), vec2<i32>(params.size.xy) - 1);
}

// World position of the surface seen at pixel `px` (reversed Z: 0 is empty).
fn world_at(px: vec2<i32>, depth: f32) -> vec3<f32> {
    let uv = (vec2<f32>(px) + 0.5) * params.size.zw;
    let ndc = vec4<f32>(uv.x * 2.0 - 1.0, 1.0 - uv.y * 2.0, depth, 1.0);
    let p = params.inv_view_proj * ndc;
    return p.xyz / p.w;
}

@fragment
fn fs_ao(@builtin(position) frag: vec4<f32>) -> @location(0) vec4<f32> {
    let px = vec2<i32>(frag.xy);
    let depth = textureLoad(t_depth, px, 0);
    if depth <= 0.0 {
        return vec4<f32>(1.0);
    }
    let p = world_at(px, depth);
    let n = normalize(textureLoad(t_normal, px, 0).xyz);
    let radius = params.ao.x;
    let count = u32(params.ao.z);
    // A 4×4 pattern of rotations about the normal, undone by the blur.
    let cell = u32(px.x & 3) * 4u + u32(px.y & 3);
    let spin = (f32(cell) + 0.5) / 16.0 * TAU;
    let frame_n = basis(n);
    var occluded = 0.0;
    for (var i = 0u; i < count; i++) {
        let xi = hammersley(i, count);
        // Cosine-distributed direction in the hemisphere around n.
        let r = sqrt(xi.x);
        let phi = xi.y * TAU + spin;
        let local = vec3<f32>(r * cos(phi), r * sin(phi), sqrt(max(1.0 - xi.x, 0.0)));
        // Lengths spread over (0, R], denser near the point.
        // (a permutation of i, so lengths and directions are uncorrelated)
        let t = (f32((i * 7u + 3u) % count) + 0.5) / f32(count);
        let q = p + frame_n * local * radius * mix(0.1, 1.0, t * t);
        let clip = params.view_proj * vec4<f32>(q, 1.0);
        if clip.w <= 0.0 {
            continue;
        }
        let uv = vec2<f32>(0.5 + 0.5 * clip.x / clip.w, 0.5 - 0.5 * clip.y / clip.w);
        if any(uv < vec2<f32>(0.0)) || any(uv >= vec2<f32>(1.0)) {
            continue;
        }
        let qpx = clamp_px(vec2<i32>(uv * params.size.xy));
        let d = textureLoad(t_depth, qpx, 0);
        if d <= 0.0 {
            continue;
        }
        let seen = world_at(qpx, d);
        let seen_w = (params.view_proj * vec4<f32>(seen, 1.0)).w;
        // The seen surface is in front of the sample (by more than a small
        // bias against self-occlusion of flat surfaces).
        if seen_w < clip.w - 0.02 * radius {
            let range = smoothstep(0.0, 1.0, radius / max(distance(seen, p), 1e-6));
            occluded += range;
        }
    }
    let visibility = 1.0 - occluded / f32(max(count, 1u));
    return vec4<f32>(pow(max(visibility, 0.0), params.ao.y));
}

@fragment
fn fs_blur(@builtin(position) frag: vec4<f32>) -> @location(0) vec4<f32> {
    let px = vec2<i32>(frag.xy);
    let depth = textureLoad(t_depth, px, 0);
    if depth <= 0.0 {
        return vec4<f32>(1.0);
    }
    let w0 = (params.view_proj * vec4<f32>(world_at(px, depth), 1.0)).w;
    var sum = 0.0;
    var weight = 0.0;
    for (var y = -2; y < 2; y++) {
        for (var x = -2; x < 2; x++) {
            let q = clamp_px(px + vec2<i32>(x, y));
            let d = textureLoad(t_depth, q, 0);
            if d <= 0.0 {
                continue;
            }
            let w = (params.view_proj * vec4<f32>(world_at(q, d), 1.0)).w;
            // Same surface: depths within a few per cent.
            let k = 1.0 / (1.0 + 400.0 * abs(w - w0) / w0);
            sum += textureLoad(t_ao, q, 0).r * k;
            weight += k;
        }
    }
    return vec4<f32>(sum / max(weight, 1e-6));
}
