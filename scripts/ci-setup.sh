#!/usr/bin/env bash
# Installs the system packages the test suites need when they are missing: the PostgreSQL
# server (tests start throwaway servers as the postgres user) and Chromium (dashboard tests).
set -euo pipefail

need=()
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null && ! command -v initdb > /dev/null; then
  need+=(postgresql)
fi
if ! command -v chromium > /dev/null; then
  need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "ci-setup: missing ${need[*]}; install them (Debian packages) or run as root" >&2
    exit 1
  fi
  echo "ci-setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi
if ! id postgres > /dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
fi
echo "ci-setup: ok"
