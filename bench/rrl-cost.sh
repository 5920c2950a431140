#!/usr/bin/env bash
# bench/rrl-cost.sh: the cost of response rate limiting per query (issue #11). Two dnsfp servers on one Redis with the
# same data, one with RateLimit:Enabled=false, one with limiting on for loopback (ExemptLoopback=false) and budgets
# above the load, so every query goes through the account table and none is dropped (dnsperf sends no cookies, so
# the cookie check is not in these figures). The same dnsperf load alternates between them for ROUNDS rounds. Prints per round queries/s and server CPU per answered query, user and
# system separately (from /proc/PID/stat), then the on/off ratios of the medians.
#   N=200000 ROUNDS=5 DURATION=10 bench/rrl-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200000}; ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-10}
for c in dnsperf redis-server python3; do command -v $c >/dev/null || { echo "rrl-cost.sh: install $c" >&2; exit 69; }; done
work=$(mktemp -d); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RP=$(free_port); OFF=$(free_port); ON=$(free_port)
python3 bench/make-data.py "$N" "$work" >/dev/null
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll); server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)
redis-server --port "$RP" --bind 127.0.0.1 --save "" --dir "$work" --daemonize no --logfile "$work/redis.log" & pids+=($!)
until redis-cli -p "$RP" ping >/dev/null 2>&1; do sleep 0.1; done
"${agent[@]}" import --redis 127.0.0.1:$RP --observations "$work/obs.tsv" >/dev/null 2>&1
DNSFP_RateLimit__Enabled=false "${server[@]}" run --listen 127.0.0.1:$OFF --zones zones --redis 127.0.0.1:$RP > "$work/off.log" 2>&1 & off_pid=$!; pids+=($off_pid)
while [ "$(redis-cli -p $RP xlen dnsfp:facts)" != "0" ]; do sleep 0.5; done
DNSFP_RateLimit__ExemptLoopback=false DNSFP_RateLimit__ResponsesPerSecond=100000 DNSFP_RateLimit__NoDataPerSecond=100000 \
DNSFP_RateLimit__NxDomainsPerSecond=100000 DNSFP_RateLimit__ErrorsPerSecond=100000 DNSFP_Fold__Enabled=false DNSFP_Listing__Sweep=false \
  "${server[@]}" run --listen 127.0.0.1:$ON --zones zones --redis 127.0.0.1:$RP > "$work/on.log" 2>&1 & on_pid=$!; pids+=($on_pid)
until grep -q "Index loaded" "$work/off.log" && grep -q "Index loaded" "$work/on.log"; do sleep 0.2; done
sleep 2
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14, $15}' /proc/$1/stat; }
declare -A usr sys qps
run() { # name pid port round
  local b a out done_ q
  b=$(ticks $2)
  out=$(dnsperf -s 127.0.0.1 -p $3 -d "$work/queries.txt" -c 4 -q 200 -l "$DURATION" 2>&1)
  a=$(ticks $2)
  done_=$(echo "$out" | sed -n 's/.*Queries completed: *\([0-9]*\).*/\1/p')
  q=$(echo "$out" | sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p')
  read u s < <(python3 -c "b='$b'.split(); a='$a'.split(); n=$done_; print(round((int(a[0])-int(b[0]))/$hz/n*1e6,2), round((int(a[1])-int(b[1]))/$hz/n*1e6,2))")
  printf "%-4s round %d: %9.0f q/s  CPU user %5.2f us/query  system %5.2f us/query  (lost %s)\n" "$1" "$4" "$q" "$u" "$s" \
    "$(echo "$out" | sed -n 's/.*Queries lost: *\([0-9]*\).*/\1/p')"
  usr[$1]+="$u "; sys[$1]+="$s "; qps[$1]+="$q "
}
for p in $OFF $ON; do dnsperf -s 127.0.0.1 -p $p -d "$work/queries.txt" -c 4 -q 200 -l 5 >/dev/null 2>&1; done   # warm-up (JIT tiering)
echo "== $N listings; dnsperf -c 4 -q 200, $DURATION s per round; off = RateLimit:Enabled=false, on = every query accounted"
for r in $(seq $ROUNDS); do run off $off_pid $OFF $r; run on $on_pid $ON $r; done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in usr sys qps; do declare -n arr=$k; eval "m_${k}_off=$(echo "${arr[off]}" | median); m_${k}_on=$(echo "${arr[on]}" | median)"; done
echo "== medians: off user $m_usr_off sys $m_sys_off us/query, $m_qps_off q/s; on user $m_usr_on sys $m_sys_on us/query, $m_qps_on q/s"
echo "== on/off: user CPU $(python3 -c "print(round($m_usr_on/$m_usr_off,2))")  system CPU $(python3 -c "print(round($m_sys_on/$m_sys_off,2))")  queries/s $(python3 -c "print(round($m_qps_on/$m_qps_off,2))")"
grep -o "Rate limited.*" "$work/on.log" | head -3 || echo "nothing was rate limited (as intended: budgets above the load)"
