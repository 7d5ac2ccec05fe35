#!/usr/bin/env bash
# The tools the tests use for real rather than mock. From the Debian and Ubuntu
# package `prometheus`: promtool judges the alert rules, runs their unit tests,
# and checks the metrics file of a bake; the prometheus server scrapes the
# reference tutor so prometheus_query checks ask a real query API. From the
# package `chromium`: the browser that opens the HTML report in
# tests/reports/html, driven by Playwright at /usr/bin/chromium.
set -euo pipefail

packages=()
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  packages+=(prometheus)
fi
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)  # CI runners have password-less sudo
else
  echo "${packages[*]} missing: run 'sudo scripts/install-test-deps.sh' (installs the Debian packages ${packages[*]})" >&2
  exit 1
fi
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${packages[@]}"
