#!/usr/bin/env node
// Compiles each file with @mdx-js/mdx 3, the compiler Docusaurus 3 uses, to prove a page (before or after
// mdbook-iam's expansion) is valid MDX. The format follows the extension: `.mdx` is MDX, `.md` plain
// Markdown; `--format mdx` forces MDX for every file, as Docusaurus does by default (`markdown.format`).
// Prints file:line:col for each failure and exits 1 if there is any.
//
// Usage: node mdx-compile.mjs [--format mdx|md|detect] FILE...
import { readFile } from "node:fs/promises";
import { compile } from "@mdx-js/mdx";

function parseArgs(argv) {
  let format = "detect";
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--format") format = argv[++i];
    else if (arg.startsWith("--format=")) format = arg.slice("--format=".length);
    else files.push(arg);
  }
  return { format, files };
}

// VFileMessage keeps its location in `place` (a point or a position) and, for older producers, in
// `line` / `column`.
function locationOf(error) {
  const place = error.place ?? error.position;
  const point = place?.start ?? place;
  const line = point?.line ?? error.line;
  const column = point?.column ?? error.column;
  return line ? `${line}:${column ?? 1}` : "1:1";
}

async function main(argv) {
  const { format, files } = parseArgs(argv);
  if (files.length === 0 || !["mdx", "md", "detect"].includes(format)) {
    console.error("usage: mdx-compile.mjs [--format mdx|md|detect] FILE...");
    return 2;
  }
  let failed = 0;
  let unreadable = 0;
  for (const file of files) {
    let value;
    try {
      value = await readFile(file, "utf8");
    } catch (error) {
      console.error(`${file}: cannot read: ${error.message}`);
      unreadable++;
      continue;
    }
    try {
      await compile({ path: file, value }, { format });
    } catch (error) {
      const reason = error.reason ?? error.message;
      const rule = error.ruleId ? ` [${error.source ? `${error.source}:` : ""}${error.ruleId}]` : "";
      console.error(`${file}:${locationOf(error)}: error: ${reason}${rule}`);
      failed++;
    }
  }
  console.log(`mdx-compile: ${files.length} file(s) compiled, ${failed} failed, ${unreadable} unreadable`);
  if (unreadable > 0) return 2;
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
