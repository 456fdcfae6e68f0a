#!/usr/bin/env bash
# Shared set-up for the README's two commands: checks for the .NET SDK and installs the native
# libraries the node binds to (Debian packages). Sourced, not run.
set -euo pipefail

excraft_fail() { echo "excraft setup: $*" >&2; exit 1; }

excraft_need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || excraft_fail "the .NET SDK (10.0) is not installed; install dotnet-sdk-10.0 and retry"
  local major
  major=$(dotnet --version 2>/dev/null | cut -d. -f1)
  [ "${major:-0}" -ge 10 ] || excraft_fail "the .NET SDK 10.0 or newer is required, found $(dotnet --version 2>/dev/null || echo none)"
}

# Installs Debian packages (as root, or through sudo), or says exactly what to install.
excraft_apt_install() {
  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || excraft_fail "missing packages: $*; run as root: apt-get install -y $*"
    run=(sudo)
  fi
  echo "excraft setup: installing $*"
  { "${run[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "$@" >/dev/null; } \
    || excraft_fail "could not install $* with apt-get; install them by hand and retry"
}

# Each argument is package:library; installs the packages whose library the loader cannot find.
excraft_need_libraries() {
  local missing=()
  for spec in "$@"; do
    ldconfig -p 2>/dev/null | grep -q "${spec#*:}" || missing+=("${spec%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  excraft_apt_install "${missing[@]}"
  for spec in "$@"; do
    ldconfig -p | grep -q "${spec#*:}" || excraft_fail "package ${spec%%:*} installed but ${spec#*:} is still not found"
  done
}

excraft_need_native() {
  excraft_need_libraries "libsecp256k1-1:libsecp256k1.so.1" "librocksdb7.8:librocksdb.so.7.8"
}

# Node.js packages used by tests (tools/tx-example checks our transaction format with ethers).
excraft_need_npm() {
  local dir=$1
  [ -d "$dir/node_modules" ] && return 0
  command -v npm >/dev/null 2>&1 || excraft_apt_install nodejs npm
  command -v npm >/dev/null 2>&1 || excraft_fail "npm is not installed; install nodejs and npm"
  echo "excraft setup: npm install in $dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent) || excraft_fail "npm install failed in $dir"
}
