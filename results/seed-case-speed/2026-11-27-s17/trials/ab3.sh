#!/bin/bash
mode=$1; i=$2
cd /work/main
args="verify --variant cpu-souffle --scenario seed-case --semantics huggingface --report /tmp/ab-$mode-$i --compare-with activation-override --force"
case $mode in
 bin) envs="";;
 qj0) envs="DOTNET_TC_QuickJit=0";;
 tc0) envs="DOTNET_TieredCompilation=0";;
 qjl0) envs="DOTNET_TC_QuickJitForLoops=0";;
esac
/usr/bin/time -v env $envs Harness/bin/Release/net10.0/harness $args > /tmp/ab-$mode-$i.out 2> /tmp/ab-$mode-$i.time
echo "$mode $i $(grep -E 'Elapsed' /tmp/ab-$mode-$i.time | awk '{print $NF}') user=$(grep 'User time' /tmp/ab-$mode-$i.time | awk '{print $NF}') rss=$(grep 'Maximum resident' /tmp/ab-$mode-$i.time | awk '{print $NF}') load=$(cut -d' ' -f1 /proc/loadavg) $(grep -E '^\[' /tmp/ab-$mode-$i.time | tail -1 | cut -c1-9)"
