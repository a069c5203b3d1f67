// Personalization decals (bind group 3): text and logos composited into the
// surface material per fragment, driven by the decal's coverage, so the same
// PBR path lights them. Each decal is a slot rectangle in millimetres, found
// either through a material's UVs or through an oriented box projector; its
// content (a rectangle of the slot's size, moved, scaled and rotated by the
// customer) is read from an atlas of premultiplied colour and a height map
// (the coverage blurred over the finish's bevel width).

struct Decal {
    // Projector: rows mapping a world position to decal space in millimetres
    // (x right, y up, z along the projection from the box's centre).
    proj_x: vec4<f32>,
    proj_y: vec4<f32>,
    proj_z: vec4<f32>,
    // UV slot: centre (u, v) and millimetres per UV unit (x, y).
    uv: vec4<f32>,
    // cos θ, sin θ of the content rotation, content offset (mm).
    xform: vec4<f32>,
    // content half size (mm, scaled), clip half size of the slot (mm).
    size: vec4<f32>,
    // atlas rectangle: u0, v0, width, height (atlas UV).
    atlas: vec4<f32>,
    // finish kind, relief depth (mm), roughness (< 0: keep the surface's),
    // one texel's width in content UV
    finish: vec4<f32>,
    // placement (0 UV, 1 projector), UV set, box half depth (mm), one
    // texel's height in content UV
    kind: vec4<f32>,
}

const MAX_DECALS: u32 = 8u;

struct Decals {
    // x: decal count
    count: vec4<u32>,
    items: array<Decal, 8>,
}

@group(3) @binding(0) var<uniform> decals: Decals;
@group(3) @binding(1) var decal_color: texture_2d<f32>;
@group(3) @binding(2) var decal_height: texture_2d<f32>;
@group(3) @binding(3) var decal_sampler: sampler;

const FINISH_PRINT: u32 = 0u;
const FINISH_EMBROIDERY: u32 = 1u;
const FINISH_EMBOSS: u32 = 2u;
const FINISH_DEBOSS: u32 = 3u;
const FINISH_ENGRAVE: u32 = 4u;
const FINISH_FOIL: u32 = 5u;

// A projector paints surfaces facing it at full strength up to 60° from its
// axis (stretch 1 / cos 60° = 2 at most) and fades them out by 75°; surfaces
// facing away (the far side) are never painted.
const PROJECTOR_FULL_COS: f32 = 0.5;
const PROJECTOR_ZERO_COS: f32 = 0.2588;

// Satin-stitch threads: spacing and relief of one thread, millimetres.
const THREAD_SPACING_MM: f32 = 0.4;
const THREAD_RELIEF_MM: f32 = 0.12;

struct DecalHit {
    // content UV in [0, 1]², v down
    cuv: vec2<f32>,
    // strength from the projector's angle fade
    weight: f32,
    // world directions of the slot's +x and +y on the surface
    ax: vec3<f32>,
    ay: vec3<f32>,
    ok: bool,
}

fn decal_hit(d: Decal, in: VertexOut, ng: vec3<f32>, t: vec3<f32>, b: vec3<f32>) -> DecalHit {
    var h: DecalHit;
    h.ok = false;
    h.weight = 1.0;
    var p: vec2<f32>;
    if d.kind.x < 0.5 {
        let uv = select(in.uv0, in.uv1, d.kind.y > 0.5);
        p = vec2<f32>((uv.x - d.uv.x) * d.uv.z, (d.uv.y - uv.y) * d.uv.w);
        h.ax = t * sign(d.uv.z);
        h.ay = -b * sign(d.uv.w);
    } else {
        let w = vec4<f32>(in.world, 1.0);
        let q = vec3<f32>(dot(d.proj_x, w), dot(d.proj_y, w), dot(d.proj_z, w));
        if abs(q.z) > d.kind.z {
            return h;
        }
        let axis = normalize(d.proj_z.xyz);
        let facing = -dot(ng, axis);
        if facing <= PROJECTOR_ZERO_COS {
            return h;
        }
        h.weight = smoothstep(PROJECTOR_ZERO_COS, PROJECTOR_FULL_COS, facing);
        p = q.xy;
        // The projector's axes laid onto the surface.
        let rx = normalize(d.proj_x.xyz);
        let ry = normalize(d.proj_y.xyz);
        h.ax = normalize(rx - ng * dot(ng, rx));
        h.ay = normalize(ry - ng * dot(ng, ry));
    }
    if abs(p.x) > d.size.z || abs(p.y) > d.size.w {
        return h;
    }
    // Into the content's frame: undo the offset, then the rotation.
    let r = p - d.xform.zw;
    let c = vec2<f32>(d.xform.x * r.x + d.xform.y * r.y, -d.xform.y * r.x + d.xform.x * r.y);
    h.cuv = vec2<f32>(0.5 + 0.5 * c.x / d.size.x, 0.5 - 0.5 * c.y / d.size.y);
    h.ok = all(h.cuv >= vec2<f32>(0.0)) && all(h.cuv <= vec2<f32>(1.0));
    return h;
}

fn decal_uv(d: Decal, cuv: vec2<f32>) -> vec2<f32> {
    return d.atlas.xy + cuv * d.atlas.zw;
}

fn decal_h(d: Decal, cuv: vec2<f32>) -> f32 {
    return textureSampleLevel(decal_height, decal_sampler, decal_uv(d, clamp(cuv, vec2<f32>(0.0), vec2<f32>(1.0))), 0.0).r;
}

// The slope of the relief (height / distance, both in mm) along the slot's
// x and y, from central differences of the height map.
fn decal_slope(d: Decal, cuv: vec2<f32>) -> vec2<f32> {
    let ex = d.finish.w;
    let ey = d.kind.w;
    let dhx = decal_h(d, cuv + vec2<f32>(ex, 0.0)) - decal_h(d, cuv - vec2<f32>(ex, 0.0));
    let dhy = decal_h(d, cuv - vec2<f32>(0.0, ey)) - decal_h(d, cuv + vec2<f32>(0.0, ey));
    // content frame, per mm (one content UV unit spans 2 × half size)
    let g = vec2<f32>(dhx / (4.0 * ex * d.size.x), dhy / (4.0 * ey * d.size.y)) * d.finish.y;
    // back to the slot's frame (rotate by +θ)
    return vec2<f32>(d.xform.x * g.x - d.xform.y * g.y, d.xform.y * g.x + d.xform.x * g.y);
}

// Composites every decal this draw receives into the surface.
fn apply_decals(in: VertexOut, s: ptr<function, Surface>, t: vec3<f32>, b: vec3<f32>) {
    let mask = u32(draw.flags.y);
    if mask == 0u {
        return;
    }
    // Screen footprint of a pixel at this fragment, in millimetres.
    let footprint_mm = length(frame.camera_pos.xyz - in.world) * frame.pixel.x * 1000.0;
    let count = min(decals.count.x, MAX_DECALS);
    for (var i = 0u; i < count; i++) {
        if (mask & (1u << i)) == 0u {
            continue;
        }
        let d = decals.items[i];
        let hit = decal_hit(d, in, (*s).ng, t, b);
        if !hit.ok {
            continue;
        }
        let texel = textureSampleLevel(decal_color, decal_sampler, decal_uv(d, hit.cuv), 0.0);
        let a = texel.a * hit.weight;
        if a <= 0.0 && decal_h(d, hit.cuv) <= 0.0 {
            continue;
        }
        let ink = texel.rgb / max(texel.a, 1e-4);
        let kind = u32(d.finish.x);
        let rough_set = d.finish.z >= 0.0;
        // Relief: raised for embroidery, emboss and foil; sunk for deboss and engrave.
        var slope = decal_slope(d, hit.cuv) * hit.weight;
        if kind == FINISH_DEBOSS || kind == FINISH_ENGRAVE || kind == FINISH_FOIL {
            slope = -slope;
        }
        if kind == FINISH_EMBROIDERY && a > 0.0 {
            // Satin stitches at 60° in the content frame, faded out where a
            // pixel covers more than half a thread (no aliasing; the sheen and
            // roughness carry the look at a distance).
            let cm = (hit.cuv - vec2<f32>(0.5)) * vec2<f32>(2.0 * d.size.x, -2.0 * d.size.y);
            let across = vec2<f32>(0.866, -0.5);
            let phase = TAU * dot(cm, across) / THREAD_SPACING_MM;
            let resolve = clamp(1.0 - footprint_mm / (0.5 * THREAD_SPACING_MM), 0.0, 1.0);
            let k = THREAD_RELIEF_MM * PI / THREAD_SPACING_MM * sin(phase) * resolve * a;
            let g = across * k;
            slope += vec2<f32>(d.xform.x * g.x - d.xform.y * g.y, d.xform.y * g.x + d.xform.x * g.y);
        }
        if kind != FINISH_PRINT {
            let n = (*s).n - slope.x * hit.ax - slope.y * hit.ay;
            (*s).n = normalize(n);
        }
        switch kind {
            case FINISH_PRINT: {
                // Ink: its colour, dielectric, the surface's roughness unless set.
                (*s).albedo = mix((*s).albedo, ink, a);
                (*s).metallic = mix((*s).metallic, 0.0, a);
                if rough_set {
                    (*s).roughness = mix((*s).roughness, d.finish.z, a);
                }
            }
            case FINISH_EMBROIDERY: {
                // Thread: dyed fibres with a cloth sheen of their own colour.
                (*s).albedo = mix((*s).albedo, ink, a);
                (*s).metallic = mix((*s).metallic, 0.0, a);
                (*s).roughness = mix((*s).roughness, select(0.8, d.finish.z, rough_set), a);
                (*s).sheen_color = mix((*s).sheen_color, ink, a);
                (*s).sheen_roughness = mix((*s).sheen_roughness, 0.5, a);
            }
            case FINISH_EMBOSS: {
                // Blind emboss: the material itself, pressed up.
                if rough_set {
                    (*s).roughness = mix((*s).roughness, d.finish.z, a);
                }
            }
            case FINISH_DEBOSS: {
                // Deboss: pressed in; the floor is compacted and shaded.
                (*s).ao *= 1.0 - 0.3 * a;
                if rough_set {
                    (*s).roughness = mix((*s).roughness, d.finish.z, a);
                }
            }
            case FINISH_ENGRAVE: {
                // Engraving: a cut with a rougher, darker floor (laser-marked
                // metal, burnt leather) in the cavity's shade.
                (*s).albedo *= 1.0 - 0.45 * a;
                (*s).roughness = mix((*s).roughness, select(min((*s).roughness + 0.35, 1.0), d.finish.z, rough_set), a);
                (*s).ao *= 1.0 - 0.4 * a;
            }
            default: {
                // Foil: a thin metal layer of the decal's colour, stamped in.
                (*s).albedo = mix((*s).albedo, ink, a);
                (*s).metallic = mix((*s).metallic, 1.0, a);
                (*s).roughness = mix((*s).roughness, select(0.2, d.finish.z, rough_set), a);
            }
        }
    }
}
