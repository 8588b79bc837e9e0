#!/usr/bin/env bash
# Runs every Hearth test: pure Core tests, integration tests on a SQLite file and on a real PostgreSQL
# server (started by the test fixture from the PostgreSQL binaries), and browser tests in Chromium.
# Installs what a fresh Debian machine lacks (PostgreSQL server, Chromium, Node.js/npm) when it can,
# and stops with a clear message when it cannot. Nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "hearth test: $*" >&2; exit 1; }
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=0
apt_install() {
  can_install || fail "$1 is missing and cannot be installed here (need root and apt-get): install $2"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  echo "hearth test: installing $2 ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $2 >/dev/null
}

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK"

# PostgreSQL server binaries (initdb, pg_ctl, postgres), used by the integration tests' fixture.
pg_bin="${HEARTH_PG_BIN:-}"
if [ -z "$pg_bin" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    apt_install "PostgreSQL server" "postgresql"
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
fi
[ -x "$pg_bin/initdb" ] && [ -x "$pg_bin/pg_ctl" ] || fail "no initdb/pg_ctl in $pg_bin"
export HEARTH_PG_BIN="$pg_bin"
# initdb refuses to run as root; the fixture then runs the server as this account.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || fail "running as root needs a 'postgres' account for the test server (it comes with the postgresql package)"
  export HEARTH_PG_USER="${HEARTH_PG_USER:-postgres}"
fi

# Chromium for the browser tests.
export HEARTH_CHROMIUM="${HEARTH_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$HEARTH_CHROMIUM" ]; then
  apt_install "Chromium" "chromium"
fi
[ -x "$HEARTH_CHROMIUM" ] || fail "Chromium not found at $HEARTH_CHROMIUM"

# Node.js and npm bring GOV.UK Frontend into the web app's build.
if ! command -v npm >/dev/null 2>&1; then
  apt_install "npm" "nodejs npm"
fi

echo "hearth test: building"
dotnet build Hearth.slnx -c Release -warnaserror -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution Hearth.slnx -c Release --no-build --results-directory "${HEARTH_TEST_RESULTS:-test-results}" 2>&1 | tee "$log" || status=$?

# One plain closing line with the totals over every test assembly.
awk '
  /^[[:space:]]*total:/     { total += $2 }
  /^[[:space:]]*failed:/    { failed += $2 }
  /^[[:space:]]*succeeded:/ { passed += $2 }
  /^[[:space:]]*skipped:/   { skipped += $2 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
if [ "$status" != 0 ]; then
  echo "hearth test: FAILED (exit $status)" >&2
fi
exit "$status"
