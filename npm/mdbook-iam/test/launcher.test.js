// The launcher against a fake platform package and a fake binary on PATH: which binary it finds, that it
// passes arguments, streams and exit status through, and what it says when there is none.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const launcher = require("../index.js");

const bin = path.join(__dirname, "..", "bin", "mdbook-iam.js");
const unix = process.platform !== "win32";

function fakeBinary(file, says) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\necho "${says} $*"\necho "to stderr" >&2\nexit 3\n`);
  fs.chmodSync(file, 0o755);
}

/** A folder with node_modules/@mdbook-iam/PLATFORM holding a fake binary. */
function installedPackage() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-launcher-"));
  const dir = path.join(root, "node_modules", launcher.platformPackage());
  fakeBinary(path.join(dir, "bin", launcher.executableName()), "from-package");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: launcher.platformPackage(), version: "0.0.0" }));
  return root;
}

test("the platform package comes first, then PATH", { skip: !unix }, () => {
  const root = installedPackage();
  const pathDir = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-path-"));
  fakeBinary(path.join(pathDir, "mdbook-iam"), "from-path");
  const env = { PATH: pathDir };
  const found = launcher.locate({ from: root, env });
  assert.equal(found.path, path.join(root, "node_modules", launcher.platformPackage(), "bin", "mdbook-iam"));
  assert.equal(found.source, `the npm package ${launcher.platformPackage()}`);
  assert.deepEqual(launcher.locate({ from: pathDir, env }), { path: path.join(pathDir, "mdbook-iam"), source: "PATH" });
  assert.equal(launcher.locate({ from: pathDir, env: { PATH: "" } }), undefined);
});

test("PATH's search skips node_modules/.bin and the launcher itself", { skip: !unix }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-bin-"));
  const dotBin = path.join(root, "node_modules", ".bin");
  fs.mkdirSync(dotBin, { recursive: true });
  fs.symlinkSync(bin, path.join(dotBin, "mdbook-iam"));
  const other = path.join(root, "elsewhere");
  fs.mkdirSync(other);
  fs.symlinkSync(bin, path.join(other, "mdbook-iam"));
  assert.equal(launcher.fromPath({ env: { PATH: [dotBin, other].join(path.delimiter) } }), undefined);
});

test("the launcher runs the binary with the same arguments, streams and exit status", { skip: !unix }, () => {
  const pathDir = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-path-"));
  fakeBinary(path.join(pathDir, "mdbook-iam"), "ran");
  const run = spawnSync(process.execPath, [bin, "check", "docs/"], {
    env: { PATH: pathDir },
    encoding: "utf8",
  });
  assert.equal(run.status, 3);
  assert.equal(run.stdout, "ran check docs/\n");
  assert.equal(run.stderr, "to stderr\n");
});

test("with no binary, the launcher says where to get one and exits 2", () => {
  const run = spawnSync(process.execPath, [bin, "--version"], { env: { PATH: "" }, encoding: "utf8" });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^mdbook-iam: cannot find the mdbook-iam binary/);
  assert.match(run.stderr, new RegExp(`npm package ${launcher.platformPackage().replace("/", "\\/")} holds it`));
  assert.match(run.stderr, /cargo binstall mdbook-iam/);
  assert.match(launcher.notFoundMessage({ platform: "sunos", arch: "x64" }), /No npm package holds a binary for sunos-x64/);
});
