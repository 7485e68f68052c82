// Where the mdbook-iam binary is: first in this platform's package (`@mdbook-iam/linux-x64` and so on, one
// optional dependency per platform, of which npm installs only the one whose `os` and `cpu` match), then on
// PATH. The launcher (bin/mdbook-iam.js) and the Docusaurus plugin both ask here.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/** The platforms a release publishes a binary package for, by Node's `${process.platform}-${process.arch}`. */
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

const LAUNCHER = path.join(__dirname, "bin", "mdbook-iam.js");

function executableName(platform = process.platform) {
  return platform === "win32" ? "mdbook-iam.exe" : "mdbook-iam";
}

/** The binary package for a platform, such as `@mdbook-iam/linux-x64`. */
function platformPackage(platform = process.platform, arch = process.arch) {
  return `@mdbook-iam/${platform}-${arch}`;
}

/** The binary inside this platform's package, when that package is installed. `from`: where to resolve it. */
function fromPackage({ from = __dirname, platform = process.platform, arch = process.arch } = {}) {
  const name = platformPackage(platform, arch);
  let manifest;
  try {
    manifest = require.resolve(`${name}/package.json`, { paths: [from] });
  } catch {
    return undefined;
  }
  const file = path.join(path.dirname(manifest), "bin", executableName(platform));
  if (!fs.existsSync(file)) return undefined;
  return { path: file, source: `the npm package ${name}` };
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function sameFile(a, b) {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * `mdbook-iam` on PATH, skipping this launcher (npm links it into node_modules/.bin, which npm scripts and npx
 * put on PATH): running it from here would start the search again.
 */
function fromPath({ env = process.env, platform = process.platform } = {}) {
  const names =
    platform === "win32"
      ? (env.PATHEXT || ".EXE;.CMD;.BAT").split(";").map((ext) => `mdbook-iam${ext.toLowerCase()}`)
      : ["mdbook-iam"];
  for (const dir of (env.PATH || env.Path || "").split(path.delimiter)) {
    if (!dir || /[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    for (const name of names) {
      const file = path.join(dir, name);
      if (!isFile(file) || sameFile(file, LAUNCHER)) continue;
      if (platform !== "win32") {
        try {
          fs.accessSync(file, fs.constants.X_OK);
        } catch {
          continue;
        }
      }
      return { path: file, source: "PATH" };
    }
  }
  return undefined;
}

/** `{ path, source }` of the binary to run, or undefined when there is none. */
function locate(options = {}) {
  return fromPackage(options) ?? fromPath(options);
}

/** What to tell a user when `locate` finds nothing. */
function notFoundMessage({ platform = process.platform, arch = process.arch } = {}) {
  const key = `${platform}-${arch}`;
  const published = PLATFORMS.includes(key)
    ? `The npm package ${platformPackage(platform, arch)} holds it for this machine; it is an optional ` +
      "dependency of the `mdbook-iam` package, so an install that omits optional dependencies " +
      "(`--omit=optional`, `--no-optional`) or that was copied from another platform leaves it out: " +
      "run `npm install mdbook-iam` again on this machine."
    : `No npm package holds a binary for ${key} (there are ${PLATFORMS.join(", ")}).`;
  return [
    "mdbook-iam: cannot find the mdbook-iam binary: no package for this platform and no `mdbook-iam` on PATH.",
    published,
    "Other ways to get it: `cargo binstall mdbook-iam` (prebuilt), the archive for your platform from " +
      "https://github.com/mdbook-iam/mdbook-iam/releases, or `cargo install mdbook-iam` (compiles it).",
  ].join("\n");
}

module.exports = { PLATFORMS, platformPackage, executableName, fromPackage, fromPath, locate, notFoundMessage };
