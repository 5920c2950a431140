#!/usr/bin/env bash
# bench/sweep.sh: one sweep pass over N listings of which half have expired (issue #10), while dnsperf queries the
# server. Prints the pass time and listings removed (the server's own log line), the longest Redis commands of the
# run from Redis' SLOWLOG (threshold 1 ms) and LATENCY, and dnsperf's figures. Data is written straight into layout
# 2 (DnsFp.Contract/README.md) with redis-cli --pipe; the server is the Release build.
#   N=1000000 bench/sweep.sh        PASS=00:00:20 sets Listing:SweepPass (the pass goes as fast as it can if slower)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}; PASS=${PASS:-00:00:20}
for c in redis-server redis-cli dnsperf python3; do command -v $c >/dev/null || { echo "sweep.sh: install $c" >&2; exit 69; }; done
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RP=$(free); DP=$(free); work=$(mktemp -d); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
redis-server --port "$RP" --bind 127.0.0.1 --save "" --dir "$work" --daemonize no --logfile "$work/redis.log" & pids+=($!)
until redis-cli -p "$RP" ping >/dev/null 2>&1; do sleep 0.1; done
python3 - "$N" "$work" <<'PY'
import random, sys, time
n, work = int(sys.argv[1]), sys.argv[2]
random.seed(42)
today = int(time.time()) // 86400
def cmd(*a):
    parts = [x if isinstance(x, bytes) else str(x).encode() for x in a]
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)
with open(work + "/data.resp", "wb") as f, open(work + "/queries.txt", "w") as q:
    for i in range(1, 401):
        f.write(cmd("HSET", "dnsfp:label:names", i, "Linux %d\tLinux" % i)); f.write(cmd("HSET", "dnsfp:label:ids", "Linux %d" % i, i))
    seen = set()
    while len(seen) < n:
        a = random.getrandbits(32)
        if a >> 24 in (0, 10, 127) or a >> 28 >= 14 or a in seen: continue   # not in the reserved (excluded) ranges
        seen.add(a)
        sc = (a * 2654435761) % 2**32
        bucket, field = sc >> 17, sc & 0x1FFFF
        day = today - (30 if len(seen) % 2 else 0)                              # half expired 30 days ago
        record = random.randint(1, 400) | (day % 4096) << 13 | 8 << 25
        f.write(cmd("HSET", "dnsfp:ip4:{%d}:%d" % (bucket % 64, bucket), field, record))
        if len(seen) % 20 == 0:
            o = [a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255]
            q.write("%d.%d.%d.%d.fp.example.org A\n" % (o[3], o[2], o[1], o[0]))
PY
redis-cli -p "$RP" --pipe < "$work/data.resp" | tail -1
redis-cli -p "$RP" set dnsfp:layout 2 >/dev/null
echo "$(redis-server --version | cut -d' ' -f1-3); $N IPv4 listings, half expired; $(redis-cli -p "$RP" info memory | grep '^used_memory_human')"
redis-cli -p "$RP" config set slowlog-log-slower-than 1000 >/dev/null; redis-cli -p "$RP" slowlog reset >/dev/null
redis-cli -p "$RP" config set latency-monitor-threshold 1 >/dev/null; redis-cli -p "$RP" latency reset >/dev/null
DNSFP_RateLimit__ExemptLoopback=true DNSFP_Listing__SweepPass=$PASS dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll run --listen 127.0.0.1:$DP --zones zones \
  --redis 127.0.0.1:$RP > "$work/server.log" 2>&1 & pids+=($!)
until grep -q "Index loaded" "$work/server.log"; do sleep 0.2; done
grep -o "Index loaded.*" "$work/server.log"
dnsperf -s 127.0.0.1 -p "$DP" -d "$work/queries.txt" -c 4 -q 100 -l 600 > "$work/dnsperf.txt" 2>&1 & perf=$!; pids+=($perf)
start=$(date +%s.%N)
until grep -q "Sweep pass done" "$work/server.log"; do sleep 0.5; done
end=$(date +%s.%N); kill -INT $perf; wait $perf 2>/dev/null || true
grep -o "Sweep pass done.*" "$work/server.log"
awk -v s="$start" -v e="$end" 'BEGIN { printf "wall time of the pass seen from outside: %.1f s\n", e - s }'
echo "== SLOWLOG (commands over 1 ms during the run; 128 kept): $(redis-cli -p "$RP" slowlog len) entries; longest 5 (µs, command):"
redis-cli -p "$RP" eval 'local t={} for _,e in ipairs(redis.call("SLOWLOG","GET",128)) do t[#t+1]={e[3], e[4][1].." "..(e[4][4] or e[4][2] or "")} end table.sort(t,function(a,b) return a[1]>b[1] end) local r={} for i=1,math.min(5,#t) do r[i]=t[i][1].." "..t[i][2] end return r' 0
echo "== LATENCY LATEST (event, time, latest ms, max ms):"; redis-cli -p "$RP" latency latest
echo "== dnsperf -c 4 -q 100 during the pass:"; grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency|Latency StdDev" "$work/dnsperf.txt"
echo "left in Redis: $(redis-cli -p "$RP" eval 'local n=0 for b=0,32767 do n=n+redis.call("HLEN","dnsfp:ip4:{"..(b%64).."}:"..b) end return n' 0) listings"
