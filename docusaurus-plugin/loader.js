// A webpack loader that runs before Docusaurus's MDX loader: it expands the page's mdbook-iam directives and
// hands MDX the result. It declares the catalog, and the files the catalog includes, as dependencies of every
// page it expands, so the bundler's watcher (`docusaurus start`) and its persistent cache (`docusaurus build`)
// both notice a catalog edit.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { catalogFiles, expand, findCatalog } = require("./expand.js");

// `docusaurus build` compiles each page twice (client and server bundles) in one process; both get the same
// expansion from one run of the binary. One entry per page: an edit replaces it.
const recent = new Map();

function stamp(file) {
  try {
    const { mtimeMs, size } = fs.statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return "missing";
  }
}

module.exports = function mdbookIamLoader(content) {
  const callback = this.async();
  const { binary, catalog: configured, watch = [] } = this.getOptions();
  const filePath = this.resourcePath;
  const catalog = configured ?? findCatalog(path.dirname(filePath));
  const dependencies = [...(catalog ? catalogFiles(catalog) : []), ...watch];
  for (const dependency of dependencies) this.addDependency(dependency);

  const key = [
    binary,
    ...dependencies.map((dependency) => `${dependency}@${stamp(dependency)}`),
    crypto.createHash("sha1").update(content).digest("hex"),
  ].join("\0");
  let entry = recent.get(filePath);
  if (entry?.key !== key) {
    const result = expand({ binary, catalog, filePath, fileContent: content });
    // Warnings are printed once per expansion, as the binary wrote them. Handed to the bundler instead,
    // Docusaurus would print each one twice (client and server) as a line of escaped JSON.
    result.then(
      ({ warnings }) => warnings && console.warn(warnings),
      () => {},
    );
    entry = { key, result };
    recent.set(filePath, entry);
  }
  entry.result.then(({ text }) => callback(null, text), callback);
};
