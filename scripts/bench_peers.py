#!/usr/bin/env python3
"""PyTorch peers of `harness bench`: the Hugging Face transformers BertLayer (SDPA attention, fp16) timed eager and
captured in a CUDA graph, per shape. Prints one JSON document on stdout and nothing else; exit 0 whenever it could say
something (including "unavailable": why), non-zero only for bad arguments.

  scripts/bench_peers.py --batch 1 8 --sequence 128 384 512 [--samples 20] [--runs 20] [--l2-bytes N]

Like the harness's own timer, each sample is N back-to-back forwards between two CUDA events (per-run time =
elapsed / N), cycling through K copies of the layer and its input whose total size exceeds twice the L2 cache, so
the weights are not served from L2. Eager: N Python-level forwards. Graph: the same N forwards captured once in a
CUDA graph (torch.cuda.graph) and replayed. No attention mask (the layer's dense path).
"""
import argparse
import json
import math
import sys

SCHEMA_VERSION = 1


def emit(doc):
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    p.add_argument("--sequence", type=int, nargs="+", default=[128, 384, 512])
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--head-size", type=int, default=64)
    p.add_argument("--intermediate", type=int, default=3072)
    p.add_argument("--samples", type=int, default=20)
    p.add_argument("--runs", type=int, default=20, help="forwards per sample (rounded up to a multiple of K)")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--l2-bytes", type=int, default=0, help="L2 size to rotate past (default: the device's)")
    a = p.parse_args()
    if min(a.batch + a.sequence) < 1 or a.samples < 1 or a.runs < 1 or a.warmup < 0:
        p.error("sizes, --samples and --runs must be positive")
    return a


def main():
    a = parse_args()
    try:
        import torch
    except ImportError as e:
        return emit({"schemaVersion": SCHEMA_VERSION, "unavailable": f"python3 has no torch ({e})"})
    try:
        import transformers
        from transformers import BertConfig
        from transformers.models.bert.modeling_bert import BertLayer
    except ImportError as e:
        return emit({"schemaVersion": SCHEMA_VERSION, "unavailable": f"python3 has torch but no transformers ({e})"})
    if not torch.cuda.is_available():
        return emit({"schemaVersion": SCHEMA_VERSION, "unavailable": f"torch {torch.__version__} sees no CUDA device"})

    dev = torch.device("cuda")
    props = torch.cuda.get_device_properties(dev)
    l2 = a.l2_bytes or getattr(props, "L2_cache_size", 50 * 2**20)
    m = a.heads * a.head_size
    config = BertConfig(hidden_size=m, num_attention_heads=a.heads, intermediate_size=a.intermediate,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="sdpa")
    results = []
    for b in a.batch:
        for s in a.sequence:
            try:
                results.extend(time_shape(torch, BertLayer, config, dev, b, s, m, l2, a))
            except Exception as e:  # one shape failing (e.g. out of memory) does not hide the others
                results.append({"batch": b, "sequence": s, "mode": "eager", "error": f"{type(e).__name__}: {e}"})
            torch.cuda.empty_cache()
    emit({
        "schemaVersion": SCHEMA_VERSION,
        "device": torch.cuda.get_device_name(dev),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "attention": config._attn_implementation,
        "dtype": "float16",
        "l2Bytes": l2,
        "results": results,
    })


def time_shape(torch, BertLayer, config, dev, b, s, m, l2, a):
    layer0 = BertLayer(config).to(dev, torch.float16).eval()
    per_set = sum(p.numel() * p.element_size() for p in layer0.parameters()) + 2 * b * s * m * 2
    k = max(1, math.ceil(2 * l2 / per_set))
    layers = [layer0] + [BertLayer(config).to(dev, torch.float16).eval() for _ in range(k - 1)]
    inputs = [torch.randn(b, s, m, device=dev, dtype=torch.float16) for _ in range(k)]
    n = k * math.ceil(a.runs / k)

    def forwards():
        out = None
        for i in range(n):
            out = layers[i % k](inputs[i % k])[0]
        return out

    def sample(launch):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        times = []
        for _ in range(a.samples):
            start.record()
            launch()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) * 1000.0 / n)
        return times

    rows = []
    with torch.inference_mode():
        for _ in range(a.warmup):
            forwards()
        torch.cuda.synchronize()
        rows.append({"batch": b, "sequence": s, "mode": "eager", "runsPerSample": n, "parameterSets": k, "samplesUs": sample(forwards)})
        # Capture on a side stream after warm-up there, as torch.cuda.graphs asks.
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(2):
                forwards()
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            forwards()
        graph.replay()
        torch.cuda.synchronize()
        rows.append({"batch": b, "sequence": s, "mode": "graph", "runsPerSample": n, "parameterSets": k, "samplesUs": sample(graph.replay)})
    return rows


if __name__ == "__main__":
    main()
