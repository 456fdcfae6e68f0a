#!/usr/bin/env bash
# Starts a local ExCraft dev chain: one validator, the funded dev accounts of genesis/dev.json
# (printed with their keys), RocksDB data in ~/.excraft/dev, JSON-RPC on 127.0.0.1:9545.
# Extra arguments go to the node (for example --data-dir DIR, --rpc-port N, --log-level Debug).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/setup.sh"
excraft_need_dotnet
echo "building the node..."
dotnet build "$root/node/ExCraft.Node/ExCraft.Node.csproj" -c Release -v quiet -nologo >/dev/null || excraft_fail "build failed; run: dotnet build node/ExCraft.Node -c Release"
exec dotnet "$root/node/ExCraft.Node/bin/Release/net10.0/excraft-node.dll" --dev "$@"
