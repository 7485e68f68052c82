#!/usr/bin/env bash
# The GitHub Action's diff step (action.yml, input `diff-base`): on a pull request, writes
# `mdbook-iam diff --format markdown BASE` (the access each policy and role of the catalog gains
# and loses against the pull request's base) to the job summary. Does nothing without a base.
#
# Environment: GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP (set by GitHub);
# MDBOOK_IAM_DIFF_BASE (a git revision; the workflow passes the pull request's base SHA),
# MDBOOK_IAM_DIFF_FAIL (`true`: exit 1 when access is gained), MDBOOK_IAM_PATHS and
# MDBOOK_IAM_CATALOG (as the check step reads them: the catalog given, else the nearest one above
# the first path); MDBOOK_IAM_BIN, the binary (default: the one on PATH or the one the check step
# installed, else one built here as the check step builds it).
set -euo pipefail
base="${MDBOOK_IAM_DIFF_BASE:-}"
if [ -z "$base" ]; then
  exit 0
fi
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
output="${GITHUB_OUTPUT:-/dev/null}"
runner="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

bin="${MDBOOK_IAM_BIN:-}"
if [ -z "$bin" ]; then
  if [ -x "$runner/mdbook-iam/bin/mdbook-iam" ]; then
    bin="$runner/mdbook-iam/bin/mdbook-iam"
  elif [ -x "$runner/mdbook-iam/bin/mdbook-iam.exe" ]; then
    bin="$runner/mdbook-iam/bin/mdbook-iam.exe"
  elif command -v mdbook-iam > /dev/null; then
    bin="$(command -v mdbook-iam)"
  else
    echo "::group::cargo install mdbook-iam"
    cargo install --locked --quiet --path "${GITHUB_ACTION_PATH:?}" --root "$runner/mdbook-iam"
    echo "::endgroup::"
    bin="$runner/mdbook-iam/bin/mdbook-iam"
  fi
fi

# A shallow checkout may lack the base commit: fetch it alone.
if ! git cat-file -e "$base^{commit}" 2> /dev/null; then
  git fetch --quiet --depth=1 origin "$base" || true
fi

args=(diff --format markdown)
if [ "${MDBOOK_IAM_DIFF_FAIL:-false}" = true ]; then
  args+=(--fail-on new-access)
fi
if [ -n "${MDBOOK_IAM_CATALOG:-}" ]; then
  args+=(--catalog "$(realpath "$MDBOOK_IAM_CATALOG")")
  dir=.
else
  # The catalog is found as the check step finds it: the nearest one above the first path.
  read -r -a paths <<< "${MDBOOK_IAM_PATHS:-.}"
  dir="${paths[0]:-.}"
  [ -d "$dir" ] || dir="$(dirname "$dir")"
fi
args+=("$base")

mkdir -p "$runner"
markdown="$runner/mdbook-iam-diff.md"
status=0
(cd "$dir" && "$bin" "${args[@]}") > "$markdown" || status=$?
if [ "$status" -ge 2 ]; then
  echo "::error title=mdbook-iam diff::mdbook-iam diff could not run (exit $status); see the message above"
  exit "$status"
fi
cat "$markdown" >> "$summary"
echo "diff-exit-code=$status" >> "$output"
if [ "$status" -ne 0 ]; then
  echo "::error title=mdbook-iam diff::this change grants new access; the job summary lists it"
fi
exit "$status"
