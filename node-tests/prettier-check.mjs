#!/usr/bin/env node
// Runs real Prettier's `check` on each file, with the options mdbook-iam's output promises to satisfy:
// printWidth 80 everywhere, proseWrap "always" for Markdown and MDX. Prints each file that Prettier would
// change, with an excerpt of the change, and exits 1 if there is any (2 if a file cannot be read).
//
// Usage: node prettier-check.mjs FILE...
import { readFile } from "node:fs/promises";
import * as prettier from "prettier";

const PROSE_EXTENSIONS = new Set([".md", ".markdown", ".mdx"]);
const EXCERPT_LINES = 12;
const CONTEXT_LINES = 2;

function optionsFor(file) {
  const dot = file.lastIndexOf(".");
  const ext = dot === -1 ? "" : file.slice(dot).toLowerCase();
  const options = { filepath: file, printWidth: 80 };
  if (PROSE_EXTENSIONS.has(ext)) options.proseWrap = "always";
  return options;
}

// One hunk spanning everything between the common leading and trailing lines: enough to show a reader where
// and how the file differs, without pulling in a diff library.
function excerpt(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out = [`@@ line ${start + 1} @@`];
  for (let i = Math.max(0, start - CONTEXT_LINES); i < start; i++) out.push(`  ${a[i]}`);
  const push = (lines, sign) => {
    for (const line of lines.slice(0, EXCERPT_LINES)) out.push(`${sign} ${line}`);
    if (lines.length > EXCERPT_LINES) out.push(`${sign} ... (${lines.length - EXCERPT_LINES} more lines)`);
  };
  push(a.slice(start, endA), "-");
  push(b.slice(start, endB), "+");
  for (let i = endA; i < Math.min(a.length, endA + CONTEXT_LINES); i++) out.push(`  ${a[i]}`);
  return out.join("\n");
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: prettier-check.mjs FILE...");
    return 2;
  }
  let changed = 0;
  let failed = 0;
  let unreadable = 0;
  for (const file of files) {
    let source;
    try {
      source = await readFile(file, "utf8");
    } catch (error) {
      console.error(`${file}: cannot read: ${error.message}`);
      unreadable++;
      continue;
    }
    const options = optionsFor(file);
    let formatted;
    try {
      if (await prettier.check(source, options)) continue;
      formatted = await prettier.format(source, options);
    } catch (error) {
      // Prettier's syntax errors carry a location; print it as file:line:col.
      const loc = error.loc?.start;
      const where = loc ? `${file}:${loc.line}:${loc.column ?? 1}` : file;
      console.error(`${where}: prettier cannot parse: ${error.message.split("\n")[0]}`);
      failed++;
      continue;
    }
    changed++;
    console.log(`${file}: Prettier would change this file`);
    console.log(excerpt(source, formatted));
  }
  console.log(
    `prettier-check: ${files.length} file(s) checked, ${changed} would change, ` +
      `${failed} unparsable, ${unreadable} unreadable`,
  );
  if (unreadable > 0) return 2;
  return changed + failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
