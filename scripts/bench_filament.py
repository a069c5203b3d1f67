#!/usr/bin/env python3
"""Time Google Filament (PyPI `filly`, OpenGL on llvmpipe here) on the same job as
`showroom bench`: a 1024×1024 PNG of the MaterialsVariantsShoe, studio HDR, PBR
Neutral, 4× MSAA, three-quarter camera. Prints cold (renderer creation → PNG on
disk; add ~0.4 s for the module import) and warm (variant switch → render →
readback → PNG encode, median of N) times.

    pip install filly pillow numpy
    python3 scripts/bench_filament.py [--model M.glb] [--env E.hdr] [--size 1024] [--runs 10]
"""
import argparse
import math
import os
import statistics
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=os.path.join(ROOT, "assets/products/sneaker/sneaker.glb"))
    ap.add_argument("--env", default=os.path.join(ROOT, "assets/environments/studio_small_03_1k.hdr"))
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()

    t_import = time.perf_counter()
    import filly
    from PIL import Image
    t0 = time.perf_counter()
    out = os.path.join(tempfile.mkdtemp(), "filament.png")
    r = filly.Renderer()
    scene = r.create_scene()
    model = scene.load(a.model)
    scene.environment = r.load_environment(a.env)
    scene.tone_mapping = "pbr_neutral"
    scene.msaa = 4
    scene.dithering = False
    scene.transparent = True
    (lo, hi) = model.bounds
    c = [(lo[i] + hi[i]) / 2 for i in range(3)]
    r_enc = math.dist(lo, hi) / 2
    fov = 30.0
    dist = r_enc / math.sin(math.radians(fov / 2))
    yaw, pitch = math.radians(35), math.radians(15)
    cam = r.create_camera()
    cam.set_perspective(fov_y_deg=fov, aspect=1.0)
    cam.position = (c[0] + dist * math.cos(pitch) * math.sin(yaw), c[1] + dist * math.sin(pitch),
                    c[2] + dist * math.cos(pitch) * math.cos(yaw))
    cam.look_at(c)
    scene.camera = cam
    target = r.create_render_target(width=a.size, height=a.size)
    r.render(scene, target)
    Image.fromarray(target.read()).save(out, compress_level=1)
    cold = time.perf_counter() - t0

    variants = model.variants or [None]
    times = []
    for i in range(a.runs):
        if variants[0] is not None:
            model.apply_variant(variants[i % len(variants)])
        t = time.perf_counter()
        r.render(scene, target)
        px = target.read()
        Image.fromarray(px).save(out, compress_level=1)
        times.append(time.perf_counter() - t)
    print(f"filament (filly {getattr(filly, '__version__', '?')}) {a.size}x{a.size}: "
          f"import {t0 - t_import:.2f} s, cold {cold:.2f} s, warm median {statistics.median(times) * 1e3:.1f} ms "
          f"(min {min(times) * 1e3:.1f} ms)")


if __name__ == "__main__":
    main()
