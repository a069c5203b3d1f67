#!/usr/bin/env python3
"""Find decal projector frames on the sneaker: a name on the heel and a number
on the tongue, from the triangles of the "Shoe" mesh in world space (metres).

Run:  python3 find_decal_frames.py [sneaker.glb]      (numpy only; ~1 min)

It prints, for each slot, a `placement` for product.json

    {"projector": {"position": [x, y, z], "direction": [dx, dy, dz],
                   "up": [ux, uy, uz], "size_mm": [w, h], "depth_mm": d}}

twice: with `position` OFFSET_MM outside the nearest point of the patch and
the box reaching depth_mm from there into the surface, and the same box with
`position` at its centre (what renderer/src/render/decals.rs and
shaders/decal.wgsl do: the box reaches depth_mm / 2 either way); then the
measurements behind it, and two smaller alternatives that fit better.

Conventions:
- world space = the scene's node hierarchy applied (the root node scales the
  [-1, 1] source coordinates by 0.1489 and moves them); the shoe stands on
  y = 0, +Y is up, the toe points to +X, the width is along Z. The three
  meshes share one vertex array; each keeps only the vertices it uses. The
  glTF MESH names are "shoe", "laces", "eyelets" (lower case); the NODE names
  are "Shoe", "Laces", "Eyelets".
- `direction` points into the surface: the negative mean surface normal over
  the patch (each ray of a regular grid weighted equally, i.e. by projected
  area), iterated; `up` is world +Y made perpendicular to it; the decal's
  right is direction x up (the renderer's convention: seen from outside,
  looking along `direction`, the artwork is upright and not mirrored).
- distances are measured along `direction` from the plane through the
  box's outer face, for a 1 mm grid of rays over the rectangle: the first
  hit (the target surface), the inner wall (the first surface behind it
  facing away: lining, the tongue's back) and the next facing hit (the first
  surface behind it facing the projector, more than LAYER_MM behind). The box
  must reach past every first hit; if it also reaches an inner wall the
  decal pass has to ignore back faces (decal.wgsl does), and it must stop
  before every next facing hit.

Sole: the UV islands of the "Shoe" mesh whose vertices all lie below
SOLE_ISLAND_MAX_Y (outsole, midsole and its rims); the upper's islands reach
far higher. Tongue: the UV island facing up between the eyelet rows (found
by rays that miss the centre tape); the centre tape with its pull loop is a
separate narrow island of the same mesh that the projector also reaches.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

OFFSET_MM = 5.0            # position this far outside the surface
GRID_MM = 1.0              # ray spacing over a patch
SOLE_ISLAND_MAX_Y = 0.045  # m: islands entirely below this are the sole
HEEL_SIZE_MM = (60.0, 12.0)
TONGUE_SIZE_MM = (30.0, 30.0)
MARGIN_MM = 2.0            # keep the patch edges this far from sole / edges
LAYER_MM = 3.0             # surfaces this close behind the target are layers of it


# ---------------------------------------------------------------- glTF ----
def read_glb(path):
    data = Path(path).read_bytes()
    magic, version, _ = struct.unpack_from("<III", data, 0)
    assert magic == 0x46546C67 and version == 2, "not a glTF 2.0 GLB"
    jlen, jtype = struct.unpack_from("<II", data, 12)
    assert jtype == 0x4E4F534A
    doc = json.loads(data[20:20 + jlen])
    off = 20 + jlen
    blen, btype = struct.unpack_from("<II", data, off)
    assert btype == 0x004E4942
    return doc, data[off + 8:off + 8 + blen]


def accessor(doc, binary, i):
    a = doc["accessors"][i]
    bv = doc["bufferViews"][a["bufferView"]]
    dtype = {5126: np.float32, 5125: np.uint32, 5123: np.uint16, 5121: np.uint8}[a["componentType"]]
    n = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[a["type"]]
    assert bv.get("byteStride", 0) in (0, n * np.dtype(dtype).itemsize)
    off = bv.get("byteOffset", 0) + a.get("byteOffset", 0)
    return np.frombuffer(binary, dtype=dtype, count=a["count"] * n, offset=off).reshape(a["count"], n)


def node_matrix(node):
    if "matrix" in node:
        return np.array(node["matrix"], dtype=float).reshape(4, 4).T  # column-major
    t = np.array(node.get("translation", [0, 0, 0]), dtype=float)
    x, y, z, w = node.get("rotation", [0, 0, 0, 1])
    s = np.array(node.get("scale", [1, 1, 1]), dtype=float)
    r = np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])
    m = np.eye(4)
    m[:3, :3] = r * s
    m[:3, 3] = t
    return m


def world_meshes(doc, binary):
    """{node name: (world positions, triangles)} for every mesh node of the scene."""
    out = {}

    def walk(i, parent):
        node = doc["nodes"][i]
        m = parent @ node_matrix(node)
        if "mesh" in node:
            verts, tris, base = [], [], 0
            for prim in doc["meshes"][node["mesh"]]["primitives"]:
                assert prim.get("mode", 4) == 4
                p = accessor(doc, binary, prim["attributes"]["POSITION"]).astype(float)
                idx = accessor(doc, binary, prim["indices"]).astype(np.int64).reshape(-1, 3)
                # the sample's meshes share one vertex array: keep what is used
                used, idx = np.unique(idx, return_inverse=True)
                p, idx = p[used], idx.reshape(-1, 3)
                verts.append(p @ m[:3, :3].T + m[:3, 3])
                tris.append(idx + base)
                base += len(p)
            out[node["name"]] = (np.vstack(verts), np.vstack(tris))
        for c in node.get("children", []):
            walk(c, m)

    for root in doc["scenes"][doc.get("scene", 0)]["nodes"]:
        walk(root, np.eye(4))
    return out


def islands(n_verts, tris):
    """Connected components over shared vertex indices (= UV islands, since
    UV seams duplicate vertices). Returns the component of each triangle."""
    parent = np.arange(n_verts)

    def find(x):
        r = x
        while parent[r] != r:
            r = parent[r]
        while parent[x] != r:
            parent[x], x = r, parent[x]
        return r

    for a, b, c in tris:
        for p, q in ((a, b), (a, c)):
            rp, rq = find(p), find(q)
            if rp != rq:
                parent[rq] = rp
    roots = np.array([find(i) for i in range(n_verts)])
    return roots[tris[:, 0]]


# ---------------------------------------------------------- ray casting ----
class Mesh:
    def __init__(self, verts, tris):
        self.v, self.t = verts, tris
        self.a = verts[tris[:, 0]]
        self.e1 = verts[tris[:, 1]] - self.a
        self.e2 = verts[tris[:, 2]] - self.a
        n = np.cross(self.e1, self.e2)
        self.n = n / np.linalg.norm(n, axis=1, keepdims=True)

    def hits(self, origins, d, near=None):
        """All hits of rays origins + s*d (one direction d), s > 0.
        Returns a list (per ray) of (s sorted, triangle ids). `near` limits
        the triangles to those within that distance of the first origin."""
        sel = np.arange(len(self.t))
        if near is not None:
            c = self.a + (self.e1 + self.e2) / 3
            sel = np.nonzero(np.linalg.norm(c - origins.mean(0), axis=1) < near)[0]
        a, e1, e2 = self.a[sel], self.e1[sel], self.e2[sel]
        p = np.cross(d, e2)
        det = (e1 * p).sum(1)
        ok = np.abs(det) > 1e-15
        inv = np.where(ok, 1 / np.where(ok, det, 1), 0)
        q1 = np.cross(e1, d)  # helper for v without per-ray cross products
        out = []
        for start in range(0, len(origins), 64):
            o = origins[start:start + 64]
            s = o[:, None, :] - a[None]                      # R x T x 3
            u = (s * p[None]).sum(2) * inv
            v = (s * q1[None]).sum(2) * inv                  # d.(s x e1) = s.(e1 x d)
            q = np.cross(s, e1[None])
            tt = (q * e2[None]).sum(2) * inv
            m = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (tt > 0)
            for r in range(len(o)):
                k = np.nonzero(m[r])[0]
                order = np.argsort(tt[r, k])
                out.append((tt[r, k][order], sel[k][order]))
        return out


def unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def frame(direction, world_up):
    d = unit(direction)
    up = unit(world_up - (world_up @ d) * d)
    right = np.cross(d, up)
    return d, up, right


def grid(size_mm, step_mm=GRID_MM):
    w, h = size_mm
    xs = np.linspace(-w / 2, w / 2, int(round(w / step_mm)) + 1) / 1000
    ys = np.linspace(-h / 2, h / 2, int(round(h / step_mm)) + 1) / 1000
    gx, gy = np.meshgrid(xs, ys)
    return gx.ravel(), gy.ravel()


def cast_patch(mesh, centre, d, up, right, size_mm, step_mm=GRID_MM, near=None, back=0.1):
    """Rays along d over the rectangle centred on `centre` (a point of the
    axis); origins `back` metres before it. Returns (gx, gy, hits) with hit
    distances measured from the plane through `centre`."""
    gx, gy = grid(size_mm, step_mm)
    origins = centre + gx[:, None] * right + gy[:, None] * up - back * d
    hits = mesh.hits(origins, d, near=near)
    return gx, gy, [(s - back, k) for s, k in hits]


def fit_plane_deviation(points):
    c = points.mean(0)
    _, _, vt = np.linalg.svd(points - c)
    dist = (points - c) @ vt[2]
    return float(np.abs(dist).max()), float(dist.max() - dist.min())


# ------------------------------------------------------------- analysis ----
def describe(mesh, position, d, up, right, size_mm, target, depth_margin_mm=1.0):
    """Measure a projector over its rectangle (1 mm grid of rays along d).
    target(k): whether triangle k is the surface meant to carry the decal.
    Distances in mm from the plane through `position`. Per ray: the first
    hit = the first target triangle facing the projector; the inner wall =
    the first surface behind it facing away (the lining, the tongue's back);
    the next facing hit = the first surface behind it facing the projector,
    more than LAYER_MM behind (closer ones are layers under the target, e.g.
    the heel overlay on its panel: hidden, so painting them is harmless)."""
    gx, gy, hits = cast_patch(mesh, position, d, up, right, size_mm, back=0.3)
    first, second, facing, normals, pts = [], [], [], [], []
    missing, occluded, occ_s = 0, 0, []
    for (s, k), x, y in zip(hits, gx, gy):
        keep = s > -0.05  # ignore what lies far behind the projector
        s, k = s[keep], k[keep]
        on = [i for i in range(len(k)) if target(k[i]) and mesh.n[k[i]] @ d < 0]
        if not on:
            missing += 1
            continue
        i = on[0]
        if i > 0:  # something else is hit before the target surface
            occluded += 1
            occ_s += list(s[:i])
        first.append(s[i])
        normals.append(mesh.n[k[i]])
        pts.append(position + s[i] * d + x * right + y * up)
        behind = list(zip(s[i + 1:], k[i + 1:]))
        b = [si for si, ki in behind if mesh.n[ki] @ d >= 0]
        if b:
            second.append(b[0])
        f = [si for si, ki in behind if mesh.n[ki] @ d < 0 and si > s[i] + LAYER_MM / 1000]
        if f:
            facing.append(f[0])
    first, second, facing, occ_s = (np.array(v) * 1000 for v in (first, second, facing, occ_s))
    normals, pts = np.array(normals), np.array(pts)
    cosang = np.clip(-(normals @ d), -1, 1)
    dev, ptp = fit_plane_deviation(pts)
    need = float(first.max()) + depth_margin_mm
    info = {
        "rays": len(hits), "rays_missing_the_target": missing,
        "rays_hitting_something_else_first": occluded,
        "other_surfaces_in_front_mm": [round(float(occ_s.min()), 1), round(float(occ_s.max()), 1)] if occluded else None,
        "first_hit_mm": [round(float(first.min()), 2), round(float(first.max()), 2)],
        "inner_wall_hit_mm_min": round(float(second.min()), 2) if len(second) else None,
        "next_facing_hit_mm_min": round(float(facing.min()), 2) if len(facing) else None,
        "surface_depth_range_mm": round(float(first.max() - first.min()), 2),
        "plane_fit_max_deviation_mm": round(dev * 1000, 2),
        "plane_fit_peak_to_valley_mm": round(ptp * 1000, 2),
        "max_angle_normal_vs_projector_deg": round(float(np.degrees(np.arccos(cosang.min()))), 1),
        "angle_p95_deg": round(float(np.percentile(np.degrees(np.arccos(cosang)), 95)), 1),
        # shaders/decal.wgsl paints at full strength up to 60 deg off the
        # axis, fades to nothing at 75 deg and never paints back faces
        "share_of_patch_over_60deg_faded": round(float((cosang < 0.5).mean()), 3),
        "share_of_patch_over_75deg_unpainted": round(float((cosang <= 0.2588).mean()), 3),
        "depth_needed_mm": round(need, 1),
    }
    limit_any = float(second.min()) if len(second) else float("inf")
    limit_facing = float(facing.min()) if len(facing) else float("inf")
    if need < limit_any:
        depth, note = need, "fits: reaches every first hit, stops before the inner wall"
    elif need < limit_facing:
        depth, note = need, ("needs back-face rejection: the box must reach %.1f mm but the inside of "
                             "the wall (facing away) starts at %.1f mm; the next surface facing the "
                             "projector is at %.1f mm" % (need, limit_any, limit_facing))
    else:
        depth, note = need, "does not fit: a surface facing the projector is inside the box"
    info["depth_mm"] = float(np.ceil(depth))
    info["depth_note"] = note
    return info, pts


def place(mesh, centre, d, up, right, size_mm, target):
    """position = OFFSET_MM before the nearest point of the patch (on the
    axis through `centre`), then measure."""
    position = centre - d * OFFSET_MM / 1000
    info, pts = describe(mesh, position, d, up, right, size_mm, target)
    position = position + d * (info["first_hit_mm"][0] - OFFSET_MM) / 1000
    info, pts = describe(mesh, position, d, up, right, size_mm, target)
    return position, info, pts


def mean_normal_frame(mesh, centre, d, size_mm, accept, world_up, iterations=6):
    """Iterate direction = -mean normal of the first hits over the patch."""
    for _ in range(iterations):
        d, up, right = frame(d, world_up)
        _, _, hits = cast_patch(mesh, centre, d, up, right, size_mm, step_mm=2.0, near=0.12)
        ns = [mesh.n[k[0]] for s, k in hits if len(k) and accept(k[0])]
        d = -unit(np.mean(ns, axis=0))
    return frame(d, world_up)


def main(path):
    doc, binary = read_glb(path)
    meshes = world_meshes(doc, binary)
    sv, st = meshes["Shoe"]
    shoe = Mesh(sv, st)
    lv, lt = meshes["Laces"]
    ev, et = meshes["Eyelets"]
    comp = islands(len(sv), st)
    comp_ymax = {c: sv[np.unique(st[comp == c]), 1].max() for c in np.unique(comp)}
    sole = np.array([comp_ymax[c] < SOLE_ISLAND_MAX_Y for c in comp])
    lo, hi = sv.min(0), sv.max(0)
    print("Shoe bounds (m): min %s max %s  size mm %s" % (np.round(lo, 4), np.round(hi, 4), np.round((hi - lo) * 1000, 1)))

    # Which way does the shoe point? The long axis is X; the heel end is the
    # taller one (collar) and the toe end is lifted off the ground (toe spring).
    def end_stats(sign):
        x = sv[:, 0] * sign
        m = x > x.max() - 0.02
        return sv[m, 1].max(), sv[m, 1].min()
    (top_p, bot_p), (top_m, bot_m) = end_stats(1), end_stats(-1)
    toe = np.array([1.0, 0, 0]) if top_p < top_m else np.array([-1.0, 0, 0])
    print("toe direction %s (end tops +X %.3f / -X %.3f m, end bottoms %.3f / %.3f m); up +Y; floor y = %.4f m"
          % (toe, top_p, top_m, bot_p, bot_m, lo[1]))
    Y = np.array([0.0, 1.0, 0.0])
    results = {}

    # ------------------------------------------------------------ heel ----
    # The heel's mid-plane: midpoint of the rear 20 mm of horizontal slices.
    zs = []
    for yc in np.arange(0.045, 0.075, 0.005):
        e = np.r_[st[:, [0, 1]], st[:, [1, 2]], st[:, [2, 0]]]
        ya, yb = sv[e[:, 0], 1], sv[e[:, 1], 1]
        m = (ya - yc) * (yb - yc) < 0
        f = (yc - ya[m]) / (yb[m] - ya[m])
        p = sv[e[m, 0]] + (sv[e[m, 1]] - sv[e[m, 0]]) * f[:, None]
        along = p @ toe
        rear = p[along < along.min() + 0.02]
        zs.append((rear[:, 2].min() + rear[:, 2].max()) / 2)
    zc = float(np.mean(zs))
    print("\nHEEL: mid-plane z = %.4f m (slices y 0.045..0.070: %s)" % (zc, np.round(zs, 4)))

    # Back centre line: what the first hit is, by height.
    prof = []
    for y in np.arange(0.01, 0.13, 0.001):
        o = np.array([0, y, zc]) - toe * 0.5
        (s, k), = shoe.hits(o[None], toe)
        if len(s):
            prof.append((y, o + s[0] * toe, k[0]))
    sole_top = max(y for y, p, k in prof if sole[k])
    print("back centre line: sole (islands entirely below y = %.3f m) up to y = %.3f m; above it:"
          % (SOLE_ISLAND_MAX_Y, sole_top))
    runs = []
    for y, p, k in prof:
        if y <= sole_top:
            continue
        if runs and runs[-1][2] == comp[k]:
            runs[-1][1] = y
        else:
            runs.append([y, y, comp[k]])
    for a, b_, c in runs:
        print("  y %.3f..%.3f m  island of %d triangles" % (a, b_, (comp == c).sum()))

    def heel_frame(yc, size_mm):
        centre = next(p for y, p, k in prof if abs(y - yc) < 5e-4)
        d, up, right = mean_normal_frame(shoe, centre, toe, size_mm, lambda k: True, Y)
        return centre, d, up, right

    def heel_ok(size_mm, centre, d, up, right):
        """The whole strip (plus MARGIN_MM) lies on the upper, faces the
        projector and is within 35 mm behind the centre (not through the
        collar opening)."""
        size = (size_mm[0] + 2 * MARGIN_MM, size_mm[1] + 2 * MARGIN_MM)
        _, _, hits = cast_patch(shoe, centre, d, up, right, size, step_mm=2.0, near=0.15)
        return all(len(s) and not sole[k[0]] and shoe.n[k[0]] @ d < 0 and s[0] < 0.035 for s, k in hits)

    def heel_placement(size_mm, yc=None):
        ok = [yc for yc in np.arange(sole_top, 0.1, 0.002) if heel_ok(size_mm, *heel_frame(yc, size_mm))]
        if not ok:
            return None
        groups = [[ok[0]]]
        for y in ok[1:]:
            if y - groups[-1][-1] < 0.0025:
                groups[-1].append(y)
            else:
                groups.append([y])
        best = max(groups, key=len)
        if yc is None:
            yc = round((best[0] + best[-1]) / 2 * 1000) / 1000
        centre, d, up, right = heel_frame(yc, size_mm)
        position, info, pts = place(shoe, centre, d, up, right, size_mm, target=lambda k: not sole[k])
        info = {"centre_heights_that_fit_m": [round(float(best[0]), 3), round(float(best[-1]), 3)],
                "surface_point_m": [round(float(v), 4) for v in centre],
                "right": [round(float(v), 4) for v in right],
                "strip_lowest_point_y_m": round(float(pts[:, 1].min()), 4),
                "strip_highest_point_y_m": round(float(pts[:, 1].max()), 4),
                "sole_top_at_centre_y_m": round(float(sole_top), 3), **info}
        return position, d, up, size_mm, info

    results = {"heel": heel_placement(HEEL_SIZE_MM)}
    assert results["heel"], "no height fits the heel strip"

    # ----------------------------------------------------------- tongue ----
    # The tongue's outer face: the island most hit by downward rays between
    # the eyelet rows, 11 mm off their centre line (clear of the centre tape).
    e_lo, e_hi = ev.min(0), ev.max(0)
    zmid = (e_lo[2] + e_hi[2]) / 2
    votes = {}
    for x in np.linspace(e_lo[0], e_hi[0], 12):
        for dz in (-0.011, 0.011):
            (s, k), = shoe.hits(np.array([[x, 0.5, zmid + dz]]), -Y)
            if len(s):
                votes[comp[k[0]]] = votes.get(comp[k[0]], 0) + 1
    tongue_island = max(votes, key=votes.get)
    on_tongue = comp == tongue_island
    tv = sv[np.unique(st[on_tongue])]
    tz = (tv[:, 2].min() + tv[:, 2].max()) / 2
    print("\nTONGUE: outer face = island of %d triangles, y %.3f..%.3f m, z %.3f..%.3f m (centre z %.4f)"
          % (on_tongue.sum(), tv[:, 1].min(), tv[:, 1].max(), tv[:, 2].min(), tv[:, 2].max(), tz))
    # a first frame from the island's mean normal over its top 40 mm
    top = on_tongue & (shoe.a[:, 1] > tv[:, 1].max() - 0.04)
    area = np.linalg.norm(np.cross(shoe.e1[top], shoe.e2[top]), axis=1)
    d0, up0, right0 = frame(-unit((shoe.n[top] * area[:, None]).sum(0)), Y)
    # walk up the tongue's centre line (rays 10 mm either side of it, clear of
    # the tape): where its face ends, and where the top lace is
    ref = np.array([tv[np.argmax(tv[:, 1]), 0], tv[:, 1].max() - 0.02, tz])
    us = np.arange(-0.06, 0.04, 0.0005)
    status = []
    for uu in us:
        o = np.array([ref + uu * up0 + dz * right0 for dz in (-0.01, 0.01)]) - 0.2 * d0
        status.append(all(len(k) and comp[k[0]] == tongue_island for s, k in shoe.hits(o, d0)))
    u_top = us[np.nonzero(status)[0].max()]

    def lace_top(width_mm):
        rel = lv - ref
        near = np.abs(rel @ right0) < width_mm / 2000
        return float((rel[near] @ up0).max())

    u_lace = lace_top(TONGUE_SIZE_MM[0])
    avail = (u_top - u_lace) * 1000
    print("along the tongue (up %s): its face ends at u = %.1f mm, the top lace (within +-%.0f mm) reaches "
          "u = %.1f mm: %.1f mm of tongue above the top lace"
          % (np.round(up0, 3), u_top * 1000, TONGUE_SIZE_MM[0] / 2, u_lace * 1000, avail))

    def tongue_placement(size_mm):
        free = (u_top - lace_top(size_mm[0])) * 1000
        if free >= size_mm[1] + 2 * MARGIN_MM:  # centred between the top lace and the top edge
            u_c = (u_top + lace_top(size_mm[0])) / 2
        else:  # top edge MARGIN_MM below the tongue's top edge; the bottom overlaps the lace
            u_c = u_top - (MARGIN_MM + size_mm[1] / 2) / 1000
        axis = ref + u_c * up0
        o = np.array([axis + dz * right0 for dz in (-0.01, 0.01)]) - 0.2 * d0
        s_axis = np.mean([s[0] for s, k in shoe.hits(o, d0)]) - 0.2
        centre = axis + s_axis * d0  # on the tongue face (under the tape)
        d, up, right = mean_normal_frame(shoe, centre, d0, size_mm, lambda k: comp[k] == tongue_island, Y)
        position, info, pts = place(shoe, centre, d, up, right, size_mm, target=lambda k: comp[k] == tongue_island)
        _, _, hits = cast_patch(shoe, position, d, up, right, size_mm, back=0.3)
        kinds = {}
        for s, k in hits:
            k = k[s > -0.05]
            name = ("tongue face" if comp[k[0]] == tongue_island else
                    "island of %d triangles" % (comp == comp[k[0]]).sum()) if len(k) else "nothing"
            kinds[name] = kinds.get(name, 0) + 1
        info = {"tongue_above_top_lace_mm": round(free, 1),
                "surface_point_m": [round(float(v), 4) for v in centre],
                "right": [round(float(v), 4) for v in right],
                "first_hits_by_island": kinds, **info}
        return position, d, up, size_mm, info

    results["tongue"] = tongue_placement(TONGUE_SIZE_MM)

    # ------------------------------------------- alternatives that fit ----
    # the widest heel strip, at the same height, that needs no back-face rejection
    yc_heel = results["heel"][4]["surface_point_m"][1]
    for w in (55.0, 50.0, 45.0, 40.0, 35.0, 30.0):
        r = heel_placement((w, HEEL_SIZE_MM[1]), yc_heel)
        if r and r[4]["depth_note"].startswith("fits"):
            results["heel_%gmm" % w] = r
            break
    side = np.floor(avail - 2 * MARGIN_MM)
    results["tongue_%gmm" % side] = tongue_placement((side, side))

    # --------------------------------------- laces / eyelets in the boxes ----
    lace_mesh, eyelet_mesh = Mesh(lv, lt), Mesh(ev, et)
    for key, (position, d, up, size_mm, info) in results.items():
        right = np.cross(d, up)
        depth = info["depth_mm"] / 1000
        _, _, sh = cast_patch(shoe, position, d, up, right, size_mm, back=0.3)
        for name, m in (("Laces", lace_mesh), ("Eyelets", eyelet_mesh)):
            r = m.v - position
            inside = ((r @ d >= 0) & (r @ d <= depth) & (np.abs(r @ right) <= size_mm[0] / 2000)
                      & (np.abs(r @ up) <= size_mm[1] / 2000))
            _, _, oh = cast_patch(m, position, d, up, right, size_mm, back=0.3)
            covered = 0
            for (s_o, _), (s_s, _) in zip(oh, sh):
                s_o = s_o[(s_o >= 0) & (s_o <= depth)]
                s_s = s_s[s_s > -0.05]
                covered += bool(len(s_o) and (not len(s_s) or s_o[0] <= s_s.max()))
            info["%s_vertices_in_box" % name] = int(inside.sum())
            info["%s_cover_fraction_of_patch" % name] = round(covered / len(oh), 3)
            if inside.any():
                info["%s_in_box_up_mm" % name] = [round(float((r[inside] @ up).min() * 1000), 1),
                                                   round(float((r[inside] @ up).max() * 1000), 1)]

    print()
    out = {}
    for key, (position, d, up, size_mm, info) in results.items():
        placement = {"projector": {
            "position": [round(float(v), 4) for v in position],
            "direction": [round(float(v), 4) for v in d],
            "up": [round(float(v), 4) for v in up],
            "size_mm": [float(v) for v in size_mm],
            "depth_mm": info["depth_mm"],
        }}
        # renderer/src/render/decals.rs + shaders/decal.wgsl take `position`
        # as the box's CENTRE (it reaches depth_mm / 2 either way): the same
        # box has its centre half the depth further in
        centred = json.loads(json.dumps(placement))
        centred["projector"]["position"] = [
            round(float(v), 4) for v in position + d * info["depth_mm"] / 2000]
        out[key] = placement
        print("%s:\n  box from position (OFFSET_MM outside) to depth_mm inside:\n    %s"
              "\n  the same box, position = its centre (the renderer's convention):\n    %s"
              % (key, json.dumps(placement), json.dumps(centred)))
        for k, v in info.items():
            print("   %-36s %s" % (k, v))
    return out


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("sneaker.glb")))
