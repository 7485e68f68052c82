#!/usr/bin/env node
// Proves that `docusaurus start` follows catalog edits: starts the dev server for a site, reads a page in
// headless Chromium, appends an action to one line of the catalog, and waits until the page, reloaded, shows
// it. The catalog is restored afterwards, pass or fail. Run it on a copy of the site and catalog.
//
// Usage: node docusaurus-watch-check.mjs --site DIR --catalog FILE --page PATH --find TEXT --replace TEXT
//                                         [--expect TEXT] [--timeout MS]
//   --find/--replace  the catalog edit (first occurrence); --expect: what the page must then show
//                     (default: the replacement text)
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: opts } = parseArgs({
  options: {
    site: { type: "string" },
    catalog: { type: "string" },
    page: { type: "string" },
    find: { type: "string" },
    replace: { type: "string" },
    expect: { type: "string" },
    timeout: { type: "string", default: "180000" },
    chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
  },
});
for (const name of ["site", "catalog", "page", "find", "replace"]) {
  if (opts[name] === undefined) {
    console.error(`docusaurus-watch-check: missing --${name}`);
    process.exit(2);
  }
}
const timeout = Number(opts.timeout);
const expected = opts.expect ?? opts.replace;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Resolves once the dev server's log has printed `pattern` `count` times in all.
function waitForLog(log, pattern, count, what) {
  const deadline = Date.now() + timeout;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if ((log.text.match(pattern) ?? []).length >= count) {
        clearInterval(timer);
        resolve();
      } else if (log.exited || Date.now() > deadline) {
        clearInterval(timer);
        reject(
          new Error(`${what}: ${log.exited ? "dev server exited" : "timed out"}\n${log.text.slice(-3000)}`),
        );
      }
    }, 200);
  });
}

const catalog = path.resolve(opts.catalog);
const original = await readFile(catalog, "utf8");
if (!original.includes(opts.find)) {
  console.error(`docusaurus-watch-check: ${catalog} does not contain ${JSON.stringify(opts.find)}`);
  process.exit(2);
}
const port = await freePort();
const docusaurus = path.join(
  path.resolve(opts.site),
  "node_modules",
  "@docusaurus",
  "core",
  "bin",
  "docusaurus.mjs",
);
const server = spawn(
  process.execPath,
  [docusaurus, "start", "--port", String(port), "--host", "127.0.0.1", "--no-open"],
  {
    cwd: path.resolve(opts.site),
    env: { ...process.env, NO_COLOR: "1", BROWSER: "none" },
    stdio: ["ignore", "pipe", "pipe"],
  },
);
const log = { text: "", exited: false };
server.stdout.on("data", (chunk) => (log.text += chunk));
server.stderr.on("data", (chunk) => (log.text += chunk));
server.on("exit", () => (log.exited = true));

let browser;
let failed = false;
try {
  const compiled = /compiled (successfully|with)/g;
  await waitForLog(log, compiled, 1, "first compilation");
  browser = await chromium.launch({
    executablePath: opts.chromium,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  const page = await browser.newPage();
  const url = `http://127.0.0.1:${port}/${opts.page.replace(/^\/+/, "")}`;
  await page.goto(url, { waitUntil: "networkidle", timeout });
  const before = await page.locator("main").innerText();
  if (before.includes(expected))
    throw new Error(`${url} already shows ${JSON.stringify(expected)} before the edit`);
  console.log(`ok: ${url} rendered; it does not show ${JSON.stringify(expected)} yet`);

  const started = Date.now();
  const compilations = (log.text.match(compiled) ?? []).length;
  await writeFile(catalog, original.replace(opts.find, opts.replace));
  await waitForLog(log, compiled, compilations + 1, "recompilation after the catalog edit");
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.goto(url, { waitUntil: "networkidle", timeout });
    if ((await page.locator("main").innerText()).includes(expected)) break;
    if (Date.now() > deadline)
      throw new Error(`${url} never showed ${JSON.stringify(expected)} after the catalog edit`);
    await page.waitForTimeout(500);
  }
  console.log(
    `ok: after the catalog edit the page shows ${JSON.stringify(expected)} (${Date.now() - started} ms)`,
  );
} catch (error) {
  failed = true;
  console.error(`docusaurus-watch-check: FAILED: ${error.message}`);
} finally {
  await writeFile(catalog, original);
  await browser?.close();
  server.kill("SIGTERM");
}
process.exitCode = failed ? 1 : 0;
