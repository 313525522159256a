#!/usr/bin/env bash
# Builds the WASM bundles cargo-leptos does not (app/src/bundles.rs): the new invoice's, the
# invoice pages', the quote pages', the log-in pages' and the other pages', beside the dashboard's in the site's /pkg. Each is compiled with
# its islands only, turned into a module by wasm-bindgen as cargo-leptos does, and named after
# its content; in release also optimised by wasm-opt and written compressed (brotli, gzip).
#
#   bash .ci/bundles.sh [--release]   (after `cargo leptos build [--release]`, same LEPTOS_SITE_ROOT)
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"

release=false
if [ "${1:-}" = "--release" ]; then
  release=true
  ensure_brotli
fi
pkg="${LEPTOS_SITE_ROOT:-$(site_root)}/pkg"
# cargo-leptos's own target directory and settings for the front end, so the framework's crates
# compiled for its bundle serve these too.
front="$CARGO_TARGET_DIR/front"
if $release; then profile=wasm-release; else profile=debug; fi

for bundle in new-invoice invoices quotes auth pages; do
  step "WASM bundle « $bundle » ($profile)"
  if $release; then profile_arg=(--profile wasm-release); else profile_arg=(); fi
  LEPTOS_HASH_FILES=true cargo build --package=frontend --lib --target=wasm32-unknown-unknown \
    --target-dir="$front" --features="$bundle" "${profile_arg[@]}"
  name="$LEPTOS_OUTPUT_NAME-$bundle"
  out=$(mktemp -d)
  wasm-bindgen --target=web --out-name="$name" --out-dir="$out" --no-typescript \
    "$front/wasm32-unknown-unknown/$profile/frontend.wasm"
  mv "$out/${name}_bg.wasm" "$out/$name.wasm"
  $release && wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$out/$name.wasm" -o "$out/$name.wasm"
  python3 - "$out" "$pkg" "$name" "$release" <<'PY'
import base64, gzip, hashlib, os, sys
out, pkg, name, release = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "true"
# One hash for both files, over both, as the page names them together.
digest = hashlib.sha256()
for ext in ("js", "wasm"):
    digest.update(open(f"{out}/{name}.{ext}", "rb").read())
tag = base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")
for old in os.listdir(pkg):
    if old.startswith(name + "."):
        os.remove(os.path.join(pkg, old))
for ext in ("js", "wasm"):
    data = open(f"{out}/{name}.{ext}", "rb").read()
    target = os.path.join(pkg, f"{name}.{tag}.{ext}")
    open(target, "wb").write(data)
    if release:
        import brotli
        open(target + ".br", "wb").write(brotli.compress(data, quality=11))
        open(target + ".gz", "wb").write(gzip.compress(data, 9))
PY
  rm -rf "$out"
done
