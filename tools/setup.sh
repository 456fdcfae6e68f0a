#!/usr/bin/env bash
# Shared set-up for the README's two commands. Sourced, not run. The node needs only the .NET SDK:
# its native libraries (libsecp256k1, RocksDB) come inside NuGet packages, restored by the build.
# npm is needed only by tests (tools/tx-example checks our transaction format with ethers).
#
# Every check here tests a command's exit status directly. Nothing is piped into `grep -q`: under
# `set -o pipefail` an early-exiting grep gives the writer SIGPIPE and the pipeline fails even
# when the text was found (the cause of the old "installed but ... is still not found").
set -euo pipefail

excraft_fail() { echo "excraft setup: $*" >&2; exit 1; }

excraft_need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || excraft_fail "the .NET SDK 10.0 is not installed (no 'dotnet' on PATH); install dotnet-sdk-10.0 and retry"
  local version
  version=$(dotnet --version 2>/dev/null) || excraft_fail "'dotnet --version' failed; is a .NET SDK (not only a runtime) installed? Need 10.0 or newer"
  [ "${version%%.*}" -ge 10 ] 2>/dev/null || excraft_fail "the .NET SDK 10.0 or newer is required, found ${version:-none}"
}

# Installs Debian packages (as root, or through sudo), or says exactly what to install.
excraft_apt_install() {
  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || excraft_fail "missing: $*; not root and no sudo, so install them as root: apt-get install -y $*"
    run=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || excraft_fail "missing: $*; apt-get is not available here, install them with this system's package manager"
  echo "excraft setup: installing $* with apt-get"
  "${run[@]}" apt-get update -qq || excraft_fail "'apt-get update' failed (network or sources); install $* by hand and retry"
  DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "$@" >/dev/null \
    || excraft_fail "'apt-get install $*' failed; install them by hand and retry"
}

# Node.js packages used by tests. Installs npm (Debian: nodejs, npm) if it is missing.
excraft_need_npm() {
  local dir=$1
  [ -d "$dir/node_modules" ] && return 0
  command -v npm >/dev/null 2>&1 || excraft_apt_install nodejs npm
  command -v npm >/dev/null 2>&1 || excraft_fail "npm is still not on PATH after installing nodejs and npm"
  echo "excraft setup: npm install in $dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent) || excraft_fail "'npm install' failed in $dir (see the npm output above)"
}
