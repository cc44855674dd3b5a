#!/bin/bash
# README's seed-case command in its two forms, alternating, on the same build: "run" = dotnet run (the form README
# gave before), "build" = dotnet build, then the built program (README's form now); "auto" = the built program's form
# with MKL_CBWR=AUTO, MKL's own choice of code branch by the host (what the harness did before it pinned AVX2).
# usage: ab.sh FIRST LAST  (run numbers); one line per run: form, run, wall, CPU, peak RSS, load at the start.
cd "$(dirname "$0")/../../.."
D=results/seed-case-speed/2026-11-27-s17
args="verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report results/seed-case --compare-with activation-override --force"
for r in $(seq "$1" "$2"); do
  for form in run build auto; do
    cat /proc/loadavg > $D/$form-run$r.load.txt
    case $form in
      run) /usr/bin/time -v dotnet run --project Harness -c Release -- $args > $D/$form-run$r.out.txt 2> $D/$form-run$r.time.txt ;;
      build) /usr/bin/time -v bash -c "dotnet build Harness -c Release -v quiet && Harness/bin/Release/net10.0/harness $args" > $D/$form-run$r.out.txt 2> $D/$form-run$r.time.txt ;;
      auto) /usr/bin/time -v bash -c "dotnet build Harness -c Release -v quiet && MKL_CBWR=AUTO Harness/bin/Release/net10.0/harness $args" > $D/$form-run$r.out.txt 2> $D/$form-run$r.time.txt ;;
    esac
    echo "$form $r $(grep Elapsed $D/$form-run$r.time.txt | awk '{print $NF}') user=$(grep 'User time' $D/$form-run$r.time.txt | awk '{print $NF}') sys=$(grep 'System time' $D/$form-run$r.time.txt | awk '{print $NF}') rss=$(grep 'Maximum resident' $D/$form-run$r.time.txt | awk '{print $NF}') load=$(cut -d' ' -f1 $D/$form-run$r.load.txt)"
  done
done
