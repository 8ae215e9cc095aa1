#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium at /usr/bin/chromium (driven by Playwright's bundled
# driver through ExecutablePath; no browser download). Idempotent: does nothing when chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd="sudo"
fi

$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq chromium > /dev/null
/usr/bin/chromium --version
