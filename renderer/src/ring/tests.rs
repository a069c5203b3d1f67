use super::gem::{Facet, OVAL_RATIO};
use super::setting::GAP_MM;
use super::*;
use crate::scene::{ImportOptions, import_slice};
use glam::DVec3;

fn counts(p: &Polyhedron) -> std::collections::BTreeMap<Facet, usize> {
    let mut m = std::collections::BTreeMap::new();
    for f in &p.faces {
        *m.entry(f.kind).or_insert(0) += 1;
    }
    m
}

fn angle_to_girdle_plane(n: DVec3) -> f64 {
    n.y.abs().acos().to_degrees()
}

#[test]
fn ring_every_cut_is_a_closed_convex_polyhedron() {
    for cut in Cut::ALL {
        for w in [2.0, 6.5, 11.0] {
            let p = cut.polyhedron(w);
            p.check(1e-9 * w.max(1.0) * 1e3)
                .unwrap_or_else(|e| panic!("{cut:?} {w} mm: {e}"));
            let (v, e, f) = (p.vertices.len(), p.edge_count(), p.faces.len());
            assert_eq!(v + f, e + 2, "{cut:?}: Euler characteristic");
            assert!(p.volume() > 0.0);
            // Outward: every face's normal points away from the centroid.
            let c = p.vertices.iter().sum::<DVec3>() / v as f64;
            for i in 0..f {
                let (n, d) = p.plane(i);
                assert!(n.dot(c) < d, "{cut:?}: face {i} faces inwards");
            }
        }
    }
}

#[test]
fn ring_round_brilliant_has_57_facets() {
    for cut in [Cut::RoundBrilliant, Cut::Oval] {
        let p = cut.polyhedron(6.5);
        let c = counts(&p);
        assert_eq!(c[&Facet::Table], 1);
        assert_eq!(c[&Facet::Star], 8);
        assert_eq!(c[&Facet::Bezel], 8);
        assert_eq!(c[&Facet::UpperGirdle], 16);
        assert_eq!(c[&Facet::PavilionMain], 8);
        assert_eq!(c[&Facet::LowerGirdle], 16);
        assert_eq!(c[&Facet::Girdle], 16, "a 16-facet girdle");
        let facets: usize = c
            .iter()
            .filter(|(k, _)| **k != Facet::Girdle)
            .map(|(_, n)| n)
            .sum();
        assert_eq!(
            facets, 57,
            "{cut:?}: 57 facets (girdle not counted, no culet)"
        );
        assert_eq!(p.vertices.len(), 57);
        assert_eq!(p.edge_count(), 128);
        // Stars and girdle facets are triangles, bezels and mains kites.
        for f in &p.faces {
            let want = match f.kind {
                Facet::Table => 8,
                Facet::Star | Facet::UpperGirdle | Facet::LowerGirdle => 3,
                _ => 4,
            };
            assert_eq!(f.vertices.len(), want, "{:?}", f.kind);
        }
    }
}

#[test]
fn ring_princess_is_square_with_a_chevron_pavilion() {
    let w = 5.5;
    let p = Cut::Princess.polyhedron(w);
    let c = counts(&p);
    assert_eq!(c[&Facet::Table], 1);
    assert_eq!(c[&Facet::Crown], 8, "two crown tiers");
    assert_eq!(c[&Facet::Girdle], 4);
    // One girdle-side tier (4) and two chevron tiers of facet pairs (2 × 8).
    assert_eq!(c[&Facet::Pavilion], 20);
    let (lo, hi) = p.bounds();
    assert!(
        (hi.x - lo.x - w).abs() < 1e-9 && (hi.z - lo.z - w).abs() < 1e-9,
        "square"
    );
    let (ti, _) = p.faces_of(Facet::Table).next().unwrap();
    let xs: Vec<f64> = p.faces[ti]
        .vertices
        .iter()
        .map(|&k| p.vertices[k].x)
        .collect();
    let table =
        xs.iter().cloned().fold(f64::MIN, f64::max) - xs.iter().cloned().fold(f64::MAX, f64::min);
    assert!((table / w - 0.70).abs() < 1e-6, "table {:.3}", table / w);
    let depth = (hi.y - lo.y) / w;
    assert!((0.65..0.80).contains(&depth), "total depth {depth:.3}");
    // Chevrons: pavilion facets that lean towards a corner (the normal has
    // a component along the side) come in mirrored pairs.
    let leaning = p
        .faces_of(Facet::Pavilion)
        .filter(|(i, _)| {
            let n = p.normal(*i);
            n.x.abs().min(n.z.abs()) > 0.05
        })
        .count();
    assert_eq!(leaning, 16);
}

#[test]
fn ring_round_brilliant_proportions_measured() {
    let d = 6.5;
    let p = Cut::RoundBrilliant.polyhedron(d);
    // Table: corner to corner of the octagon.
    let (ti, _) = p.faces_of(Facet::Table).next().unwrap();
    let t: Vec<DVec3> = p.faces[ti]
        .vertices
        .iter()
        .map(|&k| p.vertices[k])
        .collect();
    let table = t
        .iter()
        .flat_map(|a| t.iter().map(move |b| a.distance(*b)))
        .fold(0.0, f64::max);
    let (lo, hi) = p.bounds();
    let diameter = hi.x - lo.x;
    assert!((diameter - d).abs() < 1e-9);
    let table_pct = table / d;
    assert!((table_pct - 0.56).abs() < 1e-6, "table {table_pct}");
    let mean_angle = |kind| {
        let v: Vec<f64> = p
            .faces_of(kind)
            .map(|(i, _)| angle_to_girdle_plane(p.normal(i)))
            .collect();
        let m = v.iter().sum::<f64>() / v.len() as f64;
        for a in &v {
            assert!((a - m).abs() < 1e-9, "{kind:?} angles differ");
        }
        m
    };
    let crown = mean_angle(Facet::Bezel);
    let pavilion = mean_angle(Facet::PavilionMain);
    assert!((crown - 34.5).abs() < 1e-6, "crown angle {crown}");
    assert!((pavilion - 40.75).abs() < 1e-6, "pavilion angle {pavilion}");
    let star = mean_angle(Facet::Star);
    let upper = mean_angle(Facet::UpperGirdle);
    let lower = mean_angle(Facet::LowerGirdle);
    // Convex: angles grow from the table outwards, and below.
    assert!(0.0 < star && star < crown && crown < upper && upper < 90.0);
    assert!(pavilion < lower && lower < 90.0);
    // Girdle 2.5 %, crown height ≈ 15.1 %, pavilion depth ≈ 43.1 %.
    let (gi, _) = p.faces_of(Facet::Girdle).next().unwrap();
    let gy: Vec<f64> = p.faces[gi]
        .vertices
        .iter()
        .map(|&k| p.vertices[k].y)
        .collect();
    let girdle = (gy.iter().cloned().fold(f64::MIN, f64::max)
        - gy.iter().cloned().fold(f64::MAX, f64::min))
        / d;
    assert!((girdle - 0.025).abs() < 1e-9, "girdle {girdle}");
    let crown_h = (hi.y - 0.5 * girdle * d) / d;
    let pav_d = (-lo.y - 0.5 * girdle * d) / d;
    assert!((crown_h - 0.151).abs() < 0.001, "crown height {crown_h}");
    assert!((pav_d - 0.431).abs() < 0.001, "pavilion depth {pav_d}");
    let total = (hi.y - lo.y) / d;
    assert!((0.59..0.63).contains(&total), "total depth {total}");
    println!(
        "round brilliant {d} mm: table {:.1} %, crown {crown:.2}°, pavilion {pavilion:.2}°, \
         star {star:.1}°, upper girdle {upper:.1}°, lower girdle {lower:.1}°, girdle {:.1} %, \
         crown height {:.1} %, pavilion depth {:.1} %, total depth {:.1} %",
        100.0 * table_pct,
        100.0 * girdle,
        100.0 * crown_h,
        100.0 * pav_d,
        100.0 * total
    );
    // The oval: 1.4 : 1, same facets, same depth.
    let o = Cut::Oval.polyhedron(d);
    let (olo, ohi) = o.bounds();
    assert!(((ohi.z - olo.z) / (ohi.x - olo.x) - OVAL_RATIO).abs() < 1e-9);
    assert!(((ohi.y - olo.y) - (hi.y - lo.y)).abs() < 1e-9);
}

#[test]
fn ring_carat_follows_the_volume_and_the_rule_of_thumb() {
    let round = Cut::RoundBrilliant;
    let d = round.width_for_carat(1.0);
    assert!((6.4..6.6).contains(&d), "1 ct round is {d} mm");
    for d in [4.0, 6.5, 9.0] {
        let ct = round.carat_for_width(d);
        let rule = 0.0037 * d * d * d;
        assert!(
            (ct / rule - 1.0).abs() < 0.05,
            "{d} mm: {ct} ct vs rule {rule}"
        );
        assert!((round.width_for_carat(ct) - d).abs() < 1e-9);
    }
    // 1 ct princess ≈ 5.5 mm, 1 ct oval ≈ 8 × 6 mm (trade charts).
    let p = Cut::Princess.width_for_carat(1.0);
    assert!((5.3..6.0).contains(&p), "princess {p}");
    let o = Cut::Oval.width_for_carat(1.0);
    assert!((5.5..6.2).contains(&o), "oval width {o}");
}

#[test]
fn ring_gem_mesh_has_one_flat_normal_per_facet() {
    let ring = build(&RingSpec::default()).unwrap();
    let s = &ring.stones[0];
    let m = gem_mesh(s);
    let corners: usize = s.gem.faces.iter().map(|f| f.vertices.len()).sum();
    assert_eq!(m.positions.len(), corners, "vertices duplicated per facet");
    assert_eq!(m.triangle_count(), corners - 2 * s.gem.faces.len());
    for t in m.indices.chunks_exact(3) {
        let [a, b, c] = [0, 1, 2].map(|k| m.positions[t[k] as usize]);
        let n = (b - a).cross(c - a).normalize();
        for k in t {
            let vn = m.normals[*k as usize];
            assert!(vn.dot(n) > 1.0 - 1e-9, "flat, outward");
        }
    }
    assert!(m.signed_volume() > 0.0);
    assert!((m.signed_volume() - s.gem.volume()).abs() < 1e-9 * s.gem.volume());
}

#[test]
fn ring_inner_diameter_matches_the_size() {
    assert!((us_size_to_mm(6.0) - 16.5068).abs() < 1e-9);
    assert!((us_size_to_mm(0.0) - 11.63).abs() < 1e-9);
    assert!((RingSize::Us(10.0).inner_diameter_mm() - 19.758).abs() < 1e-9);
    for profile in [Profile::Flat, Profile::Court, Profile::DShape] {
        for size in [
            RingSize::Us(3.0),
            RingSize::Us(6.0),
            RingSize::InnerDiameterMm(20.0),
        ] {
            let spec = RingSpec {
                size,
                profile,
                ..RingSpec::default()
            };
            let ring = build(&spec).unwrap();
            let d = size.inner_diameter_mm();
            let radius = |p: DVec3| (p - ring.axis).truncate().length();
            let min = ring
                .band
                .inner
                .positions
                .iter()
                .map(|&p| radius(p))
                .fold(f64::MAX, f64::min);
            assert!(
                (2.0 * min - d).abs() < 1e-6,
                "{profile:?} {size:?}: {} mm",
                2.0 * min
            );
            // Nothing of the band is closer to the axis.
            let outer_min = ring
                .band
                .outer
                .positions
                .iter()
                .map(|&p| radius(p))
                .fold(f64::MAX, f64::min);
            assert!(outer_min >= min - 1e-9);
            // Width and thickness as specified.
            let (lo, hi) = ring.band.outer.bounds();
            assert!((hi.z - lo.z - spec.band_width_mm).abs() < 1e-3);
            let max = ring
                .band
                .outer
                .positions
                .iter()
                .map(|&p| radius(p))
                .fold(0.0, f64::max);
            assert!((max - min - spec.band_thickness_mm).abs() < 1e-6);
        }
    }
}

/// Whether `p` (ring frame) is inside the band's solid.
fn in_band(ring: &RingModel, p: DVec3) -> bool {
    let q = p - ring.axis;
    let rho = q.truncate().length();
    q.z.abs() < ring.band.half_width
        && rho > ring.band.inner_radius
        && rho < ring.band.outer_rho(q.z)
}

#[test]
fn ring_settings_hold_the_stone_without_cutting_into_it() {
    for setting in [
        Setting::Prong {
            count: 4,
            prong_diameter_mm: None,
        },
        Setting::Prong {
            count: 6,
            prong_diameter_mm: None,
        },
        Setting::Bezel { wall_mm: None },
    ] {
        for profile in [Profile::Court, Profile::Flat] {
            let spec = RingSpec {
                setting,
                profile,
                ..RingSpec::default()
            };
            let ring = build_all_cuts(&spec).unwrap();
            for s in &ring.stones {
                let what = format!("{setting:?} {profile:?} {:?}", s.cut);
                let stone = s.placed();
                let planes = stone.planes();
                let sd: Vec<f64> = s
                    .setting
                    .positions
                    .iter()
                    .map(|&p| Polyhedron::signed_distance_with(&planes, p))
                    .collect();
                let min = sd.iter().cloned().fold(f64::MAX, f64::min);
                // Metal never inside the stone, and touching it (within
                // the gap and the tessellation of the tubes).
                assert!(min >= -1e-6, "{what}: metal {min} mm inside the stone");
                assert!(
                    min <= GAP_MM + 0.05,
                    "{what}: the setting does not touch the stone ({min})"
                );
                // The stone sits above the band.
                let (lo, hi) = stone.bounds();
                let band_top = ring.axis.y + ring.band.outer_radius;
                assert!(lo.y > band_top, "{what}: the culet is in the band");
                // The metal reaches over the girdle onto the crown…
                let girdle_top = s.position.y + 0.5 * 0.025 * s.width_mm;
                let (_, mhi) = s.setting.bounds();
                assert!(mhi.y > girdle_top, "{what}: nothing holds the crown");
                assert!(
                    mhi.y < hi.y + 0.5,
                    "{what}: the setting towers over the table: {} > {}",
                    mhi.y,
                    hi.y
                );
                // …and is anchored in the band.
                assert!(
                    s.setting.positions.iter().any(|&p| in_band(&ring, p)),
                    "{what}: the setting floats above the band"
                );
                // Closed and facing out.
                assert!(s.setting.signed_volume() > 0.0, "{what}");
            }
        }
    }
}

#[test]
fn ring_band_uvs_put_the_engraving_inside() {
    let ring = build(&RingSpec::default()).unwrap();
    let b = &ring.band;
    for uv in &b.inner.uvs {
        assert!((0.0..=1.0).contains(&uv[0]) && (0.0..=1.0).contains(&uv[1]));
    }
    for m in [&b.outer, &ring.stones[0].setting] {
        for uv in &m.uvs {
            assert!(uv[1] >= 1.0, "outside the engraving's UV square");
        }
    }
    // u = 0.5 at the bottom, growing towards +X; v grows towards +Z.
    let bottom = ring.axis - DVec3::Y * b.inner_radius;
    let nearest = |u: f64, v: f64| {
        let i = (0..b.inner.uvs.len())
            .min_by(|&i, &j| {
                let d = |k: usize| (b.inner.uvs[k][0] - u).hypot(b.inner.uvs[k][1] - v);
                d(i).total_cmp(&d(j))
            })
            .unwrap();
        b.inner.positions[i]
    };
    assert!(nearest(0.5, 0.5).distance(bottom) < 0.01);
    assert!(nearest(0.51, 0.5).x > nearest(0.49, 0.5).x);
    assert!(nearest(0.5, 0.9).z > nearest(0.5, 0.1).z);
    assert!(nearest(0.0, 0.5).y > ring.axis.y, "u = 0 at the top");
    // 1.0 of v is the inner surface's width, 1.0 of u the circumference.
    let across = nearest(0.5, 1.0).distance(nearest(0.5, 0.0));
    assert!(across <= b.inner_arc_mm + 1e-9 && across > 0.9 * b.inner_arc_mm);
    assert!((b.inner_circumference_mm - std::f64::consts::PI * 16.5068).abs() < 1e-9);
    let e = ring.engraving();
    println!(
        "inner surface: {:.3} mm around (π d) × {:.3} mm across; engraving {:?} = {:.3} × {:.3} mm, centre {:?} mm",
        b.inner_circumference_mm, b.inner_arc_mm, e.rect, e.size_mm[0], e.size_mm[1], e.centre
    );
    assert_eq!(e.rect, [0.3, 0.1, 0.7, 0.9]);
    assert!((e.size_mm[0] - 0.4 * b.inner_circumference_mm).abs() < 1e-9);
    assert!((e.size_mm[1] - 0.8 * b.inner_arc_mm).abs() < 1e-9);
    assert!(e.size_mm[1] > 1.2, "room for 1 mm letters");
    // The band is closed and faces out; its normals agree with the winding.
    let mut all = b.inner.clone();
    all.append(&b.outer);
    assert!(all.signed_volume() > 0.0);
    for m in [&b.inner, &b.outer] {
        for t in m.indices.chunks_exact(3).step_by(97) {
            let [p, q, r] = [0, 1, 2].map(|k| m.positions[t[k] as usize]);
            let n = (q - p).cross(r - p);
            assert!(n.dot(m.normals[t[0] as usize]) > 0.0);
        }
    }
}

#[test]
fn ring_spec_json_defaults_and_limits() {
    let s: RingSpec = serde_json::from_str("{}").unwrap();
    assert_eq!(s, RingSpec::default());
    let s: RingSpec = serde_json::from_str(
        r#"{"size": {"inner_diameter_mm": 18}, "band_width_mm": 3, "profile": "d_shape",
            "setting": {"kind": "bezel"}, "gem": {"cut": "oval", "diameter_mm": 6}}"#,
    )
    .unwrap();
    assert_eq!(s.size.inner_diameter_mm(), 18.0);
    assert_eq!(s.profile, Profile::DShape);
    assert_eq!(s.setting, Setting::Bezel { wall_mm: None });
    assert_eq!(
        s.gem,
        Some(GemSpec {
            cut: Cut::Oval,
            size: GemSize::DiameterMm(6.0)
        })
    );
    let back: RingSpec = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let s: RingSpec =
        serde_json::from_str(r#"{"gem": {"cut": "round_brilliant", "carat": 0.5}, "setting": {"kind": "prong", "count": 6}}"#)
            .unwrap();
    assert_eq!(s.gem.unwrap().cut, Cut::RoundBrilliant);
    assert!(serde_json::from_str::<RingSpec>(r#"{"sise": {"us": 6}}"#).is_err());
    for bad in [
        r#"{"setting": {"kind": "prong", "count": 5}}"#,
        r#"{"gem": {"carat": 0}}"#,
        r#"{"size": {"us": 40}}"#,
        r#"{"band_width_mm": 0.2}"#,
    ] {
        let s: RingSpec = serde_json::from_str(bad).unwrap();
        assert!(build(&s).is_err(), "{bad} accepted");
    }
    let plain = RingSpec {
        gem: None,
        ..RingSpec::default()
    };
    assert!(build(&plain).unwrap().stones.is_empty());
    assert!(build_all_cuts(&plain).is_err());
}

#[test]
fn ring_glb_imports_with_named_meshes_and_materials() {
    let ring = build(&RingSpec::default()).unwrap();
    let scene = import_slice(&ring.to_glb(), None, &ImportOptions::default()).unwrap();
    let names = |it: &mut dyn Iterator<Item = Option<String>>| {
        let mut v: Vec<String> = it.flatten().collect();
        v.sort();
        v
    };
    assert_eq!(
        names(&mut scene.meshes.iter().map(|m| m.name.clone())),
        ["Band", "Gem", "Setting"]
    );
    assert_eq!(
        names(&mut scene.nodes.iter().map(|m| m.name.clone())),
        ["Band", "Gem", "Setting"]
    );
    assert_eq!(
        names(&mut scene.materials.iter().map(|m| m.name.clone())),
        ["gem", "metal"]
    );
    // Metres, centred, upright: as wide (x) as tall minus the stone.
    let b = scene.bounds;
    let c = (b.min + b.max) * 0.5;
    assert!(c.length() < 1e-6, "centred: {c:?}");
    let size = b.max - b.min;
    let outer = 2.0 * ring.band.outer_radius * 1e-3;
    assert!((size.x as f64 - outer).abs() < 1e-5, "{size:?}");
    assert!(size.y as f64 > outer + 0.003, "the stone on top");
    let gem = scene
        .meshes
        .iter()
        .position(|m| m.name.as_deref() == Some("Gem"))
        .unwrap();
    let prim = &scene.meshes[gem].primitives[0];
    assert_eq!(
        prim.positions.len(),
        ring.stones[0]
            .gem
            .faces
            .iter()
            .map(|f| f.vertices.len())
            .sum::<usize>()
    );

    // Every cut: variants switch the stone and its setting.
    let all = build_all_cuts(&RingSpec::default()).unwrap();
    let scene = import_slice(&all.to_glb(), None, &ImportOptions::default()).unwrap();
    assert_eq!(scene.variants, ["round", "princess", "oval"]);
    let meshes = names(&mut scene.meshes.iter().map(|m| m.name.clone()));
    for n in [
        "Band",
        "Gem_Oval",
        "Gem_Princess",
        "Gem_Round",
        "Setting_Oval",
        "Setting_Princess",
        "Setting_Round",
    ] {
        assert!(meshes.iter().any(|m| m == n), "{n} missing: {meshes:?}");
    }
    let nodes = names(&mut scene.nodes.iter().map(|m| m.name.clone()));
    assert!(nodes.iter().any(|n| n == "Gem") && nodes.iter().any(|n| n == "Setting"));
    let material = |i: Option<usize>| {
        i.and_then(|i| scene.materials[i].name.clone())
            .unwrap_or_default()
    };
    for (vi, v) in scene.variants.iter().enumerate() {
        for m in &scene.meshes {
            let name = m.name.clone().unwrap_or_default();
            let Some((kind, cut)) = name.split_once('_') else {
                continue;
            };
            let shown = cut.to_lowercase() == *v;
            let want = match (kind, shown) {
                (_, false) => "hidden",
                ("Gem", true) => "gem",
                _ => "metal",
            };
            assert_eq!(
                material(m.primitives[0].material_for(Some(vi))),
                want,
                "{name} in {v}"
            );
        }
    }
}

#[test]
fn ring_product_package_is_valid_against_its_model() {
    use crate::product::{Configuration, ProductPackage};
    let dir = tempfile::tempdir().unwrap();
    let files = write_package(&RingSpec::default(), dir.path(), true).unwrap();
    let package = ProductPackage::load(dir.path()).unwrap();
    let scene = crate::scene::import_file(&files.model, &ImportOptions::default()).unwrap();
    let model = crate::showcase::model_info(&scene);
    let problems = package.check(&model);
    assert!(problems.is_empty(), "{problems:?}");
    let d = &package.definition;
    let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["metal", "gem", "cut", "engraving"]);
    let values = |id: &str| -> Vec<String> {
        d.option(id)
            .unwrap()
            .values()
            .iter()
            .map(|v| v.id.to_string())
            .collect()
    };
    assert_eq!(
        values("metal"),
        [
            "yellow-gold",
            "white-gold",
            "rose-gold",
            "silver",
            "platinum"
        ]
    );
    assert_eq!(values("gem"), ["diamond", "sapphire", "ruby", "emerald"]);
    assert_eq!(values("cut"), ["round", "princess", "oval"]);
    let shots: Vec<&str> = d.shots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(shots, ["three-quarter", "top", "side", "gem", "inside"]);
    // The engraving slot: on the band's inside, its physical size.
    let slot = match &d.option("engraving").unwrap().kind {
        crate::product::OptionKind::Text(s) => s.clone(),
        k => panic!("engraving is {}", k.name()),
    };
    let e = files.ring.engraving();
    assert_eq!(slot.max_length, Some(20));
    assert_eq!(slot.fonts, ["serif", "script"]);
    let [w, h] = slot.size_mm.unwrap();
    assert!((w as f64 - e.size_mm[0]).abs() < 0.011 && (h as f64 - e.size_mm[1]).abs() < 0.011);
    match slot.placement {
        Some(crate::product::Placement::Uv { material, rect }) => {
            assert_eq!(material, "metal");
            assert_eq!(rect, [0.3, 0.1, 0.7, 0.9]);
        }
        p => panic!("placement {p:?}"),
    }
    assert_eq!(
        slot.finish.unwrap().kind,
        crate::product::FinishKind::Engrave
    );
    // Every combination is a valid configuration.
    for metal in values("metal") {
        for gem in values("gem") {
            for cut in values("cut") {
                let cfg = Configuration::from_json_str(
                    &serde_json::json!({"product": "ring", "selections": {
                        "metal": metal, "gem": gem, "cut": cut, "engraving": "Anna & Tom 2025"
                    }})
                    .to_string(),
                )
                .unwrap();
                let resolved = package.validate(&cfg).unwrap();
                let look = package.try_look(&resolved).unwrap();
                assert_eq!(look.variant.as_deref(), Some(cut.as_str()));
                assert_eq!(look.edits.len(), 2);
            }
        }
    }
    for t in &d.templates {
        let cfg = Configuration::from_json_str(
            &serde_json::json!({"product": "ring", "selections": t.selections}).to_string(),
        )
        .unwrap();
        package.validate(&cfg).unwrap();
    }
}

/// The Khronos glTF-Validator's error count and messages, or `None` when
/// Node.js or the validator (`scripts/ensure-validator.sh`) is missing.
fn khronos_validator(glb: &std::path::Path) -> Option<(u64, String)> {
    let tool = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/gltf-validator");
    if !tool.join("node_modules/gltf-validator").exists() {
        return None;
    }
    let out = std::process::Command::new("node")
        .arg(tool.join("validate.mjs"))
        .arg(glb)
        .output()
        .ok()?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "validator output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["issues"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["severity"].as_u64() <= Some(1))
        .map(|m| format!("{} {} {}", m["code"], m["pointer"], m["message"]))
        .collect::<Vec<_>>()
        .join("\n");
    let errors = report["issues"]["numErrors"].as_u64().unwrap();
    let warnings = report["issues"]["numWarnings"].as_u64().unwrap();
    Some((errors + warnings, messages))
}

#[test]
fn ring_glb_passes_the_khronos_validator() {
    let dir = tempfile::tempdir().unwrap();
    let specs = [
        ("default", RingSpec::default(), false),
        ("variants", RingSpec::default(), true),
        (
            "bezel-princess-flat",
            RingSpec {
                setting: Setting::Bezel { wall_mm: None },
                profile: Profile::Flat,
                gem: Some(GemSpec {
                    cut: Cut::Princess,
                    size: GemSize::Carat(0.5),
                }),
                ..RingSpec::default()
            },
            false,
        ),
        (
            "plain",
            RingSpec {
                gem: None,
                profile: Profile::DShape,
                ..RingSpec::default()
            },
            false,
        ),
    ];
    for (name, spec, all) in specs {
        let ring = if all {
            build_all_cuts(&spec)
        } else {
            build(&spec)
        }
        .unwrap();
        let path = dir.path().join(format!("{name}.glb"));
        std::fs::write(&path, ring.to_glb()).unwrap();
        match khronos_validator(&path) {
            Some((problems, messages)) => {
                assert_eq!(
                    problems, 0,
                    "{name}: validator errors/warnings:\n{messages}"
                )
            }
            None => {
                eprintln!(
                    "skipped: the glTF-Validator is not installed (scripts/ensure-validator.sh)"
                );
                return;
            }
        }
    }
}

#[test]
fn ring_shipped_package_matches_the_generator() {
    use crate::product::ProductPackage;
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products/ring");
    let package = ProductPackage::load(&shipped).unwrap();
    let scene =
        crate::scene::import_file(&package.model_path(), &ImportOptions::default()).unwrap();
    let problems = package.check(&crate::showcase::model_info(&scene));
    assert!(problems.is_empty(), "{problems:?}");
    // `showroom ring -o assets/products/ring --variants` writes the same package.
    let dir = tempfile::tempdir().unwrap();
    let files = write_package(&RingSpec::default(), dir.path(), true).unwrap();
    let text = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(
        text(&files.definition),
        text(&shipped.join("product.json")),
        "assets/products/ring is out of date: regenerate it with `showroom ring -o assets/products/ring --variants`"
    );
    let fresh = import_slice(&files.ring.to_glb(), None, &ImportOptions::default()).unwrap();
    let shape = |s: &crate::scene::Scene| -> Vec<(Option<String>, Vec<usize>)> {
        s.meshes
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    m.primitives.iter().map(|p| p.positions.len()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&fresh), shape(&scene), "ring.glb is out of date");
    assert!((fresh.bounds.max - scene.bounds.max).length() < 1e-6);
}
