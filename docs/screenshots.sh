#!/usr/bin/env bash
# Renders the German reports of kleinstadt, grossstadt and kleinstadt-roadmap and their screenshots in
# docs/ (shown in the README). Needs a release build and Debian's `chromium`.
# Run from the repository root: bash docs/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/sovplan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for stem in kleinstadt grossstadt; do
  "$bin" solve "scenarios/$stem.json" -o "$tmp/$stem.plan.json" 2>/dev/null
  "$bin" report "$tmp/$stem.plan.json" --scenario "scenarios/$stem.json" --lang de \
    -o "$tmp/$stem.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1280,2400 \
    --screenshot="docs/report-$stem.png" "file://$tmp/$stem.html" 2>/dev/null
done
# The roadmap section sits near the top: the first 2,000 pixels show it.
stem=kleinstadt-roadmap
"$bin" solve "scenarios/$stem.json" -o "$tmp/$stem.plan.json" 2>/dev/null
"$bin" report "$tmp/$stem.plan.json" --scenario "scenarios/$stem.json" --lang de \
  -o "$tmp/$stem.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1280,2000 \
  --screenshot="docs/report-$stem.png" "file://$tmp/$stem.html" 2>/dev/null
