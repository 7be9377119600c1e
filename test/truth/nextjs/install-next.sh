#!/usr/bin/env bash
# Installs the real Next.js the truth suite builds against, OUTSIDE the repo and cached by version:
#   ${CORS_LENS_CACHE:-$HOME/.cache/cors-lens}/next-<v>/node_modules
# NOTE: next is not a devDependency because this registry lacks its darwin/win32 swc builds, which
# makes `npm ci` refuse the lockfile; a plain `npm install` in a scratch folder skips them.
# Prints the node_modules folder on stdout (logs go to stderr).
set -euo pipefail
NEXT_VERSION=16.4.6
REACT_VERSION=19.3.1
root="${CORS_LENS_CACHE:-$HOME/.cache/cors-lens}"
dest="$root/next-$NEXT_VERSION"
work=""
child=""
# A failed or interrupted install stops npm and removes its scratch folder instead of leaving it in the cache.
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ ! -f "$dest/.complete" ]; then
  mkdir -p "$root"
  # Scratch folders of runs killed outright (SIGKILL skips the trap) are never reused.
  find "$root" -maxdepth 1 -name '.install-*' -type d -mmin +120 -exec rm -rf {} + 2>/dev/null || true
  work="$(mktemp -d "$root/.install-XXXXXX")"
  echo '{"name":"cors-lens-next-scratch","private":true}' >"$work/package.json"
  echo "install-next: installing next@$NEXT_VERSION into $dest" >&2
  # Waited for in the background, so a TERM runs the trap at once.
  (cd "$work" && exec npm install --no-audit --no-fund --no-save --loglevel=error \
    "next@$NEXT_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >&2) &
  child=$!
  wait "$child"
  child=""
  touch "$work/.complete"
  rm -rf "$dest"
  mv "$work" "$dest"
  work=""
fi
test -f "$dest/node_modules/next/package.json"
echo "$dest/node_modules"
