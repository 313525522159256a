#!/usr/bin/env bash
# The first load's weight: builds the front end for release (content-hashed names, brotli and gzip
# copies written at build time, as served in production) into its own site directory, prints
# each file's size raw, gzip and brotli against the budgets of DESIGN.md, then runs the
# Playwright cold-load test on it (end2end/tests/first-load.spec.ts: bytes on the wire, encodings,
# cache headers, time to interactive on a phone), served by the debug server binary.
#
#   bash .ci/budgets.sh      (after `cargo leptos build`; REGLO_TTI_RUNS=10 cold loads per page)
#
# The WASM is one bundle: the dashboard and the invoice editor load all of it. Until it is split
# or made of islands it is far over the 150 KB and 250 KB targets, so the run fails only when it
# grows past today's ceiling (WASM_CEILING_KB), and says how far it is from each target.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
set -euo pipefail
cd "$ROOT"

SITE="$CARGO_TARGET_DIR/site-release"
# Brotli, in KB (1 000 bytes).
DASHBOARD_WASM_KB=150
EDITOR_WASM_KB=250
# 960 with one generic type per view; erased views (.cargo/config.toml) took it to 566 KB.
# Lower it as the bundle shrinks.
WASM_CEILING_KB=580

step "Release build of the front end (hashed names, precompressed)"
LEPTOS_SITE_ROOT="$SITE" cargo leptos build --release --precompress --frontend-only

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
size() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }

step "First-load budgets (release; KB = 1 000 bytes)"
printf '%-40s %10s %10s %10s\n' file raw gzip brotli
wasm_br=0 static_br=0
for file in "$SITE"/pkg/*; do
  # Compressed copies are counted with their file; TypeScript declarations are never loaded.
  case "$file" in *.br|*.gz|*.ts) continue ;; esac
  raw=$(size "$file") gz=$(size "$file.gz") br=$(size "$file.br")
  # A file too small for cargo-leptos to compress goes out as it is.
  [ "$br" -eq 0 ] && br=$raw
  [ "$gz" -eq 0 ] && gz=$raw
  printf '%-40s %10s %10s %10s\n' "$(basename "$file")" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")"
  static_br=$((static_br + br))
  case "$file" in *.wasm) wasm_br=$((wasm_br + br)) ;; esac
done
echo "WASM, brotli: $(kb "$wasm_br") KB — target for the dashboard ${DASHBOARD_WASM_KB} KB, for the invoice editor ${EDITOR_WASM_KB} KB, ceiling today ${WASM_CEILING_KB} KB"
echo "WASM + script + styles, brotli: $(kb "$static_br") KB (the page itself is measured by the cold-load test)"
for target in "dashboard:$DASHBOARD_WASM_KB" "invoice editor:$EDITOR_WASM_KB"; do
  kb_max=${target##*:}
  if [ "$wasm_br" -gt $((kb_max * 1000)) ]; then
    echo "  over the ${target%%:*}'s target by $(kb $((wasm_br - kb_max * 1000))) KB"
  fi
done
if [ "$wasm_br" -gt $((WASM_CEILING_KB * 1000)) ]; then
  echo "The WASM grew past its ceiling of ${WASM_CEILING_KB} KB brotli." >&2
  exit 1
fi

step "Cold load of the release front end (Playwright, Chromium)"
(cd end2end && REGLO_BIN="${REGLO_BIN:-$CARGO_TARGET_DIR/debug/reglo}" REGLO_RELEASE_SITE="$SITE" \
  REGLO_RELEASE_HASH_FILE="$CARGO_TARGET_DIR/release/hash.txt" \
  npx playwright test --config playwright.first-load.config.ts)
