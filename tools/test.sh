#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds once, runs every test project and
# prints the totals as "N passed, N failed, N skipped" on the last line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/setup.sh"
excraft_need_dotnet
excraft_need_npm "$root/tools/tx-example"
excraft_need_npm "$root/swaps"   # solc and anvil, before the build (it compiles swaps/contracts)
excraft_need_npm "$root/swaps/bitcoin"   # bcoin, for the Bitcoin swap tests

cd "$root"
dotnet build ExCraft.sln -c Release -nologo -v quiet || excraft_fail "build failed"
log=$(mktemp)
status=0
dotnet test ExCraft.sln -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
# Each test assembly ends with "Total tests: N" and indented "Passed: N" / "Failed: N" / "Skipped: N" lines.
total() { grep -E "^ +$1: +[0-9]+\s*$" "$log" | awk '{s+=$2} END {print s+0}' || true; }
passed=$(total Passed)
failed=$(total Failed)
skipped=$(total Skipped)
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
