#!/usr/bin/env bash
# Install the real MCP clients that tests/integration drives (pytest -m clients) and the peer server that
# bench/ measures against (@clerk/agent-toolkit 0.3.15 with @clerk/backend 3.20.1: the newest backend needs
# a dependency this registry lacks), pinned to versions that run on Node 20, into .ci/clients (gitignored;
# CLERK_MCP_CLIENTS_DIR overrides). Does nothing when they are already there at these versions. CI
# (.ci/run) calls it before the test command.
set -euo pipefail
cd "$(dirname "$0")/../.."
PREFIX="${CLERK_MCP_CLIENTS_DIR:-.ci/clients}"
PACKAGES=(
  @anthropic-ai/claude-code@2.1.197
  @openai/codex@0.169.0
  @google/gemini-cli@0.61.0
  @modelcontextprotocol/inspector@0.15.0
  @clerk/agent-toolkit@0.3.15
  @clerk/backend@3.20.1
  mcp-remote@0.15.1
)

installed() {
  local spec file
  for spec in "${PACKAGES[@]}"; do
    file="$PREFIX/node_modules/${spec%@*}/package.json"  # @scope/name@version → @scope/name
    [[ -f "$file" ]] || return 1
    [[ "$(node -p 'require(process.argv[1]).version' "$file")" == "${spec##*@}" ]] || return 1
  done
}

command -v npm >/dev/null || { echo "install_clients.sh: npm not found (Node 20 + npm are needed)" >&2; exit 1; }
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
exec 9>"$PREFIX/.install.lock"
command -v flock >/dev/null && flock 9  # parallel runs wait for one install
if installed; then
  echo "install_clients.sh: clients already installed in $PREFIX"
  exit 0
fi
start=$SECONDS
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "${PACKAGES[@]}"
installed || { echo "install_clients.sh: npm did not install the pinned versions into $PREFIX" >&2; exit 1; }
echo "install_clients.sh: installed ${PACKAGES[*]} in $PREFIX in $((SECONDS - start))s"
