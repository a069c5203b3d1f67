#!/usr/bin/env python3
"""Prepare the sneaker product model from the Khronos MaterialsVariantsShoe.

The sample ships the whole shoe as one primitive, so a configurator cannot
colour or hide the laces on their own. This script splits the primitive by
connected component (triangles sharing vertices or positions) into three
meshes that keep the original vertex data and KHR_materials_variants
mappings:

- "Shoe"    the upper, sole and everything else;
- "Laces"   the seven lace segments (thin UV islands that cross the tongue);
- "Eyelets" the eight grommets (480-triangle rings).

Only index data is new; attributes, materials, textures and images are the
original bytes. Run:  python3 prepare.py MaterialsVariantsShoe.glb sneaker.glb
(input sha256 56485ef2d232d97f…, the Khronos glTF/ files repacked losslessly).
"""
import json
import struct
import sys

import numpy as np


def read_glb(path):
    data = open(path, "rb").read()
    magic, version, _ = struct.unpack_from("<III", data, 0)
    assert magic == 0x46546C67 and version == 2, "not a glTF 2.0 GLB"
    jlen, jtype = struct.unpack_from("<II", data, 12)
    assert jtype == 0x4E4F534A
    doc = json.loads(data[20 : 20 + jlen])
    off = 20 + jlen
    blen, btype = struct.unpack_from("<II", data, off)
    assert btype == 0x004E4942
    return doc, bytearray(data[off + 8 : off + 8 + blen])


def write_glb(path, doc, binary):
    js = json.dumps(doc, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    binary = bytes(binary) + b"\0" * (-len(binary) % 4)
    total = 12 + 8 + len(js) + 8 + len(binary)
    with open(path, "wb") as f:
        f.write(struct.pack("<III", 0x46546C67, 2, total))
        f.write(struct.pack("<II", len(js), 0x4E4F534A) + js)
        f.write(struct.pack("<II", len(binary), 0x004E4942) + binary)


def accessor(doc, binary, i):
    a = doc["accessors"][i]
    bv = doc["bufferViews"][a["bufferView"]]
    dtype = {5126: np.float32, 5125: np.uint32, 5123: np.uint16, 5121: np.uint8}[a["componentType"]]
    n = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[a["type"]]
    off = bv.get("byteOffset", 0) + a.get("byteOffset", 0)
    assert bv.get("byteStride", 0) in (0, n * np.dtype(dtype).itemsize)
    return np.frombuffer(binary, dtype=dtype, count=a["count"] * n, offset=off).reshape(a["count"], n).copy()


def components(pos, tris):
    parent = np.arange(len(pos))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for a, b, c in tris:
        union(a, b)
        union(a, c)
    first = {}
    for i, p in enumerate(map(tuple, np.round(pos, 5))):
        if p in first:
            union(first[p], i)
        else:
            first[p] = i
    roots = np.array([find(i) for i in range(len(pos))])
    return roots[tris[:, 0]]


def main(src, dst):
    doc, binary = read_glb(src)
    prim = doc["meshes"][0]["primitives"][0]
    pos = accessor(doc, binary, prim["attributes"]["POSITION"])
    uv = accessor(doc, binary, prim["attributes"]["TEXCOORD_0"])
    tris = accessor(doc, binary, prim["indices"]).reshape(-1, 3).astype(np.uint32)
    comp = components(pos, tris)
    part = np.zeros(len(tris), dtype=int)  # 0 shoe, 1 laces, 2 eyelets
    for c in np.unique(comp):
        sel = comp == c
        verts = np.unique(tris[sel])
        size = pos[verts].max(0) - pos[verts].min(0)
        uv_width = uv[verts, 0].max() - uv[verts, 0].min()
        if uv_width < 0.05 and size[2] > 0.25:
            part[sel] = 1
        elif sel.sum() == 480 and size.max() < 0.1:
            part[sel] = 2
    counts = [int((part == k).sum()) for k in range(3)]
    assert counts[1] > 0 and counts[2] == 8 * 480, f"unexpected split {counts}"
    print("triangles: shoe %d, laces %d, eyelets %d" % tuple(counts))

    def add_indices(t):
        data = t.astype(np.uint32).tobytes()
        binary.extend(b"\0" * (-len(binary) % 4))
        doc["bufferViews"].append(
            {"buffer": 0, "byteOffset": len(binary), "byteLength": len(data), "target": 34963}
        )
        binary.extend(data)
        doc["accessors"].append(
            {"bufferView": len(doc["bufferViews"]) - 1, "componentType": 5125,
             "count": int(t.size), "type": "SCALAR"}
        )
        return len(doc["accessors"]) - 1

    shoe_node = next(i for i, n in enumerate(doc["nodes"]) if n.get("mesh") == 0)
    # The shoe keeps the original index accessor, rewritten in place with its
    # own (fewer) triangles, so no accessor or view is left unused.
    ia = doc["accessors"][prim["indices"]]
    bv = doc["bufferViews"][ia["bufferView"]]
    dtype = {5125: np.uint32, 5123: np.uint16, 5121: np.uint8}[ia["componentType"]]
    body = tris[part == 0].astype(dtype).tobytes()
    start = bv.get("byteOffset", 0) + ia.get("byteOffset", 0)
    binary[start : start + len(body)] = body
    ia["count"] = int((part == 0).sum() * 3)
    ia.pop("min", None)
    ia.pop("max", None)
    for k, name in ((1, "Laces"), (2, "Eyelets")):
        p = json.loads(json.dumps(prim))
        p["indices"] = add_indices(tris[part == k])
        doc["meshes"].append({"name": name.lower(), "primitives": [p]})
        doc["nodes"].append({"name": name, "mesh": len(doc["meshes"]) - 1})
        doc["nodes"][shoe_node].setdefault("children", []).append(len(doc["nodes"]) - 1)
    doc["buffers"][0]["byteLength"] = len(binary) + (-len(binary) % 4)
    doc["asset"]["generator"] = "Showroom prepare.py (split of Khronos MaterialsVariantsShoe)"
    write_glb(dst, doc, binary)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
