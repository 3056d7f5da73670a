#!/usr/bin/env bash
# Runs the README's demo command (`make demo`) against a throwaway database and checks that the IdP
# answers: discovery, JWKS, login page, static files, admin login with the printed credentials, and a
# client-credentials token with the printed client secret. Stops the server when done.
set -euo pipefail
# No `grep -q` or `head` behind curl: under pipefail, a reader that stops early turns the
# writer's SIGPIPE into a failure.
cd "$(dirname "$0")/.."

addr="${DEMO_ADDR:-127.0.0.1:8765}"
base="http://$addr"
work="$(mktemp -d)"
log="$work/demo.log"
export DATABASE_URL="sqlite:///$work/demo.sqlite3"

# A virtual environment of its own: the demo must run with only what `make demo` installs.
venv="$work/venv"
setsid make demo DEMO_ADDR="$addr" VENV="$venv" >"$log" 2>&1 &
demo_pid=$!
cleanup() { kill -- -"$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "smoke_demo: $*" >&2; echo "--- demo output:" >&2; cat "$log" >&2; exit 1; }

for _ in $(seq 120); do
  curl -fsS "$base/o/.well-known/openid-configuration" >"$work/discovery.json" 2>/dev/null && break
  kill -0 "$demo_pid" 2>/dev/null || fail "make demo exited"
  sleep 1
done
[ -s "$work/discovery.json" ] || fail "discovery never answered"
grep -q "\"issuer\": *\"$base/o\"" "$work/discovery.json" || fail "unexpected issuer: $(cat "$work/discovery.json")"
curl -fsS "$base/o/.well-known/jwks.json" | grep '"kty": *"RSA"' >/dev/null || fail "JWKS has no RSA key"
curl -fsS "$base/accounts/login/" | grep 'name="password"' >/dev/null || fail "no login form"
# DEBUG is off: the static files the admin links to are served by WhiteNoise, not runserver.
css=$(curl -fsS "$base/admin/login/" | grep -o '/static/admin/css/base\.[0-9a-f]*\.css' | sed -n 1p)
[ -n "$css" ] || fail "the admin links no hashed stylesheet (collectstatic, manifest storage)"
curl -fsS "$base$css" | grep 'body' >/dev/null || fail "static file $css not served"

# The printed credentials work: admin login ...
admin_password=$(grep -o "user 'admin' password '[^']*'" "$log" | sed "s/.*password '\(.*\)'/\1/")
[ -n "$admin_password" ] || fail "seed_demo printed no admin password"
jar="$work/cookies"
curl -fsS -c "$jar" "$base/admin/login/" >/dev/null
csrf=$(awk '$6=="csrftoken"{print $7}' "$jar")
curl -fsS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' -e "$base/admin/login/" \
  --data-urlencode "csrfmiddlewaretoken=$csrf" --data-urlencode "username=admin" \
  --data-urlencode "password=$admin_password" --data-urlencode "next=/admin/" \
  "$base/admin/login/" | grep 302 >/dev/null || fail "admin login failed"
curl -fsS -b "$jar" "$base/admin/" | grep "Site administration" >/dev/null || fail "admin index not reachable"

# ... and so does the printed client secret.
secret=$(grep -o "demo-service  *secret [^ ]*" "$log" | awk '{print $3}')
curl -fsS -u "demo-service:$secret" -d grant_type=client_credentials "$base/o/token/" \
  | grep '"access_token"' >/dev/null || fail "client-credentials token refused"

# `make demo` installed the runtime and example dependencies only: no test or browser tools.
for tool in pytest playwright schemathesis; do
  if "$venv/bin/python" -c "import $tool" 2>/dev/null; then fail "make demo installed $tool"; fi
done

echo "smoke_demo: the demo IdP answers on $base (discovery, JWKS, login, static files, admin, client credentials)"
