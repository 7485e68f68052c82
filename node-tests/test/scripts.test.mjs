// Pins what each checking script reports on the small fixtures beside it: a check that cannot fail is no check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const fixture = (name) => path.join("fixtures", name);

function run(script, ...args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: here, encoding: "utf8" });
  return { code: result.status, out: result.stdout + result.stderr };
}

test("prettier-check passes files Prettier would leave alone", () => {
  const { code, out } = run(
    "prettier-check.mjs",
    fixture("good.mdx"),
    fixture("good.md"),
    fixture("good.json"),
  );
  assert.equal(code, 0, out);
  assert.match(out, /3 file\(s\) checked, 0 would change/);
});

test("prettier-check wraps prose at 80 columns in Markdown", () => {
  const { code, out } = run("prettier-check.mjs", fixture("bad.md"));
  assert.equal(code, 1, out);
  assert.match(out, /bad\.md: Prettier would change this file/);
  assert.match(out, /^\+ would wrap it\.$/m);
});

test("prettier-check joins a short JSON array the way Prettier lays it out", () => {
  const { code, out } = run("prettier-check.mjs", fixture("bad.json"));
  assert.equal(code, 1, out);
  assert.match(out, /^\+ {7}"Action": \["s3:GetObject", "s3:ListBucket"\],$/m);
});

test("prettier-check reports a JSON syntax error with its location", () => {
  const { code, out } = run("prettier-check.mjs", fixture("broken.json"));
  assert.equal(code, 1, out);
  assert.match(out, /broken\.json:2:18: prettier cannot parse/);
});

test("prettier-check wants a blank line inside an empty directive fence", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "prettier-check-"));
  const file = path.join(dir, "page.mdx");
  writeFileSync(file, "```iam-policy s3-readonly mcp-scoped\n```\n");
  const { code, out } = run("prettier-check.mjs", file);
  assert.equal(code, 1, out);
  assert.match(out, /^\+ $/m);
});

test("prettier-check exits 2 on a missing file", () => {
  const { code, out } = run("prettier-check.mjs", fixture("missing.md"));
  assert.equal(code, 2, out);
  assert.match(out, /missing\.md: cannot read/);
});

test("mdx-compile accepts the MDX-valid directive spellings", () => {
  const { code, out } = run("mdx-compile.mjs", fixture("good.mdx"), fixture("good.md"));
  assert.equal(code, 0, out);
});

test("mdx-compile rejects the <<# spelling in MDX with file:line:col", () => {
  const { code, out } = run("mdx-compile.mjs", fixture("bad.mdx"));
  assert.equal(code, 1, out);
  assert.match(out, /^fixtures\/bad\.mdx:5:2: error: Unexpected character `<`/m);
});

test("mdx-compile --format mdx treats .md as MDX, as Docusaurus does by default", () => {
  const { code, out } = run("mdx-compile.mjs", "--format", "mdx", fixture("good.md"));
  assert.equal(code, 1, out);
  assert.match(out, /good\.md:6:2: error/);
});

const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
// The browser guard every browser step shares: without Chromium a test skips with the reason,
// except in CI (CI=true), where it runs and fails. scripts/test installs Chromium first.
const browser = { skip: existsSync(chromium) || process.env.CI === "true" ? false : `no browser at ${chromium}` };
const site = ["--site", fixture("site"), "--page", "docs/tutorial/", "--summary", "Service access denied"];

test("browser-check opens the callout and parses mdBook and Docusaurus JSON blocks", browser, () => {
  const { code, out } = run("browser-check.mjs", ...site, "--action", "s3:ListBucket", "--min-json", "2");
  assert.equal(code, 0, out);
  assert.match(out, /ok: 2 JSON code block\(s\) parse/);
});

test("browser-check fails when the opened callout lacks the action", browser, () => {
  const { code, out } = run("browser-check.mjs", ...site, "--action", "s3:PutObject", "--timeout", "2000");
  assert.equal(code, 1, out);
  assert.match(out, /does not show s3:PutObject/);
});

test("browser-check fails when no summary matches", browser, () => {
  const args = ["--site", fixture("site"), "--page", "docs/tutorial/", "--summary", "Throttled"];
  const { code, out } = run("browser-check.mjs", ...args, "--action", "s3:ListBucket");
  assert.equal(code, 1, out);
  assert.match(out, /no <details> summary contains "Throttled"/);
});

test("browser-check fails on a JSON block that does not parse", browser, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "browser-check-site-"));
  const page = readFileSync(path.join(here, fixture("site/docs/tutorial/index.html")), "utf8");
  writeFileSync(path.join(dir, "index.html"), page.replace('"Resource": "*" }', '"Resource": "*", }'));
  const args = [
    "--site",
    dir,
    "--page",
    "/",
    "--summary",
    "Service access denied",
    "--action",
    "s3:ListBucket",
  ];
  const { code, out } = run("browser-check.mjs", ...args);
  assert.equal(code, 1, out);
  assert.match(out, /JSON block 1 does not parse/);
});

test("browser-check fails on a page the site does not have", browser, () => {
  const args = ["--site", fixture("site"), "--page", "docs/missing/", "--summary", "x", "--action", "y"];
  const { code, out } = run("browser-check.mjs", ...args);
  assert.equal(code, 1, out);
  assert.match(out, /answered 404/);
});

test("browser-check exits 2 on missing flags", () => {
  const { code, out } = run("browser-check.mjs", "--site", fixture("site"));
  assert.equal(code, 2, out);
  assert.match(out, /missing --page, --summary, --action/);
});

// A page laid out as mdBook lays out a chapter, with or without mdbook-iam's stylesheet.
function calloutSite(withStylesheet) {
  const dir = mkdtempSync(path.join(tmpdir(), "browser-check-callout-"));
  const css = withStylesheet ? readFileSync(path.join(here, "../src/hosts/mdbook/mdbook-iam.css"), "utf8") : "";
  writeFileSync(
    path.join(dir, "index.html"),
    `<!doctype html><html><head><style>${css}</style></head><body><main><div class="content">
<p>Before.</p>
<details><summary>Service access denied: s3:ListBucket</summary><p>Allow s3:ListBucket.</p></details>
<p>After.</p></div></main></body></html>`,
  );
  return ["--site", dir, "--page", "/", "--summary", "Service access denied", "--action", "s3:ListBucket", "--min-json", "0"];
}

test("browser-check --bounded fails on a bare <details>", browser, () => {
  const { code, out } = run("browser-check.mjs", ...calloutSite(false), "--bounded");
  assert.equal(code, 1, out);
  assert.match(out, /has no border and no background of its own/);
});

test("browser-check --bounded passes with mdbook-iam's stylesheet", browser, () => {
  const { code, out } = run("browser-check.mjs", ...calloutSite(true), "--bounded");
  assert.equal(code, 0, out);
  assert.match(out, /ok: the opened <details> is a visible box \(border: Top, Right, Bottom, Left; background: rgb/);
});
