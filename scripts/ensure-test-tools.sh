#!/usr/bin/env bash
# Installs what the browser and validator tests need that pip cannot provide:
# Debian's chromium (Playwright's own browser download does not work here).
# Runs as part of `make test`; does nothing when everything is present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "Cần cài ${need[*]} (apt-get install ${need[*]}) để chạy kiểm thử trình duyệt." >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "Installing ${need[*]} with apt-get…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
