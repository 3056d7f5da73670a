#!/usr/bin/env bash
# Run the test suite in a virtual environment of its own: another Python, Django or DOT.
# Usage: scripts/test_in_venv.sh NAME PYTHON_VERSION [REQUIREMENT ...]
#   e.g. scripts/test_in_venv.sh django61 3.13 "Django>=6.1,<6.2"
# The environment is .venv-NAME, rebuilt when pyproject.toml or the requirements change.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/test_in_venv.sh NAME PYTHON_VERSION [REQUIREMENT ...]}"
version="${2:?usage: scripts/test_in_venv.sh NAME PYTHON_VERSION [REQUIREMENT ...]}"
shift 2
venv=".venv-$name"
stamp="$venv/.installed"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) $*"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  python="$(scripts/find_python.sh "$version")"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e ".[dev]" "$@"
  echo "$wanted" > "$stamp"
fi
"$venv/bin/python" -c "import sys, django, oauth2_provider; print(f'== Python {sys.version.split()[0]}, Django {django.__version__}, django-oauth-toolkit {oauth2_provider.__version__}')"
scripts/ensure_chromium.sh
scripts/services.sh
exec "$venv/bin/python" -m pytest ${PYTEST_ARGS:-}
