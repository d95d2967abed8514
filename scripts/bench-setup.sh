#!/usr/bin/env bash
# Fetches what the benchmarks read that the repo does not hold: GitHub's REST spec, from the
# npm package `@octokit/openapi` (pinned), installed into .tools/bench (never globally).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="23.0.2"
prefix="$root/.tools/bench"
spec="$prefix/node_modules/@octokit/openapi/generated/api.github.com.json"
if [ -f "$spec" ] && grep -q "\"version\": \"$version\"" "$prefix/node_modules/@octokit/openapi/package.json"; then
  echo "$spec"
  exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@octokit/openapi@$version" >&2
echo "$spec"
