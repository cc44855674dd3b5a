#!/usr/bin/env python3
"""Per-kernel durations from an `ncu --csv --print-units base --metrics gpu__time_duration.sum` log.

  scripts/kernel_durations.py NCU_CSV

The log may interleave the profiled program's own output with ncu's CSV rows; only rows under ncu's header are read.
Prints JSON: for each kernel name, the launches seen and the median duration in microseconds, and the sum of the
medians (what one run of a variant made of those kernels costs on the GPU, without launch gaps).
"""
import csv
import json
import statistics
import sys


def main():
    path = sys.argv[1]
    header = None
    durations = {}
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if not row:
                continue
            if row[0] == "ID" and "Kernel Name" in row:
                header = row
                continue
            if header is None or len(row) != len(header):
                continue
            record = dict(zip(header, row))
            if record.get("Metric Name") != "gpu__time_duration.sum":
                continue
            unit = record.get("Metric Unit", "")
            scale = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3}.get(unit)
            if scale is None:
                sys.exit("kernel_durations.py: unknown unit '%s' in %s" % (unit, path))
            name = record["Kernel Name"].split("(")[0]
            durations.setdefault(name, []).append(float(record["Metric Value"].replace(",", "")) * scale)
    if not durations:
        sys.exit("kernel_durations.py: no gpu__time_duration.sum rows in %s" % path)
    kernels = {name: {"launches": len(v), "medianMicroseconds": statistics.median(v)} for name, v in durations.items()}
    print(json.dumps({"kernels": kernels,
                      "sumOfMediansMicroseconds": sum(k["medianMicroseconds"] for k in kernels.values())}))


if __name__ == "__main__":
    main()
