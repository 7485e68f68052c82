#!/usr/bin/env bash
# Adopting a Docusaurus site changes nothing its readers see: a copy of the example site gets a page
# written the old way (policies pasted in the catalog's canonical layout, with `title="..."` on the
# fence, in a list item, an admonition and tabs), is built, adopted with `mdbook-iam adopt --write`,
# and built again; every built HTML page must be the same, build hashes aside.
#
# The copy gets its own node_modules (`npm ci --prefer-offline` from the committed lockfile) and its
# own copy of the plugin: a link to the repository's node_modules would share its build cache, and
# nothing is written into docusaurus-example itself.
#
# Needs: npm, and the binary: $MDBOOK_IAM_BIN, default target/debug/mdbook-iam (cargo build).
set -euo pipefail
site="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(dirname "$site")"
export MDBOOK_IAM_BIN="${MDBOOK_IAM_BIN:-$repo/target/debug/mdbook-iam}"
export NO_COLOR=1
# The webpack cache off: each build reads the pages as they are now.
export DOCUSAURUS_NO_PERSISTENT_CACHE=1
bin="$MDBOOK_IAM_BIN"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
copy="$work/docusaurus-example"
fail() {
  echo "!! $*"
  echo "docusaurus adopt: failed"
  exit 1
}

echo "==> a copy of the site with its own node_modules"
mkdir -p "$copy"
cp -r "$site/docs" "$site/docusaurus.config.js" "$site/sidebars.js" "$site/package.json" "$site/package-lock.json" \
  "$copy/"
# The catalog as a file of the copy's own (the site's is a link into book-example/): adopt extends it.
cp -L "$site/iam-catalog.toml" "$copy/iam-catalog.toml"
# The plugin, where the lockfile's `file:../docusaurus-plugin` looks for it.
mkdir -p "$work/docusaurus-plugin"
cp "$repo"/docusaurus-plugin/{package.json,index.js,loader.js,expand.js,binary.js} "$work/docusaurus-plugin/"
# The launcher package, where the lockfile's `file:../npm/mdbook-iam` looks for it.
mkdir -p "$work/npm"
cp -r "$repo/npm/mdbook-iam" "$work/npm/"
(cd "$copy" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) > "$work/npm.log" 2>&1 ||
  { cat "$work/npm.log"; fail "npm ci in the copy"; }

# A page written before the catalog: the policies pasted as mdbook-iam lays them out for Docusaurus.
cat > "$copy/docs/pasted.mdx" <<'EOF'
---
sidebar_position: 8
---

import Tabs from "@theme/Tabs";
import TabItem from "@theme/TabItem";

# Pasted policies

A page written before the catalog: its policies are pasted as Prettier lays them out.

```json title="bucket-reader.json"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": [
        "arn:aws:s3:::example-reports",
        "arn:aws:s3:::example-reports/*"
      ]
    }
  ]
}
```

1. Create the function's role with this trust policy:

   ```json title="lambda-trust.json"
   {
     "Version": "2012-10-17",
     "Statement": [
       {
         "Effect": "Allow",
         "Principal": {
           "Service": "lambda.amazonaws.com"
         },
         "Action": "sts:AssumeRole"
       }
     ]
   }
   ```

2. Attach the reader policy.

:::tip[Send to the queue]

Give the worker this policy:

```json title="queue-sender.json"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "SendOrders",
      "Effect": "Allow",
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:123456789012:orders"
    }
  ]
}
```

:::

<Tabs>
  <TabItem value="trust" label="Trust policy">

```json title="lambda-trust.json"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Service": "lambda.amazonaws.com"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
```

  </TabItem>
  <TabItem value="reader" label="Reader">

```json title="bucket-reader.json"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": [
        "arn:aws:s3:::example-reports",
        "arn:aws:s3:::example-reports/*"
      ]
    }
  ]
}
```

  </TabItem>
</Tabs>
EOF
pages="$(find "$copy/docs" -name '*.mdx' | wc -l)"

# Builds the copy into $1 and checks it is the copy that was built: one page per page of its docs,
# the pasted page among them with its policies.
build() {
  local out="$1"
  (cd "$copy" && npx --no-install docusaurus build --out-dir "$out") > "$out.log" 2>&1 ||
    { cat "$out.log"; fail "docusaurus build of the copy ($(basename "$out"))"; }
  local built
  built="$(find "$out" -name index.html | wc -l)"
  [ "$built" = "$pages" ] || fail "$(basename "$out"): $built pages built, the copy has $pages"
  grep -q 'bucket-reader.json' "$out/pasted/index.html" && grep -q 'lambda.amazonaws.com' "$out/pasted/index.html" &&
    grep -q 'sqs:SendMessage' "$out/pasted/index.html" ||
    fail "$(basename "$out"): the built pasted page lacks its policies"
}

echo "==> docusaurus build, pasted"
build "$work/before"

echo "==> mdbook-iam adopt --write docs"
(cd "$copy" && "$bin" adopt --write --catalog iam-catalog.toml docs) > "$work/adopt.log" 2>&1 ||
  { cat "$work/adopt.log"; fail "adopt --write"; }
cat "$work/adopt.log"
grep -q ' 0 blocks left on the page' "$work/adopt.log" || fail "adopt left blocks on the page"
# Every pasted block is now a directive, and the catalog holds the new policies.
if grep -q '```json' "$copy/docs/pasted.mdx" ||
  [ "$(grep -c '{/\* iam-policy [a-z-]* \*/}' "$copy/docs/pasted.mdx")" != 5 ]; then
  cat "$copy/docs/pasted.mdx"
  fail "the pasted page's five blocks did not all become directives"
fi
for name in bucket-reader lambda-trust queue-sender; do
  grep -q "^\[policies\.$name\]" "$copy/iam-catalog.toml" || fail "the catalog has no [policies.$name]"
done
(cd "$copy" && "$bin" check --catalog iam-catalog.toml docs) > "$work/check.log" 2>&1 ||
  { cat "$work/check.log"; fail "check of the adopted copy"; }

echo "==> docusaurus build, adopted"
build "$work/after"

echo "==> the same HTML, page for page"
# Only the content hashes in asset names may differ between the two builds.
normalise() { sed -E 's/\.[0-9a-f]{8,}\.(js|css)/.HASH.\1/g' "$1"; }
differ=0
while IFS= read -r html; do
  rel="${html#"$work/before/"}"
  if [ ! -f "$work/after/$rel" ]; then
    echo "   $rel: missing after adopt"
    differ=1
  elif ! diff <(normalise "$html") <(normalise "$work/after/$rel") > "$work/page.diff"; then
    echo "   $rel differs:"
    head -c 2000 "$work/page.diff"
    differ=1
  fi
done < <(find "$work/before" -name '*.html' | sort)
[ "$differ" = 0 ] || fail "an adopted page builds to other HTML"
echo "docusaurus adopt: $(find "$work/before" -name '*.html' | wc -l) HTML files the same after adopt"
