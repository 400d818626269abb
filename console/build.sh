#!/bin/sh
# Installs the pinned npm packages and copies the browser files the console
# needs into vendor/, so the control plane can serve everything from its jar
# (the console loads nothing from a CDN). The control plane's Maven build runs
# it with --if-stale: then it does nothing when vendor/ is newer than the lock
# file and this script.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = "--if-stale" ] && [ -f vendor/xterm/xterm.mjs ] && [ -f vendor/addon-fit/addon-fit.mjs ] \
  && [ -z "$(find package-lock.json build.sh -newer vendor/xterm/xterm.mjs)" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "console/build.sh: npm is missing: the web console's xterm.js comes from the npm registry at build time." >&2
  echo "  Install Node.js and npm (Debian: apt-get install nodejs npm), then build again." >&2
  exit 1
fi
npm ci --silent
rm -rf vendor
mkdir -p vendor/xterm vendor/addon-fit
cp node_modules/@xterm/xterm/lib/xterm.mjs vendor/xterm/
cp node_modules/@xterm/xterm/css/xterm.css vendor/xterm/
cp node_modules/@xterm/xterm/LICENSE vendor/xterm/
cp node_modules/@xterm/addon-fit/lib/addon-fit.mjs vendor/addon-fit/
cp node_modules/@xterm/addon-fit/LICENSE vendor/addon-fit/
# The source-map comments point at files we do not ship; drop them so the
# browser does not request missing maps.
sed -i '/^\/\/# sourceMappingURL=/d' vendor/xterm/xterm.mjs vendor/addon-fit/addon-fit.mjs
echo "console: vendor/ ready"
