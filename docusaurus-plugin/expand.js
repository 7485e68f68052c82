// Runs `mdbook-iam expand` on one page and turns its answer into the expanded text, or into an error whose
// message is the binary's own diagnostics (`path:line:col: error[code]: message` and a source excerpt).
// The page goes in on stdin, so what is expanded is what the bundler holds, and `--stdin-filename` makes the
// diagnostics name the page.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const CATALOG_FILE = "iam-catalog.toml";
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * An error whose message is all a reader needs. A plain Error, so webpack's persistent cache can store it;
 * `hideStack` keeps webpack from printing a JavaScript stack under it.
 */
function expandError(message) {
  return Object.assign(new Error(message), { hideStack: true });
}

/** The binary to run: the `binary` option, else $MDBOOK_IAM_BIN, else `mdbook-iam` on PATH. */
function resolveBinary(binary) {
  return binary || process.env.MDBOOK_IAM_BIN || "mdbook-iam";
}

/** The nearest iam-catalog.toml walking up from `dir`, as the CLI looks for it; undefined if there is none. */
function findCatalog(dir) {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, CATALOG_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The catalog and every file it includes, following `include = [...]` (paths relative to the including
 * file) the way the binary does. A listed file that is missing is still returned, so creating it counts as
 * a change; reporting it is the binary's job.
 */
function catalogFiles(catalog) {
  const files = [];
  const pending = [path.resolve(catalog)];
  while (pending.length > 0) {
    const file = pending.shift();
    if (files.includes(file)) continue;
    files.push(file);
    // Watchers see edits where the bytes live: a catalog reached through a link is watched at its target too.
    try {
      const real = fs.realpathSync(file);
      if (real !== file && !files.includes(real)) files.push(real);
    } catch {
      // A missing file has no target yet; it is watched by its own path.
    }
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    // `include` is a top-level key, so it stands before the first table header.
    const top = text.split(/^\s*\[/m, 1)[0].replace(/#.*$/gm, "");
    const list = /^\s*include\s*=\s*\[([^\]]*)\]/m.exec(top)?.[1] ?? "";
    for (const [, basic, literal] of list.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) {
      pending.push(
        path.resolve(path.dirname(file), basic !== undefined ? JSON.parse(`"${basic}"`) : literal),
      );
    }
  }
  return files;
}

/** How diagnostics name the page: relative to where the build runs, as a terminal user would type it. */
function displayPath(filePath) {
  const relative = path.relative(process.cwd(), filePath);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : filePath;
}

function commandFor({ binary, catalog, flavor = "docusaurus", filePath }) {
  const args = ["expand", "--flavor", flavor];
  if (catalog) args.push("--catalog", catalog);
  args.push("--stdin-filename", displayPath(filePath), "-");
  return { file: resolveBinary(binary), args };
}

// NO_COLOR: the output lands in a bundler's log, which is not a terminal even when the build runs in one.
const childEnv = () => ({ ...process.env, NO_COLOR: "1" });

/** Exit 0: the page and any warnings. Exit 1: the diagnostics. Anything else: a usage or I/O failure. */
function interpret({ file, args, filePath, error, status, signal, stdout, stderr }) {
  const page = displayPath(filePath);
  if (error) {
    if (error.code === "ENOENT") {
      return expandError(
        `${page}: cannot run \`${file}\`: not found. Install it (cargo install mdbook-iam), put it on PATH, ` +
          "or point the plugin's `binary` option or MDBOOK_IAM_BIN at it.",
      );
    }
    return expandError(`${page}: cannot run \`${file}\`: ${error.message}`);
  }
  const diagnostics = stderr.trimEnd();
  if (status === 0) return { text: stdout, warnings: diagnostics };
  if (status === 1) {
    return expandError(diagnostics || `${page}: \`${file} expand\` reported errors but printed none`);
  }
  const how = signal ? `was killed by ${signal}` : `exited with status ${status}`;
  return expandError(
    `${page}: \`${file} ${args.join(" ")}\` ${how}${diagnostics ? `:\n${diagnostics}` : ""}`,
  );
}

/**
 * Expands one page. Resolves to `{ text, warnings }`; rejects with an error carrying the diagnostics.
 * @param {{ filePath: string, fileContent: string, catalog?: string, binary?: string, flavor?: string }} options
 */
function expand(options) {
  const { file, args } = commandFor(options);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: childEnv(), stdio: ["pipe", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    let failure;
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", (error) => {
      failure = error;
    });
    // The binary may stop reading early (a usage error); its exit status says why, not the broken pipe.
    child.stdin.on("error", () => {});
    child.on("close", (status, signal) => {
      const result = interpret({
        file,
        args,
        filePath: options.filePath,
        error: failure,
        status,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
      if (result instanceof Error) reject(result);
      else resolve(result);
    });
    child.stdin.end(options.fileContent);
  });
}

/**
 * The same, blocking: for hooks that must be synchronous, such as Docusaurus's `markdown.preprocessor`.
 * Returns `{ text, warnings }`; throws an error carrying the diagnostics.
 */
function expandSync(options) {
  const { file, args } = commandFor(options);
  const child = spawnSync(file, args, {
    env: childEnv(),
    input: options.fileContent,
    encoding: "utf8",
    maxBuffer: MAX_OUTPUT,
  });
  const result = interpret({ file, args, filePath: options.filePath, ...child });
  if (result instanceof Error) throw result;
  return result;
}

module.exports = { CATALOG_FILE, catalogFiles, expand, expandSync, findCatalog, resolveBinary };
