#!/usr/bin/env python3
"""Make the sneaker's "speckle" print: the midnight colourway's base colour
atlas (from sneaker.glb) with a paint-splatter overlay. Deterministic (seeded).
Run: python3 make_textures.py  (needs Pillow and numpy)."""
import io
import json
import struct

import numpy as np
from PIL import Image, ImageDraw

data = open("sneaker.glb", "rb").read()
jlen = struct.unpack_from("<I", data, 12)[0]
doc = json.loads(data[20 : 20 + jlen])
binary = data[20 + jlen + 8 :]
midnight = doc["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"]["index"]
view = doc["bufferViews"][doc["images"][doc["textures"][midnight]["source"]]["bufferView"]]
start = view.get("byteOffset", 0)
atlas = Image.open(io.BytesIO(binary[start : start + view["byteLength"]])).convert("RGB")

rng = np.random.default_rng(7)
overlay = Image.new("RGBA", atlas.size, (0, 0, 0, 0))
draw = ImageDraw.Draw(overlay)
w, h = atlas.size
palette = [(236, 236, 228), (64, 196, 210), (238, 120, 40)]
for _ in range(2600):
    x, y = rng.uniform(0, w), rng.uniform(0, h)
    r = rng.gamma(1.5, 1.2) * w / 1024
    c = palette[rng.choice(3, p=[0.7, 0.2, 0.1])]
    draw.ellipse([x - r, y - r, x + r, y + r], fill=c + (235,))
atlas = Image.alpha_composite(atlas.convert("RGBA"), overlay).convert("RGB")
atlas.save("textures/speckle_basecolor.jpg", quality=90)
print("wrote textures/speckle_basecolor.jpg", atlas.size)
