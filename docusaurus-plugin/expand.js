// Runs `mdbook-iam expand --deps` on one page and turns its answer into the expanded text and the files the
// expansion read (the catalog and its includes, found by the binary as the CLI finds them), or into an error
// whose message is the binary's own diagnostics (`path:line:col: error[code]: message` and a source
// excerpt). The page goes in on stdin, so what is expanded is what the bundler holds, and `--stdin-filename`
// makes the diagnostics name the page and tells the binary where to look for the catalog. A page's expansion
// validates the catalog entries that page uses; `checkCatalog` runs `mdbook-iam check CATALOG`, which
// validates all of them and proves every claim, for the loader to run once per build.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const path = require("node:path");

const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * An error whose message is all a reader needs. A plain Error, so webpack's persistent cache can store it;
 * `hideStack` keeps webpack from printing a JavaScript stack under it.
 */
function expandError(message) {
  return Object.assign(new Error(message), { hideStack: true });
}

/**
 * The binary to run: the `binary` option, else $MDBOOK_IAM_BIN, else the `mdbook-iam` npm package's binary for
 * this platform, else `mdbook-iam` on PATH. (The plugin resolves it once per build; this serves direct callers.)
 */
function resolveBinary(binary) {
  if (binary || process.env.MDBOOK_IAM_BIN) return binary || process.env.MDBOOK_IAM_BIN;
  try {
    return require("mdbook-iam").locate()?.path ?? "mdbook-iam";
  } catch {
    return "mdbook-iam";
  }
}

/** How diagnostics name the page: relative to where the build runs, as a terminal user would type it. */
function displayPath(filePath) {
  const relative = path.relative(process.cwd(), filePath);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : filePath;
}

function commandFor({ binary, catalog, flavor = "docusaurus", filePath }) {
  const args = ["expand", "--deps", "--flavor", flavor];
  if (catalog) args.push("--catalog", catalog);
  args.push("--stdin-filename", displayPath(filePath), "-");
  return { file: resolveBinary(binary), args };
}

// NO_COLOR: the output lands in a bundler's log, which is not a terminal even when the build runs in one.
const childEnv = () => ({ ...process.env, NO_COLOR: "1" });

/** `--deps` prints one JSON object, `{ text, dependencies }`, on exit 0 and on exit 1. */
function answer(stdout) {
  try {
    const parsed = JSON.parse(stdout);
    return { text: parsed.text, dependencies: Array.isArray(parsed.dependencies) ? parsed.dependencies : [] };
  } catch {
    return undefined;
  }
}

/**
 * Exit 0: the page, the files it depends on and any warnings. Exit 1: the diagnostics (the error carries the
 * dependencies too, so that fixing the catalog re-expands the page). Anything else: a usage or I/O failure.
 */
function interpret({ file, args, filePath, error, status, signal, stdout, stderr }) {
  const page = displayPath(filePath);
  if (error) {
    if (error.code === "ENOENT") {
      return expandError(
        `${page}: cannot run \`${file}\`: not found. Install it (npm install mdbook-iam, or cargo binstall ` +
          "mdbook-iam), put it on PATH, or point the plugin's `binary` option or MDBOOK_IAM_BIN at it.",
      );
    }
    return expandError(`${page}: cannot run \`${file}\`: ${error.message}`);
  }
  const diagnostics = stderr.trimEnd();
  const parsed = status === 0 || status === 1 ? answer(stdout) : undefined;
  if (status === 0 && parsed && typeof parsed.text === "string") {
    return { text: parsed.text, dependencies: parsed.dependencies, warnings: diagnostics };
  }
  if (status === 1) {
    const failure = expandError(diagnostics || `${page}: \`${file} expand\` reported errors but printed none`);
    return Object.assign(failure, { dependencies: parsed?.dependencies ?? [] });
  }
  if (status === 0) {
    return expandError(`${page}: \`${file} ${args.join(" ")}\` printed no page (is it mdbook-iam 0.1 or newer?)`);
  }
  const how = signal ? `was killed by ${signal}` : `exited with status ${status}`;
  return expandError(
    `${page}: \`${file} ${args.join(" ")}\` ${how}${diagnostics ? `:\n${diagnostics}` : ""}`,
  );
}

/**
 * Expands one page. Resolves to `{ text, dependencies, warnings }`; rejects with an error carrying the
 * diagnostics (and `dependencies`, when the binary could say them).
 * @param {{ filePath: string, fileContent: string, catalog?: string, binary?: string, flavor?: string }} options
 */
function expand(options) {
  const { file, args } = commandFor(options);
  return run(file, args, options.fileContent).then((outcome) => {
    const result = interpret({ file, args, filePath: options.filePath, ...outcome });
    if (result instanceof Error) throw result;
    return result;
  });
}

/**
 * Runs the binary with `input` on stdin (none when undefined). Resolves to what `interpret` reads:
 * `{ error, status, signal, stdout, stderr }`, never rejecting.
 */
function run(file, args, input) {
  return new Promise((resolve) => {
    const stdin = input === undefined ? "ignore" : "pipe";
    const child = spawn(file, args, { env: childEnv(), stdio: [stdin, "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    let error;
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", (e) => {
      error = e;
    });
    child.on("close", (status, signal) =>
      resolve({
        error,
        status,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
    if (input !== undefined) {
      // The binary may stop reading early (a usage error); its exit status says why, not the broken pipe.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

/**
 * The same, blocking: for hooks that must be synchronous, such as Docusaurus's `markdown.preprocessor`.
 * Returns `{ text, dependencies, warnings }`; throws an error carrying the diagnostics.
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

/**
 * Checks a whole catalog: every entry validated, every claim proven (`mdbook-iam check CATALOG`). Resolves to
 * `{ warnings }`; rejects with an error whose message is the binary's diagnostics.
 * @param {{ catalog: string, binary?: string }} options
 */
function checkCatalog({ catalog, binary }) {
  const file = resolveBinary(binary);
  const args = ["check", displayPath(catalog)];
  return run(file, args, undefined).then(({ error, status, signal, stdout, stderr }) => {
    const text = `${stdout}${stderr}`.trimEnd();
    const where = displayPath(catalog);
    if (error) throw expandError(`${where}: cannot run \`${file}\`: ${error.message}`);
    if (status === 0) return { warnings: text };
    if (status === 1) throw expandError(text || `${where}: \`${file} check\` reported errors but printed none`);
    const how = signal ? `was killed by ${signal}` : `exited with status ${status}`;
    throw expandError(`${where}: \`${file} ${args.join(" ")}\` ${how}${text ? `:\n${text}` : ""}`);
  });
}

module.exports = { expand, expandSync, checkCatalog, resolveBinary };
