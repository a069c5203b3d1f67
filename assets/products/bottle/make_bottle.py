#!/usr/bin/env python3
"""Make the sample insulated water bottle: bottle.glb (glTF 2.0 binary).

A 750 ml-style insulated stainless bottle, modelled as surfaces of revolution
in real size: metres, +Y up, standing on y = 0, centred on the Y axis, its
front (+Z) facing the default camera. Deterministic; numpy only. Run:
    python3 make_bottle.py            (writes bottle.glb beside this script)

Parts (node = mesh name, all children of the node "Bottle"):
- "Body"  powder-coated steel, material "body": a closed bottom disc, a
          rounded bottom edge (quarter ellipse 6 mm in, 12 mm up), a straight
          cylinder of 73 mm diameter from y = 12 mm to y = 185 mm, a shoulder
          (cubic Bezier, vertical tangents at both ends) curving in to the
          48 mm neck at y = 215 mm. Smooth everywhere (C1 profile).
- "Neck"  brushed stainless, material "neck": the ring of the neck between
          the shoulder and the cap (48 mm, y = 215 .. 222 mm; 5 mm of it shows
          below the cap, the rest is hidden inside the cap).
- "Cap"   black plastic, material "cap": 52 mm diameter, 45 mm tall
          (y = 220 .. 265 mm): a bottom annulus, a 1 mm 45-degree chamfer, a
          straight side, a 4 mm rounded top edge and a closed top disc.
Overall: 73 mm diameter, 265 mm tall. No handle loop.

Normals are analytic (from the profile's tangent), smooth along the profile;
the chamfer's and the cap bottom's edges are hard (split vertices). Each
ring has SEGMENTS + 1 vertices: the seam at u = 0 / u = 1 (the back, -Z) is
duplicated so UVs are continuous.

UV MAPPING (TEXCOORD_0, every part; glTF convention, v grows downward in
the image, so v = 0 is the image's top row):

    u = phi / (2 pi),   the angle around the Y axis, counter-clockwise seen
                        from above, measured from the back (-Z):
                        u = 0 at -Z (seam), 0.25 at -X, 0.5 at +Z (front,
                        towards the default camera), 0.75 at +X, 1 at -Z;
                        point = (-r sin(2 pi u), y, -r cos(2 pi u)).
                        Seen from the front, u grows from left to right and
                        v from top to bottom: an image mapped to a UV
                        rectangle reads upright, not mirrored.
    v = 1 - s / L,      s = arc length along the part's profile from its start
                        (Body: the centre of the bottom disc; Neck: its lower
                        edge; Cap: the inner edge of its bottom annulus),
                        L = the part's total profile length. Body: v = 1 at
                        the bottom centre, v = 0 at the neck (top of the body).

BODY NUMBERS (mm; also printed by the script):
    circumference of the cylinder (r = 36.5 mm)   2 pi r = 229.336 mm per 1.0 of u
    profile length L (bottom centre to neck)       251.244 mm per 1.0 of v
      bottom disc (r 0 .. 30.5, y = 0)             s =   0     ..  30.500   v = 1        .. 0.878604
      rounded bottom edge (quarter ellipse)        s =  30.500 ..  45.033   v = 0.878604 .. 0.820761
      straight cylinder (y 12 .. 185)              s =  45.033 .. 218.033   v = 0.820761 .. 0.132186
      shoulder (y 185 .. 215, r 36.5 .. 24)        s = 218.033 .. 251.244   v = 0.132186 .. 0
    straight cylinder as a UV rectangle [u0, v0, u1, v1]:
        [0, 0.132186, 1, 0.820761]
    On the cylinder, s = 45.033 + (y - 12) mm, 1 mm = 1/229.336 of u and
    1/251.244 of v, so a W x H mm decal centred on the front (u = 0.5) at
    height y mm is the rectangle
        u = 0.5 -+ W / (2 * 229.336),
        v = 1 - (33.033 + y +- H / 2) / 251.244
    e.g. 60 x 30 mm at y = 100 mm: [0.369189, 0.410802, 0.630811, 0.530209].
    Only the cylinder is isometric; on the disc, the bottom edge and the
    shoulder one unit of u is the circumference 2 pi r there.

Materials (metallic-roughness, no textures): body = sRGB #2f5d50 (forest
green, stored linear), metallic 0, roughness 0.55; cap = sRGB #141414, metallic
0, roughness 0.4; neck = linear [0.67, 0.64, 0.60], metallic 1, roughness 0.3.
"""
import json
import math
import struct
from pathlib import Path

import numpy as np

MM = 0.001
SEGMENTS = 192           # around the axis (quads per ring)

R_BODY = 36.5 * MM       # 73 mm diameter
FILLET_IN = 6.0 * MM     # bottom edge: radial inset of the quarter ellipse
FILLET_UP = 12.0 * MM    #              and its height (cylinder starts here)
Y_CYL_TOP = 185.0 * MM
R_NECK = 24.0 * MM       # 48 mm diameter
Y_NECK = 215.0 * MM      # shoulder ends, neck starts
Y_NECK_TOP = 222.0 * MM  # hidden inside the cap above 220 mm
R_CAP = 26.0 * MM        # 52 mm diameter
Y_CAP = 220.0 * MM
Y_CAP_TOP = 265.0 * MM   # 45 mm tall
CAP_CHAMFER = 1.0 * MM
CAP_ROUND = 4.0 * MM


def srgb_to_linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def hex_linear(h):
    return [round(float(v), 6) for v in srgb_to_linear([int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)])]


# ------------------------------------------------------------- profiles ----
# A profile segment: arrays r, y (points, metres) and nr, ny (unit outward
# normal of the surface in the r-y half plane), sampled along the curve.

def line(p0, p1, n):
    t = np.linspace(0, 1, n + 1)
    r = p0[0] + (p1[0] - p0[0]) * t
    y = p0[1] + (p1[1] - p0[1]) * t
    tr, ty = p1[0] - p0[0], p1[1] - p0[1]
    length = math.hypot(tr, ty)
    # outward normal = tangent rotated clockwise: (dy, -dr)
    return r, y, np.full_like(t, ty / length), np.full_like(t, -tr / length)


def ellipse_bottom(n):
    """Quarter ellipse from (R - a, 0) (tangent horizontal) to (R, b)
    (tangent vertical), centre (R - a, b)."""
    t = np.linspace(0, math.pi / 2, n + 1)
    a, b = FILLET_IN, FILLET_UP
    r = R_BODY - a + a * np.sin(t)
    y = b - b * np.cos(t)
    dr, dy = a * np.cos(t), b * np.sin(t)
    ln = np.hypot(dr, dy)
    return r, y, dy / ln, -dr / ln


SHOULDER = np.array([[R_BODY, Y_CYL_TOP], [R_BODY, Y_CYL_TOP + 18 * MM],
                     [R_NECK, Y_NECK - 6 * MM], [R_NECK, Y_NECK]])


def bezier(P, t):
    t = t[:, None]
    pt = (1 - t) ** 3 * P[0] + 3 * (1 - t) ** 2 * t * P[1] + 3 * (1 - t) * t ** 2 * P[2] + t ** 3 * P[3]
    d = 3 * (1 - t) ** 2 * (P[1] - P[0]) + 6 * (1 - t) * t * (P[2] - P[1]) + 3 * t ** 2 * (P[3] - P[2])
    return pt, d


def shoulder(n):
    # sample uniformly in arc length (via a dense table)
    dense = np.linspace(0, 1, 20001)
    pts, _ = bezier(SHOULDER, dense)
    s = np.r_[0, np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))]
    t = np.interp(np.linspace(0, s[-1], n + 1), s, dense)
    p, d = bezier(SHOULDER, t)
    ln = np.linalg.norm(d, axis=1)
    return p[:, 0], p[:, 1], d[:, 1] / ln, -d[:, 0] / ln


def arc(centre, radius, a0, a1, n):
    """Circular arc, angles in the r-y plane from +r towards +y."""
    a = np.linspace(a0, a1, n + 1)
    return centre[0] + radius * np.cos(a), centre[1] + radius * np.sin(a), np.cos(a), np.sin(a)


def join(*segments):
    """Concatenate smooth segments (dropping each repeated joint point)."""
    parts = [segments[0]] + [tuple(x[1:] for x in s) for s in segments[1:]]
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(4))


def arc_length(r, y):
    """Arc length at each sample of a profile (sum of chords)."""
    return np.r_[0, np.cumsum(np.hypot(np.diff(r), np.diff(y)))]


def body_profile():
    disc = line((0.0, 0.0), (R_BODY - FILLET_IN, 0.0), 12)
    edge = ellipse_bottom(32)
    cyl = line((R_BODY, FILLET_UP), (R_BODY, Y_CYL_TOP), 35)
    sh = shoulder(64)
    return join(disc, edge, cyl, sh)


def exact_body_lengths():
    """Segment lengths in metres, integrated densely (not from the samples)."""
    t = np.linspace(0, math.pi / 2, 200001)
    r = R_BODY - FILLET_IN + FILLET_IN * np.sin(t)
    y = FILLET_UP - FILLET_UP * np.cos(t)
    edge = np.hypot(np.diff(r), np.diff(y)).sum()
    p, _ = bezier(SHOULDER, np.linspace(0, 1, 200001))
    sh = np.linalg.norm(np.diff(p, axis=0), axis=1).sum()
    return R_BODY - FILLET_IN, edge, Y_CYL_TOP - FILLET_UP, sh


# ------------------------------------------------------------ surfaces ----
def revolve(profile, s=None):
    """Vertices, normals, UVs and triangles of a profile revolved about Y.
    s: arc length at each profile point (default: along the samples)."""
    r, y, nr, ny = profile
    if s is None:
        s = arc_length(r, y)
    v = 1.0 - s / s[-1]
    u = np.linspace(0, 1, SEGMENTS + 1)
    ang = 2 * math.pi * u
    sn, cs = np.sin(ang), np.cos(ang)
    P = np.stack([-r[:, None] * sn[None], np.broadcast_to(y[:, None], (len(r), len(u))),
                  -r[:, None] * cs[None]], -1)
    N = np.stack([-nr[:, None] * sn[None], np.broadcast_to(ny[:, None], (len(r), len(u))),
                  -nr[:, None] * cs[None]], -1)
    P[:, -1], N[:, -1] = P[:, 0], N[:, 0]  # the seam's two columns coincide exactly
    UV = np.stack([np.broadcast_to(u[None], (len(r), len(u))), np.broadcast_to(v[:, None], (len(r), len(u)))], -1)
    UV = UV.copy()
    # a pole (r = 0) has one point; give each of its copies the u of the
    # middle of the one triangle it belongs to
    pole = r < 1e-12
    UV[pole, :-1, 0] = (u[:-1] + u[1:]) / 2
    cols = SEGMENTS + 1
    tris = []
    for i in range(len(r) - 1):
        for j in range(SEGMENTS):
            a, b = i * cols + j, i * cols + j + 1
            c, d = (i + 1) * cols + j, (i + 1) * cols + j + 1
            # counter-clockwise seen from outside (the profile runs up / out,
            # u runs counter-clockwise seen from above); no triangle at a pole
            if not pole[i]:
                tris.append((a, b, c))
            if not pole[i + 1]:
                tris.append((b, d, c))
    N = N / np.linalg.norm(N, axis=-1, keepdims=True)
    return (P.reshape(-1, 3), N.reshape(-1, 3), UV.reshape(-1, 2), np.array(tris, dtype=np.uint32))


def merge(*meshes):
    """Concatenate revolved surfaces (hard edges between them)."""
    P, N, UV, T, base = [], [], [], [], 0
    for p, n, uv, t in meshes:
        P.append(p)
        N.append(n)
        UV.append(uv)
        T.append(t + base)
        base += len(p)
    return np.vstack(P), np.vstack(N), np.vstack(UV), np.vstack(T)


def body():
    prof = body_profile()
    # v from the arc length: the chords of the curves are within a few um of
    # the curve, but each segment is scaled to its densely integrated length
    # so that the numbers in the docstring hold exactly
    s = arc_length(prof[0], prof[1])
    lengths = exact_body_lengths()
    bounds = np.cumsum((0,) + lengths)
    n_pts = [12, 32, 35, 64]  # segments per part, as in body_profile()
    idx = np.cumsum([0] + n_pts)
    s_exact = np.empty_like(s)
    for k in range(4):
        a, b = idx[k], idx[k + 1]
        seg = s[a:b + 1] - s[a]
        s_exact[a:b + 1] = bounds[k] + seg / seg[-1] * lengths[k]
    return revolve(prof, s_exact), bounds


def neck():
    return revolve(line((R_NECK, Y_NECK), (R_NECK, Y_NECK_TOP), 2))


def cap():
    """Profile from the inner edge of the bottom annulus to the top centre;
    hard edges at the chamfer, so three surfaces sharing one v scale."""
    r_in = R_NECK
    pieces = [
        line((r_in, Y_CAP), (R_CAP - CAP_CHAMFER, Y_CAP), 2),                        # bottom annulus
        line((R_CAP - CAP_CHAMFER, Y_CAP), (R_CAP, Y_CAP + CAP_CHAMFER), 1),        # chamfer
        join(line((R_CAP, Y_CAP + CAP_CHAMFER), (R_CAP, Y_CAP_TOP - CAP_ROUND), 16),
             arc((R_CAP - CAP_ROUND, Y_CAP_TOP - CAP_ROUND), CAP_ROUND, 0, math.pi / 2, 24),
             line((R_CAP - CAP_ROUND, Y_CAP_TOP), (0.0, Y_CAP_TOP), 12)),           # side, round, top
    ]
    # one arc-length scale over the whole cap profile
    lens = [arc_length(p[0], p[1]) for p in pieces]
    total = sum(l[-1] for l in lens)
    start, out = 0.0, []
    for p, l in zip(pieces, lens):
        m = revolve(p, s=start + l)
        # revolve normalises by its own last s; redo v on the common scale
        m[2][:, 1] = np.repeat(1.0 - (start + l) / total, SEGMENTS + 1)
        out.append(m)
        start += l[-1]
    return merge(*out)


# ----------------------------------------------------------------- glTF ----
def build():
    (body_mesh, bounds) = body()
    parts = [("Body", body_mesh, "body"), ("Neck", neck(), "neck"), ("Cap", cap(), "cap")]
    materials = {
        "body": {"name": "body", "pbrMetallicRoughness": {
            "baseColorFactor": hex_linear("#2f5d50") + [1.0], "metallicFactor": 0.0, "roughnessFactor": 0.55}},
        "cap": {"name": "cap", "pbrMetallicRoughness": {
            "baseColorFactor": hex_linear("#141414") + [1.0], "metallicFactor": 0.0, "roughnessFactor": 0.4}},
        "neck": {"name": "neck", "pbrMetallicRoughness": {
            "baseColorFactor": [0.67, 0.64, 0.60, 1.0], "metallicFactor": 1.0, "roughnessFactor": 0.3}},
    }
    mat_names = ["body", "neck", "cap"]
    doc = {
        "asset": {"version": "2.0", "generator": "Showroom make_bottle.py"},
        "scene": 0,
        "scenes": [{"name": "Scene", "nodes": [0]}],
        "nodes": [{"name": "Bottle", "children": [1, 2, 3]}],
        "meshes": [], "materials": [materials[m] for m in mat_names],
        "accessors": [], "bufferViews": [], "buffers": [],
    }
    binary = bytearray()

    def view(data, target):
        binary.extend(b"\0" * (-len(binary) % 4))
        doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(data),
                                   "target": target})
        binary.extend(data)
        return len(doc["bufferViews"]) - 1

    def attr(a, kind, minmax=False):
        a = np.ascontiguousarray(a, dtype=np.float32)
        acc = {"bufferView": view(a.tobytes(), 34962), "componentType": 5126,
               "count": len(a), "type": kind}
        if minmax:
            acc["min"] = [float(x) for x in a.min(0)]
            acc["max"] = [float(x) for x in a.max(0)]
        doc["accessors"].append(acc)
        return len(doc["accessors"]) - 1

    stats = {}
    for name, (P, N, UV, T), mat in parts:
        assert np.allclose(np.linalg.norm(N, axis=1), 1, atol=1e-6)
        idx_type, ct = (np.uint16, 5123) if len(P) < 65536 else (np.uint32, 5125)
        ind = np.ascontiguousarray(T.ravel(), dtype=idx_type)
        doc["accessors"].append({"bufferView": view(ind.tobytes(), 34963), "componentType": ct,
                                 "count": len(ind), "type": "SCALAR"})
        ia = len(doc["accessors"]) - 1
        prim = {"attributes": {"POSITION": attr(P, "VEC3", True), "NORMAL": attr(N, "VEC3"),
                               "TEXCOORD_0": attr(UV, "VEC2")},
                "indices": ia, "material": mat_names.index(mat), "mode": 4}
        doc["meshes"].append({"name": name, "primitives": [prim]})
        doc["nodes"].append({"name": name, "mesh": len(doc["meshes"]) - 1})
        stats[name] = (len(P), len(T), P.min(0), P.max(0))
    binary.extend(b"\0" * (-len(binary) % 4))
    doc["buffers"].append({"byteLength": len(binary)})
    return doc, bytes(binary), stats, bounds


def write_glb(path, doc, binary):
    js = json.dumps(doc, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    binary = bytes(binary) + b"\0" * (-len(binary) % 4)
    total = 12 + 8 + len(js) + 8 + len(binary)
    with open(path, "wb") as f:
        f.write(struct.pack("<III", 0x46546C67, 2, total))
        f.write(struct.pack("<II", len(js), 0x4E4F534A) + js)
        f.write(struct.pack("<II", len(binary), 0x004E4942) + binary)


def main():
    doc, binary, stats, bounds = build()
    out = Path(__file__).with_name("bottle.glb")
    write_glb(out, doc, binary)
    print("wrote %s (%d bytes)" % (out, out.stat().st_size))
    for name, (nv, nt, lo, hi) in stats.items():
        print("  %-5s %6d vertices %6d triangles  x %.1f..%.1f  y %.1f..%.1f  z %.1f..%.1f mm"
              % (name, nv, nt, lo[0] / MM, hi[0] / MM, lo[1] / MM, hi[1] / MM, lo[2] / MM, hi[2] / MM))
    L = bounds[-1]
    print("body: circumference of the cylinder %.3f mm, profile length L = %.3f mm" % (2 * math.pi * R_BODY / MM, L / MM))
    for name, a, b in zip(("bottom disc", "rounded bottom edge", "straight cylinder", "shoulder"), bounds[:-1], bounds[1:]):
        print("  %-20s s = %8.3f .. %8.3f mm   v = %.6f .. %.6f" % (name, a / MM, b / MM, 1 - b / L, 1 - a / L))
    print("straight cylinder UV rect [u0, v0, u1, v1] = [0, %.6f, 1, %.6f]" % (1 - bounds[3] / L, 1 - bounds[2] / L))


if __name__ == "__main__":
    main()
