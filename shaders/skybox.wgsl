// The environment drawn as the background (`--background env`), behind everything.

struct SkyOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) ndc: vec2<f32>,
}

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> SkyOut {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u)) * 2.0 - 1.0;
    var o: SkyOut;
    // Reversed Z: depth 0 is the far plane.
    o.clip = vec4<f32>(p, 0.0, 1.0);
    o.ndc = p;
    return o;
}

@fragment
fn fs_main(in: SkyOut) -> @location(0) vec4<f32> {
    let far = frame.inv_view_proj * vec4<f32>(in.ndc, 1e-7, 1.0);
    let d = normalize(far.xyz / far.w - frame.camera_pos.xyz);
    let c = textureSampleLevel(env_specular, env_sampler, env_dir(d, frame.env.xy), 0.0).rgb;
    return vec4<f32>(c * frame.env.z, 1.0);
}
