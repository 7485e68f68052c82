#!/usr/bin/env node
// Makes the npm packages from built binaries, as esbuild ships its own: one package per platform holding the
// binary (`@mdbook-iam/linux-x64`, with `os` and `cpu` so npm installs only the matching one), the launcher
// `mdbook-iam` (npm/mdbook-iam/, its optional dependencies the platform packages made here), and the
// Docusaurus plugin (docusaurus-plugin/, depending on the launcher). Each is packed with `npm pack` into OUT.
//
// Usage: node npm/pack.mjs --out OUT --version VERSION --binary PLATFORM=FILE [--binary PLATFORM=FILE ...]
// PLATFORM is Node's `${process.platform}-${process.arch}` (linux-x64, darwin-arm64, win32-x64, ...).
// scripts/package-npm calls it with this machine's release build; the release workflow with every target's.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const launcherDir = path.join(here, "mdbook-iam");
const pluginDir = path.join(repo, "docusaurus-plugin");
const REPOSITORY = "https://github.com/mdbook-iam/mdbook-iam";

function usage(message) {
  console.error(`npm/pack.mjs: ${message}`);
  console.error("usage: node npm/pack.mjs --out OUT --version VERSION --binary PLATFORM=FILE [...]");
  process.exit(2);
}

const args = process.argv.slice(2);
let out;
let version;
const binaries = [];
for (let i = 0; i < args.length; i++) {
  const value = args[i + 1];
  if (value === undefined) usage(`${args[i]} needs a value`);
  if (args[i] === "--out") out = path.resolve(value);
  else if (args[i] === "--version") version = value;
  else if (args[i] === "--binary") {
    const at = value.indexOf("=");
    if (at < 1) usage(`--binary ${value}: write PLATFORM=FILE`);
    binaries.push({ platform: value.slice(0, at), file: path.resolve(value.slice(at + 1)) });
  } else usage(`unknown argument ${args[i]}`);
  i++;
}
if (!out || !version || binaries.length === 0) usage("--out, --version and at least one --binary are needed");

const launcher = JSON.parse(fs.readFileSync(path.join(launcherDir, "package.json"), "utf8"));
const plugin = JSON.parse(fs.readFileSync(path.join(pluginDir, "package.json"), "utf8"));
// The committed manifests carry the crate's version, so a checkout's packages agree with its binary.
for (const [what, manifest] of [
  ["npm/mdbook-iam/package.json", launcher],
  ["docusaurus-plugin/package.json", plugin],
]) {
  if (manifest.version !== version) usage(`${what} has version ${manifest.version}, the crate ${version}`);
}
if (plugin.dependencies?.["mdbook-iam"] !== version) {
  usage(`docusaurus-plugin/package.json must depend on mdbook-iam ${version}`);
}

const { PLATFORMS, platformPackage, executableName } = await import(path.join(launcherDir, "index.js"));

const staging = fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-npm-"));
fs.mkdirSync(out, { recursive: true });

function pack(dir) {
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [info] = JSON.parse(json);
  console.log(`${path.join(out, info.filename)}  (${info.size} bytes packed, ${info.unpackedSize} unpacked)`);
}

function copyFiles(from, to, files) {
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

const optionalDependencies = {};
for (const { platform, file } of binaries) {
  if (!PLATFORMS.includes(platform)) usage(`unknown platform ${platform} (known: ${PLATFORMS.join(", ")})`);
  if (!fs.existsSync(file)) usage(`${file} does not exist`);
  const [osName, cpu] = platform.split("-");
  const name = platformPackage(osName, cpu);
  const dir = path.join(staging, platform);
  const exe = executableName(osName);
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  fs.copyFileSync(file, path.join(dir, "bin", exe));
  fs.chmodSync(path.join(dir, "bin", exe), 0o755);
  const manifest = {
    name,
    version,
    description: `The mdbook-iam binary for ${platform}; installed by the \`mdbook-iam\` package, which runs it.`,
    license: launcher.license,
    homepage: REPOSITORY,
    repository: launcher.repository,
    os: [osName],
    cpu: [cpu],
    files: [`bin/${exe}`],
    preferUnplugged: true,
  };
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, "README.md"),
    `# ${name}\n\nThe \`mdbook-iam\` binary for ${platform}. Install [\`mdbook-iam\`](https://www.npmjs.com/package/mdbook-iam) ` +
      "instead: it depends on this package on this platform only, and runs the binary.\n",
  );
  pack(dir);
  optionalDependencies[name] = version;
}

// The launcher: its optional dependencies are the platform packages packed above.
const launcherStage = path.join(staging, "mdbook-iam");
copyFiles(launcherDir, launcherStage, ["index.js", "bin/mdbook-iam.js", "README.md"]);
fs.chmodSync(path.join(launcherStage, "bin/mdbook-iam.js"), 0o755);
fs.writeFileSync(
  path.join(launcherStage, "package.json"),
  `${JSON.stringify({ ...launcher, optionalDependencies }, null, 2)}\n`,
);
pack(launcherStage);

// The plugin, as it is in the repository.
const pluginStage = path.join(staging, "docusaurus-plugin");
copyFiles(pluginDir, pluginStage, ["package.json", ...plugin.files]);
pack(pluginStage);

fs.rmSync(staging, { recursive: true, force: true });
