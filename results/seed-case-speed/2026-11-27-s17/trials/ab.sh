#!/bin/bash
# usage: ab.sh mode idx ; mode = plain|renice
mode=$1; i=$2
cd /work/main
( if [ "$mode" = renice ]; then
    for k in $(seq 1 200); do p=$(pgrep -x harness | head -1); if [ -n "$p" ]; then pp=$(ps -o ppid= -p $p | tr -d ' '); renice -n 19 -p $pp >/dev/null; break; fi; sleep 0.05; done
  fi ) &
/usr/bin/time -v dotnet run --project Harness -c Release -- verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report /tmp/ab-$mode-$i --compare-with activation-override --force > /tmp/ab-$mode-$i.out 2> /tmp/ab-$mode-$i.time
wait
echo "$mode $i $(grep -E 'Elapsed' /tmp/ab-$mode-$i.time | awk '{print $NF}') user=$(grep 'User time' /tmp/ab-$mode-$i.time | awk '{print $NF}') rss=$(grep 'Maximum resident' /tmp/ab-$mode-$i.time | awk '{print $NF}') load=$(cut -d' ' -f1 /proc/loadavg)"
