// A webpack loader that runs before Docusaurus's MDX loader: it expands the page's mdbook-iam directives and
// hands MDX the result. The binary says which files the expansion read (the catalog and the files it
// includes); they become dependencies of the page, so the bundler's watcher (`docusaurus start`) and its
// persistent cache (`docusaurus build`) both notice a catalog edit. A page's expansion validates the catalog
// entries the page uses; the whole catalog (every entry, every claim) is checked once per build and per state
// of the catalog's files.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const { expand, checkCatalog } = require("./expand.js");

// `docusaurus build` compiles each page twice (client and server bundles) in one process; both get the same
// expansion from one run of the binary. One entry per page: an edit (of the page or of a file its last
// expansion read) replaces it.
const recent = new Map();

function stamp(file) {
  try {
    const { mtimeMs, size } = fs.statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return "missing";
  }
}

// One whole-catalog check per catalog (the first file an expansion read), kept while the binary and the state
// of the catalog's files stay the same. Its errors fail one page, the first that asked for the check (in both
// bundles), so the build stops and prints them once; its warnings are printed once.
const catalogChecks = new Map();

function catalogCheck(binary, dependencies, filePath) {
  const catalog = dependencies[0];
  if (catalog === undefined) return undefined;
  const state = stamps(dependencies);
  let entry = catalogChecks.get(catalog);
  if (!entry || entry.binary !== binary || entry.state !== state) {
    entry = { binary, state, owner: filePath, result: checkCatalog({ binary, catalog }) };
    entry.result.then(
      ({ warnings }) => {
        if (warnings) console.warn(warnings);
      },
      () => {},
    );
    catalogChecks.set(catalog, entry);
  }
  return entry;
}

/** The state of the files an expansion read, to tell whether one has changed since. */
function stamps(files) {
  return files.map((file) => `${file}@${stamp(file)}`).join("\0");
}

/** Whether a cached expansion still holds: same binary and page text, and no file it read has changed. */
function fresh(entry, binary, hash, watch) {
  if (!entry || entry.binary !== binary || entry.hash !== hash) return false;
  // Still running: the other bundle asking for the same page shares it.
  if (entry.dependencies === undefined) return true;
  return entry.stamps === stamps([...entry.dependencies, ...watch]);
}

module.exports = function mdbookIamLoader(content) {
  const callback = this.async();
  const { binary, catalog, watch = [] } = this.getOptions();
  const filePath = this.resourcePath;
  const addDependencies = (files) => {
    for (const file of [...files, ...watch]) this.addDependency(file);
  };
  const hash = crypto.createHash("sha1").update(content).digest("hex");

  let entry = recent.get(filePath);
  if (!fresh(entry, binary, hash, watch)) {
    const result = expand({ binary, catalog, filePath, fileContent: content });
    const current = { binary, hash, dependencies: undefined, stamps: undefined, result };
    const settle = (dependencies) => {
      current.dependencies = dependencies;
      current.stamps = stamps([...dependencies, ...watch]);
    };
    result.then(
      ({ dependencies, warnings }) => {
        settle(dependencies);
        // Warnings are printed once per expansion, as the binary wrote them. Handed to the bundler instead,
        // Docusaurus would print each one twice (client and server) as a line of escaped JSON.
        if (warnings) console.warn(warnings);
      },
      (error) => settle(error.dependencies ?? []),
    );
    entry = current;
    recent.set(filePath, entry);
  }
  entry.result.then(
    ({ text, dependencies }) => {
      addDependencies(dependencies);
      const check = catalogCheck(binary, dependencies, filePath);
      if (!check) return callback(null, text);
      check.result.then(
        () => callback(null, text),
        (error) => (check.owner === filePath ? callback(error) : callback(null, text)),
      );
    },
    (error) => {
      addDependencies(error.dependencies ?? []);
      callback(error);
    },
  );
};
