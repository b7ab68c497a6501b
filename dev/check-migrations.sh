#!/usr/bin/env bash
# Migrations are append-only. A database that has applied a migration keeps its checksum, and
# sqlx refuses to start against it once the file differs; so a migration that has landed is
# never edited, renamed or deleted: a change is a new migration. migrations.sum, at the
# repository root, holds the sha256 of every landed migration (sha256sum's format), and this
# check fails, naming the file, when:
#   - a listed migration changed or is gone;
#   - a file in migrations/ is not listed (`--add` appends it, once it is final);
#   - a new migration's version is not after the last listed one: sqlx applies what a
#     database lacks in version order, so one dated before a landed migration would run
#     after it on every database that already has that one, and first on a fresh one;
#   - the list itself was rewritten: when the base branch is known (MIGRATIONS_BASE, by
#     default origin/main), migrations.sum as it is at the merge base must begin the
#     current one unchanged.
#
#   dev/check-migrations.sh          check
#   dev/check-migrations.sh --add    append the unlisted migrations to migrations.sum, then check
#
# `--add` only appends; it never rewrites a line that is already there.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sums=$repo/migrations.sum
base_ref=${MIGRATIONS_BASE:-origin/main}
export LC_ALL=C

fail() {
  echo "check-migrations: $*" >&2
  exit 1
}

add=false
case "${1:-}" in
  "") ;;
  --add) add=true ;;
  *) fail "unknown argument $1 (usage: dev/check-migrations.sh [--add])" ;;
esac

[[ -d $repo/migrations ]] || fail "no migrations/ folder in $repo"
[[ -f $sums ]] || fail "no $sums: it lists the sha256 of every migration that has landed"

# The version sqlx orders by: the digits before the first `_` of the file name.
version() {
  local name=${1##*/}
  [[ $name =~ ^([0-9]+)_ ]] || return 1
  echo "$((10#${BASH_REMATCH[1]}))"
}

# migrations.sum as parallel arrays: listed[i] is a path under the repository, sum[i] its hash.
listed=()
sum=()
line_no=0
while IFS= read -r line || [[ -n $line ]]; do
  line_no=$((line_no + 1))
  [[ $line =~ ^([0-9a-f]{64})\ \ (migrations/[^/]+)$ ]] \
    || fail "migrations.sum line $line_no is not \`<sha256>  migrations/<file>\`: $line"
  sum+=("${BASH_REMATCH[1]}")
  listed+=("${BASH_REMATCH[2]}")
done < "$sums"

last_version=-1
last_listed=""
for path in "${listed[@]}"; do
  v=$(version "$path") || fail "migrations.sum lists $path, which has no \`<version>_\` prefix"
  if ((v > last_version)); then
    last_version=$v
    last_listed=$path
  fi
done

is_listed() {
  local path
  for path in "${listed[@]}"; do
    [[ $path == "$1" ]] && return 0
  done
  return 1
}

unlisted=()
while IFS= read -r -d '' file; do
  path=migrations/${file##*/}
  is_listed "$path" || unlisted+=("$path")
done < <(find "$repo/migrations" -mindepth 1 -maxdepth 1 -type f -print0 | sort -z)

problems=()

# A new migration comes after every listed one (with --add, after those appended before it).
check_order() {
  local path=$1 v
  if ! v=$(version "$path"); then
    problems+=("$path has no \`<version>_\` prefix: sqlx cannot order it (\`sqlx migrate add <name>\` makes a well-named file)")
    return 1
  fi
  if ((v <= last_version)); then
    problems+=("$path (version $v) does not come after $last_listed (version $last_version), the latest listed: give it a later version (\`sqlx migrate add <name>\` dates it now), or sqlx would apply it out of order")
    return 1
  fi
}

# All or nothing: the unlisted migrations are appended only when every one of them may be.
if $add; then
  appended=()
  for path in "${unlisted[@]}"; do
    if check_order "$path"; then
      appended+=("$(sha256sum "$repo/$path" | cut -d' ' -f1)  $path")
      last_version=$(version "$path")
      last_listed=$path
    fi
  done
  if ((${#problems[@]} == 0 && ${#appended[@]})); then
    [[ -z $(tail -c 1 "$sums") ]] || echo >> "$sums"
    printf '%s\n' "${appended[@]}" >> "$sums"
    for line in "${appended[@]}"; do
      listed+=("${line#*  }")
      sum+=("${line%%  *}")
      echo "check-migrations: appended ${line#*  } to migrations.sum: commit both together; from now on it is never edited"
    done
  fi
  unlisted=()
fi

for i in "${!listed[@]}"; do
  path=${listed[$i]}
  if [[ ! -f $repo/$path ]]; then
    problems+=("$path has landed and is gone: databases that applied it refuse to start; restore it as it is on main")
    continue
  fi
  now=$(sha256sum "$repo/$path" | cut -d' ' -f1)
  if [[ $now != "${sum[$i]}" ]]; then
    problems+=("$path changed after it landed (sha256 ${sum[$i]:0:12}... in migrations.sum, ${now:0:12}... now): databases that applied it refuse to start; restore it as it is on main and make the change in a new migration")
  fi
done

for path in "${unlisted[@]}"; do
  check_order "$path" || continue
  problems+=("$path is not in migrations.sum: once it is final, run \`dev/check-migrations.sh --add\` and commit migrations.sum with it")
done

# The list is append-only too: what had landed at the merge base still heads it, unchanged.
if git -C "$repo" rev-parse --verify --quiet "$base_ref^{commit}" > /dev/null 2>&1; then
  if merge_base=$(git -C "$repo" merge-base HEAD "$base_ref") \
    && landed=$(git -C "$repo" show "$merge_base:migrations.sum" 2> /dev/null); then
    landed_lines=$(printf '%s\n' "$landed" | wc -l)
    if [[ $(head -n "$landed_lines" "$sums") != "$landed" ]]; then
      problems+=("migrations.sum no longer begins with its $landed_lines lines as they are on $base_ref (merge base ${merge_base:0:12}): lines are only ever appended; restore them (git show $merge_base:migrations.sum)")
    fi
  fi
fi

if ((${#problems[@]})); then
  echo "check-migrations: ${#problems[@]} problem(s) in migrations/ (migrations are append-only):" >&2
  for problem in "${problems[@]}"; do
    echo "  - $problem" >&2
  done
  exit 1
fi
echo "check-migrations: ${#listed[@]} migrations, each as it landed (migrations.sum)"
