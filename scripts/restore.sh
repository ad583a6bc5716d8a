#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY PostgreSQL database and empty file stores,
# then check the result against the backup's manifest (row count of every table, sha256 of every file).
# README, "Backup and restore".
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/restore.sh [--force] BACKUP_DIR [TARGET_DATABASE_URL]

  BACKUP_DIR           a folder written by scripts/backup.sh (hub-<timestamp>/)
  TARGET_DATABASE_URL  the database to restore into (default: $DATABASE_URL). It must exist and be
                       empty: create it first, e.g. createdb -h HOST -U USER hub_restored
  --force              restore even if the database has tables or the file stores hold files:
                       objects in the backup are dropped and recreated, files are overwritten

The files go where the Hub in this environment keeps them (MEDIA_ROOT, filer's private storage),
read from the same settings the Hub reads. Without --force nothing is changed unless the database
and the file stores are empty.
EOF
}

die() { echo "restore: $*" >&2; exit 1; }

FORCE=0
ARGS=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --force) FORCE=1 ;;
    -*) usage >&2; die "unknown option $arg" ;;
    *) ARGS+=("$arg") ;;
  esac
done
[ "${#ARGS[@]}" -ge 1 ] || { usage >&2; die "name the backup folder"; }
[ "${#ARGS[@]}" -le 2 ] || { usage >&2; die "too many arguments"; }
BACKUP=${ARGS[0]}
TARGET=${ARGS[1]:-${DATABASE_URL:-}}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3) || die "no Python found (set PYTHON)"
for tool in pg_restore psql tar sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install postgresql-client tar coreutils)"
done

[ -d "$BACKUP" ] || die "$BACKUP is not a folder"
BACKUP=$(cd "$BACKUP" && pwd)
for f in manifest.txt database.dump checksums.sha256; do
  [ -f "$BACKUP/$f" ] || die "$BACKUP is not a Hub backup: $f is missing"
done
(cd "$BACKUP" && sha256sum -c --quiet checksums.sha256) \
  || die "the backup in $BACKUP is damaged: a file does not match checksums.sha256; nothing was changed"

case "$TARGET" in
  postgres://*|postgresql://*|pgsql://*) ;;
  "") usage >&2; die "name the target database (argument or DATABASE_URL)" ;;
  *) die "the target must be a PostgreSQL URL (postgres://user@host:5432/name)" ;;
esac
PG_URL="postgresql://${TARGET#*://}"
PG_URL=${PG_URL%%\?*}
DBNAME=${PG_URL##*/}
export DATABASE_URL=$TARGET  # the settings the file stores are read from describe the restored Hub

TABLES_NOW=$(psql -X -q -tA -v ON_ERROR_STOP=1 "$PG_URL" -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || die "cannot connect to database $DBNAME (does it exist? create it first: createdb $DBNAME); nothing was changed"

# Where this environment keeps each file store the backup holds.
STORE_LINES=$(cd "$ROOT" && "$PYTHON" scripts/file_stores.py --all) \
  || die "could not read the Hub settings (is the Hub's environment set? see the error above); nothing was changed"
declare -A TARGET_DIR=()
while read -r kind name path; do
  if [ "$kind" = store ]; then TARGET_DIR[$name]=$path; fi
done <<< "$STORE_LINES"

STORES=()
while read -r kind name _; do
  [ "$kind" = store ] || continue
  [ -n "${TARGET_DIR[$name]:-}" ] || die "the backup has a file store '$name' that this Hub's settings do not have; nothing was changed"
  [ -f "$BACKUP/$name.tar" ] || die "$BACKUP/$name.tar is missing; nothing was changed"
  STORES+=("$name")
done < "$BACKUP/manifest.txt"

if [ "$FORCE" != 1 ]; then
  [ "$TABLES_NOW" = 0 ] || die "database $DBNAME is not empty ($TABLES_NOW tables): restore into an empty database, or pass --force to replace its contents; nothing was changed"
  for name in "${STORES[@]}"; do
    dir=${TARGET_DIR[$name]}
    if [ -d "$dir" ] && [ -n "$(find "$dir" -type f ! -name .gitkeep -print -quit)" ]; then
      die "$dir ($name) already holds files: restore into empty file stores, or pass --force to overwrite; nothing was changed"
    fi
  done
fi

echo "restoring $BACKUP"
grep '^app_version\|^created' "$BACKUP/manifest.txt" | sed 's/^/  backup /'

# One transaction: a failure leaves the database as it was. --no-owner/--no-privileges: the objects
# belong to the user restoring them (the Hub's database user), whoever owned them before.
RESTORE_OPTS=(--no-owner --no-privileges --exit-on-error --single-transaction)
[ "$FORCE" = 1 ] && RESTORE_OPTS+=(--clean --if-exists)
pg_restore "${RESTORE_OPTS[@]}" --dbname="$PG_URL" "$BACKUP/database.dump" \
  || die "pg_restore failed (see above); the database was left as it was"
echo "  database $DBNAME restored"

for name in "${STORES[@]}"; do
  dir=${TARGET_DIR[$name]}
  mkdir -p "$dir"
  tar -C "$dir" -xf "$BACKUP/$name.tar"
  echo "  files $name -> $dir"
done

# Verify against the manifest.
problems=0
expected=$(grep '^table ' "$BACKUP/manifest.txt" | sort)
actual=$( { grep '^table ' "$BACKUP/manifest.txt" | awk '{print $2}' | while read -r qualified; do
  schema=${qualified%%.*}; table=${qualified#*.}
  printf "SELECT 'table %s ' || count(*) FROM \"%s\".\"%s\";\n" "$qualified" "${schema//\"/\"\"}" "${table//\"/\"\"}"
done; } | psql -X -q -tA -v ON_ERROR_STOP=1 "$PG_URL" | sort) || { echo "restore: could not count rows" >&2; actual=""; }
TABLES=$(printf '%s\n' "$expected" | grep -c '^table ' || true)
if [ "$expected" = "$actual" ]; then
  echo "  check: $TABLES tables, row counts match the manifest"
else
  problems=$((problems + 1))
  echo "restore: row counts differ from the manifest (- backup, + restored):" >&2
  diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | grep '^[<>]' | sed 's/^</-/; s/^>/+/' >&2 || true
fi

FILES=0
for name in "${STORES[@]}"; do
  dir=${TARGET_DIR[$name]}
  n=$(wc -l < "$BACKUP/files-$name.sha256")
  FILES=$((FILES + n))
  if [ "$n" -gt 0 ] && ! (cd "$dir" && sha256sum -c --quiet "$BACKUP/files-$name.sha256"); then
    problems=$((problems + 1))
    echo "restore: files in $dir differ from the backup (listed above)" >&2
  fi
done
[ "$problems" = 0 ] || die "the restore does NOT match the backup ($problems problems above)"
echo "  check: $FILES files, sha256 match the manifest"

NOW=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
BACKED=$(awk '$1 == "app_version" {print $2}' "$BACKUP/manifest.txt")
if [ "$NOW" != "$BACKED" ]; then
  echo "  note: the backup was made by app version $BACKED, this checkout is $NOW: run 'manage.py migrate' before starting the Hub"
fi
echo "restore complete: database $DBNAME, $TABLES tables, $FILES files, all checked"
