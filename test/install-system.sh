#!/usr/bin/env bash
# Debian packages the truth suites use: real Chromium and real framework servers.
set -euo pipefail
packages=(chromium python3-django python3-django-cors-headers python3-fastapi python3-starlette python3-uvicorn ruby ruby-rack-cors ruby-rails puma python3-flask python3-flask-cors python3-aiohttp-cors python3-falcon ruby-sinatra php-cli pcre2-utils python3-yaml python3-dotenv python3-tornado pre-commit nginx-light libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # Packages such as nginx start a system service on install (port 80); the tests run their own
  # servers on loopback, so keep services from starting while we install.
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
    $sudo_cmd chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ "$added_policy" = 1 ] && $sudo_cmd rm -f /usr/sbin/policy-rc.d
  exit "$status"
fi
