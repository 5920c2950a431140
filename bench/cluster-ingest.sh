#!/usr/bin/env bash
# bench/cluster-ingest.sh: facts folded per second on a single Redis and on a 3-primary Redis Cluster (issue #16), same
# binaries, same data, same machine. For each setup: `dnsfp-agent import --observations` appends N facts (default
# 500k) to the 64 shard streams with no server running, then one Release server starts and folds them; the fold rate is
# N / (server start -> every facts stream empty). CPU seconds (user / system, from /proc) of every redis-server and of
# the dnsfp-server over the fold are printed beside it, as facts per CPU second, which is what the projection to a
# machine with more cores uses (see bench/README.md). Needs redis-server, redis-cli.
#   N=500000 bench/cluster-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-500000}; SERVERS=${SERVERS:-1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket
while True:
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]
    if p < 55000: print(p); break'; }
now() { date +%s.%N; }
# user and system CPU seconds of a process so far (utime, stime of /proc/PID/stat)
cpu() { awk -v t="$(getconf CLK_TCK)" '{print $14/t, $15/t}' "/proc/$1/stat"; }

python3 bench/make-data.py "$N" "$work" >/dev/null
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll); server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)
echo "== $N observations, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

run() { # name, then the redis ports
  local name=$1; shift; local ports=("$@"); local endpoint; endpoint=$(printf '127.0.0.1:%s,' "${ports[@]}"); endpoint=${endpoint%,}
  local redis_pids=(); for p in "${ports[@]}"; do redis_pids+=($(redis-cli -p "$p" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p')); done
  local t0 t1 t2
  t0=$(now)
  "${agent[@]}" import --redis "$endpoint" --observations "$work/obs.tsv" > "$work/import-$name.out" 2>&1
  t1=$(now)
  local before=(); for p in "${redis_pids[@]}"; do before+=("$(cpu "$p")"); done
  local dns_port; dns_port=$(free_port)
  local server_pids=()
  for s in $(seq 1 "$SERVERS"); do
    DNSFP_Fold__ConsumerName="bench-$s" "${server[@]}" run --listen 127.0.0.1:$((dns_port + s - 1)) --zones zones --redis "$endpoint" > "$work/server-$name-$s.log" 2>&1 &
    server_pids+=($!); pids+=($!)
  done
  # the fold starts when the server has loaded its index; its start-up CPU is left out
  for s in $(seq 1 "$SERVERS"); do until grep -q "Index loaded" "$work/server-$name-$s.log"; do sleep 0.02; done; done
  t2=$(now)
  local server_before=(); for p in "${server_pids[@]}"; do server_before+=("$(cpu "$p")"); done
  # every facts stream empty: one XLEN per stream, sent to the node that serves it (redis-cli -c follows MOVED)
  local keys; keys=$(python3 -c "print(' '.join(['dnsfp:facts'] + ['dnsfp:facts:{%d}' % s for s in range(64)]))")
  while :; do
    left=0; for k in $keys; do left=$((left + $(redis-cli -c -p "${ports[0]}" xlen "$k"))); done
    [ "$left" = 0 ] && break; sleep 0.2
  done
  local t3; t3=$(now)
  echo "-- $name (${#ports[@]} primaries, $SERVERS folding server(s))"
  echo "   import (append to the shard streams): $(python3 -c "print(round($N/($t1-$t0)))") facts/s ($(python3 -c "print(round($t1-$t0,1))") s)"
  echo "   fold, index loaded -> all streams empty: $(python3 -c "print(round($t3-$t2,1))") s = $(python3 -c "print(round($N/($t3-$t2)))") facts/s"
  local total_redis=0 i=0
  for p in "${redis_pids[@]}"; do
    read -r u0 s0 <<< "${before[$i]}"; read -r u1 s1 <<< "$(cpu "$p")"
    echo "   redis-server :${ports[$i]} CPU over the fold: user $(python3 -c "print(round($u1-$u0,2))") s, system $(python3 -c "print(round($s1-$s0,2))") s"
    total_redis=$(python3 -c "print($total_redis + $u1-$u0 + $s1-$s0)"); i=$((i+1))
  done
  local total_server=0 j=0
  for p in "${server_pids[@]}"; do
    read -r u0 s0 <<< "${server_before[$j]}"; read -r u1 s1 <<< "$(cpu "$p")"; j=$((j+1))
    echo "   dnsfp-server CPU over the fold: user $(python3 -c "print(round($u1-$u0,2))") s, system $(python3 -c "print(round($s1-$s0,2))") s"
    total_server=$(python3 -c "print($total_server + $u1-$u0 + $s1-$s0)")
    kill "$p"; wait "$p" 2>/dev/null || true
  done
  echo "   facts per Redis CPU second (all primaries): $(python3 -c "print(round($N/$total_redis))"); per dnsfp-server CPU second: $(python3 -c "print(round($N/$total_server))")"
}

# single Redis
single=$(free_port)
redis-server --port "$single" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile "$work/single.log" --daemonize no & pids+=($!)
until redis-cli -p "$single" ping >/dev/null 2>&1; do sleep 0.1; done
run single "$single"

# 3-primary cluster (no replicas: this measures ingest, the failover test covers replicas)
cluster=()
while [ ${#cluster[@]} -lt 3 ]; do p=$(free_port); [[ " ${cluster[*]} " == *" $p "* ]] || cluster+=("$p"); done
for p in "${cluster[@]}"; do
  mkdir -p "$work/c$p"
  redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf --save "" --appendonly no \
    --dir "$work/c$p" --logfile "$work/c$p/redis.log" --daemonize no & pids+=($!)
done
for p in "${cluster[@]}"; do until redis-cli -p "$p" ping >/dev/null 2>&1; do sleep 0.1; done; done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${cluster[@]}") --cluster-yes >/dev/null
until redis-cli -p "${cluster[0]}" cluster info | grep -q 'cluster_state:ok'; do sleep 0.2; done
run cluster "${cluster[@]}"
