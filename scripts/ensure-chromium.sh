#!/usr/bin/env bash
# The browser tests drive Debian's chromium. Install it when it is missing and we may (root with apt);
# otherwise say so: the browser tests then skip with that reason (and fail under HUB_REQUIRE_SERVICES=1).
set -u
CHROMIUM=${HUB_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-liberation >/dev/null \
    && { echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null)"; exit 0; }
  echo "Could not install chromium with apt-get; browser tests will be skipped." >&2
  exit 0
fi
echo "Note: $CHROMIUM is missing (install Debian's 'chromium' package); browser tests will be skipped." >&2
exit 0
