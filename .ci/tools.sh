# Installs what building and testing Reglo needs, only where it is missing. Sourced by
# .ci/start and .ci/test. Everything comes from the package registries (crates.io, npm,
# Debian): cargo-leptos must never download its helpers from elsewhere, so it finds them here.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One persistent target dir outside the checkout, so every clone reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reglo-target}"
# cargo-leptos compiles with this set, and Leptos bakes it into the server (the WASM file's
# name); `cargo test` must see it too, or it rebuilds the server for another file name.
export LEPTOS_OUTPUT_NAME=reglo
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/Cargo.toml")

step() { printf '\n== %s\n' "$*"; }

# `cargo install --locked` of these two fails on rustc 1.95 because their published lock files
# pin crates that need a newer compiler (cargo-leptos) or are missing from the registry
# (wasm-bindgen-cli). The fix is to unpack the crate, move that one dependency and install
# from the unpacked source.
install_with_lock_fix() {
  local crate=$1 version=$2 dep=$3 dep_version=$4
  local work
  work=$(mktemp -d)
  # This attempt fails, but leaves the .crate file in cargo's cache.
  (cd "$work" && cargo install --locked "$crate" --version "$version" >/dev/null 2>&1) || true
  local archive
  archive=$(ls "$HOME"/.cargo/registry/cache/*/"$crate-$version.crate" | head -n 1)
  tar -xzf "$archive" -C "$work"
  # These are build tools, not the product: a quick, unoptimised-for-speed build is plenty.
  (cd "$work/$crate-$version" && cargo update -p "$dep" --precise "$dep_version" \
    && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
       CARGO_TARGET_DIR="$work/target" cargo install --locked --path .)
  rm -rf "$work"
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (long: about 40 minutes on 2 cores, once per machine)"
    install_with_lock_fix cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 15 minutes, once per machine)"
    install_with_lock_fix wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10
  fi
}

# npm packages: binaryen's wasm-opt (Debian's is too old and silently breaks hydration),
# Playwright and axe-core.
ensure_node_modules() {
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
    || [ ! -d "$ROOT/end2end/node_modules/@axe-core/playwright" ]; then
    step "Installing npm packages (binaryen, Playwright, axe-core)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "Installing Debian's Chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

# The SMTP server the e-mail tests deliver to.
ensure_smtp_server() {
  if ! python3 -c "import aiosmtpd" 2>/dev/null; then
    step "Installing aiosmtpd (PyPI) for the e-mail tests"
    python3 -m pip install --quiet --root-user-action=ignore aiosmtpd
  fi
}

# Brotli (PyPI), for the release bundles .ci/bundles.sh writes compressed.
ensure_brotli() {
  if ! python3 -c "import brotli" 2>/dev/null; then
    step "Installing brotli (PyPI) to compress the release bundles"
    python3 -m pip install --quiet --root-user-action=ignore brotli
  fi
}

# The Python packages of the Factur-X validation kit (`../shared/facturx`, absent from a bare
# clone: the tests that use it then say they are skipped), in a venv of their own.
ensure_facturx_validator() {
  local venv="$HOME/.cache/reglo-facturx"
  if [ -f "$ROOT/../shared/facturx/validate.py" ] && ! "$venv/bin/python" -c "import lxml, pikepdf, saxonche" 2>/dev/null; then
    step "Installing lxml, pikepdf and saxonche (PyPI) for the Factur-X validation kit"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check lxml pikepdf saxonche
  fi
}

# The PostgreSQL server the tests create their databases on: the machine's own where it runs,
# else Debian's, installed and started here. Exports REGLO_TEST_DATABASE_URL.
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    step "Installing PostgreSQL (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    step "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  local url="postgres://postgres@127.0.0.1:5432/postgres"
  if ! psql "$url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    # Debian's own install asks for a password on TCP: give the tests' user one, locally.
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'reglo-tests'\"" >/dev/null
    url="postgres://postgres:reglo-tests@127.0.0.1:5432/postgres"
  fi
  export REGLO_TEST_DATABASE_URL="${REGLO_TEST_DATABASE_URL:-$url}"
}

# Where cargo-leptos puts the compiled site (WASM, JS, CSS, public files).
site_root() {
  echo "$ROOT/target/site"
}
