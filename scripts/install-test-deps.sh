#!/usr/bin/env bash
# The tools the tests use for real rather than mock: promtool (Debian package
# `prometheus`) judges the alert rules and runs their unit tests.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "promtool is missing: run 'sudo scripts/install-test-deps.sh' (installs the Debian package prometheus)" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus
