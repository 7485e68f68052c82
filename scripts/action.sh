#!/usr/bin/env bash
# The GitHub Action's step (action.yml): installs mdbook-iam from the action's own checkout
# unless one is given, runs `check --format sarif`, and writes the SARIF log for
# github/codeql-action/upload-sarif. Exits with check's code (1 for findings at error level), so
# the workflow's upload step runs with `if: success() || failure()`.
#
# Environment: GITHUB_ACTION_PATH (this repository), GITHUB_OUTPUT, RUNNER_TEMP (set by GitHub);
# MDBOOK_IAM_PATHS (default "."), MDBOOK_IAM_CATALOG, MDBOOK_IAM_SARIF (default
# mdbook-iam.sarif); MDBOOK_IAM_BIN, a binary to use instead of building one.
set -euo pipefail
repo="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set (run by GitHub, or set it to this repository)}"
sarif="${MDBOOK_IAM_SARIF:-mdbook-iam.sarif}"
output="${GITHUB_OUTPUT:-/dev/null}"

bin="${MDBOOK_IAM_BIN:-}"
if [ -z "$bin" ]; then
  root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mdbook-iam"
  echo "::group::cargo install mdbook-iam"
  cargo install --locked --quiet --path "$repo" --root "$root"
  echo "::endgroup::"
  bin="$root/bin/mdbook-iam"
fi

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
