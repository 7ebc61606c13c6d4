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
# The one change: the sidebar's "API docs by Redocly" logo is an <img> from Redocly's CDN (blocked
# by our CSP, and no network offline). It becomes an inline SVG with the word "Redocly", so the
# attribution stays and the page reaches nothing but this service.
logo="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='52' height='14'%3E%3Ctext x='0' y='11' font-family='sans-serif' font-size='11' fill='%23333'%3ERedocly%3C/text%3E%3C/svg%3E"
before=$(grep -o 'https://cdn\.redoc\.ly/redoc/logo-mini[a-z-]*\.svg' vendor/redoc/redoc.standalone.js | wc -l)
sed -i -E "s#https://cdn\.redoc\.ly/redoc/logo-mini(-full)?\.svg#${logo}#g" vendor/redoc/redoc.standalone.js
if ((before != 2)) || grep -q 'cdn\.redoc\.ly' vendor/redoc/redoc.standalone.js; then
  echo "redoc ${version}: expected exactly 2 CDN logo URLs (found ${before}); review the patch" >&2
  exit 1
fi
integrity=$(npm view "redoc@${version}" dist.integrity)
sha=$(sha256sum vendor/redoc/redoc.standalone.js | cut -d' ' -f1)
cat >vendor/redoc/VERSION <<TXT
redoc ${version} (npm), bundles/redoc.standalone.js and LICENSE (MIT)
patched: the sidebar logo's two CDN URLs replaced by an inline SVG (tools/vendor/redoc.sh)
tarball integrity ${integrity}
redoc.standalone.js sha256 ${sha}
refresh: bash tools/vendor/redoc.sh <version>
TXT
echo "vendor/redoc: redoc ${version}, sha256 ${sha}"
