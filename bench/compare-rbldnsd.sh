#!/usr/bin/env bash
# bench/compare-rbldnsd.sh: dnsfp against rbldnsd on the same data, the same machine and the same dnsperf load.
# Installs rbldnsd, dnsperf and redis-server if missing (root). Prints, per server and round: queries/s, lost
# queries, mean, p50 and p99 latency, server CPU per answered query, user and system apart (from /proc/PID/stat), RSS;
# a round at a fixed rate (RATE, default 20000 q/s) for latency below saturation; then the dnsfp/rbldnsd
# ratios, index load time, Redis memory per entry, and write-to-answer p50/p99 under load.
#   N=1000000 ROUNDS=5 DURATION=10 bench/compare-rbldnsd.sh
#   SERVER=native ...   also the Native AOT server (packaging/build.sh's, built if missing), side by side with the JIT
#                       build and rbldnsd in the same run: cold start to first answer, RSS, CPU per query
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}; SERVER=${SERVER:-jit}; ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-10}; WRITES=${WRITES:-1000}
need=()
for c in rbldnsd dnsperf redis-server dig; do command -v $c >/dev/null || [ -x /usr/sbin/$c ] || need+=($c); done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sed 's/^dig$/bind9-dnsutils/')
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
fi
work=$(mktemp -d); chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port); DNSFP_PORT=$(free_port); RBL_PORT=$(free_port); AOT_PORT=$(free_port)

echo "== data: $N entries"
python3 bench/make-data.py "$N" "$work"
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll); server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)
if [ "$SERVER" = native ]; then
  native=${NATIVE:-packaging/out/native}
  [ -x "$native/dnsfp-server/dnsfp-server" ] || OUT=$(dirname "$native") packaging/build.sh >/dev/null
  aot_server=("$native/dnsfp-server/dnsfp-server")
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$work" --daemonize no --logfile "$work/redis.log" & pids+=($!)
sleep 0.5
t0=$(date +%s.%N); "${agent[@]}" import --redis 127.0.0.1:$REDIS_PORT --observations "$work/obs.tsv" >/dev/null 2>&1; t1=$(date +%s.%N)
echo "bulk import of $N lines: $(python3 -c "print(round($t1-$t0,1))") s"

"${server[@]}" run --listen 127.0.0.1:$DNSFP_PORT --zones zones --redis 127.0.0.1:$REDIS_PORT > "$work/fold.log" 2>&1 & fold_pid=$!
t0=$(date +%s.%N); while [ "$(redis-cli -p $REDIS_PORT xlen dnsfp:facts)" != "0" ]; do sleep 0.5; done; t1=$(date +%s.%N)
echo "server fold of $N facts: $(python3 -c "print(round($t1-$t0,1))") s"
sleep 1; kill $fold_pid; wait $fold_pid 2>/dev/null || true
redis-cli -p $REDIS_PORT del dnsfp:changes >/dev/null     # the change feed is transient; measure the data itself
mem=$(redis-cli -p $REDIS_PORT info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
echo "Redis memory: $mem bytes, $(python3 -c "print(round($mem/$N,1))") bytes per entry (including Redis' own ~1 MB)"

# Cold start: process start to the first answer of a listed address (the index loaded from Redis).
probe=$(head -1 "$work/obs.tsv" | cut -f1 | python3 -c "import ipaddress,sys; print(ipaddress.ip_address(sys.stdin.read().strip()).reverse_pointer.replace('.in-addr.arpa','').replace('.ip6.arpa','') + '.fp.example.org')")
start_dnsfp() { # name port command...: starts it, prints its cold start, leaves its pid in started_pid
  local name=$1 port=$2; shift 2
  local t0; t0=$(date +%s.%N)
  DNSFP_RateLimit__ExemptLoopback=true "$@" run --listen 127.0.0.1:$port --zones zones --redis 127.0.0.1:$REDIS_PORT > "$work/$name.log" 2>&1 & started_pid=$!; pids+=($started_pid)
  until dig @127.0.0.1 -p $port "$probe" A +short +time=1 +tries=1 2>/dev/null | grep -q '^127\.0\.0\.'; do sleep 0.01; done
  echo "$name: cold start to first answer $(python3 -c "print(round($(date +%s.%N)-$t0,2))") s, RSS $(ps -o rss= -p $started_pid) KB; $(grep -o 'Index loaded.*' "$work/$name.log")"
}
start_dnsfp dnsfp $DNSFP_PORT "${server[@]}"; dnsfp_pid=$started_pid
if [ "$SERVER" = native ]; then start_dnsfp dnsfp-aot $AOT_PORT "${aot_server[@]}"; aot_pid=$started_pid; fi
"${server[@]}" export --redis 127.0.0.1:$REDIS_PORT --zones zones --format rbldnsd --output "$work/dnsfp.rbldnsd" 2>/dev/null
chmod 644 "$work/dnsfp.rbldnsd"
rbldnsd -n -b 127.0.0.1/$RBL_PORT -w "$work" fp.example.org:combined:dnsfp.rbldnsd > "$work/rbldnsd.log" 2>&1 & rbl_pid=$!; pids+=($rbl_pid)
sleep 3

cpu_ticks() { awk '{print $14, $15}' /proc/$1/stat; }     # user and system ticks
hz=$(getconf CLK_TCK)
declare -A qps_all cpu_all user_all sys_all
run() { # name pid port round [rate]: saturating load, or with a rate (dnsperf -Q) a fixed one neither server saturates
  local before after out completed
  read -r ub sb < <(cpu_ticks $2)
  out=$(dnsperf -s 127.0.0.1 -p $3 -d "$work/queries.txt" -c 4 -q 200 -l "$DURATION" ${5:+-Q $5} -v 2>&1)
  read -r ua sa < <(cpu_ticks $2)
  completed=$(echo "$out" | sed -n 's/.*Queries completed: *\([0-9]*\).*/\1/p')
  local lost qps mean p50 p99 rss user sys
  lost=$(echo "$out" | sed -n 's/.*Queries lost: *\([0-9]*\).*/\1/p')
  qps=$(echo "$out" | sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p')
  mean=$(echo "$out" | sed -n 's/.*Average Latency (s): *\([0-9.]*\).*/\1/p')
  read -r p50 p99 < <(echo "$out" | awk '/^> /{print $NF}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)] + 0, a[int(NR*0.99)] + 0}')
  rss=$(ps -o rss= -p $2)
  user=$(python3 -c "print(round(($ua-$ub)/$hz/$completed*1e6,2))"); sys=$(python3 -c "print(round(($sa-$sb)/$hz/$completed*1e6,2))")
  printf "%-9s %-8s %9.0f q/s  lost %-5s mean %7.1f us  p50 %7.1f us  p99 %7.1f us  CPU us/query: user %5.2f sys %5.2f  RSS %6d KB\n" \
    "$1" "$([ -n "${5:-}" ] && echo "@$5/s" || echo "round $4")" "$qps" "$lost" "$(python3 -c "print($mean*1e6)")" "$(python3 -c "print($p50*1e6)")" "$(python3 -c "print($p99*1e6)")" "$user" "$sys" "$rss"
  if [ -z "${5:-}" ]; then
    qps_all[$1]+="$qps "; user_all[$1]+="$user "; sys_all[$1]+="$sys "; cpu_all[$1]+="$(python3 -c "print($user+$sys)") "
  fi
}
# Warm-up, not measured: a server runs for months, so its steady state is what counts (.NET tiers up its JIT code
# during the first seconds of load; rbldnsd gets the same run so both start from warm caches).
for p in $DNSFP_PORT $RBL_PORT ${aot_pid:+$AOT_PORT}; do dnsperf -s 127.0.0.1 -p $p -d "$work/queries.txt" -c 4 -q 200 -l 5 >/dev/null 2>&1; done
echo "== dnsperf -c 4 -q 200, $DURATION s per round, same query file (70 % listed, A/TXT, some IPv6)"
for r in $(seq $ROUNDS); do
  run dnsfp $dnsfp_pid $DNSFP_PORT $r; run rbldnsd $rbl_pid $RBL_PORT $r
  [ -z "${aot_pid:-}" ] || run dnsfp-aot $aot_pid $AOT_PORT $r
done
RATE=${RATE:-20000}
echo "== the same queries at a fixed $RATE queries/s (dnsperf -Q): latency when neither server is saturated"
run dnsfp $dnsfp_pid $DNSFP_PORT 0 $RATE; run rbldnsd $rbl_pid $RBL_PORT 0 $RATE
[ -z "${aot_pid:-}" ] || run dnsfp-aot $aot_pid $AOT_PORT 0 $RATE
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
qd=$(echo "${qps_all[dnsfp]}" | median); qr=$(echo "${qps_all[rbldnsd]}" | median)
cd_=$(echo "${cpu_all[dnsfp]}" | median); cr=$(echo "${cpu_all[rbldnsd]}" | median)
rd=$(ps -o rss= -p $dnsfp_pid); rr=$(ps -o rss= -p $rbl_pid)
for name in "${!user_all[@]}"; do
  echo "$name: median CPU per query user $(echo "${user_all[$name]}" | median) us, system $(echo "${sys_all[$name]}" | median) us"
done | sort
echo "== ratios dnsfp/rbldnsd (medians): queries/s $(python3 -c "print(round($qd/$qr,2))")  CPU per query $(python3 -c "print(round($cd_/$cr,2))")  RSS $(python3 -c "print(round($rd/$rr,2))")"
if [ -n "${aot_pid:-}" ]; then
  qa=$(echo "${qps_all[dnsfp-aot]}" | median); ca=$(echo "${cpu_all[dnsfp-aot]}" | median); ra=$(ps -o rss= -p $aot_pid)
  echo "== ratios dnsfp-aot/rbldnsd (medians): queries/s $(python3 -c "print(round($qa/$qr,2))")  CPU per query $(python3 -c "print(round($ca/$cr,2))")  RSS $(python3 -c "print(round($ra/$rr,2))")"
  echo "== ratios dnsfp-aot/dnsfp (JIT): queries/s $(python3 -c "print(round($qa/$qd,2))")  CPU per query $(python3 -c "print(round($ca/$cd_,2))")  RSS $(python3 -c "print(round($ra/$rd,2))")"
fi

echo "== write-to-answer under load ($WRITES writes)"
dnsperf -s 127.0.0.1 -p $DNSFP_PORT -d "$work/queries.txt" -c 4 -q 100 -l 600 >/dev/null 2>&1 & load=$!; pids+=($load)
read p50 p99 < <(python3 bench/write-to-answer.py $REDIS_PORT $DNSFP_PORT $WRITES)
kill $load 2>/dev/null || true
echo "write-to-answer: p50 $p50 ms, p99 $p99 ms"
