// The binary the extension runs, without VS Code: `npm run compile` writes out/locate.js, then
// `node --test test/` runs these.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { locate, serverArgs, INSTALL_HELP } = require("../out/locate.js");

/** A search over a fake file system: `files` exist, and those also in `executables` may run. */
function search(overrides, files = [], executables = files) {
  const present = new Set(files);
  const runnable = new Set(executables);
  return {
    setting: "",
    env: {},
    projectDirs: [],
    baseDir: "/work/site",
    platform: "linux",
    arch: "x64",
    isFile: (f) => present.has(f),
    isExecutable: (f) => runnable.has(f),
    ...overrides,
  };
}

const PKG = "/work/site/node_modules/@mdbook-iam/linux-x64/bin/mdbook-iam";
const LAUNCHER = "/work/site/node_modules/.bin/mdbook-iam";
const ON_PATH = "/usr/local/bin/mdbook-iam";
const ENV_BIN = "/opt/mdbook-iam/mdbook-iam";
const ALL = [PKG, LAUNCHER, ON_PATH, ENV_BIN, "/work/site/tools/mdbook-iam"];

test("the setting comes first, a relative one read from the first workspace folder", () => {
  const s = search(
    { setting: "tools/mdbook-iam", env: { MDBOOK_IAM_BIN: ENV_BIN, PATH: "/usr/local/bin" }, projectDirs: ["/work/site"] },
    ALL,
  );
  assert.deepEqual(locate(s), { path: "/work/site/tools/mdbook-iam", source: "the setting mdbookIam.path", shell: false });
});

test("a setting naming a missing file is an error naming the setting, not a fall back to another binary", () => {
  const s = search({ setting: "/nowhere/mdbook-iam", env: { PATH: "/usr/local/bin" } }, ALL);
  const out = locate(s);
  assert.ok("error" in out, JSON.stringify(out));
  assert.match(out.error, /mdbookIam\.path is "\/nowhere\/mdbook-iam", and \/nowhere\/mdbook-iam is not an executable file/);
  assert.ok(out.error.includes(INSTALL_HELP));
});

test("a setting naming a file that may not run is an error", () => {
  const s = search({ setting: ON_PATH }, [ON_PATH], []);
  assert.ok("error" in locate(s));
});

test("~ in the setting is the home folder", () => {
  const file = path.posix.join(os.homedir(), "bin/mdbook-iam");
  const s = search({ setting: "~/bin/mdbook-iam" }, [file]);
  assert.equal(locate(s).path, file);
});

test("MDBOOK_IAM_BIN comes before node_modules and PATH", () => {
  const s = search({ env: { MDBOOK_IAM_BIN: ENV_BIN, PATH: "/usr/local/bin" }, projectDirs: ["/work/site"] }, ALL);
  assert.deepEqual(locate(s), { path: ENV_BIN, source: "MDBOOK_IAM_BIN", shell: false });
});

test("MDBOOK_IAM_BIN naming a missing file is an error naming the variable", () => {
  const s = search({ env: { MDBOOK_IAM_BIN: "/gone", PATH: "/usr/local/bin" } }, ALL);
  const out = locate(s);
  assert.match(out.error, /^MDBOOK_IAM_BIN is "\/gone"/);
});

test("in node_modules, this platform's binary package runs directly, before the launcher", () => {
  const s = search({ env: { PATH: "/usr/local/bin" }, projectDirs: ["/work/site"] }, ALL);
  assert.deepEqual(locate(s), { path: PKG, source: "the npm package @mdbook-iam/linux-x64", shell: false });
  const arm = search({ projectDirs: ["/work/site"], arch: "arm64" }, ALL);
  assert.deepEqual(locate(arm), { path: LAUNCHER, source: "the npm package mdbook-iam", shell: false });
});

test("the launcher in node_modules/.bin comes before PATH", () => {
  const s = search({ env: { PATH: "/usr/local/bin" }, projectDirs: ["/work/site"] }, [LAUNCHER, ON_PATH]);
  assert.equal(locate(s).path, LAUNCHER);
});

test("project folders are searched in order: the workspace folder, then a catalog's folder", () => {
  const website = "/work/repo/website/node_modules/.bin/mdbook-iam";
  const s = search({ projectDirs: ["/work/repo", "/work/repo/website"] }, [website]);
  assert.equal(locate(s).path, website);
});

test("PATH is searched last, in order, skipping files that may not run", () => {
  const first = "/home/me/bin/mdbook-iam";
  const s = search({ env: { PATH: "/home/me/bin::/usr/local/bin" } }, [first, ON_PATH], [ON_PATH]);
  assert.deepEqual(locate(s), { path: ON_PATH, source: "PATH", shell: false });
});

test("on Windows: mdbook-iam.exe in the binary package, the .cmd launcher through a shell, PATHEXT on Path", () => {
  const base = { platform: "win32", arch: "x64", baseDir: "C:\\site", isExecutable: undefined };
  const pkg = "C:\\site\\node_modules\\@mdbook-iam\\win32-x64\\bin\\mdbook-iam.exe";
  const cmd = "C:\\site\\node_modules\\.bin\\mdbook-iam.cmd";
  assert.deepEqual(locate(search({ ...base, projectDirs: ["C:\\site"] }, [pkg, cmd])), {
    path: pkg,
    source: "the npm package @mdbook-iam/win32-x64",
    shell: false,
  });
  assert.deepEqual(locate(search({ ...base, projectDirs: ["C:\\site"] }, [cmd])), {
    path: cmd,
    source: "the npm package mdbook-iam",
    shell: true,
  });
  const exe = "C:\\Tools\\mdbook-iam.exe";
  const env = { Path: "C:\\Windows;C:\\Tools", PATHEXT: ".COM;.EXE;.CMD" };
  assert.deepEqual(locate(search({ ...base, env }, [exe])), { path: exe, source: "PATH", shell: false });
  assert.equal(locate(search({ ...base, setting: "bin\\mdbook-iam.exe" }, ["C:\\site\\bin\\mdbook-iam.exe"])).path,
    "C:\\site\\bin\\mdbook-iam.exe");
});

test("nothing found: the message says where it looked and how to install", () => {
  const out = locate(search({ env: { PATH: "/usr/bin" }, projectDirs: ["/work/site"] }, []));
  assert.match(out.error, /^The mdbook-iam command was not found \(looked in node_modules in \/work\/site, and PATH\)/);
  for (const way of ["npm install --save-dev mdbook-iam", "cargo binstall mdbook-iam", "mdbookIam.path",
    "https://github.com/mdbook-iam/mdbook-iam#install"]) {
    assert.ok(out.error.includes(way), `${way} missing from: ${out.error}`);
  }
  const untrusted = locate(search({ env: { PATH: "/usr/bin" } }, [LAUNCHER]));
  assert.match(untrusted.error, /not searched: none is open, or it is not trusted/);
});

test("the real file system: an executable launcher is found, a plain file is not", { skip: process.platform === "win32" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-locate-"));
  try {
    const bin = path.join(dir, "node_modules", ".bin");
    fs.mkdirSync(bin, { recursive: true });
    const launcher = path.join(bin, "mdbook-iam");
    fs.writeFileSync(launcher, "#!/bin/sh\n", { mode: 0o644 });
    const s = { setting: "", env: { PATH: "" }, projectDirs: [dir], platform: process.platform, arch: process.arch };
    assert.ok("error" in locate(s), "a file without the executable bit was taken");
    fs.chmodSync(launcher, 0o755);
    assert.equal(locate(s).path, launcher);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the server's arguments: lsp, and --aws-data with the setting's folder", () => {
  assert.deepEqual(serverArgs("", "/work/site", "linux"), ["lsp"]);
  assert.deepEqual(serverArgs("  ", "/work/site", "linux"), ["lsp"]);
  assert.deepEqual(serverArgs("data/aws", "/work/site", "linux"), ["lsp", "--aws-data", "/work/site/data/aws"]);
  assert.deepEqual(serverArgs("/srv/aws", "/work/site", "linux"), ["lsp", "--aws-data", "/srv/aws"]);
});
