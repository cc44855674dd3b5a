#!/bin/bash
# README's seed-case command alone, N more runs after ab.sh's (the final build): one line each, as ab.sh's.
cd "$(dirname "$0")/../../.."
D=results/seed-case-speed/2026-11-27-s17
for r in $(seq "$1" "$2"); do
  cat /proc/loadavg > $D/more-run$r.load.txt
  /usr/bin/time -v bash -c "dotnet build Harness -c Release -v quiet && Harness/bin/Release/net10.0/harness verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report results/seed-case --compare-with activation-override --force" > $D/more-run$r.out.txt 2> $D/more-run$r.time.txt
  echo "more $r $(grep Elapsed $D/more-run$r.time.txt | awk '{print $NF}') user=$(grep 'User time' $D/more-run$r.time.txt | awk '{print $NF}') sys=$(grep 'System time' $D/more-run$r.time.txt | awk '{print $NF}') rss=$(grep 'Maximum resident' $D/more-run$r.time.txt | awk '{print $NF}') load=$(cut -d' ' -f1 $D/more-run$r.load.txt)"
done
