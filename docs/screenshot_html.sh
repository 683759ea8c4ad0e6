#!/usr/bin/env bash
# Show that the self-contained HTML report renders in a browser as the PDF does.
#
# Usage: docs/screenshot_html.sh [CASE] [OUTDIR]      (defaults: samples/home.yaml, ./out/screenshot)
#
# Renders CASE to HTML and PDF, then
#   1. screenshots the HTML in headless Chromium            -> OUTDIR/html-screen.png
#   2. prints the HTML to PDF with headless Chromium        -> OUTDIR/html-print.pdf (+ page PNGs)
#   3. rasterises the WeasyPrint PDF's pages                -> OUTDIR/pdf-page-N.png
# so the two can be compared side by side. Chromium runs offline: no network, no sync, no updates, a
# throw-away profile. Needs Debian's chromium (installed here with apt-get if missing) and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."

case_file="${1:-samples/home.yaml}"
out="${2:-out/screenshot}"
mkdir -p "$out"

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
fi

timeline render "$case_file" -o "$out/report.html" --marking OFFICIAL-SENSITIVE
timeline render "$case_file" -o "$out/report.pdf" --marking OFFICIAL-SENSITIVE

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --no-first-run --disable-sync --disable-extensions --user-data-dir="$profile"
       --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>")
url="file://$(realpath "$out/report.html")"

# 1. screen: an A4-landscape-shaped window at 96 dpi (1123 x 794 CSS px)
chromium "${flags[@]}" --hide-scrollbars --window-size=1123,1400 --screenshot="$out/html-screen.png" "$url" \
  2>/dev/null
# 2. print: the browser's own paged output of the same file
chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/html-print.pdf" "$url" 2>/dev/null
pdftoppm -png -r 60 "$out/html-print.pdf" "$out/html-print-page"
# 3. the WeasyPrint PDF
pdftoppm -png -r 60 "$out/report.pdf" "$out/pdf-page"

echo "compare $out/html-screen.png, $out/html-print-page-*.png and $out/pdf-page-*.png"
