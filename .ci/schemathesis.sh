#!/usr/bin/env bash
# Fuzzes the REST API v1 with Schemathesis (PyPI) against the real server: a fresh data dir on
# SQLite, a user and an API key made with the binary's own commands, a complete business with a
# client, a draft, an issued invoice, a payment and two quotes (so that generated requests reach the logic
# past « profile incomplete » and « unknown id »), then every operation of
# /api/v1/openapi.json. Fails on a server error or a response the document does not describe.
#
#   REGLO_BIN=…/debug/reglo LEPTOS_SITE_ROOT=…/target/site bash .ci/schemathesis.sh
#
# Optional: REGLO_SCHEMATHESIS_EXAMPLES (examples per operation, default 100; the run takes
# about a minute), REGLO_SCHEMATHESIS_SEED (reproduce a run), REGLO_SCHEMATHESIS_CHECKS (a
# comma-separated list replacing the default checks, e.g. adding positive_data_acceptance to
# find documented constraints looser than the validation: what it still reports are rules
# between fields or checksums that JSON Schema cannot state — a period's order, a SIREN's Luhn
# key, a VAT number matching the SIRET, a payment above what is due),
# REGLO_SCHEMATHESIS_REPORTS (a directory to keep the JUnit and HAR reports in).
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
VENV="$HOME/.cache/reglo-schemathesis"
REGLO_BIN="${REGLO_BIN:-$CARGO_TARGET_DIR/debug/reglo}"
LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(site_root)}"
EXAMPLES="${REGLO_SCHEMATHESIS_EXAMPLES:-100}"
# Server errors, and responses (status, media type, body) that the document does not describe.
CHECKS="${REGLO_SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}"

if [ ! -x "$REGLO_BIN" ]; then
  echo "No reglo binary at $REGLO_BIN: build it first (cargo leptos build) or set REGLO_BIN." >&2
  exit 1
fi
REGLO_BIN="$(cd "$(dirname "$REGLO_BIN")" && pwd)/$(basename "$REGLO_BIN")"
LEPTOS_SITE_ROOT="$(cd "$LEPTOS_SITE_ROOT" && pwd)"

if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  step "Installing Schemathesis $SCHEMATHESIS_VERSION (PyPI) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/reglo-schemathesis-XXXXXX")
SERVER_PID=""
stop_server() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/server.log" ]; then
    echo "--- the server's log, but for its INFO lines (last 40) ---" >&2
    grep -v ' INFO ' "$WORK/server.log" | tail -n 40 >&2 || true
  fi
  rm -rf "$WORK"
}
trap stop_server EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
# The server and the commands below share this environment, hence the same SQLite database.
export REGLO_DATA_DIR="$WORK/data"
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
export LEPTOS_SITE_ROOT LEPTOS_OUTPUT_NAME=reglo
export REGLO_STRIPE_SANDBOX=1
export RUST_LOG="${RUST_LOG:-info,sqlx=warn}" NO_COLOR=1

step "Starting $REGLO_BIN on $BASE (data in $REGLO_DATA_DIR)"
(cd "$WORK" && exec "$REGLO_BIN") >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "The server stopped before answering /healthz." >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE/healthz"

step "Creating a user and an API key"
EMAIL=schemathesis@exemple.fr
(cd "$WORK" && "$REGLO_BIN" user create --email "$EMAIL" --password "Schemathesis-$RANDOM-mot-de-passe") >/dev/null
KEY=$(cd "$WORK" && "$REGLO_BIN" api-key create --email "$EMAIL" --name Schemathesis 2>/dev/null)
[ -n "$KEY" ] || { echo "reglo api-key create printed no key." >&2; exit 1; }

# One call of the API, with an optional JSON body; prints the response, fails on anything but 2xx.
api() {
  local method=$1 path=$2
  local args=(-sS --fail-with-body -X "$method" "$BASE/api/v1$path" -H "Authorization: Bearer $KEY")
  if [ $# -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data "$3"); fi
  curl "${args[@]}"
}
id_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

step "Setting up the business, a client, a draft, an issued invoice and a payment, two quotes"
api PUT /business '{
  "name": "Marie Dupont", "address": {"line1": "12 rue des Lilas", "postal_code": "75011", "city": "Paris"},
  "siret": "73282932000074", "activity": "services_bic", "vat_status": "vat", "vat_number": "FR44732829320",
  "email": "contact@exemple.fr", "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP",
  "payment_terms_days": 30, "late_penalty_rate": "10", "invoice_prefix": "F-", "brand_color": "#0f766e"}' >/dev/null
CLIENT_ID=$(api POST /clients '{"name": "Boulangerie Martin", "kind": "business", "siren": "732829320",
  "email": "compta@martin.fr", "address": {"line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon"}}' \
  | id_of)
INVOICE='{"client_id": '"$CLIENT_ID"', "lines": [
  {"description": "Développement", "quantity": "2.5", "unit": "j", "unit_price_cents": 45000, "vat_rate": "20"},
  {"description": "Livre", "quantity": 2, "unit_price_cents": 1999, "vat_rate": 5.5}],
  "payment_methods": ["transfer", "cheque"]}'
api POST /invoices "$INVOICE" >/dev/null
ISSUED=$(api POST /invoices "$INVOICE" | id_of)
api POST "/invoices/$ISSUED/issue" >/dev/null
api POST "/invoices/$ISSUED/payments" '{"amount_cents": 10000, "method": "transfer"}' >/dev/null
QUOTE='{"client_id": '"$CLIENT_ID"', "deposit_percent": "30", "conditions": "Travaux sous trois semaines.",
  "lines": [{"description": "Rénovation", "quantity": "1", "unit_price_cents": 100000, "vat_rate": "20"}]}'
api POST /quotes "$QUOTE" >/dev/null
SENT_QUOTE=$(api POST /quotes "$QUOTE" | id_of)
api POST "/quotes/$SENT_QUOTE/send" '{}' >/dev/null

step "Schemathesis $SCHEMATHESIS_VERSION on $BASE/api/v1/openapi.json ($EXAMPLES examples per operation)"
reports=()
if [ -n "${REGLO_SCHEMATHESIS_REPORTS:-}" ]; then
  mkdir -p "$REGLO_SCHEMATHESIS_REPORTS"
  reports=(--report junit,har --report-dir "$(cd "$REGLO_SCHEMATHESIS_REPORTS" && pwd)")
fi
# Run from the scratch dir: Schemathesis keeps its caches in the working directory. One worker:
# with two, Hypothesis's lambda-description cache races (a KeyError inside Hypothesis, reported
# as an error of the run).
# The coverage phase spans each schema's boundaries; fuzzing draws positive and negative data;
# the stateful phase chains operations through the ids responses carry (client → invoice →
# payment), as fuzzing does with the ids it has seen (the seeded ones among them).
(cd "$WORK" && "$VENV/bin/st" run "$BASE/api/v1/openapi.json" \
  --header "Authorization: Bearer $KEY" \
  --checks "$CHECKS" \
  --phases examples,coverage,fuzzing,stateful \
  --mode all \
  --max-examples "$EXAMPLES" \
  ${REGLO_SCHEMATHESIS_SEED:+--seed "$REGLO_SCHEMATHESIS_SEED"} \
  --workers 1 \
  --request-timeout 30 \
  --generation-database none \
  --continue-on-failure \
  --no-color \
  "${reports[@]}")
