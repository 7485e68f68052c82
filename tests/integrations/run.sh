#!/usr/bin/env bash
# The CI integrations, run as a user's CI would run them, on a sample docs repository in a
# temporary folder: the hooks of .pre-commit-hooks.yaml through the real pre-commit
# (`pre-commit try-repo`, which builds the binary with cargo as `language: rust` says), and the
# composite GitHub Action (action.yml, its logic in scripts/action.sh) through run_action.py,
# its SARIF checked with Microsoft's validator.
#
# The action downloads the release archive: here a local folder stands in for the GitHub release
# ($MDBOOK_IAM_RELEASE_DIR, as scripts/package-release writes it for this machine; made here when
# unset), and one run takes the `install: cargo` way instead.
#
# Needs: $PRE_COMMIT (scripts/tools.sh ensure_precommit), node-tests/node_modules (npm ci), and
# $MDBOOK_IAM_BIN (default target/debug/mdbook-iam) to lay out the sample's synced page.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export MDBOOK_IAM_BIN="${MDBOOK_IAM_BIN:-$repo/target/debug/mdbook-iam}"
export NO_COLOR=1
# The hooks' and the action's `cargo install` share one target folder, so the binary is built
# once (about two minutes) and reused by later runs.
export CARGO_TARGET_DIR="$repo/target/integrations"
# Those builds only need to work, not to be fast: unoptimized, they take a third of the time.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false
export PRE_COMMIT_HOME="$repo/.tools/pre-commit-home"
export GIT_AUTHOR_NAME=mdbook-iam GIT_AUTHOR_EMAIL=dev@mdbook-iam.invalid
export GIT_COMMITTER_NAME=mdbook-iam GIT_COMMITTER_EMAIL=dev@mdbook-iam.invalid
python="$(dirname "$PRE_COMMIT")/python"
passed=0
failed=0
step() { echo "==> $*"; }
ok() { passed=$((passed + 1)); }
fail() { echo "!! $*"; failed=$((failed + 1)); }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sample="$work/docs-repo"

# A docs repository: a catalog, a clean page and a page with a synced region.
mkdir -p "$sample/docs"
cp -L "$repo/guide/iam-catalog.toml" "$sample/docs/iam-catalog.toml"
printf '# Read-only role\n\nAttach this policy:\n\n<<#iam-policy s3-readonly>>\n\nIt allows <<#iam-actions s3-readonly>>.\n' \
  > "$sample/docs/good.md"
printf '# Policies\n\n<!-- iam:begin iam-policy default-permissions -->\n<!-- iam:end -->\n' > "$sample/docs/synced.md"
(cd "$sample" && "$MDBOOK_IAM_BIN" sync docs > /dev/null 2>&1)
git -C "$sample" init --quiet
git -C "$sample" add -A
git -C "$sample" commit --quiet -m "docs"
bad_page='# Broken\n\n<<#iam-policy s3-readonli>>\n'

hook() { (cd "$sample" && "$PRE_COMMIT" try-repo "$repo" "$@"); }

step "pre-commit: both hooks pass on clean pages"
if hook --files docs/good.md docs/synced.md > "$work/clean.log" 2>&1; then
  ok
else
  cat "$work/clean.log"
  fail "the hooks failed on clean pages"
fi

step "pre-commit: the check hook fails on a bad directive, the sync hook on an edited region"
printf "$bad_page" > "$sample/docs/bad.md"
sed -i 's/"sts:GetCallerIdentity"/"sts:GetSessionToken"/' "$sample/docs/synced.md"
if hook --files docs/good.md docs/bad.md docs/synced.md > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"
  fail "the hooks passed a page with an unknown policy and an edited region"
elif grep -q '^docs/bad.md:3:15: error\[unknown-policy\]' "$work/bad.log" &&
  grep -q '^docs/synced.md:[0-9]*:1: error\[sync-drift\]' "$work/bad.log" &&
  [ "$(grep -c '^- exit code: 1$' "$work/bad.log")" = 2 ]; then
  ok
else
  cat "$work/bad.log"
  fail "the hooks did not both fail with docs/bad.md:3:15 unknown-policy and docs/synced.md sync-drift"
fi
rm "$sample/docs/bad.md"
git -C "$sample" checkout --quiet docs/synced.md

release="${MDBOOK_IAM_RELEASE_DIR:-}"
if [ -z "$release" ]; then
  release="$work/release"
  "$repo/scripts/package-release" "$release"
fi
host="$(rustc -vV | sed -n 's/^host: //p')"
action() {
  (cd "$sample" && env -u MDBOOK_IAM_BIN RUNNER_TEMP="$work/runner" MDBOOK_IAM_RELEASE_URL="${RELEASE_URL:-$release}" \
    MDBOOK_IAM_TARGET="$host" "$python" "$repo/tests/integrations/run_action.py" "$repo" "$@")
}

# The check step on clean docs, by either way of getting the binary: exit 0 and a valid SARIF log
# without results. Its time is printed: the download against the compile.
clean_run() {
  local how="$1" started=$SECONDS
  rm -rf "$work/runner" "$sample/out"
  if action paths=docs sarif-file=out/clean.sarif install="$how" > "$work/action-clean.out" 2> "$work/action-clean.log" &&
    grep -qx 'sarif-file=out/clean.sarif' "$work/action-clean.out" && grep -qx 'exit-code=0' "$work/action-clean.out" &&
    grep -q "^running mdbook-iam $(cd "$repo" && source scripts/tools.sh && crate_version) " "$work/action-clean.out" &&
    node "$repo/node-tests/sarif-validate.mjs" "$sample/out/clean.sarif" &&
    node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1])); process.exit(l.runs[0].results.length)' \
      "$sample/out/clean.sarif"; then
    echo "   the check step took $((SECONDS - started)) s ($how)"
    ok
  else
    cat "$work/action-clean.out" "$work/action-clean.log"
    fail "the action on clean docs ($how)"
  fi
}

step "GitHub Action: downloads the release archive (its checksum checked), clean docs give exit 0 and a clean SARIF log"
clean_run download
if [ "$failed" = 0 ] && ! grep -q "SHA-256 [0-9a-f]\{64\}, as mdbook-iam-v.*-$host.tar.gz.sha256 says" "$work/action-clean.out"; then
  cat "$work/action-clean.out"
  fail "the action did not say it checked the archive's checksum"
fi

step "GitHub Action: install: cargo compiles it instead, with the same result"
clean_run cargo

step "GitHub Action: an archive that does not match its checksum is not run"
cp -r "$release" "$work/tampered"
archive="$(cd "$work/tampered" && ls mdbook-iam-v*-"$host".tar.gz)"
printf '%064d  %s\n' 0 "$archive" > "$work/tampered/$archive.sha256"
status=0
RELEASE_URL="file://$work/tampered" action paths=docs > "$work/action-tampered.out" 2>&1 || status=$?
if [ "$status" = 2 ] && grep -q "::error title=mdbook-iam::$archive: SHA-256 [0-9a-f]*, but $archive.sha256 says 0\{64\}; not using it" \
  "$work/action-tampered.out" && ! grep -q '^running mdbook-iam' "$work/action-tampered.out"; then
  ok
else
  cat "$work/action-tampered.out"
  fail "the action with a tampered archive exited $status"
fi

step "GitHub Action: the version input picks the release; one that does not exist fails at once"
status=0
action paths=docs version=v9.9.9 > "$work/action-version.out" 2>&1 || status=$?
if [ "$status" = 2 ] && grep -q "::error title=mdbook-iam::no $release/mdbook-iam-v9.9.9-$host.tar.gz" "$work/action-version.out"; then
  ok
else
  cat "$work/action-version.out"
  fail "the action with version=v9.9.9 exited $status"
fi

step "GitHub Action: a bad page gives exit 1 and a valid SARIF log that names it"
printf "$bad_page" > "$sample/docs/bad.md"
status=0
action paths="docs/good.md docs/bad.md" > "$work/action-bad.out" 2> "$work/action-bad.log" || status=$?
if [ "$status" != 1 ]; then
  cat "$work/action-bad.out" "$work/action-bad.log"
  fail "the action exited $status on a bad page (want 1)"
elif grep -qx 'exit-code=1' "$work/action-bad.out" && node "$repo/node-tests/sarif-validate.mjs" "$sample/mdbook-iam.sarif" &&
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const r = log.runs[0].results.find((r) => r.ruleId === "unknown-policy");
    const loc = r?.locations?.[0]?.physicalLocation;
    const want = { uri: "docs/bad.md", uriBaseId: "%SRCROOT%", startLine: 3, startColumn: 15 };
    const got = { uri: loc?.artifactLocation?.uri, uriBaseId: loc?.artifactLocation?.uriBaseId,
                  startLine: loc?.region?.startLine, startColumn: loc?.region?.startColumn };
    if (JSON.stringify(got) !== JSON.stringify(want)) { console.error("result:", JSON.stringify(got)); process.exit(1); }
  ' "$sample/mdbook-iam.sarif"; then
  ok
else
  cat "$work/action-bad.out" "$work/action-bad.log"
  fail "the action's SARIF on a bad page"
fi

step "GitHub Action: a missing catalog fails at once and leaves no SARIF file"
status=0
action paths=docs catalog=no-such-catalog.toml sarif-file=out/missing.sarif > "$work/action-missing.out" 2>&1 || status=$?
if [ "$status" = 2 ] && [ ! -e "$sample/out/missing.sarif" ] && grep -q '::error' "$work/action-missing.out"; then
  ok
else
  cat "$work/action-missing.out"
  fail "the action with a missing catalog exited $status"
fi

step "GitHub Action: diff-base writes the access a commit grants to the job summary"
rm -f "$sample/docs/bad.md"
sed -i 's/Action = \["s3:GetObject", "s3:ListBucket"\]/Action = ["s3:GetObject", "s3:ListBucket", "s3:PutObjectAcl"]/' "$sample/docs/iam-catalog.toml"
git -C "$sample" commit --quiet -am "grant s3:PutObjectAcl"
status=0
GITHUB_STEP_SUMMARY="$work/summary.md" action paths=docs diff-base=HEAD~1 diff-fail-on-new-access=true \
  > "$work/action-diff.out" 2> "$work/action-diff.log" || status=$?
if [ "$status" = 1 ] && grep -qx 'diff-exit-code=1' "$work/action-diff.out" &&
  grep -q '^## IAM access changes: `HEAD~1` → the working tree$' "$work/summary.md" &&
  grep -q '^| gained | `s3:PutObjectAcl` | Permissions management |' "$work/summary.md" &&
  grep -q '::error title=mdbook-iam diff::' "$work/action-diff.out" "$work/action-diff.log"; then
  ok
else
  cat "$work/action-diff.out" "$work/action-diff.log" "$work/summary.md" 2> /dev/null
  fail "the action's diff mode exited $status or wrote no summary naming s3:PutObjectAcl"
fi

step "GitHub Action: without diff-base there is no diff step"
# Back to clean docs: the granted s3:PutObjectAcl breaks the catalog's own claims
# ("allows only s3:GetObject, s3:ListBucket"), so `check` rightly fails on it.
git -C "$sample" revert --no-edit --quiet HEAD
status=0
GITHUB_STEP_SUMMARY="$work/none.md" action paths=docs > "$work/action-nodiff.out" 2>&1 || status=$?
if [ "$status" = 0 ] && [ ! -e "$work/none.md" ] && grep -qx 'diff-exit-code=' "$work/action-nodiff.out"; then
  ok
else
  cat "$work/action-nodiff.out"
  fail "the action without diff-base exited $status or wrote a summary"
fi

echo "integrations: $passed passed, $failed failed"
[ "$failed" = 0 ]
