// docusaurus-plugin-mdbook-iam: expands mdbook-iam directives in every Markdown and MDX page of a Docusaurus 3
// site (docs, blog, pages) by running `mdbook-iam expand --flavor docusaurus` on each page before MDX sees it.
// The work is done by ./loader.js; this file only adds it to the bundler configuration.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { expand, expandSync } = require("./expand.js");
const { findBinary, versionOf } = require("./binary.js");

const MARKDOWN = /\.mdx?$/i;
const OPTIONS = new Set(["catalog", "binary", "watch", "include"]);
const DOCUSAURUS_OPTIONS = new Set(["id"]); // Docusaurus adds the plugin instance id

// The binaries already named in this process (`docusaurus start` loads the plugin again on every config edit).
const announced = new Set();

function checkOptions(options, siteDir) {
  const unknown = Object.keys(options).filter((key) => !OPTIONS.has(key) && !DOCUSAURUS_OPTIONS.has(key));
  if (unknown.length > 0) {
    throw new Error(
      `docusaurus-plugin-mdbook-iam: unknown option(s) ${unknown.join(", ")}; known: ${[...OPTIONS].join(", ")}`,
    );
  }
  const catalog = options.catalog === undefined ? undefined : path.resolve(siteDir, options.catalog);
  if (catalog !== undefined && !fs.existsSync(catalog)) {
    throw new Error(`docusaurus-plugin-mdbook-iam: catalog ${catalog} does not exist (option \`catalog\`)`);
  }
  const paths = (name) => {
    const value = options[name] ?? [];
    if (!Array.isArray(value))
      throw new Error(`docusaurus-plugin-mdbook-iam: option \`${name}\` must be a list`);
    return value.map((entry) => path.resolve(siteDir, entry));
  };
  return { catalog, binary: options.binary, watch: paths("watch"), include: paths("include") };
}

/**
 * @param {import('@docusaurus/types').LoadContext} context
 * @param {{ catalog?: string, binary?: string, watch?: string[], include?: string[] }} options
 *   catalog: path of iam-catalog.toml, relative to the site; default: the nearest one above each page.
 *   binary:  the mdbook-iam executable; default: $MDBOOK_IAM_BIN, else the one the `mdbook-iam` npm package
 *            brought for this platform, else `mdbook-iam` on PATH (binary.js).
 *   watch:   further files whose edits must re-expand the pages (the catalog's includes are followed).
 *   include: directories whose pages are expanded; default: the whole site except node_modules.
 */
function pluginMdbookIam(context, options = {}) {
  const { catalog, binary, watch, include } = checkOptions(options, context.siteDir);
  // Found when the site loads (loadContent runs before the bundler is configured), so a build without a
  // binary stops once with what to do, rather than once per page.
  let resolved = binary;
  return {
    name: "docusaurus-plugin-mdbook-iam",
    loadContent() {
      const found = findBinary({ binary });
      const version = versionOf(found);
      if (!announced.has(found.path)) {
        announced.add(found.path);
        console.log(`[mdbook-iam] using ${version} at ${found.path} (from ${found.source})`);
      }
      resolved = found.path;
    },
    configureWebpack() {
      return {
        module: {
          rules: [
            {
              // A function, not a RegExp: Docusaurus's MDX fallback loader excludes the `include` of every
              // rule whose `test` is a RegExp matching .mdx, and this rule must not take pages from it.
              test: (resource) => MARKDOWN.test(resource),
              enforce: "pre",
              ...(include.length > 0 ? { include } : { exclude: /[\\/]node_modules[\\/]/ }),
              use: [{ loader: require.resolve("./loader.js"), options: { catalog, binary: resolved, watch } }],
            },
          ],
        },
      };
    },
  };
}

module.exports = pluginMdbookIam;
module.exports.default = pluginMdbookIam;
module.exports.expand = expand;
module.exports.expandSync = expandSync;
