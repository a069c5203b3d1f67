#!/usr/bin/env python3
"""Offline check of deploy/k8s when neither kubeconform nor a cluster is at
hand: every document parses, has the fields its kind requires with the right
types, and the pieces agree with each other and with the showroom CLI
(selectors match labels, probes and Service target named ports, the HPA
scales an existing Deployment, the Indexed Job's --shards equals its
completions, container args are flags the binary accepts)."""
import pathlib
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
errors = []


def need(cond, where, what):
    if not cond:
        errors.append(f"{where}: {what}")


def typed(d, path, kind, where):
    cur = d
    for key in path.split("."):
        if not isinstance(cur, dict) or key not in cur:
            errors.append(f"{where}: missing {path}")
            return None
        cur = cur[key]
    if not isinstance(cur, kind):
        errors.append(f"{where}: {path} must be {kind.__name__}, is {type(cur).__name__}")
        return None
    return cur


def check_pod(spec, where, cli_help):
    containers = typed(spec, "containers", list, where) or []
    need(containers, where, "no containers")
    for c in containers:
        w = f"{where} container {c.get('name')}"
        typed(c, "name", str, w)
        typed(c, "image", str, w)
        ports = {p.get("name") for p in c.get("ports", [])}
        for probe in ("readinessProbe", "livenessProbe"):
            if probe in c:
                port = c[probe].get("httpGet", {}).get("port")
                need(port in ports or isinstance(port, int), w, f"{probe} port {port!r} is not a declared port")
        args = c.get("args", [])
        if args and cli_help:
            sub = args[0]
            help_text = cli_help(sub)
            need(help_text is not None, w, f"showroom has no subcommand {sub!r}")
            for a in args[1:]:
                if a.startswith("--"):
                    need(help_text is None or a in help_text, w, f"showroom {sub} has no flag {a}")
        mounts = {m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"] for v in spec.get("volumes", [])}
        need(mounts <= volumes, w, f"mounts without volumes: {sorted(mounts - volumes)}")
    return containers


def cli_helper():
    exe = ROOT / "target" / "debug" / "showroom"
    if not exe.exists():
        return None

    def help_of(sub):
        r = subprocess.run([str(exe), sub, "--help"], capture_output=True, text=True)
        return r.stdout if r.returncode == 0 else None

    return help_of


def main():
    cli_help = cli_helper()
    docs = []
    for f in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d is not None:
                docs.append((f.name, d))
    need(docs, "deploy/k8s", "no manifests")
    deployments = {}
    for name, d in docs:
        where = f"{name} {d.get('kind')}/{d.get('metadata', {}).get('name')}"
        typed(d, "apiVersion", str, where)
        kind = typed(d, "kind", str, where)
        typed(d, "metadata.name", str, where)
        if kind == "Deployment":
            need(d["apiVersion"] == "apps/v1", where, "apiVersion must be apps/v1")
            sel = typed(d, "spec.selector.matchLabels", dict, where) or {}
            labels = typed(d, "spec.template.metadata.labels", dict, where) or {}
            need(sel.items() <= labels.items(), where, "selector does not match the pod labels")
            typed(d, "spec.replicas", int, where)
            check_pod(d["spec"]["template"]["spec"], where, cli_help)
            deployments[d["metadata"]["name"]] = d
        elif kind == "Service":
            need(d["apiVersion"] == "v1", where, "apiVersion must be v1")
            typed(d, "spec.selector", dict, where)
            typed(d, "spec.ports", list, where)
        elif kind == "HorizontalPodAutoscaler":
            need(d["apiVersion"] == "autoscaling/v2", where, "apiVersion must be autoscaling/v2")
            target = typed(d, "spec.scaleTargetRef.name", str, where)
            lo = typed(d, "spec.minReplicas", int, where)
            hi = typed(d, "spec.maxReplicas", int, where)
            need(lo is None or hi is None or lo <= hi, where, "minReplicas > maxReplicas")
            typed(d, "spec.metrics", list, where)
            need(target in {n for _, x in docs if x.get("kind") == "Deployment" for n in [x["metadata"]["name"]]},
                 where, f"scales {target!r}, which is not a Deployment here")
        elif kind == "Job":
            need(d["apiVersion"] == "batch/v1", where, "apiVersion must be batch/v1")
            need(d["spec"].get("completionMode") == "Indexed", where, "a sharded batch is an Indexed Job")
            n = typed(d, "spec.completions", int, where)
            need(d["spec"]["template"]["spec"].get("restartPolicy") in ("Never", "OnFailure"), where,
                 "restartPolicy must be Never or OnFailure")
            for c in check_pod(d["spec"]["template"]["spec"], where, cli_help):
                args = c.get("args", [])
                need(args[:1] == ["batch"], where, "the container must run `showroom batch`")
                if "--shards" in args:
                    shards = int(args[args.index("--shards") + 1])
                    need(shards == n, where, f"--shards {shards} but completions {n}")
        else:
            errors.append(f"{where}: unexpected kind")
    # Every Service selects a Deployment's pods and targets a named port.
    for name, d in docs:
        if d.get("kind") != "Service":
            continue
        sel = d["spec"]["selector"].items()
        hits = [x for x in deployments.values() if sel <= x["spec"]["template"]["metadata"]["labels"].items()]
        need(hits, f"{name} Service", "selects no Deployment")
        for p in d["spec"]["ports"]:
            tp = p.get("targetPort")
            if isinstance(tp, str) and hits:
                ports = {q.get("name") for c in hits[0]["spec"]["template"]["spec"]["containers"] for q in c.get("ports", [])}
                need(tp in ports, f"{name} Service", f"targetPort {tp!r} is not a container port")
    if errors:
        print("deploy check failed:\n  " + "\n  ".join(errors))
        return 1
    print(f"deploy: {len(docs)} manifests checked" + ("" if cli_help else " (CLI flags not checked: no target/debug/showroom)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
