#!/usr/bin/env python3
"""Looks for performance cliffs in a `harness bench --json` file: for every variant benched over a B x S grid, the
time per token (graph-mode median / (B*S)) of each interior shape against what its neighbours predict.

  scripts/cliff_check.py BENCH_JSON [--limit 1.3]

A shape's prediction along an axis is the mean per-token time of its two neighbours on that axis (the shapes just
below and above it in the grid); edge shapes have no prediction on that axis, because per-token time falls with size
(fixed costs amortise) and a one-sided neighbour would flag every small shape. The worst ratio over both axes is the
shape's score; a score above --limit (default 1.3) is a cliff. Prints the grid of per-token times and scores per
variant; exits 1 if any shape is a cliff, 2 on unreadable input.
"""
import json
import sys


def main():
    args = sys.argv[1:]
    limit = 1.3
    if "--limit" in args:
        i = args.index("--limit")
        limit = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    try:
        with open(args[0]) as f:
            bench = json.load(f)
    except (OSError, ValueError) as error:
        print(f"cliff_check: cannot read {args[0]}: {error}", file=sys.stderr)
        sys.exit(2)
    cliffs = 0
    by_variant = {}
    for row in bench.get("variants", []):
        if row.get("perRunMicroseconds") is None:
            continue
        shape = row["shape"]
        by_variant.setdefault(row["variant"], {})[(shape["batch"], shape["sequence"])] = row["perRunMicroseconds"]["median"]
    for variant, times in sorted(by_variant.items()):
        batches = sorted({b for b, _ in times})
        sequences = sorted({s for _, s in times})
        per_token = {(b, s): t / (b * s) for (b, s), t in times.items()}
        print(f"{variant}: us per token (score = worst ratio to the neighbours' mean along B or S; '-' = edge)")
        print("B \\ S".ljust(8) + "".join(f"{s:>18}" for s in sequences))
        for b in batches:
            cells = []
            for s in sequences:
                if (b, s) not in per_token:
                    cells.append(f"{'not run':>18}")
                    continue
                ratios = []
                for axis, values, value in (("S", sequences, s), ("B", batches, b)):
                    k = values.index(value)
                    if 0 < k < len(values) - 1:
                        low = (b, values[k - 1]) if axis == "S" else (values[k - 1], s)
                        high = (b, values[k + 1]) if axis == "S" else (values[k + 1], s)
                        if low in per_token and high in per_token:
                            ratios.append(per_token[(b, s)] / ((per_token[low] + per_token[high]) / 2))
                score = max(ratios) if ratios else None
                if score is not None and score > limit:
                    cliffs += 1
                cells.append(f"{per_token[(b, s)]:8.4f} {('%.2f' % score) if score is not None else '-':>5}{'!' if score and score > limit else ' ':>3}")
            print(f"{b:<8}" + "".join(cells))
    print(f"cliffs (score > {limit}): {cliffs}")
    sys.exit(1 if cliffs else 0)


if __name__ == "__main__":
    main()
