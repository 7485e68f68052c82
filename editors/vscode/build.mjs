// Bundles src/extension.ts with the pinned esbuild into dist/extension.js (vscode-languageclient and its
// dependencies inside, `vscode` left to the editor), minified, and writes dist/THIRD-PARTY-NOTICES.txt: the
// name, version, licence and licence text of every npm package the bundle holds, since minifying drops their
// notices. A bundled package without a licence file stops the build.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/extension.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  minify: true,
  legalComments: "none",
  metafile: true,
  outfile: "dist/extension.js",
  logLevel: "warning",
});

// node_modules/NAME or node_modules/@SCOPE/NAME of every bundled input.
const roots = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) roots.add(m[1]);
}

const sections = [];
for (const root of [...roots].sort()) {
  const dir = path.join(here, root);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) {
    console.error(`build.mjs: ${manifest.name} ${manifest.version} is bundled but has no licence file`);
    process.exit(1);
  }
  const text = fs.readFileSync(path.join(dir, file), "utf8").trim();
  sections.push(`${manifest.name} ${manifest.version} (${manifest.license})\n\n${text}\n`);
}
fs.writeFileSync(
  path.join(here, "dist", "THIRD-PARTY-NOTICES.txt"),
  "dist/extension.js bundles these npm packages; their licences follow.\n\n" +
    sections.join(`\n${"-".repeat(78)}\n\n`),
);
console.log(
  `dist/extension.js: ${fs.statSync(path.join(here, "dist", "extension.js")).size} bytes, ` +
    `${roots.size} bundled packages (dist/THIRD-PARTY-NOTICES.txt)`,
);
