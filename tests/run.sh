#!/usr/bin/env bash
# Runs every test of ScoreHub on a fresh machine that has only the .NET SDK and Node.
# Ends with the plain line "N passed, N failed, N skipped" and keeps dotnet test's exit code; a formatting
# difference (dotnet format --verify-no-changes) counts as one more failure and makes the exit code non-zero.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Browser tests (live feed, web tracking) drive Debian's Chromium through Playwright; the npm packages the host
# and the Segment client tests need are installed by their build and fixture.
bash tests/prepare-browser.sh || echo "warning: chromium could not be installed; browser tests will fail"

log=$(mktemp)
coverage=$(mktemp -d)
trap 'rm -rf "$log" "$coverage"' EXIT

# The solution, and the samples outside it that a newcomer copies (samples/Acme.Webinars is built by its own test).
for project in ScoreHub.sln samples/FeedConsole/FeedConsole.csproj; do
  if ! dotnet build "$project" -c Release -nologo -v quiet > "$log" 2>&1; then
    cat "$log"
    echo "Build of $project failed."
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
done

# Formatting, as `dotnet format ScoreHub.sln` would leave it (whitespace, code style and analyzers; offline).
format_failed=0
format_start=$SECONDS
if ! dotnet format ScoreHub.sln --verify-no-changes --no-restore -v quiet > "$log" 2>&1; then
  cat "$log"
  echo "Formatting differs: run 'dotnet format ScoreHub.sln' and commit the result."
  format_failed=1
fi
echo "Format check: $((SECONDS - format_start)) s"

dotnet test ScoreHub.sln -c Release --no-build --collect "XPlat Code Coverage" --results-directory "$coverage" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Line coverage of all test projects together: a line counts once (by file and number), covered if any run hit it.
# (The file names are a temporary folder and GUIDs: no spaces. /dev/null keeps awk off stdin when there are none.)
awk '
  /<class / { match($0, /filename="[^"]*"/); file = substr($0, RSTART + 10, RLENGTH - 11) }
  /<line / && /hits="/ {
    match($0, /number="[0-9]+"/); line = substr($0, RSTART + 8, RLENGTH - 9)
    match($0, /hits="[0-9]+"/); hits = substr($0, RSTART + 6, RLENGTH - 7)
    lines[file ":" line] = 1
    if (hits > 0) covered[file ":" line] = 1
  }
  END {
    for (l in lines) total++
    for (l in covered) hit++
    if (total > 0) printf "Line coverage: %.1f%% (%d of %d lines)\n", 100 * hit / total, hit, total
    else print "Line coverage: no coverage reports found"
  }
' /dev/null $(find "$coverage" -name coverage.cobertura.xml)

awk -v format_failed="$format_failed" '
  /^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:")  f += $(i+1)
      if ($i == "Passed:")  p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f + format_failed, s }
' "$log"
if [ "$status" -eq 0 ] && [ "$format_failed" -ne 0 ]; then
  status=1
fi
exit "$status"
