#!/usr/bin/env bash
# Materialise every file listed in test/real-world/corpus/*.json (judged files and context files)
# from the fetched mirrors into <corpus root>/<owner>+<name>/<path>, at the recorded commit.
#
# usage: test/real-world/materialise.sh [mirrors-root (default /work/.mirror)] [corpus-root (default /work/corpus)]
#
# A mirror is looked up as <mirrors-root>/<owner>+<name>/repo (a bare git dir) or .../repo/.git.
# Repositories whose mirror is missing, commits the mirror lacks, and paths absent at the commit are
# reported on stderr and skipped; the exit status is 1 when anything was skipped.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mirrors=${1:-/work/.mirror}
corpus=${2:-/work/corpus}
command -v jq >/dev/null || { echo "materialise: jq is required" >&2; exit 2; }
shopt -s nullglob
lists=("$here"/corpus/*.json)
[[ ${#lists[@]} -gt 0 ]] || { echo "materialise: no corpus JSON in $here/corpus" >&2; exit 2; }
skipped=0 written=0
while IFS=$'\t' read -r repo commit path; do
  name=${repo/\//+}
  gitdir="$mirrors/$name/repo"
  [[ -d "$gitdir/.git" ]] && gitdir="$gitdir/.git"
  if ! git --git-dir="$gitdir" rev-parse --git-dir >/dev/null 2>&1; then
    echo "materialise: $repo: no mirror at $mirrors/$name (fetch github:$repo first); skipped $path" >&2
    skipped=$((skipped + 1)); continue
  fi
  if ! git --git-dir="$gitdir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "materialise: $repo: commit $commit not in the mirror; skipped $path" >&2
    skipped=$((skipped + 1)); continue
  fi
  out="$corpus/$name/$path"
  mkdir -p "$(dirname "$out")"
  if git --git-dir="$gitdir" show "$commit:$path" >"$out" 2>/dev/null; then
    written=$((written + 1))
  else
    rm -f "$out"
    echo "materialise: $repo: $path not found at $commit; skipped" >&2
    skipped=$((skipped + 1))
  fi
done < <(jq -r '.[] | .repo as $r | .commit as $c | ((.files[].path), (.context // [])[]) | [$r, $c, .] | @tsv' "${lists[@]}" | sort -u)
echo "materialise: wrote $written files under $corpus, skipped $skipped" >&2
[[ $skipped -eq 0 ]]
