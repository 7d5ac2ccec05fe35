#!/usr/bin/env bash
# The tools the tests use for real rather than mock: promtool (Debian and Ubuntu
# package `prometheus`) judges the alert rules, runs their unit tests, and checks
# the metrics file of a bake; Chromium (package `chromium`) opens the HTML report
# in tests/reports/html, driven by Playwright at /usr/bin/chromium.
set -euo pipefail

packages=()
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)  # CI runners have password-less sudo
else
  echo "${packages[*]} missing: run 'sudo scripts/install-test-deps.sh' (installs the Debian packages)" >&2
  exit 1
fi
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${packages[@]}"
