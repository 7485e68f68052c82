// Which mdbook-iam binary the plugin runs: the `binary` option, else $MDBOOK_IAM_BIN, else the binary the
// `mdbook-iam` npm package brought for this platform (a dependency of this plugin), else `mdbook-iam` on PATH.
// The plugin says which one it found, with its `--version`, once per build, and what to do when there is none.
"use strict";

const { spawnSync } = require("node:child_process");

/** The `mdbook-iam` npm package (the launcher), when it is installed. */
function launcherPackage() {
  try {
    return require("mdbook-iam");
  } catch {
    return undefined;
  }
}

const FALLBACK_MESSAGE =
  "docusaurus-plugin-mdbook-iam: cannot find the mdbook-iam binary: the `mdbook-iam` npm package is not " +
  "installed and there is no `mdbook-iam` on PATH.\nInstall it with `npm install mdbook-iam` (this plugin " +
  "depends on it), or `cargo binstall mdbook-iam`, or from https://github.com/mdbook-iam/mdbook-iam/releases; " +
  "or point the plugin's `binary` option or MDBOOK_IAM_BIN at it.";

/**
 * `{ path, source }` of the binary to run; throws an error saying what to do when there is none.
 * @param {{ binary?: string, env?: NodeJS.ProcessEnv, launcher?: { locate: Function, notFoundMessage: Function } }} options
 */
function findBinary({ binary, env = process.env, launcher = launcherPackage() } = {}) {
  if (binary) return { path: binary, source: "the plugin's `binary` option" };
  if (env.MDBOOK_IAM_BIN) return { path: env.MDBOOK_IAM_BIN, source: "MDBOOK_IAM_BIN" };
  if (launcher) {
    const found = launcher.locate({ env });
    if (found) return found;
    throw Object.assign(
      new Error(
        `docusaurus-plugin-mdbook-iam: ${launcher.notFoundMessage()}\n` +
          "Or point the plugin's `binary` option or MDBOOK_IAM_BIN at it.",
      ),
      { hideStack: true },
    );
  }
  const onPath = findOnPath(env);
  if (onPath) return onPath;
  throw Object.assign(new Error(FALLBACK_MESSAGE), { hideStack: true });
}

/** `mdbook-iam` on PATH, for when the launcher package is absent (it does the same search itself). */
function findOnPath(env) {
  const probe = spawnSync("mdbook-iam", ["--version"], { env, encoding: "utf8" });
  return probe.error ? undefined : { path: "mdbook-iam", source: "PATH" };
}

/** `mdbook-iam --version`'s first line; throws an error naming the binary and where it came from when it cannot run. */
function versionOf({ path: file, source }, env = process.env) {
  const run = spawnSync(file, ["--version"], { env: { ...env, NO_COLOR: "1" }, encoding: "utf8" });
  if (run.error || run.status !== 0) {
    const why = run.error
      ? run.error.code === "ENOENT"
        ? "not found"
        : run.error.message
      : `\`--version\` exited with status ${run.status}${run.stderr ? `: ${run.stderr.trim()}` : ""}`;
    throw Object.assign(
      new Error(
        `docusaurus-plugin-mdbook-iam: cannot run ${file} (from ${source}): ${why}. ` +
          "Fix or remove that setting, or install mdbook-iam with `npm install mdbook-iam`.",
      ),
      { hideStack: true },
    );
  }
  // The first line (`mdbook-iam 0.1.0`); the lines after it name the AWS data it embeds.
  return run.stdout.split("\n")[0].trim();
}

module.exports = { findBinary, versionOf };
