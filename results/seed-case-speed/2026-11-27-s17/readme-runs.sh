#!/bin/bash
# README's seed-case command alone, runs FIRST..LAST named NAME-run<r>.{load,out,time}.txt, one summary line each as
# ab.sh's. Run as "readme-runs.sh more 1 10" after ab.sh's runs (the build of ab.sh), and as "readme-runs.sh final 1 8"
# at 00fcf0c (the _exit ending).
cd "$(dirname "$0")/../../.."
D=results/seed-case-speed/2026-11-27-s17
name=$1
for r in $(seq "$2" "$3"); do
  cat /proc/loadavg > $D/$name-run$r.load.txt
  /usr/bin/time -v bash -c "dotnet build Harness -c Release -v quiet && Harness/bin/Release/net10.0/harness verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report results/seed-case --compare-with activation-override --force" > $D/$name-run$r.out.txt 2> $D/$name-run$r.time.txt
  echo "$name $r $(grep Elapsed $D/$name-run$r.time.txt | awk '{print $NF}') user=$(grep 'User time' $D/$name-run$r.time.txt | awk '{print $NF}') sys=$(grep 'System time' $D/$name-run$r.time.txt | awk '{print $NF}') rss=$(grep 'Maximum resident' $D/$name-run$r.time.txt | awk '{print $NF}') load=$(cut -d' ' -f1 $D/$name-run$r.load.txt)"
done
