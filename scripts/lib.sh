# shellcheck shell=bash
# Shared by scripts/test and .ci/run: where things are cached and how each is made ready.
# Everything expensive lives outside the clone, under $MAKRX_CACHE.

export MAKRX_CACHE=${MAKRX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/makrx}
export MAKRX_TOOLS=${MAKRX_TOOLS:-$MAKRX_CACHE/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$MAKRX_CACHE/target}
export PATH="$MAKRX_TOOLS/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

# What to stop when the script ends, however it ends: last registered, first undone, so that a
# database is dropped before the server it lives on stops.
cleanups=()
run_cleanups() { local i; for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done; }
trap run_cleanups EXIT
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_dev_packages() {
  command -v node >/dev/null || die "Node.js 20 or later is needed (composition, the development OIDC server)"
  # Installed once, and again whenever the lock file has changed since (a package added).
  if [ ! -f "$root/dev/node_modules/.package-lock.json" ] ||
    [ "$root/dev/package-lock.json" -nt "$root/dev/node_modules/.package-lock.json" ]; then
    (cd "$root/dev" && npm ci --no-audit --no-fund)
  fi
}

# The routers and sqlx-cli, built from crates.io with exact versions and flags.
ensure_tools() {
  mkdir -p "$MAKRX_TOOLS/bin"
  if [ ! -x "$MAKRX_TOOLS/bin/hive_router" ]; then
    echo "building Hive Router 0.2.0 (about 10 minutes, once)"
    cargo install hive-router --version 0.2.0 --locked --features graphiql --root "$MAKRX_TOOLS"
  fi
  if [ ! -x "$MAKRX_TOOLS/bin/router" ]; then
    command -v protoc >/dev/null || die "protoc is needed to build Apollo Router (Debian: apt-get install protobuf-compiler)"
    echo "building Apollo Router 2.17.0 (15 to 25 minutes, once)"
    cargo install apollo-router --version 2.17.0 --locked --root "$MAKRX_TOOLS"
  fi
  if [ ! -x "$MAKRX_TOOLS/bin/cargo-sqlx" ] || [ ! -x "$MAKRX_TOOLS/bin/sqlx" ]; then
    echo "building sqlx-cli 0.9.0 (about 2 minutes, once)"
    cargo install sqlx-cli --version 0.9.0 --locked --no-default-features \
      --features postgres,rustls,completions,sqlx-toml --root "$MAKRX_TOOLS"
  fi
  echo "hive_router, router, sqlx and cargo-sqlx in $MAKRX_TOOLS/bin"
}

# A database of its own on DATABASE_URL's server, named after $1 and this run, migrated from
# migrations/ and dropped when the script ends, however it ends; its URL in SCRATCH_DATABASE_URL.
# Not called in $(...): the drop must be registered in this shell's cleanups.
scratch_database() {
  local url
  url=$(python3 - "$DATABASE_URL" "${1}_$$_$(date +%s)" <<'PY'
import sys
from urllib.parse import urlsplit

url, name = sys.argv[1:3]
parts = urlsplit(url)
# Spelled out: urlunsplit drops the empty host of a socket URL (postgres:///db?host=/run/...).
print(f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else ""))
PY
  )
  # The URL goes through the environment, not the command line, where `ps` would show it.
  cleanups+=("DATABASE_URL=$(printf %q "$url") sqlx database drop -y -f >/dev/null")
  DATABASE_URL=$url sqlx database setup --source "$root/migrations" >/dev/null
  SCRATCH_DATABASE_URL=$url
}

# DATABASE_URL when set; otherwise the embedded PostgreSQL of the makrx command, started for
# this run in a private data folder and stopped when the run ends.
ensure_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "using DATABASE_URL"
    return
  fi
  local dir=".makrx/test-postgres"
  cargo run --quiet --locked -p makrx -- postgres start --data-dir "$dir" > "$MAKRX_CACHE/test-postgres.url"
  DATABASE_URL=$(cat "$MAKRX_CACHE/test-postgres.url")
  export DATABASE_URL
  cleanups+=("cargo run --quiet --locked -p makrx -- postgres stop --data-dir '$dir'")
  echo "embedded PostgreSQL at $DATABASE_URL"
}

# REDIS_URL when set; otherwise a private redis-server on a free port when one is installed.
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then
    echo "using REDIS_URL"
    return
  fi
  local server
  server=$(command -v redis-server || true)
  [ -n "$server" ] || die "the end-to-end tests need Redis: set REDIS_URL, or install redis-server (Debian: apt-get install redis-server)"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$MAKRX_CACHE/test-redis.pid" >/dev/null
  export REDIS_URL="redis://127.0.0.1:$port"
  cleanups+=("kill \$(cat '$MAKRX_CACHE/test-redis.pid')")
  echo "private Redis at $REDIS_URL"
}

# The Python packages the tests use, from PyPI, in the project's virtual environment (which
# dev/check-compose.sh shares): localstripe, the stand-in for Stripe's API (dev/stripe-stand-in.py
# starts it). Its interpreter goes to the tests as MAKRX_PYTHON.
ensure_python_packages() {
  local venv=$MAKRX_CACHE/venv
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$root/dev/requirements.txt" "$venv/requirements.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/dev/requirements.txt"
    cp "$root/dev/requirements.txt" "$venv/requirements.txt"
  fi
  export MAKRX_PYTHON=$venv/bin/python
  "$MAKRX_PYTHON" -c 'import localstripe' && echo "localstripe in $venv"
}

# The browser the end-to-end tests drive (web/e2e/browser.mjs): Debian's Chromium, never one that
# Playwright downloads. Installed here when this is Debian and we are root; otherwise we say how.
ensure_chromium() {
  local chromium=/usr/bin/chromium
  if [ -x "$chromium" ]; then
    "$chromium" --version 2>/dev/null || echo "$chromium"
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$chromium is missing: installing Debian's chromium package (about 80 MB to download, once)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
    [ -x "$chromium" ] || die "apt-get installed chromium, but $chromium is still missing"
    return
  fi
  die "the browser tests need Chromium at $chromium: install Debian's package (sudo apt-get install chromium) and run again"
}
