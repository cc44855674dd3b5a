#!/usr/bin/env python3
"""One line per profiled kernel launch from an `ncu --csv --print-units base --metrics ...` log on stdin:
launch id, kernel name, then metric=value for every metric collected (the program's own output is skipped)."""
import csv
import sys

rows = list(csv.reader(line for line in sys.stdin if line.startswith('"')))
if not rows:
    sys.exit("ncu_table: no ncu CSV rows on stdin")
head, body = rows[0], rows[1:]
ix = {name: i for i, name in enumerate(head)}
launches = {}
for r in body:
    key = (int(r[ix["ID"]]), r[ix["Kernel Name"]][:70])
    launches.setdefault(key, {})[r[ix["Metric Name"]]] = r[ix["Metric Value"]]
for (launch, name), metrics in sorted(launches.items()):
    print(launch, name, " ".join(f"{k}={v}" for k, v in sorted(metrics.items())))
