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
if [ ! -f "$dest/.complete" ]; then
  mkdir -p "$root"
  work="$(mktemp -d "$root/.install-XXXXXX")"
  echo '{"name":"cors-lens-next-scratch","private":true}' >"$work/package.json"
  echo "install-next: installing next@$NEXT_VERSION into $dest" >&2
  (cd "$work" && npm install --no-audit --no-fund --no-save --loglevel=error \
    "next@$NEXT_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >&2)
  touch "$work/.complete"
  rm -rf "$dest"
  mv "$work" "$dest"
fi
test -f "$dest/node_modules/next/package.json"
echo "$dest/node_modules"
