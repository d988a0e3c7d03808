# Sourced by run.sh and test.sh: Python packages in .venv and bun for Reflex's frontend build.
# Installs only what is missing or changed, so a second start is quick.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the Python environment (.venv)"
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate

stamp=.venv/.requirements.sha
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> Installing Python packages (requirements.txt)"
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi

BUN_VERSION=1.4.4
if [ ! -x .tools/node_modules/.bin/bun ]; then
  echo "==> Installing bun $BUN_VERSION from the npm registry (.tools)"
  npm install --silent --prefix .tools "bun@$BUN_VERSION" >/dev/null
fi
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
