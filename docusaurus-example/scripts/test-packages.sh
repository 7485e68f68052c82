#!/usr/bin/env bash
# A Docusaurus site builds with no Rust on the machine: a copy of this site, outside the repository, gets the
# packed npm packages (`npm install PACKAGES/*.tgz`: the launcher `mdbook-iam`, this platform's binary package
# and the plugin) and is built with `npm run build` on a PATH that holds node and npm and the system's own
# folders, and no cargo, rustc or mdbook-iam. The built pages are checked as scripts/test-site.sh checks them,
# and the plugin must say it runs the binary from the npm package.
#
# Usage: docusaurus-example/scripts/test-packages.sh [PACKAGES]
#   PACKAGES: a folder written by scripts/package-npm; without it, scripts/package-npm runs first.
# The npm install reads the committed lockfile and npm's cache first (--prefer-offline): after
# docusaurus-example's own `npm ci`, nothing but the three tarballs is new.
set -euo pipefail
site="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(dirname "$site")"
export NO_COLOR=1
passed=0
failed=0
step() { echo "==> $*"; }
ok() { passed=$((passed + 1)); }
fail() { echo "!! $*"; failed=$((failed + 1)); }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

packages="${1:-}"
if [ -z "$packages" ]; then
  packages="$work/packages"
  "$repo/scripts/package-npm" "$packages"
fi
packages="$(cd "$packages" && pwd)"
platform="$(node -p 'process.platform + "-" + process.arch')"
version_number="$(cd "$repo" && source scripts/tools.sh && crate_version)"

# The PATH of a machine without Rust: node, npm and npx (linked into a folder of their own, so that no other
# program of their folder comes along) and the system's folders.
mkdir -p "$work/bin"
for tool in node npm npx; do
  ln -s "$(command -v "$tool")" "$work/bin/$tool"
done
bare_path="$work/bin:/usr/bin:/bin"
bare() {
  env -u CARGO -u CARGO_HOME -u RUSTUP_HOME -u RUSTUP_TOOLCHAIN -u CARGO_TARGET_DIR -u MDBOOK_IAM_BIN \
    -u RUSTC -u RUSTFLAGS PATH="$bare_path" "$@"
}

step "the PATH holds no cargo, rustc or mdbook-iam"
if bare bash -c 'for tool in cargo rustc rustup mdbook-iam; do
      if command -v "$tool"; then echo "$tool is on PATH" >&2; exit 1; fi
    done; command -v node > /dev/null && command -v npm > /dev/null'; then
  ok
else
  fail "cannot make a PATH without Rust from $bare_path"
fi

# The site as a user has it, outside the repository: its own catalog file (the repository's is a link into
# book-example/), the committed lockfile, no node_modules.
copy="$work/site"
mkdir -p "$copy"
cp -r "$site/docs" "$site/scripts" "$site/docusaurus.config.js" "$site/sidebars.js" "$site/package.json" \
  "$site/package-lock.json" "$copy/"
cp -L "$site/iam-catalog.toml" "$copy/iam-catalog.toml"

step "npm install $(cd "$packages" && echo *.tgz | tr '\n' ' ')"
started=$SECONDS
if (cd "$copy" && bare npm install --prefer-offline --no-audit --no-fund --loglevel=error "$packages"/*.tgz) \
  > "$work/install.log" 2>&1; then
  installed=$((SECONDS - started))
  echo "   installed in ${installed} s"
  ok
else
  cat "$work/install.log"
  fail "npm install of the packed packages"
fi

step "the launcher runs the platform package's binary: npx mdbook-iam --version, check docs"
if version="$(cd "$copy" && bare npx --no-install mdbook-iam --version | head -n 1)" &&
  [ "$version" = "mdbook-iam $version_number" ] &&
  (cd "$copy" && bare npx --no-install mdbook-iam check docs) > "$work/check.log" 2>&1 &&
  [ -x "$copy/node_modules/@mdbook-iam/$platform/bin/mdbook-iam" ]; then
  ok
else
  echo "version: ${version:-}"
  cat "$work/check.log" 2> /dev/null || true
  fail "npx mdbook-iam"
fi

step "npm run build, with the binary from the npm package"
started=$SECONDS
if (cd "$copy" && bare npm run build) > "$work/build.log" 2>&1; then
  echo "   built in $((SECONDS - started)) s (install and build: $((installed + SECONDS - started)) s)"
  expected="[mdbook-iam] using mdbook-iam $version_number at $copy/node_modules/@mdbook-iam/$platform/bin/mdbook-iam"
  expected="$expected (from the npm package @mdbook-iam/$platform)"
  if grep -qxF "$expected" "$work/build.log"; then
    ok
  else
    grep mdbook-iam "$work/build.log" || true
    fail "the build did not say it runs the npm package's binary"
  fi
else
  cat "$work/build.log"
  fail "npm run build of the copy"
fi

html="$copy/build/tutorial/index.html"
step "the built tutorial holds the MCP-era policies and no directive outside code"
if [ -f "$html" ] && grep -q 'aws:CalledViaAWSMCP' "$html" && grep -q 'DenyDirectAPIAccess' "$html" &&
  ! grep -qE '&lt;&lt;#iam-|\{/\* iam-' "$html"; then
  ok
else
  fail "the built tutorial lacks the expected policies or still holds a directive"
fi

step "the guardrail's table is computed: absent/yes/yes, true/no/no, false/yes/yes"
rows="$(tr -d '\n' < "$html" 2> /dev/null | sed 's#<tr>#\n<tr>#g; s#</tr>#</tr>\n#g' | grep -o '^<tr><td>.*' |
  sed -E 's#</td><td>#|#g; s#<[^>]*>##g' | grep -E '^(absent|true|false)\|' || true)"
if [ "$(printf '%s\n' "$rows" | head -n 3)" = "$(printf 'absent|yes|yes\ntrue|no|no\nfalse|yes|yes')" ]; then
  ok
else
  printf '%s\n' "$rows"
  fail "the built tutorial's guardrail table"
fi

step "mdBook with the npm package's binary: npx mdbook-iam install, then mdbook build runs it from node_modules/.bin"
if [ -z "${MDBOOK:-}" ]; then
  echo "   (skipped: \$MDBOOK is not set; scripts/test sets it to the pinned mdBook)"
else
  book="$copy/book"
  mkdir -p "$book/src" "$work/mdbook-bin"
  ln -s "$MDBOOK" "$work/mdbook-bin/mdbook"
  printf '[book]\ntitle = "T"\n' > "$book/book.toml"
  printf '# Summary\n\n- [Tutorial](tutorial.md)\n' > "$book/src/SUMMARY.md"
  printf '# Tutorial\n\n<<#iam-policy s3-readonly>>\n' > "$book/src/tutorial.md"
  cp "$copy/iam-catalog.toml" "$book/"
  if (cd "$copy" && bare npx --no-install mdbook-iam install book) > "$work/mdbook.log" 2>&1 &&
    grep -q "wrote book/mdbook-iam.css" "$work/mdbook.log" &&
    (cd "$book" && bare env PATH="$copy/node_modules/.bin:$work/mdbook-bin:$bare_path" mdbook build) >> "$work/mdbook.log" 2>&1 &&
    grep -q 'aws:CalledViaAWSMCP' "$book/book/tutorial.html"; then
    ok
  else
    cat "$work/mdbook.log"
    fail "mdBook with the npm package's mdbook-iam"
  fi
fi

step "without the binary package (an install that omitted optional dependencies), the build says what to do"
rm -rf "$copy/node_modules/@mdbook-iam"
started=$SECONDS
if (cd "$copy" && bare npx --no-install docusaurus build) > "$work/missing.log" 2>&1; then
  fail "the build without a binary succeeded"
elif grep -q "cannot find the mdbook-iam binary" "$work/missing.log" &&
  grep -q "npm install mdbook-iam" "$work/missing.log"; then
  echo "   stopped after $((SECONDS - started)) s"
  ok
else
  cat "$work/missing.log"
  fail "the build without a binary did not say how to install one"
fi

echo "packages: $passed passed, $failed failed"
[ "$failed" = 0 ]
