#!/usr/bin/env bash
# Installs the Debian packages Capstan needs to build, test and benchmark. Idempotent: runs
# `apt-get update` and `apt-get install` only when something is missing.
set -euo pipefail

packages=(
  libgit2-dev libyaml-dev libcurl4-openssl-dev libsqlite3-dev pkg-config   # build
  git lighttpd lighttpd-mod-openssl openssh-server openssh-client openssl ca-certificates  # loopback test servers
  curl                                                                     # make run's push hook
  python3-yaml                                                             # YAML peer benchmark
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
