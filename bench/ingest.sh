#!/usr/bin/env bash
# bench/ingest.sh: how fast data gets in (issue #13). Fresh private Redis, one Release server folding while
# `dnsfp-agent import --observations` loads N lines (default 1M; N=10000000 for 10M). Prints: import time, fold rate,
# import start -> last line answered in DNS, write-to-answer p50/p99 under dnsperf load, cold start -> index loaded,
# the index's own bytes per listing, Redis memory per listing (right after the fold, with the change feed, and once
# the feed is trimmed), Redis' peak memory and its longest command during the fold (LATENCY, SLOWLOG), and the
# server's RSS while folding against its RSS when serving. Needs redis-server, dnsperf, dig (root installs them).
#   N=1000000 bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}; WRITES=${WRITES:-300}; FEED_AGE=${FEED_AGE:-00:00:20}
need=()
for c in dnsperf redis-server dig; do command -v $c >/dev/null || need+=($c); done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sed 's/^dig$/bind9-dnsutils/')
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
fi
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && cp "$work"/*.log "$work"/*.err "$KEEP"/ 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port); DNS_PORT=$(free_port)
now() { date +%s.%N; }
secs() { python3 -c "print(round($2-$1,2))"; }
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
mem() { rcli info memory | sed -n "s/^$1:\([0-9]*\).*/\1/p"; }
# entries over every stream whose key matches (the 64 shard streams and the global one)
xlen_all() { rcli --scan --pattern "$1" | grep -v ':seq$' | sed 's/^/XLEN /' | rcli | awk '{s+=$1} END {print s+0}'; }

echo "== data: $N observations (95 % IPv4, 5 % IPv6)"
python3 bench/make-data.py "$N" "$work"
last_ip=$(tail -1 "$work/obs.tsv" | cut -f1)
last_name=$(python3 -c "import ipaddress,sys; a=ipaddress.ip_address('$last_ip'); print('.'.join(reversed(str(a).split('.'))) if a.version==4 else '.'.join(reversed(a.exploded.replace(':',''))))").fp.example.org
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll); server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no --logfile "$work/redis.log" \
  --latency-monitor-threshold 1 --slowlog-log-slower-than 1000 & pids+=($!)
until rcli ping >/dev/null 2>&1; do sleep 0.1; done
base=$(mem used_memory)

start_server() { # log file
  DNSFP_RateLimit__ExemptLoopback=true DNSFP_Fold__ChangeFeedAge=$FEED_AGE "${server[@]}" run --listen 127.0.0.1:$DNS_PORT --zones zones \
    --redis 127.0.0.1:$REDIS_PORT > "$1" 2>&1 & server_pid=$!; pids+=($server_pid)
  until grep -q "Index loaded\|index reloaded" "$1"; do sleep 0.05; done
}
start_server "$work/server1.log"
serving_empty=$(ps -o rss= -p $server_pid)
# the server's RSS every 0.2 s while it folds
( peak=0; while kill -0 $server_pid 2>/dev/null; do r=$(ps -o rss= -p $server_pid || echo 0); [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$work/peak"; sleep 0.2; done ) & pids+=($!)
rcli latency reset >/dev/null; rcli slowlog reset >/dev/null; rcli config resetstat >/dev/null

t0=$(now)
"${agent[@]}" import --redis 127.0.0.1:$REDIS_PORT --observations "$work/obs.tsv" > "$work/import.out" 2> "$work/import.err"
t1=$(now)
while [ "$(xlen_all 'dnsfp:facts*')" != "0" ]; do sleep 0.05; done
t2=$(now)
until [ -n "$(dig +short +tries=1 +time=1 -p $DNS_PORT @127.0.0.1 "$last_name" A)" ]; do sleep 0.05; done
t3=$(now)
echo "import --observations of $N lines: $(secs $t0 $t1) s ($(python3 -c "print(round($N/($t1-$t0)))") lines/s)"
echo "fold, overlapping the import: all $N facts folded $(secs $t0 $t2) s after the import started ($(python3 -c "print(round($N/($t2-$t0)))") facts/s)"
echo "import start -> last line answered in DNS: $(secs $t0 $t3) s"
echo "Redis peak memory during the import: $(rcli info memory | sed -n 's/^used_memory_peak_human:\(.*\)\r/\1/p')"
echo "Redis longest command (LATENCY LATEST, event latest/max ms):"; rcli latency latest | paste - - - - | sed 's/^/  /'
echo "Redis slowest commands over 1 ms (SLOWLOG: µs, command):"; rcli --no-raw slowlog get 5 | awk '/^ *[0-9]+\) [0-9]+\) \(integer\)/{n++; if (n%4==3) d=$NF} /^ *[0-9]+\) 1\) "/{if (d!="") {print "  " d " " $3; d=""}}' || true
with_feed=$(mem used_memory); feed_len=$(xlen_all 'dnsfp:changes*')
echo "Redis memory per listing right after the fold (listings, label tables, change feed of $feed_len entries): $(python3 -c "print(round(($with_feed-$base)/$N,2))") B"
sleep 3
serving=$(ps -o rss= -p $server_pid)
echo "server RSS while folding, peak: $(( $(cat "$work/peak") / 1024 )) MB; serving afterwards: $((serving / 1024)) MB (empty index: $((serving_empty / 1024)) MB); ratio $(python3 -c "print(round($(cat "$work/peak")/$serving,2))")"

echo "== write-to-answer under dnsperf load ($WRITES writes)"
dnsperf -s 127.0.0.1 -p $DNS_PORT -d "$work/queries.txt" -c 4 -q 100 -l 600 >/dev/null 2>&1 & load=$!; pids+=($load)
read p50 p99 < <(python3 bench/write-to-answer.py $REDIS_PORT $DNS_PORT $WRITES)
kill $load 2>/dev/null || true
echo "write-to-answer: p50 $p50 ms, p99 $p99 ms"

kill $server_pid; wait $server_pid 2>/dev/null || true
start_server "$work/server2.log"
echo "cold start: $(grep -o 'Index loaded.*\|Redis unreachable.*' "$work/server2.log" | cut -c1-200)"
echo "  server RSS after the cold start: $(( $(ps -o rss= -p $server_pid) / 1024 )) MB"
echo "== waiting for the change feed to age out (Fold:ChangeFeedAge=$FEED_AGE, trimmed within a second after)"
sleep $(python3 -c "h,m,s='$FEED_AGE'.split(':'); print(int(h)*3600+int(m)*60+int(float(s))+3)")
steady=$(mem used_memory)
echo "Redis memory per listing in steady state (feed trimmed: $(xlen_all 'dnsfp:changes*') entries left): $(python3 -c "print(round(($steady-$base)/$N,2))") B"
