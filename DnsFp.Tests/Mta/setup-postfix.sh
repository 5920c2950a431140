#!/usr/bin/env bash
# Unpacks Debian's postfix into /opt/dnsfp-test/postfix without installing it (postfix and exim4 conflict as
# packages; the MTA tests need both), and creates the users Postfix insists on. Run as root; idempotent.
set -euo pipefail
root=/opt/dnsfp-test/postfix
if [ ! -x "$root/usr/sbin/postfix" ]; then
  tmp=$(mktemp -d)
  mkdir -p "$root"
  chmod 755 "$tmp"
  (cd "$tmp" && apt-get download postfix >/dev/null 2>&1 && dpkg -x postfix_*.deb "$root")
  rm -rf "$tmp"
fi
getent group postfix >/dev/null || groupadd -r postfix
getent group postdrop >/dev/null || groupadd -r postdrop
id postfix >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g postfix postfix
echo "postfix unpacked in $root"
