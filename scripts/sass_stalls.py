"""The instructions of an ncu SASS source page (CSV) with the most warp-stall samples, and the samples by stall reason.

    python3 scripts/sass_stalls.py FILE.csv [COUNT]
"""
import csv
import sys


def main(path: str, count: int) -> None:
    with open(path, newline="") as f:
        lines = [line for line in f if line.startswith('"')]
    # The page opens with the kernel's name on a line of its own; the table starts at its header.
    header = next((i for i, line in enumerate(lines) if line.startswith('"Address"')), 0)
    rows = list(csv.DictReader(lines[header:]))
    if not rows:
        print(f"{path}: no instructions (ncu's output is in the file)")
        return
    sampled = next((k for k in rows[0] if "Sampling (All" in k), "Warp Stall Sampling (All Samples)")
    total = sum(float(r.get(sampled) or 0) for r in rows)
    print(f"{len(rows)} instructions, {total:.0f} stall samples")
    reasons = [k for k in rows[0] if k.startswith("stall_") and "Not Issued" not in k]
    for key in reasons:
        value = sum(float(r.get(key) or 0) for r in rows)
        if value > 0:
            print(f"  {key}: {value:.0f}")
    for r in sorted(rows, key=lambda r: -float(r.get(sampled) or 0))[:count]:
        share = float(r.get(sampled) or 0) / total if total else 0
        print(f"{share:6.1%}  {r.get('Address', '')}  {r.get('Source', '')[:110]}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
