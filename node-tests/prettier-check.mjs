#!/usr/bin/env node
// Runs real Prettier's `check` on each file, with the options mdbook-iam's output promises to satisfy:
// printWidth 80 everywhere, proseWrap "always" for Markdown and MDX. Prints each file that Prettier would
// change, with an excerpt of the change, and exits 1 if there is any (2 if a file cannot be read).
//
// Usage: node prettier-check.mjs FILE...
import { readFile } from "node:fs/promises";
import * as prettier from "prettier";

const PROSE_EXTENSIONS = new Set([".md", ".markdown", ".mdx"]);
const EXCERPT_LINES = 24;
const CONTEXT_LINES = 2;

function optionsFor(file) {
  const dot = file.lastIndexOf(".");
  const ext = dot === -1 ? "" : file.slice(dot).toLowerCase();
  const options = { filepath: file, printWidth: 80 };
  if (PROSE_EXTENSIONS.has(ext)) options.proseWrap = "always";
  return options;
}

// A line diff (longest common subsequence) shown as hunks with a little context, capped so one badly formatted
// file cannot flood the log. Files too large for the quadratic table get a single hunk from the first to the
// last differing line.
const MAX_DIFF_CELLS = 4_000_000;

function diffLines(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops = [];
  for (let i = 0; i < start; i++) ops.push([" ", a[i]]);
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_DIFF_CELLS) {
    for (let i = start; i < endA; i++) ops.push(["-", a[i]]);
    for (let j = start; j < endB; j++) ops.push(["+", b[j]]);
  } else {
    // lcs[i][j]: length of the longest common subsequence of a[start+i..endA) and b[start+j..endB).
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] =
          a[start + i] === b[start + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push([" ", a[start + i++]]);
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.push(["-", a[start + i++]]);
      } else {
        ops.push(["+", b[start + j++]]);
      }
    }
  }
  for (let i = endA; i < a.length; i++) ops.push([" ", a[i]]);
  return ops;
}

function excerpt(before, after) {
  const ops = diffLines(before.split("\n"), after.split("\n"));
  const shown = new Array(ops.length).fill(false);
  ops.forEach(([sign], index) => {
    if (sign === " ") return;
    for (
      let k = Math.max(0, index - CONTEXT_LINES);
      k <= Math.min(ops.length - 1, index + CONTEXT_LINES);
      k++
    ) {
      shown[k] = true;
    }
  });
  const out = [];
  const total = ops.filter(([sign]) => sign !== " ").length;
  let printed = 0;
  let line = 1; // line number in the file as it is now
  for (let k = 0; k < ops.length && printed < EXCERPT_LINES; k++) {
    const [sign, text] = ops[k];
    if (shown[k]) {
      if (k === 0 || !shown[k - 1]) out.push(`@@ line ${line} @@`);
      out.push(`${sign} ${text}`);
      if (sign !== " ") printed++;
    }
    if (sign !== "+") line++;
  }
  if (total > printed) out.push(`... (${total - printed} more changed lines)`);
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
