#!/usr/bin/env bash
# bench/layout-memory.sh: Redis bytes per IPv4 listing for candidate bucket-hash layouts (DnsFp.Contract/README.md,
# "Memory: what one listing can cost"). Starts a private redis-server on a free port, writes N random addresses
# (default 1M, 400 labels, days spread over 3 weeks) in each layout with one server-side script, and prints
# used_memory growth / N. Default listpack settings, as an operator's Redis has them.
#   N=1000000 bench/layout-memory.sh            LAYOUTS="A D" to measure some only
set -euo pipefail
N=${N:-1000000}
LAYOUTS=${LAYOUTS:-"A B C D E F G H"}
command -v redis-server >/dev/null || { echo "layout-memory.sh: install redis-server" >&2; exit 69; }
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dir=$(mktemp -d)
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no --daemonize yes \
  --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" --busy-reply-threshold 0 >/dev/null
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
echo "$(redis-server --version | cut -d' ' -f1-3), N=$N IPv4 listings"
# Field and value per layout: A = today's (4 raw bytes, label id); the others put the low bits of the scrambled
# address in the field as an integer and pack label + days (+ more) into the value.
script='
local mode, n = ARGV[1], tonumber(ARGV[2])
math.randomseed(42)
for i = 1, n do
  local a = math.random(0, 65535) * 65536 + math.random(0, 65535)
  local sc = (a * 2654435761) % 4294967296
  local bucket = math.floor(sc / 131072)
  local label, day = math.random(1, 400), 20400 + math.random(0, 20)
  local key = "dnsfp:ip:4:" .. bucket
  if mode == "A" then redis.call("HSET", key, struct.pack(">I4", a), label)
  elseif mode == "B" then redis.call("HSET", key, sc % 131072, label * 4096 + day % 4096 - 8388608)
  elseif mode == "C" then redis.call("HSET", key, struct.pack(">I4", a), label * 65536 + day)
  elseif mode == "D" then redis.call("HSET", key, sc % 131072, label * 65536 + day)
  elseif mode == "E" then redis.call("HSET", key, sc % 131072, (label * 65536 + day) * 256 + 15)
  elseif mode == "F" then redis.call("HSET", key, sc % 131072, struct.pack(">BI4", 200, label * 65536 + day))
  elseif mode == "G" then redis.call("HSET", key, sc % 131072, struct.pack(">HI4", 300, label * 65536 + day))
  elseif mode == "H" then redis.call("HSET", "dnsfp:ip:4:" .. math.floor(bucket / 2), sc % 262144, (label * 65536 + day) * 256 + 15)
  end
end
return redis.call("DBSIZE")'
mem() { redis-cli -p "$PORT" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }
for m in $LAYOUTS; do
  redis-cli -p "$PORT" flushall >/dev/null
  base=$(mem)
  keys=$(redis-cli -p "$PORT" eval "$script" 0 "$m" "$N")
  used=$(mem)
  enc=$(redis-cli -p "$PORT" object encoding "$(redis-cli -p "$PORT" randomkey)")
  awk -v m="$m" -v u="$used" -v b="$base" -v n="$N" -v k="$keys" -v e="$enc" \
    'BEGIN { printf "layout %s: %.2f B per listing (%d keys, %s)\n", m, (u - b) / n, k, e }'
done
