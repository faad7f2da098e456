#!/usr/bin/env bash
# Install what the tests need (Debian packages, a virtualenv) and run them.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS="fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai redis-server postgresql"
missing=""
for deb in $DEBS; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  else
    echo "missing Debian packages:$missing (run: sudo apt-get install$missing)" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[service,samples,dev]'

.venv/bin/ruff check .
.venv/bin/mypy schemas extractors bench worker
.venv/bin/python -m pytest -q "$@"
