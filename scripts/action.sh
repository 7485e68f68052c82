#!/usr/bin/env bash
# The GitHub Action's step (action.yml): gets mdbook-iam unless one is given, runs
# `check --format sarif`, and writes the SARIF log for github/codeql-action/upload-sarif. Exits
# with check's code (1 for findings at error level), so the workflow's upload step runs with
# `if: success() || failure()`.
#
# Getting mdbook-iam: by default the release archive for the runner's platform
# (mdbook-iam-vVERSION-TARGET.tar.gz, .zip on Windows, as scripts/package-release makes them),
# checked against the SHA-256 checksum published beside it; with MDBOOK_IAM_INSTALL=cargo,
# `cargo install` from the action's own checkout (minutes of compiling, and a Rust toolchain).
#
# Environment: GITHUB_ACTION_PATH (this repository), GITHUB_OUTPUT, RUNNER_TEMP, RUNNER_OS,
# RUNNER_ARCH, GITHUB_ACTION_REPOSITORY (set by GitHub); MDBOOK_IAM_PATHS (default "."),
# MDBOOK_IAM_CATALOG, MDBOOK_IAM_SARIF (default mdbook-iam.sarif); MDBOOK_IAM_VERSION (default:
# the action's own version, from its Cargo.toml), MDBOOK_IAM_INSTALL (download or cargo);
# MDBOOK_IAM_BIN, a binary to use instead of getting one. For tests and mirrors:
# MDBOOK_IAM_RELEASE_URL, where the release's files are (a URL or a local folder; default the
# GitHub release of that version), and MDBOOK_IAM_TARGET, the archive's target triple.
set -euo pipefail
repo="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set (run by GitHub, or set it to this repository)}"
sarif="${MDBOOK_IAM_SARIF:-mdbook-iam.sarif}"
output="${GITHUB_OUTPUT:-/dev/null}"
root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mdbook-iam"

fail() {
  echo "::error title=mdbook-iam::$*"
  exit 2
}

# The Rust target of the release archive for this runner: static musl binaries on Linux.
runner_target() {
  local os="${RUNNER_OS:-$(uname -s)}" arch="${RUNNER_ARCH:-$(uname -m)}"
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64) echo x86_64-pc-windows-msvc ;;
    *) fail "no mdbook-iam release archive for $os/$arch; use \`install: cargo\`" ;;
  esac
}

# Copies one file of the release into $2: from a local folder, else with curl.
fetch() {
  local name="$1" into="$2" base="$3"
  case "$base" in
    http://* | https://* | file://*)
      curl --fail --silent --show-error --location --retry 3 --output "$into/$name" "$base/$name" ||
        fail "cannot download $base/$name"
      ;;
    *) cp "$base/$name" "$into/$name" 2> /dev/null || fail "no $base/$name" ;;
  esac
}

sha256() {
  if command -v sha256sum > /dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

download() {
  local version target name archive base dir expected actual exe=mdbook-iam
  version="${MDBOOK_IAM_VERSION:-}"
  if [ -z "$version" ]; then
    version="$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)"
  fi
  version="${version#v}"
  target="${MDBOOK_IAM_TARGET:-$(runner_target)}"
  name="mdbook-iam-v$version-$target"
  archive="$name.tar.gz"
  case "$target" in *windows*) archive="$name.zip" exe=mdbook-iam.exe ;; esac
  base="${MDBOOK_IAM_RELEASE_URL:-https://github.com/${GITHUB_ACTION_REPOSITORY:-mdbook-iam/mdbook-iam}/releases/download/v$version}"
  base="${base%/}"
  dir="$root/download"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "::group::download $archive"
  fetch "$archive" "$dir" "$base"
  fetch "$archive.sha256" "$dir" "$base"
  expected="$(cut -d' ' -f1 < "$dir/$archive.sha256")"
  actual="$(sha256 "$dir/$archive")"
  if [ "$expected" != "$actual" ]; then
    fail "$archive: SHA-256 $actual, but $archive.sha256 says $expected; not using it"
  fi
  echo "SHA-256 $actual, as $archive.sha256 says"
  case "$archive" in
    *.zip) (cd "$dir" && unzip -q "$archive") ;;
    *) tar -xzf "$dir/$archive" -C "$dir" ;;
  esac
  echo "::endgroup::"
  bin="$dir/$name/$exe"
  [ -x "$bin" ] || fail "$archive holds no $name/$exe"
}

bin="${MDBOOK_IAM_BIN:-}"
if [ -z "$bin" ]; then
  case "${MDBOOK_IAM_INSTALL:-download}" in
    download) download ;;
    cargo)
      echo "::group::cargo install mdbook-iam"
      cargo install --locked --quiet --path "$repo" --root "$root"
      echo "::endgroup::"
      bin="$root/bin/mdbook-iam"
      ;;
    *) fail "install: \`${MDBOOK_IAM_INSTALL}\` is neither download nor cargo" ;;
  esac
fi
# Later steps of the action (the access diff) run the same binary from a known place.
if [ "$bin" != "$root/bin/$(basename "$bin")" ] && [ -z "${MDBOOK_IAM_BIN:-}" ]; then
  mkdir -p "$root/bin"
  cp -f "$bin" "$root/bin/"
fi
version_line="$("$bin" --version)" || fail "cannot run $bin"
echo "running ${version_line%%$'\n'*} ($bin)"

# Word splitting of the paths input is intended: several paths separated by spaces.
read -r -a paths <<< "${MDBOOK_IAM_PATHS:-.}"
args=(check --format sarif)
if [ -n "${MDBOOK_IAM_CATALOG:-}" ]; then
  args+=(--catalog "$MDBOOK_IAM_CATALOG")
fi

mkdir -p "$(dirname "$sarif")"
status=0
"$bin" "${args[@]}" "${paths[@]}" > "$sarif" || status=$?
if [ "$status" -ge 2 ] || [ ! -s "$sarif" ]; then
  # A usage error (no catalog, a path that does not exist) prints no SARIF: leave no file
  # that upload-sarif would reject, and say what went wrong.
  rm -f "$sarif"
  echo "::error title=mdbook-iam::mdbook-iam check could not run (exit $status); see the message above"
  exit "$status"
fi
echo "sarif-file=$sarif" >> "$output"
echo "exit-code=$status" >> "$output"
if [ "$status" -ne 0 ]; then
  echo "::error title=mdbook-iam::mdbook-iam check found errors; the SARIF log $sarif lists them"
fi
exit "$status"
