#!/usr/bin/env bash
# Chart.js, vendored into the package so the HTML report carries it inline and
# works offline. Fetched from the npm registry by name and version, checked
# against the integrity the registry published for that version, and copied
# with its license. `make vendor` runs this; the files it writes are committed.
set -euo pipefail

version=4.6.1
integrity=sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==
target="$(cd "$(dirname "$0")/.." && pwd)/gate/reports/html/vendor"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "chart.js@${version}" >/dev/null)
tarball="$work/chart.js-${version}.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$integrity" ]; then
  echo "chart.js ${version}: integrity ${got} is not the pinned ${integrity}" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/dist/chart.umd.min.js package/LICENSE.md
mkdir -p "$target"
# The map it names is not shipped, and the report asks for nothing by URL.
sed '/^\/\/# sourceMappingURL=/d' "$work/package/dist/chart.umd.min.js" >"$target/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$target/chart.js-LICENSE.md"
echo "$version" > "$target/chart.js-VERSION"
echo "vendored chart.js ${version} into ${target}"
