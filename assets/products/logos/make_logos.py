#!/usr/bin/env python3
"""Make two sample logos for personalization tests (our own designs, CC0):

- showroom-logo.svg  a badge: a rounded square with a stylised "S" and an
                     amber ring with a dot; viewBox 0 0 200 120, three solid
                     colours, <path> elements only (no text, no references,
                     no strokes: every shape is a filled outline);
- paw.png            512 x 512 RGBA, straight (not premultiplied) alpha: a
                     dark paw print with antialiased edges over a
                     half-transparent amber disc whose edge fades out softly;
                     fully transparent outside (colour there = the amber, so
                     filtering never darkens the edge).

Deterministic; numpy, zlib and struct only. Run:  python3 make_logos.py
"""
import math
import struct
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

DARK = "#1f3a4d"
LIGHT = "#ffffff"
AMBER = "#f2a541"


# ------------------------------------------------------------------ SVG ----
def fmt(v):
    s = "%.2f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def rounded_rect(x, y, w, h, r):
    return ("M{0},{1}H{2}A{r},{r} 0 0 1 {3},{4}V{5}A{r},{r} 0 0 1 {2},{6}H{0}"
            "A{r},{r} 0 0 1 {7},{5}V{4}A{r},{r} 0 0 1 {0},{1}Z").format(
        fmt(x + r), fmt(y), fmt(x + w - r), fmt(x + w), fmt(y + r), fmt(y + h - r), fmt(y + h), fmt(x), r=fmt(r))


def circle(cx, cy, r):
    return "M{0},{1}A{r},{r} 0 1 0 {2},{1}A{r},{r} 0 1 0 {0},{1}Z".format(
        fmt(cx - r), fmt(cy), fmt(cx + r), r=fmt(r))


def s_outline(cx, cy, radius, width, n=48):
    """A filled outline of a thick S: two arcs (upper bowl anticlockwise on
    screen, lower bowl clockwise) meeting at (cx, cy), round caps."""
    up = np.radians(np.linspace(-25, -270, n))        # upper bowl: from the top right round to the middle
    lo = np.radians(np.linspace(-90, 155, n))[1:]     # lower bowl: from the middle round to the bottom left
    c1, c2 = np.array([cx, cy - radius]), np.array([cx, cy + radius])
    pts = np.r_[c1 + radius * np.c_[np.cos(up), np.sin(up)], c2 + radius * np.c_[np.cos(lo), np.sin(lo)]]
    # unit normals (screen coordinates, y down): left of the direction of travel
    tang = np.gradient(pts, axis=0)
    tang /= np.linalg.norm(tang, axis=1, keepdims=True)
    normal = np.c_[tang[:, 1], -tang[:, 0]]
    h = width / 2
    left, right = pts + h * normal, pts - h * normal
    s = np.linspace(0, math.pi, 14)[1:-1, None]
    # end cap: from the left side round the front to the right side; start
    # cap: from the right side round the back to the left side
    end_cap = pts[-1] + h * (np.cos(s) * normal[-1] + np.sin(s) * tang[-1])
    start_cap = pts[0] - h * (np.cos(s) * normal[0] + np.sin(s) * tang[0])
    outline = np.r_[left, end_cap, right[::-1], start_cap]
    return "M" + "L".join("%s,%s" % (fmt(x), fmt(y)) for x, y in outline) + "Z"


def svg():
    badge = rounded_rect(10, 10, 100, 100, 22)
    s_path = s_outline(60, 60, 16.5, 11.5)
    ring = circle(153, 60, 33) + circle(153, 60, 19)
    dot = circle(153, 60, 9)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120">\n'
        "<!-- Showroom sample logo, made for the project by make_logos.py; CC0 1.0 -->\n"
        f'<path fill="{DARK}" d="{badge}"/>\n'
        f'<path fill="{LIGHT}" d="{s_path}"/>\n'
        f'<path fill="{AMBER}" fill-rule="evenodd" d="{ring}"/>\n'
        f'<path fill="{DARK}" d="{dot}"/>\n'
        "</svg>\n"
    )


# ------------------------------------------------------------------ PNG ----
def write_png(path, rgba):
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w, c = rgba.shape
    assert c == 4
    raw = b"".join(b"\0" + rgba[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def srgb(h):
    return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255


def ellipse_sdf(x, y, cx, cy, a, b, angle_deg=0.0):
    """Approximate signed distance (pixels) to a rotated ellipse."""
    t = math.radians(angle_deg)
    dx, dy = x - cx, y - cy
    u = dx * math.cos(t) + dy * math.sin(t)
    v = -dx * math.sin(t) + dy * math.cos(t)
    q = np.hypot(u / a, v / b)
    grad = np.hypot(u / a ** 2, v / b ** 2) / np.maximum(q, 1e-9)
    return (q - 1) / np.maximum(grad, 1e-9)


def smin(a, b, k):
    """Smooth union of two distance fields (polynomial, radius k)."""
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0, 1)
    return b * (1 - h) + a * h - k * h * (1 - h)


def paw(n=512):
    y, x = np.mgrid[0:n, 0:n] + 0.5
    # the paw: a trilobed main pad and four toe pads
    pad = smin(smin(ellipse_sdf(x, y, 256, 318, 88, 74),
                    ellipse_sdf(x, y, 198, 362, 52, 44, -20), 28),
               ellipse_sdf(x, y, 314, 362, 52, 44, 20), 28)
    toes = np.minimum.reduce([
        ellipse_sdf(x, y, 142, 214, 36, 48, -28),
        ellipse_sdf(x, y, 212, 148, 38, 52, -9),
        ellipse_sdf(x, y, 300, 148, 38, 52, 9),
        ellipse_sdf(x, y, 370, 214, 36, 48, 28),
    ])
    shape = np.minimum(pad, toes)
    a_paw = np.clip(0.5 - shape, 0, 1)                       # 1-pixel antialiased edge
    # the backdrop: a disc at 55 % opacity whose edge fades over 40 pixels
    r = np.hypot(x - 256, y - 256)
    t = np.clip((236 - r) / 40, 0, 1)
    a_disc = 0.55 * t * t * (3 - 2 * t)
    c_paw, c_disc = srgb("#4a2c1d"), srgb(AMBER)
    alpha = a_paw + a_disc * (1 - a_paw)
    rgb = (c_paw * a_paw[..., None] + c_disc * (a_disc * (1 - a_paw))[..., None]) / np.maximum(alpha, 1e-9)[..., None]
    rgb = np.where(alpha[..., None] > 0, rgb, c_disc)
    out = np.dstack([rgb, alpha])
    return np.round(out * 255).astype(np.uint8)


def main():
    (HERE / "showroom-logo.svg").write_text(svg())
    img = paw()
    write_png(HERE / "paw.png", img)
    a = img[..., 3]
    print("wrote showroom-logo.svg and paw.png (alpha: %d%% transparent, %d%% partial, %d%% opaque)"
          % (100 * (a == 0).mean(), 100 * ((a > 0) & (a < 255)).mean(), 100 * (a == 255).mean()))


if __name__ == "__main__":
    main()
