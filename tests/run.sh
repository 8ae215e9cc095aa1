#!/usr/bin/env bash
# Runs every test of ScoreHub on a fresh machine that has only the .NET SDK and Node.
# Ends with the plain line "N passed, N failed, N skipped" and keeps dotnet test's exit code.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Browser tests (live feed, web tracking) drive Debian's Chromium through Playwright; the npm packages the host
# and the Segment client tests need are installed by their build and fixture.
bash tests/prepare-browser.sh || echo "warning: chromium could not be installed; browser tests will fail"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! dotnet build ScoreHub.sln -c Release -nologo -v quiet > "$log" 2>&1; then
  cat "$log"
  echo "Build failed."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test ScoreHub.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

awk '
  /^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:")  f += $(i+1)
      if ($i == "Passed:")  p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit "$status"
