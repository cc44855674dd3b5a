#!/bin/bash
mode=$1; i=$2
cd /work/main
args="verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report /tmp/ab-$mode-$i --compare-with activation-override --force"
case $mode in
 run) cmd="dotnet run --project Harness -c Release -- $args";;
 bin) cmd="Harness/bin/Release/net10.0/harness $args";;
 tc0) cmd="DOTNET_TieredCompilation=0 dotnet run --project Harness -c Release -- $args";;
 buildbin) cmd="dotnet build Harness -c Release -v q -nologo >/dev/null && Harness/bin/Release/net10.0/harness $args";;
esac
/usr/bin/time -v bash -c "$cmd" > /tmp/ab-$mode-$i.out 2> /tmp/ab-$mode-$i.time
echo "$mode $i $(grep -E 'Elapsed' /tmp/ab-$mode-$i.time | awk '{print $NF}') user=$(grep 'User time' /tmp/ab-$mode-$i.time | awk '{print $NF}') rss=$(grep 'Maximum resident' /tmp/ab-$mode-$i.time | awk '{print $NF}') load=$(cut -d' ' -f1 /proc/loadavg)"
