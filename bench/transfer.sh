#!/usr/bin/env bash
# bench/transfer.sh: a full zone transfer of N listings (default 1M) from dnsfp, and from NSD serving dnsfp's own
# zone-file export of the same data, in the same run. Prints per server: AXFR time (dig, output discarded),
# records, the server's RSS before and its peak during the transfer (sampled every 20 ms), user and system CPU of
# the transfer; and queries answered per second by dnsperf at a fixed rate during dnsfp's transfer (it must keep
# answering). Installs dnsperf, nsd, redis-server if missing (root).
#   N=1000000 bench/transfer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}; RATE=${RATE:-5000}
for c in dnsperf nsd redis-server dig; do command -v $c >/dev/null || [ -x /usr/sbin/$c ] || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf nsd redis-server bind9-dnsutils >/dev/null; break; }; done
work=$(mktemp -d); chmod 755 "$work"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work" 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port); DNSFP_PORT=$(free_port); NSD_PORT=$(free_port)
python3 bench/make-data.py "$N" "$work"
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll); server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$work" --daemonize no --logfile "$work/redis.log" & pids+=($!)
sleep 0.5
"${agent[@]}" import --redis 127.0.0.1:$REDIS_PORT --observations "$work/obs.tsv" >/dev/null 2>&1
DNSFP_Transfer__Allow__0="127.0.0.1 NOKEY" DNSFP_RateLimit__ExemptLoopback=true "${server[@]}" run --listen 127.0.0.1:$DNSFP_PORT --zones zones --redis 127.0.0.1:$REDIS_PORT > "$work/dnsfp.log" 2>&1 & dnsfp_pid=$!; pids+=($dnsfp_pid)
while [ "$(redis-cli -p $REDIS_PORT xlen dnsfp:facts)" != "0" ]; do sleep 0.5; done
sleep 3    # the follower applies the last changes and gives the bulk's memory back
"${server[@]}" export --redis 127.0.0.1:$REDIS_PORT --zones zones --format bind --output "$work/fp.example.org.zone" 2>/dev/null
cat > "$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$NSD_PORT
  username: ""
  zonesdir: "$work"
  database: ""
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
remote-control:
  control-enable: no
zone:
  name: fp.example.org
  zonefile: fp.example.org.zone
  provide-xfr: 127.0.0.1 NOKEY
CONF
nsd -d -c "$work/nsd.conf" > "$work/nsd.log" 2>&1 & nsd_pid=$!; pids+=($nsd_pid)
until dig @127.0.0.1 -p $NSD_PORT fp.example.org SOA +short +time=1 +tries=1 | grep -q .; do sleep 0.2; done

cpu() { awk '{print $14, $15}' /proc/$1/stat; }       # utime stime in clock ticks
tck=$(getconf CLK_TCK)
transfer() { # name port pid...: AXFR once, peak RSS of the pids during it
  local name=$1 port=$2; shift 2
  local before=0; for p in "$@"; do before=$((before + $(ps -o rss= -p $p))); done
  local c0; c0=$(for p in "$@"; do cpu $p; done | awk '{u+=$1; s+=$2} END {print u, s}')
  local t0; t0=$(date +%s.%N)
  dig @127.0.0.1 -p $port fp.example.org AXFR +tcp > "$work/$name.axfr" & local dig_pid=$!
  local peak=$before
  while kill -0 $dig_pid 2>/dev/null; do
    local now=0; for p in "$@"; do now=$((now + $(ps -o rss= -p $p))); done
    [ $now -gt $peak ] && peak=$now; sleep 0.02
  done
  local t1; t1=$(date +%s.%N)
  local c1; c1=$(for p in "$@"; do cpu $p; done | awk '{u+=$1; s+=$2} END {print u, s}')
  local records; records=$(grep -v '^;' "$work/$name.axfr" | grep -c . || true)
  python3 - "$name" "$t0" "$t1" "$before" "$peak" "$records" "$c0" "$c1" "$tck" <<'PY'
import sys
name, t0, t1, before, peak, records = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
u0, s0 = map(int, sys.argv[7].split()); u1, s1 = map(int, sys.argv[8].split()); tck = int(sys.argv[9])
print(f"{name:6} AXFR {records} records in {t1-t0:.2f} s; RSS {before/1024:.1f} MB before, peak {peak/1024:.1f} MB (+{(peak-before)/1024:.1f} MB); "
      f"server CPU user {(u1-u0)/tck:.2f} s, system {(s1-s0)/tck:.2f} s")
PY
}
echo "== AXFR of $N listings (about $((2 * N)) records)"
dnsperf -s 127.0.0.1 -p $DNSFP_PORT -d "$work/queries.txt" -c 2 -q 100 -l 30 -Q $RATE > "$work/dnsperf.txt" 2>&1 & perf_pid=$!
sleep 1
transfer dnsfp $DNSFP_PORT $dnsfp_pid
kill -INT $perf_pid 2>/dev/null || true; wait $perf_pid 2>/dev/null || true
grep -E "Queries (sent|completed|lost)|Queries per second" "$work/dnsperf.txt" | sed 's/^ */  dnsperf during the dnsfp transfer: /'
# IXFR: 1,000 new listings after the AXFR above; the differences from the serial dig got
serial=$(awk '$4 == "SOA" {print $7; exit}' "$work/dnsfp.axfr")
python3 -c "
import random; r = random.Random(7)
with open('$work/new.tsv', 'w') as f:
    for i in range(1000): f.write(f'45.{r.randint(0,255)}.{r.randint(0,255)}.{r.randint(1,254)}\tAIX\n')"
"${agent[@]}" import --redis 127.0.0.1:$REDIS_PORT --observations "$work/new.tsv" > "$work/new.log" 2>&1 || { cat "$work/new.log"; exit 1; }
until [ "$(dig @127.0.0.1 -p $DNSFP_PORT fp.example.org SOA +short | awk '{print $3}')" != "$serial" ]; do sleep 0.2; done; sleep 1
t0=$(date +%s.%N); dig @127.0.0.1 -p $DNSFP_PORT fp.example.org IXFR=$serial > "$work/ixfr" ; t1=$(date +%s.%N)
echo "dnsfp  IXFR from serial $serial after 1,000 new listings: $(grep -v '^;' "$work/ixfr" | grep -c .) records in $(python3 -c "print(round($t1-$t0,3))") s"
grep -o "IXFR of .*" "$work/dnsfp.log" | sed 's/^/  dnsfp log: /' || true
nsd_pids=$(pgrep -f "nsd -d -c $work/nsd.conf" | tr '\n' ' ')
transfer nsd $NSD_PORT $nsd_pids
grep -o "AXFR of .*" "$work/dnsfp.log" | sed 's/^/  dnsfp log: /'
