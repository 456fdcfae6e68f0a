#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds once, runs every test project and
# prints the totals as "N passed, N failed, N skipped" on the last line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/setup.sh"
excraft_need_dotnet
excraft_need_native
excraft_need_npm "$root/tools/tx-example"

cd "$root"
dotnet build ExCraft.sln -c Release -nologo -v quiet || excraft_fail "build failed"
log=$(mktemp)
status=0
dotnet test ExCraft.sln -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
passed=$(grep -E '^(Passed|Failed)! ' "$log" | grep -Eo 'Passed: +[0-9]+' | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^(Passed|Failed)! ' "$log" | grep -Eo 'Failed: +[0-9]+' | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^(Passed|Failed)! ' "$log" | grep -Eo 'Skipped: +[0-9]+' | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
