#!/usr/bin/env bash
# packaging/test-package.sh [DEB]: tests the built .deb as an operator meets it (issue #20), on this machine, as root:
#   lintian (no errors; every warning printed), dpkg -i, users and file modes, systemd-analyze verify and security,
#   the installed server run as user dnsfp with CAP_NET_BIND_SERVICE only on port 53 (Type=notify readiness through
#   a real NOTIFY_SOCKET, no writable+executable memory, as MemoryDenyWriteExecute= demands), the installed agent
#   importing the sample into a private Redis, dig answering it, then dpkg -r (only conffiles and the agent's state
#   stay) and dpkg --purge (nothing stays). Prints one "ok:" line per check; exits 1 at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls packaging/out/dnsfp_*_amd64.deb 2>/dev/null | tail -1)}
[ -f "$deb" ] || { echo "packaging/test-package.sh: no package; build it with packaging/build.sh" >&2; exit 66; }
[ "$(id -u)" -eq 0 ] || { echo "packaging/test-package.sh: installs the package, so it must run as root" >&2; exit 77; }
need=()
command -v lintian >/dev/null || need+=(lintian)
command -v redis-server >/dev/null || need+=(redis-server)
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v strace >/dev/null || need+=(strace)
command -v systemd-analyze >/dev/null || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

work=$(mktemp -d)
redis_pid= server_pid= strace_pid=
cleanup() {
  for pid in $server_pid $strace_pid $redis_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dpkg --purge dnsfp >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
checks=0
ok() { echo "ok: $*"; checks=$((checks + 1)); }
fail() { echo "FAIL: $*" >&2; [ -f "$work/server.log" ] && sed 's/^/  server: /' "$work/server.log" >&2; exit 1; }
dpkg --purge dnsfp >/dev/null 2>&1 || true

# 1. lintian: errors fail; warnings are listed (packaging/README.md justifies each one that stays)
lintian --fail-on error "$deb" > "$work/lintian" 2>&1 || { cat "$work/lintian"; fail "lintian reports errors"; }
grep -v 'running with root privileges' "$work/lintian" | sed 's/^/  lintian: /' || true
ok "lintian: no errors, $(grep -c '^W:' "$work/lintian" || true) warnings"

# 2. install
dpkg -i "$deb" > "$work/dpkg-i" 2>&1 || { cat "$work/dpkg-i"; fail "dpkg -i"; }
ok "dpkg -i $(basename "$deb")"
for user in dnsfp dnsfp-agent; do id "$user" >/dev/null 2>&1 || fail "system user $user missing"; done
[ "$(stat -c '%U:%G %a' /etc/dnsfp/server.json)" = "root:dnsfp 640" ] || fail "/etc/dnsfp/server.json is $(stat -c '%U:%G %a' /etc/dnsfp/server.json), not root:dnsfp 640"
[ "$(stat -c '%U:%G %a' /etc/dnsfp/agent.json)" = "root:dnsfp-agent 640" ] || fail "/etc/dnsfp/agent.json mode"
[ "$(stat -c '%U %a' /var/lib/dnsfp-agent)" = "dnsfp-agent 700" ] || fail "/var/lib/dnsfp-agent is $(stat -c '%U %a' /var/lib/dnsfp-agent)"
ok "users dnsfp and dnsfp-agent; settings readable by their program only; agent state in /var/lib/dnsfp-agent"
/usr/sbin/dnsfp-server --version | grep -q "^$(dpkg-deb -f "$deb" Version)" || fail "dnsfp-server --version does not say $(dpkg-deb -f "$deb" Version)"
ok "dnsfp-server --version: $(/usr/sbin/dnsfp-server --version)"

# 3. units
man_check=no; command -v man >/dev/null && man_check=yes
for unit in dnsfp-server dnsfp-agent; do
  out=$(systemd-analyze verify --man=$man_check "/lib/systemd/system/$unit.service" 2>&1) || fail "systemd-analyze verify $unit: $out"
  [ -z "$out" ] || fail "systemd-analyze verify $unit: $out"
  score=$(systemd-analyze security --offline=true "/lib/systemd/system/$unit.service" 2>&1 | grep -E 'Overall exposure level' | sed 's/.*: *//')
  [ -n "$score" ] || fail "systemd-analyze security $unit printed no score"
  ok "systemd-analyze verify $unit.service clean; security exposure $score"
done

# 4. the installed server: user dnsfp, only CAP_NET_BIND_SERVICE, port 53, settings from /etc/dnsfp/server.json
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
chmod 0755 "$work"
listen=127.0.0.153
as_dnsfp=(setpriv --reuid=dnsfp --regid=dnsfp --clear-groups --no-new-privs
  --inh-caps=-all,+net_bind_service --ambient-caps=-all,+net_bind_service --bounding-set=-all,+net_bind_service)
export DNSFP_Server__Redis="127.0.0.1:$redis_port" DNSFP_Server__Listen__0="$listen:53"

# Type=notify: .NET 10 believes it is a systemd service when its parent's comm is "systemd" (or it is PID 1). A
# parent of that name with a real NOTIFY_SOCKET, as systemd gives one, must get READY=1 once the listeners are bound.
timeout 30 python3 - "$work" "${as_dnsfp[@]}" /usr/sbin/dnsfp-server run > "$work/notify.log" 2> "$work/server.log" <<'PY' \
  || fail "no READY=1 on NOTIFY_SOCKET (Type=notify): $(cat "$work/notify.log")"
import ctypes, os, signal, socket, subprocess, sys
work, command = sys.argv[1], sys.argv[2:]
ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)                  # PR_SET_NAME: what /proc/PID/comm shows
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); notify.bind(work + "/notify"); os.chmod(work + "/notify", 0o777)
notify.settimeout(20)
server = subprocess.Popen(command, env=dict(os.environ, NOTIFY_SOCKET=work + "/notify"), stderr=subprocess.STDOUT, stdout=sys.stderr)
try:
    while True:
        message = notify.recv(4096).decode()
        print(message, flush=True)
        if "READY=1" in message: break
finally:
    server.send_signal(signal.SIGTERM)
    sys.exit(0 if server.wait(15) == 0 and "READY=1" in message else 1)
PY
listening=$(grep -c 'Answering DNS on' "$work/server.log")
[ "$listening" = 1 ] || fail "listening on $listening addresses, not only the configured $listen:53"
ok "dnsfp-server as user dnsfp with CAP_NET_BIND_SERVICE only: READY=1 on the notify socket once on $listen:53, exit 0 on SIGTERM"

# The same server under strace, for the DNS checks below and the memory check after them.
strace -f -qq -o "$work/trace" -e trace=mmap,mprotect,pkey_mprotect,shmat \
  "${as_dnsfp[@]}" /usr/sbin/dnsfp-server run > "$work/server.log" 2>&1 &
strace_pid=$!
for _ in $(seq 100); do grep -q 'Answering DNS on' "$work/server.log" && break; sleep 0.1; done
server_pid=$(pgrep -u dnsfp -x dnsfp-server) || fail "dnsfp-server did not start under strace"
[ "$(dig @$listen 2.0.0.127.fp.example.org A +short)" = 127.0.0.2 ] || fail "RFC 5782 test entry not answered"
ok "the zone from /etc/dnsfp/zones answers its RFC 5782 test entry"

# 5. the installed agent imports the sample; the server folds it and answers
docs=/usr/share/doc/dnsfp/examples/sample
/usr/sbin/dnsfp-agent import --redis "127.0.0.1:$redis_port" --pf-states $docs/pfctl-vvss.txt --pf-rules $docs/pfctl-vvsr.txt \
  --exim-log $docs/exim-mainlog > "$work/import.log" 2>&1 || { cat "$work/import.log"; fail "dnsfp-agent import"; }
answer=
for _ in $(seq 100); do answer=$(dig @$listen 10.2.0.192.fp.example.org A +short); [ "$answer" = 127.0.0.19 ] && break; sleep 0.1; done
[ "$answer" = 127.0.0.19 ] || fail "10.2.0.192 answered '$answer', not 127.0.0.19"
txt=$(dig @$listen 10.2.0.192.fp.example.org TXT +short)
case "$txt" in '"AIX; 97% spam'*) ;; *) fail "TXT for 10.2.0.192 is $txt" ;; esac
ok "installed agent imported the sample, installed server answers 10.2.0.192: $answer $txt"
[ "$(dig @$listen example.com A +noall +comments | grep -o 'status: [A-Z]*')" = "status: REFUSED" ] || fail "a name outside the zone is not REFUSED"
ok "no recursion: a name outside the zone is REFUSED"

kill -TERM "$server_pid"; wait $strace_pid || fail "dnsfp-server exited with $? on SIGTERM"
server_pid=
# MemoryDenyWriteExecute=yes refuses mmap(PROT_WRITE|PROT_EXEC) and mprotect(PROT_EXEC): the native server made neither
# (the dynamic loader's own mappings of libc and the binary are mmap with PROT_READ|PROT_EXEC, which it allows)
bad=$(grep -E 'mmap\(.*PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE|mprotect\(.*PROT_EXEC|shmat\(.*SHM_EXEC' "$work/trace" || true)
[ -z "$bad" ] || fail "writable+executable memory (MemoryDenyWriteExecute=yes would kill it): $bad"
ok "no writable+executable mapping in $(grep -c . "$work/trace") traced mmap/mprotect calls; exit 0 on SIGTERM"

# 6. remove keeps only conffiles and the agent's state; purge removes those too
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print substr($6, 2)}' > "$work/files"
dpkg -r dnsfp > "$work/dpkg-r" 2>&1 || { cat "$work/dpkg-r"; fail "dpkg -r"; }
left=$(while read -r f; do [ -e "$f" ] && ! grep -qx "$f" <(dpkg-deb -I "$deb" conffiles) && echo "$f"; done < "$work/files" || true)
[ -z "$left" ] || fail "dpkg -r left files that are not conffiles: $left"
for f in $(dpkg-deb -I "$deb" conffiles); do [ -f "$f" ] || fail "dpkg -r removed conffile $f"; done
ok "dpkg -r: $(wc -l < "$work/files") files gone but the $(dpkg-deb -I "$deb" conffiles | wc -l) conffiles"
dpkg --purge dnsfp > "$work/dpkg-purge" 2>&1 || { cat "$work/dpkg-purge"; fail "dpkg --purge"; }
[ ! -e /etc/dnsfp ] && [ ! -e /var/lib/dnsfp-agent ] || fail "dpkg --purge left /etc/dnsfp or /var/lib/dnsfp-agent"
ok "dpkg --purge: /etc/dnsfp and /var/lib/dnsfp-agent gone"
echo "packaging/test-package.sh: $checks checks passed"
