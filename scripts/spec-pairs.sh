#!/usr/bin/env bash
# Spec pairs: two published versions of the same real API, for exercising `diff OLD NEW`.
# Each pair comes from an npm package that ships the API's OpenAPI document. The tarballs
# are fetched from the registry at run time, checked against the npm integrity (sha512)
# pinned below, and only the spec file is kept:
#
#   ${CARGO_TARGET_DIR:-target}/spec-pairs/<api>/<version>.<json|yaml>
#
# A spec already there is not downloaded again. One line per pair goes to stdout:
#
#   <api> OLD_PATH NEW_PATH
#
# Progress and errors go to stderr.
#
# Usage:
#   scripts/spec-pairs.sh                 # every pair
#   scripts/spec-pairs.sh github figma    # only the named pairs
#   while read -r api old new; do cargo run -q -- diff "$old" "$new"; done < <(scripts/spec-pairs.sh)
#
# Needs: curl, tar, openssl (or sha512sum + xxd), and npm for the tarball URL (without npm
# the registry's standard URL is used).
set -euo pipefail

# One pair a line, whitespace separated:
#   api  package  old-version  new-version  spec-path-in-package  old-integrity  new-integrity
# The spec's extension (.json/.yaml) is taken from spec-path.
PAIRS='
github     @octokit/openapi      22.0.0  23.0.2  generated/api.github.com.json  sha512-Rpif7FjTjFEBSU+amIRHUAIAHwgg+tVJdTiQuU2GEWDniZxmWjxZCgJ4V9GEp2GXnq/Bl+TrjEvwAl9PB29NAQ==  sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==
blockfrost @blockfrost/openapi   0.1.73  0.1.93  openapi.yaml                   sha512-VsCzTVUKWNagIAHTtSAnsgPKsJ6uVvm/t7eth8YVaKK0MSsvQ7TPGEwobLN8hqNfaO20NDTz0L53A1kB+1V0ww==  sha512-gC0NOZk+9MSa5aK846gbcU12VqbZwzVpZmgO6314e9ExJo9g3QsMmniplewOhI5fJQVHR0A7lgCVqk/pbK1iKA==
figma      @figma/rest-api-spec  0.30.0  0.43.0  openapi/openapi.yaml           sha512-Gm8yt6XwvYyttxHKtIflW90h7T25zij6qK1FE616m74hlvf/SyR+gLHfHUKSDwWUbJMEa9/HzQPnVa3rUtavWw==  sha512-sbFm28WM8MsawyLSYO9Ddne+8xytWU5D7oCOOWyzRvLpd9InFHihC37dQBVJVzAVyT7HpwYtU4wlm+ALogC38g==
directus   @directus/specs       10.2.11 15.2.0  dist/openapi.json              sha512-1g0ckeJ0rywh3lvlrRbtSApUoBvk8v0XOPuKnIeagwatpbgkGEbMqiKDVwdoaynawl8/8zBKctwMe7KRWbBLwQ==  sha512-JauzDjbFbeoZ9AceWh/pbG/U2R2/5V8jP7Ldp/bpSPbsDu392uXEUQGTfWkowLqgRXtjmGHP5vIZoUJpjqaFPw==
'

cd "$(dirname "$0")/.."
OUT="${CARGO_TARGET_DIR:-target}/spec-pairs"

log() { echo "spec-pairs: $*" >&2; }
die() { log "error: $*"; exit 1; }

# sha512 of a file as npm writes it: "sha512-" + base64 of the raw digest.
integrity_of() {
  if command -v openssl >/dev/null; then
    echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
  else
    echo "sha512-$(sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 | tr -d '\n')"
  fi
}

tarball_url() { # package version
  local url=""
  if command -v npm >/dev/null; then
    url=$(npm view "$1@$2" dist.tarball 2>/dev/null || true)
  fi
  if [[ -z "$url" ]]; then
    # The registry's standard layout: @scope/name/-/name-VERSION.tgz
    url="https://registry.npmjs.org/$1/-/${1##*/}-$2.tgz"
  fi
  echo "$url"
}

# fetch API PACKAGE VERSION SPEC_PATH INTEGRITY -> prints the spec's path
fetch() {
  local api=$1 pkg=$2 ver=$3 spec=$4 want=$5
  local ext=${spec##*.}
  local dest="$OUT/$api/$ver.$ext"
  if [[ -s "$dest" ]]; then
    echo "$dest"
    return
  fi
  mkdir -p "$OUT/$api"
  local tmp
  tmp=$(mktemp -d "$OUT/$api/.fetch.XXXXXX")
  local url
  url=$(tarball_url "$pkg" "$ver")
  log "$api: downloading $pkg@$ver ($url)"
  curl -sSfL --retry 3 -o "$tmp/pkg.tgz" "$url" || { rm -rf "$tmp"; die "download of $pkg@$ver failed"; }
  local got
  got=$(integrity_of "$tmp/pkg.tgz")
  if [[ "$got" != "$want" ]]; then
    rm -rf "$tmp"
    die "$pkg@$ver: integrity mismatch: expected $want, got $got"
  fi
  tar -xzOf "$tmp/pkg.tgz" "package/$spec" >"$tmp/spec" 2>/dev/null \
    || { rm -rf "$tmp"; die "$pkg@$ver has no package/$spec"; }
  [[ -s "$tmp/spec" ]] || { rm -rf "$tmp"; die "$pkg@$ver: package/$spec is empty"; }
  mv "$tmp/spec" "$dest"   # atomic: a present file is always a complete one
  rm -rf "$tmp"
  echo "$dest"
}

wanted=("$@")
is_wanted() {
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local w
  for w in "${wanted[@]}"; do [[ "$w" == "$1" ]] && return 0; done
  return 1
}

found=0
while read -r api pkg old new spec old_sri new_sri; do
  [[ -z "${api:-}" || "$api" == \#* ]] && continue
  is_wanted "$api" || continue
  found=$((found + 1))
  old_path=$(fetch "$api" "$pkg" "$old" "$spec" "$old_sri")
  new_path=$(fetch "$api" "$pkg" "$new" "$spec" "$new_sri")
  echo "$api $old_path $new_path"
done <<<"$PAIRS"

[[ $found -gt 0 ]] || die "no pair named: ${wanted[*]}"
