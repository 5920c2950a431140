#!/usr/bin/env bash
# packaging/build.sh: builds dnsfp-server and dnsfp-agent as self-contained Native AOT binaries for linux-x64, then
# packs them with their settings, zones, systemd units, man pages and examples into dnsfp_VERSION_amd64.deb.
#   packaging/build.sh            -> packaging/out/dnsfp_VERSION_amd64.deb, packaging/out/native/{dnsfp-server,dnsfp-agent}/
#   OUT=/tmp/x packaging/build.sh -> the same under /tmp/x
# Installs what the build needs when it is missing and we are root (clang and zlib headers for the native link,
# help2man for the man pages); otherwise says what to install and exits 69.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=$(mkdir -p "${OUT:-packaging/out}" && cd "${OUT:-packaging/out}" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need=()
command -v clang >/dev/null || need+=(clang)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v help2man >/dev/null || need+=(help2man)
command -v dpkg-deb >/dev/null || need+=(dpkg)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "packaging/build.sh: please install: ${need[*]} (or run as root)" >&2; exit 69; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

version=$(dotnet msbuild DnsFp.Server/DnsFp.Server.csproj -getProperty:VersionPrefix -nologo)
echo "packaging/build.sh: dnsfp $version, native binaries (this takes a minute or two)" >&2
for program in server agent; do
  rm -rf "$out/native/dnsfp-$program"
  # the trim and AOT analyzers run with warnings as errors (Directory.Build.props): a warning stops the build here
  dotnet publish "DnsFp.${program^}" -c Release -r linux-x64 -p:PublishAot=true -p:StripSymbols=true \
    -o "$out/native/dnsfp-$program" --nologo -v quiet
  rm -f "$out/native/dnsfp-$program/"*.pdb "$out/native/dnsfp-$program/"*.dbg
done

root=$out/deb-root
rm -rf "$root" && mkdir -p "$root/DEBIAN"
install -d "$root/usr/sbin" "$root/etc/dnsfp/zones" "$root/lib/systemd/system" "$root/usr/share/man/man8" \
  "$root/usr/share/doc/dnsfp/examples"
install -m 0755 "$out/native/dnsfp-server/dnsfp-server" "$out/native/dnsfp-agent/dnsfp-agent" "$root/usr/sbin/"

# Settings: every setting with its default (the programs' appsettings.json), pointed at the package's paths.
sed -e 's|"Zones": "zones"|"Zones": "/etc/dnsfp/zones"|' \
    -e 's|"Exclude": \[\],|"Exclude": [],\n    "ExcludeFile": "/etc/dnsfp/exclude.txt",|' \
    DnsFp.Server/appsettings.json > "$root/etc/dnsfp/server.json"
grep -q '"/etc/dnsfp/zones"' "$root/etc/dnsfp/server.json" && grep -q exclude.txt "$root/etc/dnsfp/server.json" \
  || { echo "packaging/build.sh: DnsFp.Server/appsettings.json no longer has the Zones/Exclude lines this script rewrites" >&2; exit 70; }
install -m 0644 DnsFp.Agent/appsettings.json "$root/etc/dnsfp/agent.json"
install -m 0644 zones/*.zone "$root/etc/dnsfp/zones/"
install -m 0644 packaging/etc/exclude.txt "$root/etc/dnsfp/exclude.txt"
chmod 0644 "$root/etc/dnsfp/server.json"

install -m 0644 deploy/systemd/dnsfp-server.service deploy/systemd/dnsfp-agent.service "$root/lib/systemd/system/"

# Man pages from the programs' own --help, so they say what the binaries do.
for program in dnsfp-server dnsfp-agent; do
  help2man --no-info --section 8 --version-string "$version" \
    --name "$("$root/usr/sbin/$program" --help | sed -n '2s/^ *[^:]*: //p')" \
    "$root/usr/sbin/$program" | gzip -9n > "$root/usr/share/man/man8/$program.8.gz"
done

doc=$root/usr/share/doc/dnsfp
install -m 0644 packaging/deb/copyright "$doc/copyright"
gzip -9nc README.md > "$doc/README.md.gz"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -uR -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")/" \
  packaging/deb/changelog | gzip -9n > "$doc/changelog.gz"
cp -r deploy/exim deploy/postfix deploy/pf deploy/nftables deploy/redis deploy/rspamd deploy/spamassassin deploy/sample deploy/grafana deploy/prometheus "$doc/examples/"
install -m 0644 deploy/systemd/dnsfp-agent-capture.conf deploy/systemd/dnsfp-agent-firewall.conf "$doc/examples/"
install -m 0644 DnsFp.Server/appsettings.json "$doc/examples/server.defaults.json"
find "$doc/examples" -type f -exec chmod 0644 {} + && find "$doc/examples" -type d -exec chmod 0755 {} +
find "$doc/examples" -name '*.py' -exec chmod 0755 {} +

for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$root/DEBIAN/$script"; done
(cd "$root" && find etc -type f | sort | sed 's|^|/|') > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" packaging/deb/control > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

deb=$out/dnsfp_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
