#!/usr/bin/env bash
# bench/firewall-feed.sh: the agent's firewall feed at scale. N addresses (default 200000) are listed at 127.0.0.19
# in a fresh Redis; prints the time from the agent's start to the PF table file written (a stand-in pfctl that
# does nothing, so only dnsfp's part is timed), the server's AXFR log line, and the agent's RSS and CPU after some
# IXFR refreshes. Needs redis-server, dig, python3, bc; run from anywhere after dotnet build -c Release.
set -euo pipefail
N=${N:-200000}
cd "$(dirname "$0")/.."
w=$(mktemp -d); port=6391; dport=5391
redis-server --port $port --save "" --daemonize yes --dir $w >/dev/null
agent="dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll"; server="dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll"
$agent import --redis 127.0.0.1:$port --pf-states deploy/sample/pfctl-vvss.txt --pf-rules deploy/sample/pfctl-vvsr.txt --exim-log deploy/sample/exim-mainlog >/dev/null
DNSFP_Transfer__Allow__0="127.0.0.1 NOKEY" $server run --listen 127.0.0.1:$dport --zones zones --redis 127.0.0.1:$port > $w/server.log 2>&1 &
spid=$!
for i in $(seq 300); do [ "$(dig +short -p $dport @127.0.0.1 10.2.0.192.fp.example.org A)" = 127.0.0.19 ] && break; sleep 0.2; done
label=$(dig +short -p $dport @127.0.0.1 10.2.0.192.fp.example.org TXT | tr -d '"' | cut -d';' -f1 | sed 's/ \[.*//')
python3 -c "
import sys
n=int(sys.argv[1]); lab=sys.argv[2]
with open(sys.argv[3],'w') as f:
  for i in range(n): f.write('20.%d.%d.%d\t%s\n'%(i>>16&255,i>>8&255,i&255,lab))
" $N "$label" $w/obs.tsv
$agent import --redis 127.0.0.1:$port --observations $w/obs.tsv 2>&1 | tail -1
for i in $(seq 300); do [ "$(dig +short -p $dport @127.0.0.1 $(python3 -c "i=$N-1;print('%d.%d.%d.20'%(i&255,i>>8&255,i>>16&255))").fp.example.org A)" = 127.0.0.19 ] && break; sleep 0.2; done
printf '#!/bin/sh\nexit 0\n' > $w/pfctl; chmod +x $w/pfctl
start=$(date +%s.%N)
/usr/bin/time -v -o $w/agent.time $agent run --state-dir $w/state --firewall pf --firewall-command $w/pfctl --firewall-server 127.0.0.1:$dport --firewall-refresh 2s --firewall-max 10000000 > $w/agent.log 2>&1 &
apid=$!
until grep -q "now holds" $w/agent.log; do sleep 0.05; done
end=$(date +%s.%N)
echo "N=$N first transfer to table written: $(echo "$end - $start" | bc) s (includes agent start)"
grep "now holds" $w/agent.log | head -1
wc -l < $w/state/firewall.pf
sleep 5
ps -o rss=,time= -p "$(pgrep -f "^dotnet DnsFp.Agent.*state-dir $w" | head -1)" | awk '{print "agent after 5 s of 2 s refreshes: RSS " $1/1024 " MB, CPU " $2}'
grep "IXFR\|AXFR" $w/server.log | tail -2
pkill -f "state-dir $w" || true; kill $spid; wait 2>/dev/null || true
redis-cli -p $port shutdown nosave >/dev/null 2>&1 || true
rm -rf $w
