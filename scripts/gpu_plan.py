#!/usr/bin/env python3
"""What scripts/gpu-run.sh verifies, read from the registry (`harness variants --json`), never from hand-written names.

  scripts/gpu_plan.py VARIANTS_JSON SCENARIO_DIR {verify|against|seed|cuda}

verify  - one line "variant scenario semantics batch sequence" per run: every CUDA variant not flagged test-only, on
          every GPU scenario under each semantics it computes, and the B x S sweep in its default semantics, all within
          its shape limits (batch/sequence "-" = the scenario's own).
against - "variant other scenario semantics": every fp16 CUDA variant computing Souffle semantics against its CPU
          twin (the CPU variant, not test-only and not of the cpu-mutant- family, with the same dtype and semantics
          bits) and against every other CUDA variant with the same dtype and semantics bits.
seed    - the CUDA variants that compute Souffle semantics only (judged as a Hugging Face layer on seed-case).
cuda    - every CUDA variant not flagged test-only.
reruns  - "variant semantics": every CUDA variant not flagged test-only whose limits admit the random scenario, in its
          default semantics (the rerun check of the isolation step).
"""
import json
import os
import sys

GPU_SCENARIOS = ["small", "random", "constant-debug", "padded-384", "random-d32", "random-d128"]
# B x S, plus one long sequence: at S=768 a D=64 head's K and V no longer fit one block's shared memory, so fused
# runs its streaming attention kernel (every other shape here fits resident).
SWEEP = [(b, s) for b in (1, 2, 8) for s in (128, 384, 512)] + [(1, 768)]
AGAINST_SCENARIOS = ["constant-debug", "random"]
MUTANT_PREFIX = "cpu-mutant-"


def admits(limit, value):
    lo, hi, multiple = limit["min"], limit["max"], limit["multipleOf"]
    return value >= max(lo, 1) and (hi == 0 or value <= hi) and (multiple <= 1 or value % multiple == 0)


def within(variant, shape):
    dims = dict(shape, model=shape["heads"] * shape["headSize"])
    return all(admits(variant["limits"][name], dims[name]) for name in variant["limits"])


def main():
    registry_path, scenario_dir, what = sys.argv[1:4]
    with open(registry_path) as f:
        variants = json.load(f)["variants"]
    shapes = {}
    for name in set(GPU_SCENARIOS + AGAINST_SCENARIOS + ["seed-case"]):
        with open(os.path.join(scenario_dir, name + ".json")) as f:
            shapes[name] = json.load(f)["shape"]
    cuda = [v for v in variants if v["device"] == "cuda" and not v["testOnly"]]
    cpu = [v for v in variants if v["device"] == "cpu" and not v["testOnly"] and not v["name"].startswith(MUTANT_PREFIX)]
    if what == "cuda":
        for v in cuda:
            print(v["name"])
    elif what == "verify":
        for v in cuda:
            for scenario in GPU_SCENARIOS:
                for semantics in v["semantics"]:
                    if within(v, shapes[scenario]):
                        print(v["name"], scenario, semantics, "-", "-")
            for b, s in SWEEP:
                if within(v, dict(shapes["random"], batch=b, sequence=s)):
                    print(v["name"], "random", v["defaultSemantics"], b, s)
    elif what == "against":
        for v in cuda:
            if v["dtype"] != "float16" or "souffle" not in v["semantics"]:
                continue
            same = lambda o: o["dtype"] == v["dtype"] and o["semantics"] == v["semantics"]
            others = [o for o in cpu if same(o)][:1] + [o for o in cuda if same(o) and o["name"] != v["name"]]
            for other in others:
                for scenario in AGAINST_SCENARIOS:
                    if within(v, shapes[scenario]) and within(other, shapes[scenario]):
                        print(v["name"], other["name"], scenario, "souffle")
    elif what == "reruns":
        for v in cuda:
            if within(v, shapes["random"]):
                print(v["name"], v["defaultSemantics"])
    elif what == "seed":
        for v in cuda:
            if v["semantics"] == ["souffle"] and within(v, shapes["seed-case"]):
                print(v["name"])
    else:
        sys.exit("gpu_plan.py: unknown list '%s' (verify, against, seed, cuda, reruns)" % what)


if __name__ == "__main__":
    main()
