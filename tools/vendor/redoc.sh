#!/usr/bin/env bash
# Refreshes vendor/redoc from the npm package `redoc` (its standalone bundle), so /redoc serves
# ReDoc from this service and works offline. The package cannot be a dependency: redoc 3 depends on
# a package version the registry does not serve and peers React; one file is all the page needs.
# Usage: bash tools/vendor/redoc.sh [version]   (then commit vendor/redoc)
set -euo pipefail
version=${1:-3.0.1}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm pack checks the tarball against the registry's integrity (sha512) before writing it.
(cd "$work" && npm pack "redoc@${version}" --silent >/dev/null && tar xzf "redoc-${version}.tgz")
cp "$work/package/bundles/redoc.standalone.js" "$work/package/LICENSE" vendor/redoc/
integrity=$(npm view "redoc@${version}" dist.integrity)
sha=$(sha256sum vendor/redoc/redoc.standalone.js | cut -d' ' -f1)
cat >vendor/redoc/VERSION <<TXT
redoc ${version} (npm), bundles/redoc.standalone.js and LICENSE (MIT)
tarball integrity ${integrity}
redoc.standalone.js sha256 ${sha}
refresh: bash tools/vendor/redoc.sh <version>
TXT
echo "vendor/redoc: redoc ${version}, sha256 ${sha}"
