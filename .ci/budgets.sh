#!/usr/bin/env bash
# The first load's weight: builds the front end for release (content-hashed names, brotli and gzip
# copies written at build time, as served in production) into its own site directory, prints
# each file's size raw, gzip and brotli against the budgets of DESIGN.md, then runs the
# Playwright cold-load test on it (end2end/tests/first-load.spec.ts: bytes on the wire, encodings,
# cache headers, time to interactive on a phone), served by the debug server binary.
#
#   bash .ci/budgets.sh      (after `cargo leptos build`; REGLO_TTI_RUNS=10 cold loads per page)
#
# The WASM comes in bundles, one per kind of page, each holding only the islands of its pages
# (app/src/bundles.rs): the dashboard loads `reglo.*.wasm`, the invoice editor
# `reglo-new-invoice.*.wasm`. The run fails when one grows past its budget; the cold-load test
# checks the same on the wire.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
set -euo pipefail
cd "$ROOT"

SITE="$CARGO_TARGET_DIR/site-release"
# Brotli, in KB (1 000 bytes). Exported: the cold-load test checks the same on the wire.
# One bundle of 566 KB for every page before pages were split; 63 KB for the dashboard and
# 244 KB for the invoice editor since each page's bundle holds its islands only.
export DASHBOARD_WASM_KB=150
export EDITOR_WASM_KB=250

step "Release build of the front end (hashed names, precompressed)"
# From scratch: files of an earlier build must not be counted.
rm -rf "$SITE"
LEPTOS_SITE_ROOT="$SITE" cargo leptos build --release --precompress --frontend-only
LEPTOS_SITE_ROOT="$SITE" bash .ci/bundles.sh --release

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
size() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }

step "First-load budgets (release; KB = 1 000 bytes)"
printf '%-40s %10s %10s %10s\n' file raw gzip brotli
static_br=0
for file in "$SITE"/pkg/*; do
  # Compressed copies are counted with their file; TypeScript declarations are never loaded.
  case "$file" in *.br|*.gz|*.ts) continue ;; esac
  raw=$(size "$file") gz=$(size "$file.gz") br=$(size "$file.br")
  # A file too small for cargo-leptos to compress goes out as it is.
  [ "$br" -eq 0 ] && br=$raw
  [ "$gz" -eq 0 ] && gz=$raw
  printf '%-40s %10s %10s %10s\n' "$(basename "$file")" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")"
  static_br=$((static_br + br))
done
echo "WASM + script + styles, brotli, all pages: $(kb "$static_br") KB (the page itself is measured by the cold-load test)"

# The bundle a page loads, brotli.
page_wasm() {
  python3 - "$SITE/pkg" "$1" <<'PY'
import os, sys
pkg, bundle = sys.argv[1], sys.argv[2]
[name] = [f for f in os.listdir(pkg) if f.startswith(bundle + ".") and f.endswith(".wasm")]
print(os.path.getsize(os.path.join(pkg, name + ".br")))
PY
}
over=0
for page in "dashboard:reglo:$DASHBOARD_WASM_KB" "invoice editor:reglo-new-invoice:$EDITOR_WASM_KB"; do
  IFS=: read -r name bundle target <<<"$page"
  bytes=$(page_wasm "$bundle")
  echo "WASM of the ${name}, brotli: $(kb "$bytes") KB — budget ${target} KB"
  if [ "$bytes" -gt $((target * 1000)) ]; then
    echo "The ${name}'s WASM is over its budget by $(kb $((bytes - target * 1000))) KB brotli." >&2
    over=1
  fi
done
[ "$over" -eq 0 ] || exit 1

step "Cold load of the release front end (Playwright, Chromium)"
(cd end2end && REGLO_BIN="${REGLO_BIN:-$CARGO_TARGET_DIR/debug/reglo}" REGLO_RELEASE_SITE="$SITE" \
  REGLO_RELEASE_HASH_FILE="$CARGO_TARGET_DIR/release/hash.txt" \
  npx playwright test --config playwright.first-load.config.ts)
