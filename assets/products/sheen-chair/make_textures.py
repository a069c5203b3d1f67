#!/usr/bin/env python3
"""Make the chair's fabric prints: a tileable tartan and a houndstooth, in
light tones (the velvet's base colour factor dyes them). Deterministic.
Run: python3 make_textures.py  (needs Pillow and numpy)."""
import numpy as np
from PIL import Image

N = 512


def tartan():
    # Thread counts of a sett (symmetric), as (shade, threads).
    sett = [(1.0, 24), (0.55, 6), (1.0, 8), (0.35, 30), (0.8, 4), (0.35, 30), (1.0, 8), (0.55, 6)]
    stripe = np.concatenate([np.full(n, s) for s, n in sett])
    stripe = np.resize(stripe, N)
    warp = stripe[None, :].repeat(N, 0)
    weft = stripe[:, None].repeat(N, 1)
    # Twill: alternate warp and weft on a diagonal, two threads wide.
    y, x = np.mgrid[0:N, 0:N]
    twill = ((x + y) // 2) % 2 == 0
    v = np.where(twill, warp, weft)
    return (np.clip(v * 0.85 + 0.15, 0, 1) * 255).astype(np.uint8)


def houndstooth():
    tile = np.array([
        [1, 1, 1, 1, 0, 0, 0, 1],
        [1, 1, 1, 1, 1, 0, 0, 0],
        [1, 1, 1, 1, 0, 1, 0, 0],
        [1, 1, 1, 1, 0, 0, 1, 0],
        [0, 0, 0, 0, 1, 1, 1, 1],
        [0, 1, 0, 0, 1, 1, 1, 1],
        [0, 0, 1, 0, 1, 1, 1, 1],
        [0, 0, 0, 1, 1, 1, 1, 1],
    ])
    big = np.kron(tile, np.ones((16, 16)))
    big = np.tile(big, (N // big.shape[0], N // big.shape[1]))
    return (np.where(big > 0, 0.95, 0.3) * 255).astype(np.uint8)


for name, img in (("tartan", tartan()), ("houndstooth", houndstooth())):
    Image.fromarray(img, "L").convert("RGB").save(f"textures/{name}_basecolor.png", optimize=True)
    print("wrote", f"textures/{name}_basecolor.png")
