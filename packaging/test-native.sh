#!/usr/bin/env bash
# packaging/test-native.sh: runs the integration tests that drive the programs from outside (the DNS contract with
# dig, the MTAs, the agent daemon and its sources, the command lines) against the Native AOT binaries of
# packaging/build.sh instead of the JIT builds (the test support's DNSFP_NATIVE switch). Tests that look inside the
# server (its index, a shifted clock) need it in-process and are not in this set.
set -euo pipefail
cd "$(dirname "$0")/.."
native=$(cd "${OUT:-packaging/out}/native" 2>/dev/null && pwd) \
  || { echo "packaging/test-native.sh: no native binaries; build them with packaging/build.sh" >&2; exit 66; }
filter='FullyQualifiedName~DnsFp.Tests.Mta.|FullyQualifiedName~DigContractTests|FullyQualifiedName~AgentDaemonTests'
filter+='|FullyQualifiedName~CaptureSourceTests|FullyQualifiedName~P0fTests|FullyQualifiedName~PfSourceTests'
filter+='|FullyQualifiedName~JournalSourceTests|FullyQualifiedName~CommandLineTests|FullyQualifiedName~RedisOutageTests'
filter+='|FullyQualifiedName~ZoneTransferTests|FullyQualifiedName~ZoneSecondaryTests|FullyQualifiedName~RedisFailoverTests|FullyQualifiedName~FirewallFeedTests'
filter+='|FullyQualifiedName~StatusPageTests|FullyQualifiedName~AgentMetricsTests'
DNSFP_NATIVE=$native dotnet test DnsFp.Tests -c Release --nologo --filter "$filter" "$@"
