#!/usr/bin/env bash
# The production profile (scripts/production_local.py, tests/integration/test_production_profile.py)
# puts Debian's nginx in front of gunicorn and daphne. Install it when it is missing and we may (root
# with apt); otherwise say what to install. On a laptop that is a note (the production-profile test
# then skips with that reason); under HUB_REQUIRE_SERVICES=1 (CI) it is a failure.
set -u
give_up() {
  echo "$1" >&2
  if [ "${HUB_REQUIRE_SERVICES:-}" = "1" ]; then exit 1; fi
  exit 0
}
NGINX=${HUB_NGINX:-}
if [ -n "$NGINX" ] && [ -x "$NGINX" ]; then
  exit 0
fi
for candidate in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx; do
  if [ -x "$candidate" ]; then
    exit 0
  fi
done
if command -v nginx >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx for the production-profile test…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  # nginx-light is enough (proxy, upgrade, static); newer Debian releases only ship `nginx`.
  for package in nginx-light nginx; do
    if apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1; then
      # Only the binary is wanted: the Debian package may start a system nginx on port 80.
      if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
      echo "nginx installed: $(/usr/sbin/nginx -v 2>&1)"
      exit 0
    fi
  done
  give_up "Could not install nginx (nginx-light or nginx) with apt-get; the production-profile test will be skipped."
fi
give_up "Note: nginx is missing (install Debian's 'nginx-light' or 'nginx' package as root, or set HUB_NGINX to its path); the production-profile test will be skipped."
