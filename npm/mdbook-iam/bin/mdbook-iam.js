#!/usr/bin/env node
// `mdbook-iam` from npm: runs the binary of this platform's package (else the one on PATH) with the same
// arguments, standard streams and exit status, so `npx mdbook-iam check docs/` is the command itself.
"use strict";

const { spawnSync } = require("node:child_process");
const { locate, notFoundMessage } = require("../index.js");

const found = locate();
if (!found) {
  process.stderr.write(`${notFoundMessage()}\n`);
  process.exit(2);
}
const child = spawnSync(found.path, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (child.error) {
  process.stderr.write(`mdbook-iam: cannot run ${found.path} (from ${found.source}): ${child.error.message}\n`);
  process.exit(2);
}
if (child.signal) {
  // Die of the same signal, so a shell sees what the binary saw.
  process.kill(process.pid, child.signal);
}
process.exit(child.status ?? 2);
