#!/bin/bash
# README's seed-case command alone at 00fcf0c (the _exit ending), after more.sh's: one line each, as ab.sh's.
cd "$(dirname "$0")/../../.."
D=results/seed-case-speed/2026-11-27-s17
for r in $(seq "$1" "$2"); do
  cat /proc/loadavg > $D/final-run$r.load.txt
  /usr/bin/time -v bash -c "dotnet build Harness -c Release -v quiet && Harness/bin/Release/net10.0/harness verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report results/seed-case --compare-with activation-override --force" > $D/final-run$r.out.txt 2> $D/final-run$r.time.txt
  echo "final $r $(grep Elapsed $D/final-run$r.time.txt | awk '{print $NF}') user=$(grep 'User time' $D/final-run$r.time.txt | awk '{print $NF}') sys=$(grep 'System time' $D/final-run$r.time.txt | awk '{print $NF}') rss=$(grep 'Maximum resident' $D/final-run$r.time.txt | awk '{print $NF}') load=$(cut -d' ' -f1 $D/final-run$r.load.txt)"
done
