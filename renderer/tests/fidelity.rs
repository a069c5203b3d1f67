//! Fidelity against the Cycles references in `../shared/reference/`: every
//! scenario is rendered exactly as specified and scored with FLIP the way
//! `flip_compare.py` scores the peers. For the scenarios where Cycles is ground
//! truth for every pixel (core materials only), Showroom must beat the better of
//! model-viewer and Filament. Skipped when `../shared/reference` is absent.

use showroom::studio::Studio;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Scenarios whose models use only core glTF materials, where the README says
/// Cycles is ground truth for every pixel.
const CORE: &[&str] = &[
    "shoe_midnight_3q",
    "shoe_beach_3q",
    "shoe_beach_back_white",
    "damagedhelmet",
    "metalroughspheres_spruit",
];

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

#[test]
fn core_scenarios_beat_the_best_peer() {
    let reference = shared().join("reference");
    let Ok(scenarios) = showroom::scenario::load(&reference.join("scenarios.json")) else {
        eprintln!("skipping: {} not found", reference.display());
        return;
    };
    let peers: BTreeMap<String, BTreeMap<String, f32>> =
        serde_json::from_str(&std::fs::read_to_string(reference.join("flip.json")).unwrap())
            .unwrap();
    let out = showroom::golden::failure_dir().join("../fidelity");
    let mut studio = Studio::new(&Default::default()).expect("a GPU adapter");
    let mut failures = Vec::new();
    println!(
        "{:<28} {:>9} {:>13} {:>9}",
        "scenario", "showroom", "model-viewer", "filament"
    );
    for sc in &scenarios {
        let assets = shared().join("assets");
        let env = studio.environment(&assets.join(&sc.env)).unwrap();
        let mut scene = studio.load_model(&assets.join(&sc.model)).unwrap();
        studio
            .set_variant(&mut scene, sc.variant.as_deref())
            .unwrap();
        let frame = studio.render(&scene, &env, &sc.settings()).unwrap();
        let dir = out.join(&sc.name);
        std::fs::create_dir_all(&dir).unwrap();
        let png = dir.join("showroom.png");
        showroom::output::save(&frame, &png, showroom::output::ImageFormat::Png, 100).unwrap();
        let report = showroom::flip::flip_files(
            &reference
                .join("renders")
                .join(&sc.name)
                .join("cycles.neutral.png"),
            &png,
        )
        .unwrap();
        let p = &peers[&sc.name];
        let (mv, fi) = (p["model-viewer"], p["filament"]);
        println!(
            "{:<28} {:>9.4} {:>13.4} {:>9.4}",
            sc.name, report.mean, mv, fi
        );
        if CORE.contains(&sc.name.as_str()) && report.mean >= mv.min(fi) {
            failures.push(format!(
                "{}: {:.4} ≥ best peer {:.4}",
                sc.name,
                report.mean,
                mv.min(fi)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "worse than the best peer:\n{}",
        failures.join("\n")
    );
}
