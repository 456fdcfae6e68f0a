#!/usr/bin/env bash
# Starts a local N-validator testnet on 127.0.0.1 (default 4): bash testnet/up.sh [--validators N]
# Then: excraft testnet status | down | reset | add-node (see docs/testnet.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/setup.sh"
excraft_need_dotnet
dotnet build "$root/tools/ExCraft.Cli/ExCraft.Cli.csproj" -c Release -v quiet -nologo >/dev/null || excraft_fail "build failed; run: dotnet build tools/ExCraft.Cli -c Release"
cd "$root"
exec dotnet "$root/tools/ExCraft.Cli/bin/Release/net10.0/excraft.dll" testnet up "$@"
