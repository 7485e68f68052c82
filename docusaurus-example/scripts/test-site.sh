#!/usr/bin/env bash
# Checks the Docusaurus side end to end: the plugin's own tests, the example pages before and after expansion
# (Prettier, MDX), a real `docusaurus build` read in headless Chromium, a build that must fail with the page's
# line and column, and a catalog edit followed by `docusaurus start`.
#
# Needs: node_modules in docusaurus-example/ and node-tests/ (npm ci), Chromium at /usr/bin/chromium (or $CHROMIUM), and
# the binary: $MDBOOK_IAM_BIN, default target/debug/mdbook-iam (cargo build).
set -euo pipefail
site="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(dirname "$site")"
tests="$repo/node-tests"
export MDBOOK_IAM_BIN="${MDBOOK_IAM_BIN:-$repo/target/debug/mdbook-iam}"
export NO_COLOR=1
catalog="$repo/book-example/iam-catalog.toml"
passed=0
failed=0
step() { echo "==> $*"; }
ok() { passed=$((passed + 1)); }
fail() { echo "!! $*"; failed=$((failed + 1)); }

# The one guard for the steps that need a browser: without Chromium they skip with one line, except in CI
# (CI=true), where they run and fail. scripts/test installs Chromium before anything runs.
chromium="${CHROMIUM:-/usr/bin/chromium}"
have_browser() {
  if [ -x "$chromium" ] || [ "${CI:-}" = true ]; then
    return 0
  fi
  echo "   (skipped: no $chromium; scripts/test installs it, or run apt-get install chromium)"
  return 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A copy of the site beside a copy of the catalog, laid out as in the repository, for the checks that break
# a page or edit the catalog.
copy_site() {
  local into="$1"
  mkdir -p "$into/docusaurus-example" "$into/book-example"
  cp "$catalog" "$into/book-example/"
  cp -r "$site/docs" "$site/docusaurus.config.js" "$site/sidebars.js" "$site/package.json" "$site/iam-catalog.toml" \
    "$into/docusaurus-example/"
  ln -s "$site/node_modules" "$into/docusaurus-example/node_modules"
}

step "plugin tests"
if (cd "$repo/docusaurus-plugin" && node --test test/plugin.test.js); then ok; else fail "plugin tests"; fi

step "pages as written: Prettier (proseWrap always) and MDX"
if node "$tests/prettier-check.mjs" "$site"/docs/*.mdx && node "$tests/mdx-compile.mjs" "$site"/docs/*.mdx; then
  ok
else
  fail "the example pages are not Prettier-clean or not valid MDX"
fi

step "pages after expansion: MDX"
mkdir -p "$work/expanded"
expanded_ok=1
for page in "$site"/docs/*.mdx; do
  "$MDBOOK_IAM_BIN" expand --flavor docusaurus --catalog "$catalog" "$page" > "$work/expanded/$(basename "$page")" ||
    expanded_ok=0
done
if [ "$expanded_ok" = 1 ] && node "$tests/mdx-compile.mjs" "$work"/expanded/*.mdx; then ok; else fail "expanded pages"; fi

step "docusaurus build, then the tutorial in headless Chromium"
if ! (cd "$site" && npx --no-install docusaurus build); then
  fail "example site build"
elif ! have_browser; then
  : # skipped, not counted
elif node "$tests/browser-check.mjs" --site "$site/build" --page tutorial/ \
  --summary "Service access denied" --action s3:ListBucket --min-json 4; then
  ok
else
  fail "browser check of the built tutorial"
fi

step "the built tutorial holds the MCP-era policies and no directive outside code"
html="$site/build/tutorial/index.html"
if grep -q 'aws:CalledViaAWSMCP' "$html" && grep -q 'DenyDirectAPIAccess' "$html" &&
  ! grep -qE '&lt;&lt;#iam-|\{/\* iam-' "$html"; then
  ok
else
  fail "the built tutorial lacks the expected policies or still holds a directive"
fi

step "the guardrail's table is computed: its first row, the key absent, says the deny applies"
# The rows as text, one per line: the case, whether BoolIfExists matches, whether the deny applies.
rows="$(tr -d '\n' < "$html" | sed 's#<tr>#\n<tr>#g; s#</tr>#</tr>\n#g' | grep -o '^<tr><td>.*' |
  sed -E 's#</td><td>#|#g; s#<[^>]*>##g' | grep -E '^(absent|true|false)\|')"
if [ "$(printf '%s\n' "$rows" | head -n 3)" = "$(printf 'absent|yes|yes\ntrue|no|no\nfalse|yes|yes')" ]; then
  ok
else
  printf '%s\n' "$rows"
  fail "the built tutorial's guardrail table is not absent/yes/yes, true/no/no, false/yes/yes"
fi

step "the built tutorial shows the roles' access summaries, computed over AWS's data"
if grep -q 'What <code>mcp-default</code> allows' "$html" &&
  grep -q 'What <code>mcp-s3-readonly</code> allows' "$html" &&
  grep -q '<code>get-caller-identity</code>' "$html"; then
  ok
else
  fail "the built tutorial lacks the access summaries"
fi

step "synced regions: sync --check passes, an edit is drift, sync restores it"
copy_site "$work/sync"
sdocs="$work/sync/docusaurus-example"
if (cd "$sdocs" && "$MDBOOK_IAM_BIN" sync --check docs); then
  cp "$sdocs/docs/policies.mdx" "$work/policies.orig"
  sed -i 's/"sts:GetCallerIdentity"/"sts:GetSessionToken"/' "$sdocs/docs/policies.mdx"
  if (cd "$sdocs" && "$MDBOOK_IAM_BIN" sync --check docs) > "$work/drift.log" 2>&1; then
    fail "an edit inside a synced region was not reported"
  elif ! grep -q '^docs/policies.mdx:[0-9]*:1: error\[sync-drift\]' "$work/drift.log"; then
    cat "$work/drift.log"
    fail "drift was not reported with docs/policies.mdx:line"
  elif (cd "$sdocs" && "$MDBOOK_IAM_BIN" sync docs) && cmp -s "$sdocs/docs/policies.mdx" "$work/policies.orig"; then
    ok
  else
    fail "sync did not restore the page"
  fi
else
  fail "sync --check fails on the committed example"
fi

step "a page with an unknown policy, and a false claim (the old table's first row), fails the build at their lines"
copy_site "$work/broken"
printf '# Broken\n\nThe role may call {/* iam-actions s3-readonl */}.\n\nWithout the key, {/* iam-claim DenyDirectAPIAccess does not apply when aws:ViaAWSMCPService is absent */}.\n' \
  > "$work/broken/docusaurus-example/docs/broken.mdx"
if (cd "$work/broken/docusaurus-example" && DOCUSAURUS_NO_PERSISTENT_CACHE=1 npx --no-install docusaurus build) \
  > "$work/broken.log" 2>&1; then
  fail "the build with a broken page succeeded"
elif grep -q '^docs/broken.mdx:3:35: error\[unknown-policy\]' "$work/broken.log" &&
  grep -q '^docs/broken.mdx:5:18: error\[false-claim\]: .*finds it applies' "$work/broken.log"; then
  ok
else
  cat "$work/broken.log"
  fail "the failed build did not name docs/broken.mdx:3:35 and the false claim at 5:18"
fi

step "a false claim in a catalog entry no page uses fails the build, at its catalog line, once"
# A page's expansion checks the entries it uses; the whole catalog is checked once per build.
copy_site "$work/claim"
printf '\n[policies.unused-on-any-page]\nclaims = ["allows s3:PutObject"]\n\n[[policies.unused-on-any-page.statements]]\nEffect = "Allow"\nAction = "s3:GetObject"\nResource = "*"\n' \
  >> "$work/claim/book-example/iam-catalog.toml"
claim_line="$(grep -n 'allows s3:PutObject' "$work/claim/book-example/iam-catalog.toml" | cut -d: -f1)"
if (cd "$work/claim/docusaurus-example" && DOCUSAURUS_NO_PERSISTENT_CACHE=1 npx --no-install docusaurus build) \
  > "$work/claim.log" 2>&1; then
  fail "the build with a false catalog claim succeeded"
elif [ "$(grep -c "iam-catalog.toml:$claim_line:[0-9]*: error\[false-claim\]" "$work/claim.log")" -ge 1 ] &&
  [ "$(grep -c 'error\[false-claim\]' "$work/claim.log")" -le 2 ]; then
  ok
else
  cat "$work/claim.log"
  fail "the failed build did not name the catalog's line $claim_line once (once per bundle at most)"
fi

step "a page whose line 7 names an unknown policy fails the build with that line"
copy_site "$work/zz"
printf -- '---\nsidebar_position: 9\n---\n\n# Bad\n\n<<#iam-policy no-such-policy>>\n' > "$work/zz/docusaurus-example/docs/zz-bad.mdx"
if (cd "$work/zz/docusaurus-example" && DOCUSAURUS_NO_PERSISTENT_CACHE=1 npx --no-install docusaurus build) \
  > "$work/zz.log" 2>&1; then
  fail "the build with docs/zz-bad.mdx succeeded"
elif grep -q 'zz-bad.mdx:7:15: error\[unknown-policy\]' "$work/zz.log"; then
  ok
else
  cat "$work/zz.log"
  fail "the failed build did not name zz-bad.mdx:7"
fi

step "docusaurus start follows a catalog edit"
copy_site "$work/watch"
if ! have_browser; then
  : # skipped, not counted
elif node "$tests/docusaurus-watch-check.mjs" --site "$work/watch/docusaurus-example" \
  --catalog "$work/watch/book-example/iam-catalog.toml" --page tutorial/ \
  --find 'Action = ["s3:GetObject", "s3:ListBucket"]' \
  --replace 'Action = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]' --expect s3:GetObjectVersion; then
  ok
else
  fail "catalog edit not picked up by docusaurus start"
fi

echo "docusaurus: $passed passed, $failed failed"
[ "$failed" = 0 ]
