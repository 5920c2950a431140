#!/usr/bin/env bash
# demo.sh: a working dnsfp DNSBL on 127.0.0.1:5353, fed with the bundled sample, answering dig.
#
#   ./demo.sh            # then, in another terminal:  dig @127.0.0.1 -p 5353 10.2.0.192.fp.example.org TXT +short
#
# It installs what is missing (redis-server, dig; needs root for apt-get), starts a private Redis on
# 127.0.0.1:6380 with its data in .demo/ unless DNSFP_REDIS names one, builds both programs, imports
# deploy/sample/ through the agent, and runs the server in the foreground. Ctrl-C stops the server and the
# private Redis. Settings: DNSFP_REDIS (host:port), DNSFP_LISTEN (default 127.0.0.1:5353), DNSFP_HTTP (the status
# page and metrics, default 127.0.0.1:8053).
set -euo pipefail
cd "$(dirname "$0")"
listen="${DNSFP_LISTEN:-127.0.0.1:5353}"
http="${DNSFP_HTTP:-127.0.0.1:8053}"

need=()
command -v dotnet >/dev/null || { echo "demo.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 69; }
command -v redis-server >/dev/null || [ -n "${DNSFP_REDIS:-}" ] || need+=(redis-server)
command -v dig >/dev/null || need+=(bind9-dnsutils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "demo.sh: please install: ${need[*]} (or run as root)" >&2; exit 69; fi
  echo "demo.sh: installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

redis_pid=""
cleanup() { [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${DNSFP_REDIS:-}" ]; then
  port=6380
  mkdir -p .demo/redis
  echo "demo.sh: starting a private Redis on 127.0.0.1:$port (data in .demo/redis)"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$PWD/.demo/redis" --appendonly yes --save "" \
    --logfile "$PWD/.demo/redis/redis.log" --daemonize no &
  redis_pid=$!
  DNSFP_REDIS="127.0.0.1:$port"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "demo.sh: building"
dotnet build -c Release -v quiet -nologo DnsFp.sln >/dev/null
agent=(dotnet DnsFp.Agent/bin/Release/net10.0/dnsfp-agent.dll)
server=(dotnet DnsFp.Server/bin/Release/net10.0/dnsfp-server.dll)

echo "demo.sh: importing the sample through the agent"
"${agent[@]}" import --redis "$DNSFP_REDIS" \
  --pf-states deploy/sample/pfctl-vvss.txt --pf-rules deploy/sample/pfctl-vvsr.txt --exim-log deploy/sample/exim-mainlog

echo "demo.sh: serving fp.example.org on $listen; try:"
echo "  dig @${listen%:*} -p ${listen##*:} 10.2.0.192.fp.example.org A +short"
echo "  dig @${listen%:*} -p ${listen##*:} 10.2.0.192.fp.example.org TXT +short"
echo "  the status page: http://$http/  (metrics: http://$http/metrics)"
"${server[@]}" run --listen "$listen" --zones zones --redis "$DNSFP_REDIS" --http "$http" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null; cleanup' EXIT INT TERM
wait $server_pid
