#!/bin/sh
# Installs the pinned npm packages and copies the browser files the console
# needs into vendor/, so the control plane can serve everything from its jar
# (the console loads nothing from a CDN).
set -eu
cd "$(dirname "$0")"
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
