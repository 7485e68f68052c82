#!/usr/bin/env node
// Validates SARIF files with Microsoft's SARIF Multitool (`validate`, the SARIF rules and GitHub's
// ingestion rules) and fails on any error or warning it reports, and on any note outside the few
// that cannot apply to an offline docs linter (listed below with the reason).
//
// Usage: node sarif-validate.mjs FILE.sarif...
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

// Notes the validator gives every log of ours, and why they stay.
const ACCEPTED_NOTES = {
  SARIF2002: "messages are plain text: each finding's message is built from the page's own names",
  SARIF2003: "versionControlProvenance is the CI's to add; the binary does not read git",
  SARIF2009: "rule ids are the stable kebab-case codes users already know (`unknown-policy`)",
};

// SARIF2006 fetches every URI in the log over HTTP; tests run without network.
const CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
`;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: sarif-validate.mjs FILE.sarif...");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const multitool = require("@microsoft/sarif-multitool");
const work = mkdtempSync(path.join(tmpdir(), "sarif-validate-"));
let failed = 0;
try {
  const config = path.join(work, "config.xml");
  writeFileSync(config, CONFIG);
  for (const file of files) {
    const out = path.join(work, "validation.sarif");
    const run = spawnSync(
      multitool,
      [
        "validate",
        path.resolve(file),
        "--config",
        config,
        "--level",
        "Error;Warning;Note",
        "--rule-kind",
        "Sarif;Gh",
        "--output",
        out,
        "--log",
        "ForceOverwrite",
        "--quiet",
      ],
      { encoding: "utf8", env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" } },
    );
    if (run.error || run.status !== 0) {
      console.error(`${file}: the SARIF Multitool did not run: ${run.error ?? run.stderr ?? run.status}`);
      failed += 1;
      continue;
    }
    const report = JSON.parse(readFileSync(out, "utf8"));
    const problems = (report.runs?.[0]?.results ?? []).filter(
      (r) => !(r.level === "note" && r.ruleId in ACCEPTED_NOTES),
    );
    for (const r of problems) {
      const region = r.locations?.[0]?.physicalLocation?.region;
      const where = region ? `${file}:${region.startLine}:${region.startColumn}` : file;
      const text = r.message?.text ?? `${r.message?.id} ${JSON.stringify(r.message?.arguments ?? [])}`;
      console.error(`${where}: ${r.level ?? "warning"} ${r.ruleId}: ${text}`);
    }
    if (problems.length > 0) {
      failed += 1;
    } else {
      console.log(`ok: ${file} is valid SARIF 2.1.0 (SARIF and GitHub rules)`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed > 0 ? 1 : 0;
