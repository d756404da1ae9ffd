#!/usr/bin/env bash
# Installs what the browser and validator tests need that pip cannot provide:
#  - Debian's chromium (Playwright's own browser download does not work here);
#  - Java, to run the Nu HTML Checker (vnu.jar);
#  - Node.js and npm, and the npm packages pinned in package.json/package-lock.json
#    (axe-core and vnu-jar, used by tests/test_accessibility.py) into node_modules/;
#  - the web server and the publishing tools the publishing tests start for real on loopback
#    ports (tests/test_publish.py, tests/test_publish_web.py): nginx, openssh-server (sshd),
#    openssh-client (ssh, ssh-keygen) and rsync;
#  - LibreOffice Writer, which `cchc import` uses to read old .doc files (tests/test_import.py),
#    without the recommended extras (fonts, Java integration, help).
# Runs as part of `make test`; does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
{ command -v ssh && command -v ssh-keygen; } >/dev/null 2>&1 || need+=(openssh-client)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
office=()
command -v soffice >/dev/null 2>&1 || office+=(libreoffice-writer)
if [ ${#need[@]} -gt 0 ] || [ ${#office[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "Cần cài ${need[*]} ${office[*]} (apt-get install ${need[*]} ${office[*]}) để chạy kiểm thử trình duyệt, xuất bản và nhập tệp Word." >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "Installing ${need[*]} ${office[*]} with apt-get…"
  $SUDO apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ ${#office[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${office[@]}" >/dev/null
  fi
fi

# npm packages: installed exactly as locked when missing or when the lock file changed.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
   || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing the npm test tools (axe-core, vnu-jar) with npm ci…"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
