// Display transform: SSAA resolve (box filter over ssaa×ssaa samples of the
// premultiplied linear image), exposure, tone mapping of the straight colour,
// sRGB encoding, then an optional solid background composited in sRGB-encoded
// space (as a browser composites a transparent image over a page).

struct Params {
    exposure: f32,
    background: vec4<f32>,
}

// The pipeline's specialisation (compiled out: software rasterisers run every
// case of a branch on a uniform): the tone mapper (0 PBR Neutral, 1 ACES,
// 2 AgX, 3 none (clamp)), the supersampling factor, and whether the image
// is composited over `params.background` (else its alpha is kept).
override TONEMAP: u32 = 0u;
override SSAA: u32 = 1u;
override BACKGROUND: bool = false;

// `src` and `texel` come from display_source(_msaa).wgsl.
@group(0) @binding(1) var<uniform> params: Params;

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u)) * 2.0 - 1.0;
    return vec4<f32>(p, 0.0, 1.0);
}

// Khronos PBR Neutral (https://modelviewer.dev/examples/tone-mapping).
fn pbr_neutral(c_in: vec3<f32>) -> vec3<f32> {
    let start_compression = 0.8 - 0.04;
    let desaturation = 0.15;
    let x = min(c_in.r, min(c_in.g, c_in.b));
    let offset = select(0.04, x - 6.25 * x * x, x < 0.08);
    var c = c_in - offset;
    let peak = max(c.r, max(c.g, c.b));
    if peak < start_compression {
        return c;
    }
    let d = 1.0 - start_compression;
    let new_peak = 1.0 - d * d / (peak + d - start_compression);
    c *= new_peak / peak;
    let g = 1.0 - 1.0 / (desaturation * (peak - new_peak) + 1.0);
    return mix(c, vec3<f32>(new_peak), g);
}

// ACES filmic (RRT + ODT fit by Stephen Hill), sRGB primaries in and out.
fn aces(c: vec3<f32>) -> vec3<f32> {
    let m_in = mat3x3<f32>(
        vec3<f32>(0.59719, 0.07600, 0.02840),
        vec3<f32>(0.35458, 0.90834, 0.13383),
        vec3<f32>(0.04823, 0.01566, 0.83777));
    let m_out = mat3x3<f32>(
        vec3<f32>(1.60475, -0.10208, -0.00327),
        vec3<f32>(-0.53108, 1.10813, -0.07276),
        vec3<f32>(-0.07367, -0.00605, 1.07602));
    let v = m_in * c;
    let a = v * (v + 0.0245786) - 0.000090537;
    let b = v * (0.983729 * v + 0.4329510) + 0.238081;
    return m_out * (a / b);
}

// AgX base contrast (Troy Sobotka's AgX; polynomial fit of the contrast curve).
fn agx(c_in: vec3<f32>) -> vec3<f32> {
    let srgb_to_2020 = mat3x3<f32>(
        vec3<f32>(0.6274, 0.0691, 0.0164),
        vec3<f32>(0.3293, 0.9195, 0.0880),
        vec3<f32>(0.0433, 0.0113, 0.8956));
    let rec2020_to_srgb = mat3x3<f32>(
        vec3<f32>(1.6605, -0.1246, -0.0182),
        vec3<f32>(-0.5876, 1.1329, -0.1006),
        vec3<f32>(-0.0728, -0.0083, 1.1187));
    let inset = mat3x3<f32>(
        vec3<f32>(0.856627153315983, 0.137318972929847, 0.11189821299995),
        vec3<f32>(0.0951212405381588, 0.761241990602591, 0.0767994186031903),
        vec3<f32>(0.0482516061458583, 0.101439036467562, 0.811302368396859));
    let outset = mat3x3<f32>(
        vec3<f32>(1.1271005818144368, -0.1413297634984383, -0.14132976349843826),
        vec3<f32>(-0.11060664309660323, 1.157823702216272, -0.11060664309660294),
        vec3<f32>(-0.016493938717834573, -0.016493938717834257, 1.2519364065950405));
    let min_ev = -12.47393;
    let max_ev = 4.026069;
    var c = inset * (srgb_to_2020 * c_in);
    c = max(c, vec3<f32>(1e-10));
    c = clamp((log2(c) - min_ev) / (max_ev - min_ev), vec3<f32>(0.0), vec3<f32>(1.0));
    let x2 = c * c;
    let x4 = x2 * x2;
    c = 15.5 * x4 * x2 - 40.14 * x4 * c + 31.96 * x4 - 6.868 * x2 * c + 0.4298 * x2 + 0.1191 * c - 0.00232;
    c = outset * c;
    c = pow(max(c, vec3<f32>(0.0)), vec3<f32>(2.2));
    return rec2020_to_srgb * c;
}

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
    let lo = c * 12.92;
    let hi = 1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055;
    return select(hi, lo, c <= vec3<f32>(0.0031308));
}

fn resolve(pos: vec4<f32>) -> vec4<f32> {
    let n = SSAA;
    let base = vec2<u32>(pos.xy) * n;
    var acc = vec4<f32>(0.0);
    for (var y = 0u; y < n; y++) {
        for (var x = 0u; x < n; x++) {
            acc += texel(base + vec2<u32>(x, y));
        }
    }
    return acc / f32(n * n);
}

fn display(premul: vec4<f32>) -> vec4<f32> {
    let a = clamp(premul.a, 0.0, 1.0);
    var c = select(vec3<f32>(0.0), premul.rgb / premul.a, premul.a > 1e-6);
    c = max(c * params.exposure, vec3<f32>(0.0));
    switch TONEMAP {
        case 0u: { c = pbr_neutral(c); }
        case 1u: { c = aces(c); }
        case 2u: { c = agx(c); }
        default: {}
    }
    var s = linear_to_srgb(clamp(c, vec3<f32>(0.0), vec3<f32>(1.0)));
    if BACKGROUND {
        return vec4<f32>(s * a + params.background.rgb * (1.0 - a), 1.0);
    }
    return vec4<f32>(s, a);
}

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    return display(resolve(pos));
}

struct TwoTargets {
    @location(0) display: vec4<f32>,
    @location(1) linear: vec4<f32>,
}

// Also writes the scene-referred image (exposure applied, premultiplied) for EXR output.
@fragment
fn fs_main_linear(@builtin(position) pos: vec4<f32>) -> TwoTargets {
    let p = resolve(pos);
    var o: TwoTargets;
    o.display = display(p);
    o.linear = vec4<f32>(p.rgb * params.exposure, p.a);
    return o;
}
