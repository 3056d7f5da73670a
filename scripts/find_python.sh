#!/usr/bin/env bash
# Print the path of a Python interpreter of the given version (e.g. 3.12): python3.12 on PATH
# if it runs, else pyenv's installation of it. Exit 1 with a hint when neither exists.
set -euo pipefail
version="${1:?usage: scripts/find_python.sh 3.12}"
if command -v "python$version" >/dev/null 2>&1 && "python$version" -c "" >/dev/null 2>&1; then
  command -v "python$version"
  exit 0
fi
if command -v pyenv >/dev/null 2>&1 && prefix="$(pyenv prefix "$version" 2>/dev/null)"; then
  echo "$prefix/bin/python"
  exit 0
fi
echo "find_python: no Python $version found; install it (e.g. 'pyenv install $version')" >&2
exit 1
