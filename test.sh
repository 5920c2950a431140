#!/usr/bin/env bash
# test.sh: runs the whole test suite, then (as root) builds the native binaries and the .deb and tests those too. Installs what the integration tests drive (redis-server, dig, p0f, exim4,
# spamassassin, swaks, rspamd, rbldnsd, bind9-utils, nsd, knot, systemd-journal-remote, chromium, iproute2 for network namespaces; an unpacked postfix) when it is
# missing and we are root (the p0f test captures on loopback, which needs root); the tests start their own
# redis-server and p0f on free ports, nothing else needs to run.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-sentinel >/dev/null || need+=(redis-sentinel)   # the failover test runs three sentinels
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v p0f >/dev/null || [ -x /usr/sbin/p0f ] || need+=(p0f)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)
[ -x /usr/sbin/exim4 ] || need+=(exim4-daemon-light)
command -v spamassassin >/dev/null || need+=(spamassassin)
command -v swaks >/dev/null || need+=(swaks)
command -v socat >/dev/null || need+=(socat)   # SMTP clients and listener of the firewall test, in network namespaces
command -v rspamd >/dev/null || need+=(rspamd)
command -v rbldnsd >/dev/null || [ -x /usr/sbin/rbldnsd ] || need+=(rbldnsd)
command -v named-checkzone >/dev/null || [ -x /usr/sbin/named-checkzone ] || need+=(bind9-utils)
[ -f /usr/share/doc/nftables/examples/pf.os ] || need+=(nftables)      # for its copy of pf.os
command -v nsd >/dev/null || [ -x /usr/sbin/nsd ] || need+=(nsd)         # peers for the protocol-corner comparison
command -v knotd >/dev/null || [ -x /usr/sbin/knotd ] || need+=(knot)
[ -x /lib/systemd/systemd-journal-remote ] || need+=(systemd-journal-remote)   # writes real journal files for the journal source test
[ -x /usr/bin/chromium ] || need+=(chromium)    # renders the status page (headless) in its test
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "test.sh: please install: ${need[*]} (or run as root)" >&2; exit 69; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Postfix conflicts with exim4 as a package: the tests run an unpacked copy (needs root to set up once)
[ -x /opt/dnsfp-test/postfix/usr/sbin/postfix ] || { [ "$(id -u)" -eq 0 ] && bash DnsFp.Tests/Mta/setup-postfix.sh; } || true
log=$(mktemp)
set +e
dotnet test DnsFp.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The package (issue #20): native binaries and the .deb built, the outside-in integration tests rerun against the
# native binaries, then the .deb installed, used and removed on this machine. Needs root (dpkg -i, port 53).
if [ "$(id -u)" -eq 0 ] && [ "${DNSFP_SKIP_PACKAGE:-0}" != 1 ]; then
  if packaging/build.sh; then
    packaging/test-native.sh --no-build 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    packaging/test-package.sh || status=1
  else
    echo "test.sh: packaging/build.sh failed" >&2; status=1
  fi
else
  echo "test.sh: package tests skipped (they need root; DNSFP_SKIP_PACKAGE=1 skips them on purpose)"
fi
set -e
# one plain summary line: "N passed, N failed, N skipped"
summary=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {if (NR) printf "%d passed, %d failed, %d skipped\n", p, f, s}')
rm -f "$log"
[ -n "$summary" ] && echo "$summary"
exit "$status"
