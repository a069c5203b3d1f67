// Shared constants and helpers. Prepended to every entry shader (see renderer/src/shaders.rs).

const PI: f32 = 3.14159265358979;
const TAU: f32 = 6.28318530717959;
const INV_PI: f32 = 0.318309886183791;

// Direction through texel (x, y) of cube face `face` (Vulkan/D3D cube layout:
// +X, -X, +Y, -Y, +Z, -Z; uv in [-1, 1], v growing downwards).
fn cube_dir(face: u32, uv: vec2<f32>) -> vec3<f32> {
    let u = uv.x;
    let v = uv.y;
    var d: vec3<f32>;
    switch face {
        case 0u: { d = vec3<f32>(1.0, -v, -u); }
        case 1u: { d = vec3<f32>(-1.0, -v, u); }
        case 2u: { d = vec3<f32>(u, 1.0, v); }
        case 3u: { d = vec3<f32>(u, -1.0, -v); }
        case 4u: { d = vec3<f32>(u, -v, 1.0); }
        default: { d = vec3<f32>(-u, -v, -1.0); }
    }
    return normalize(d);
}

// Centre of texel `id` of a `size`×`size` cube face, in [-1, 1].
fn texel_uv(id: vec2<u32>, size: u32) -> vec2<f32> {
    return (vec2<f32>(id) + 0.5) / f32(size) * 2.0 - 1.0;
}

// Environment rotation about +Y by angle a (given as (cos a, sin a)), from +Z toward +X:
// L_rot(d) = L(R_y(-a) d), so a world direction is turned by -a before the lookup.
fn env_dir(d: vec3<f32>, rot: vec2<f32>) -> vec3<f32> {
    let c = rot.x;
    let s = rot.y;
    return vec3<f32>(c * d.x - s * d.z, d.y, s * d.x + c * d.z);
}

// Van der Corput radical inverse / Hammersley point i of n.
fn hammersley(i: u32, n: u32) -> vec2<f32> {
    return vec2<f32>(f32(i) / f32(n), f32(reverseBits(i)) * 2.3283064365386963e-10);
}

// An orthonormal basis around n (Duff et al. 2017).
fn basis(n: vec3<f32>) -> mat3x3<f32> {
    let s = select(-1.0, 1.0, n.z >= 0.0);
    let a = -1.0 / (s + n.z);
    let b = n.x * n.y * a;
    let t = vec3<f32>(1.0 + s * n.x * n.x * a, s * b, -s * n.x);
    let bt = vec3<f32>(b, s + n.y * n.y * a, -n.y);
    return mat3x3<f32>(t, bt, n);
}
