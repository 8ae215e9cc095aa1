#!/usr/bin/env bash
# Builds ScoreHub (host and first-party plugins) and runs it with the embedded LiteDB store in ./data and a live
# demo workspace. The demo's keys are printed at start. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build ScoreHub.sln -c Release -v quiet -nologo

exec dotnet run --project host/ScoreHub.Host -c Release --no-build --no-launch-profile -- \
  --urls "${SCOREHUB_URLS:-http://localhost:5080}" \
  --ScoreHub:DataDirectory="${SCOREHUB_DATA:-$PWD/data}" \
  --ScoreHub:PluginsDirectory="$PWD/artifacts/plugins" \
  --ScoreHub:Demo=true
