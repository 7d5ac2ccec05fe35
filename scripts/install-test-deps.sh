#!/usr/bin/env bash
# The tools the tests use for real rather than mock, both from the Debian and
# Ubuntu package `prometheus`: promtool judges the alert rules, runs their unit
# tests, and checks the metrics file of a bake; the prometheus server scrapes the
# reference tutor so prometheus_query checks ask a real query API.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)  # CI runners have password-less sudo
else
  echo "promtool or prometheus is missing: run 'sudo scripts/install-test-deps.sh' (installs the package prometheus)" >&2
  exit 1
fi
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends prometheus
