#!/usr/bin/env bash
# Back up a production Hub: the PostgreSQL database (pg_dump --format=custom) and the uploaded files
# (MEDIA_ROOT and django-filer's private storage, which lives outside MEDIA_ROOT: ../smedia/ by default),
# with a manifest (row counts per table, sha256 of every file, app version) that restore.sh checks.
# README, "Backup and restore".
set -euo pipefail
umask 077  # a backup holds personal data (families' contacts, student cases): owner-only files

usage() {
  cat <<'EOF'
Usage: scripts/backup.sh DEST_DIR
       HUB_BACKUP_DIR=DEST_DIR scripts/backup.sh

Writes DEST_DIR/hub-<UTC timestamp>/ containing
  database.dump        pg_dump --format=custom of DATABASE_URL's database
  <name>.tar           one tar per file store (media = MEDIA_ROOT, filer_private, ...)
  files-<name>.sha256  sha256 of every file in that store (sha256sum -c format)
  manifest.txt         app version, row count of every table, file stores
  checksums.sha256     sha256 of the files above

Reads the same environment as the Hub (DATABASE_URL, MEDIA_ROOT, SECRET_KEY, ...): run it where the
Hub runs, with the Hub's environment. DATABASE_URL must be PostgreSQL; for a SQLite laptop install
use: sqlite3 db.sqlite3 ".backup backup.sqlite3" (README, "Backup and restore").
EOF
}

die() { echo "backup: $*" >&2; exit 1; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  -*) usage >&2; die "unknown option $1" ;;
esac
[ "$#" -le 1 ] || { usage >&2; die "too many arguments"; }
DEST=${1:-${HUB_BACKUP_DIR:-}}
[ -n "$DEST" ] || { usage >&2; die "name a destination folder (argument or HUB_BACKUP_DIR)"; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3) || die "no Python found (set PYTHON)"
for tool in pg_dump psql tar sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install postgresql-client tar coreutils)"
done

DATABASE_URL=${DATABASE_URL:-}
case "$DATABASE_URL" in
  postgres://*|postgresql://*|pgsql://*) ;;
  "") die "DATABASE_URL is not set: this script backs up a PostgreSQL Hub. SQLite laptop install: sqlite3 db.sqlite3 \".backup backup.sqlite3\" and copy media/ and smedia/." ;;
  sqlite:*) die "DATABASE_URL is SQLite: use sqlite3 <file> \".backup backup.sqlite3\" and copy media/ and smedia/ (README, \"Backup and restore\")." ;;
  *) die "DATABASE_URL is not a PostgreSQL URL: ${DATABASE_URL%%://*}://..." ;;
esac
# libpq understands postgres:// and postgresql:// URLs; drop Django-only query options.
PG_URL="postgresql://${DATABASE_URL#*://}"
PG_URL=${PG_URL%%\?*}

# Where the files are, asked of Django itself (scripts/file_stores.py), so that MEDIA_ROOT and
# FILER_STORAGES are read exactly as the Hub reads them: "store <name> <absolute path>" lines.
stores() { (cd "$ROOT" && "$PYTHON" scripts/file_stores.py "$@"); }

STORE_LINES=$(stores) || die "could not read the Hub settings (is the Hub's environment set? see the error above)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$DEST"
OUT=$(cd "$DEST" && pwd)/hub-$STAMP
[ ! -e "$OUT" ] || die "$OUT already exists"
mkdir "$OUT"
trap 'status=$?; if [ $status -ne 0 ]; then rm -rf "$OUT"; echo "backup: failed, removed $OUT" >&2; fi' EXIT

APP_VERSION=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
{
  echo "# Home Visit Hub backup (scripts/backup.sh); restore with scripts/restore.sh $OUT"
  echo "format 1"
  echo "created $STAMP"
  echo "app_version $APP_VERSION"
  echo "pg_dump $(pg_dump --version)"
} > "$OUT/manifest.txt"

# The dump and the row counts come from ONE snapshot: a repeatable-read transaction exports it, counts
# every table, and pg_dump --snapshot dumps exactly that state while the site keeps running.
export HUB_DUMP_FILE="$OUT/database.dump" HUB_DUMP_RC="$OUT/.dump-rc" HUB_PG_URL="$PG_URL"
psql -X -q -tA -F ' ' -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null <<'SQL' || die "psql failed (see above)"
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT current_database() AS dbname, pg_export_snapshot() AS snap \gset
\setenv HUB_SNAPSHOT :snap
\o | sed 's/^/table /' >> "$HUB_DUMP_FILE.counts"
SELECT format('SELECT %L, count(*) FROM %I.%I', schemaname || '.' || tablename, schemaname, tablename)
  FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 \gexec
\o
\! pg_dump --format=custom --snapshot="$HUB_SNAPSHOT" --file="$HUB_DUMP_FILE" "$HUB_PG_URL"; echo $? > "$HUB_DUMP_RC"
COMMIT;
SQL
[ "$(cat "$OUT/.dump-rc" 2>/dev/null)" = "0" ] || die "pg_dump failed (see above)"
rm -f "$OUT/.dump-rc"
TABLES=$(grep -c '^table ' "$HUB_DUMP_FILE.counts" || true)
[ "$TABLES" -gt 0 ] || die "the database has no tables: nothing to back up"
cat "$HUB_DUMP_FILE.counts" >> "$OUT/manifest.txt"
rm -f "$HUB_DUMP_FILE.counts"
echo "database $(basename "${PG_URL##*/}") ($TABLES tables) -> database.dump"

FILES_TOTAL=0
while read -r kind name path; do
  case "$kind" in
    warning) echo "backup: warning: $name $path" >&2; continue ;;
    store) ;;
    *) continue ;;
  esac
  echo "store $name $path" >> "$OUT/manifest.txt"
  if [ -d "$path" ]; then
    (cd "$path" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$OUT/files-$name.sha256"
    tar -C "$path" -cf "$OUT/$name.tar" .
  else
    : > "$OUT/files-$name.sha256"
    tar -cf "$OUT/$name.tar" --files-from /dev/null
  fi
  count=$(wc -l < "$OUT/files-$name.sha256")
  FILES_TOTAL=$((FILES_TOTAL + count))
  echo "files $name $count" >> "$OUT/manifest.txt"
  echo "files $name: $count from $path -> $name.tar"
done <<< "$STORE_LINES"

(cd "$OUT" && sha256sum database.dump ./*.tar files-*.sha256 manifest.txt | sed 's#  \./#  #') > "$OUT/checksums.sha256"
trap - EXIT
echo "backup complete: $TABLES tables, $FILES_TOTAL files, app version $APP_VERSION"
echo "$OUT"
