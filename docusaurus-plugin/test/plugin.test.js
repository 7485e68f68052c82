// The Docusaurus glue on its own, against a fake binary: arguments, exit codes, the catalog as a bundler
// dependency, one run per page for the two bundles, and the webpack rule the plugin adds.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const plugin = require("../index.js");
const loader = require("../loader.js");
const { expand, expandSync } = require("../expand.js");

const fixtures = path.join(__dirname, "fixtures");
const fake = path.join(fixtures, "fake-mdbook-iam.mjs");
const site = path.join(fixtures, "site");
const catalog = path.join(site, "iam-catalog.toml");
const page = path.join(site, "docs", "guide", "page.mdx");
const other = path.join(site, "docs", "other.mdx");

function logFile() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-fake-")), "calls.jsonl");
  process.env.FAKE_LOG = file;
  return () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").map(JSON.parse) : []);
}

test("expand sends the page on stdin and names it for diagnostics", async () => {
  const calls = logFile();
  const { text, warnings } = await expand({
    binary: fake,
    catalog,
    filePath: page,
    fileContent: "# Guide\n\n```iam-policy s3-readonly\n\n```\n",
  });
  assert.equal(text, '# Guide\n\n```json title="s3-readonly.json"\n{}\n```\n');
  assert.equal(warnings, "");
  const shown = path.relative(process.cwd(), page);
  assert.deepEqual(calls(), [
    ["expand", "--deps", "--flavor", "docusaurus", "--catalog", catalog, "--stdin-filename", shown, "-"],
  ]);
});

test("expand leaves the catalog to the binary when none is given", async () => {
  const calls = logFile();
  await expand({ binary: fake, filePath: page, fileContent: "x\n" });
  assert.ok(!calls()[0].includes("--catalog"));
});

test("expand rejects with the binary's diagnostics on exit 1", async () => {
  const content = "# Guide\n\n```iam-policy no-such-policy\n\n```\n";
  await assert.rejects(expand({ binary: fake, catalog, filePath: page, fileContent: content }), (error) => {
    assert.ok(error.message.startsWith(`${path.relative(process.cwd(), page)}:3:15: error[unknown-policy]`));
    assert.equal(error.hideStack, true);
    return true;
  });
});

test("expand names the command and status on a usage error", async () => {
  await assert.rejects(
    expand({ binary: fake, catalog, filePath: page, fileContent: "FAIL-USAGE\n" }),
    /page\.mdx: `.*fake-mdbook-iam\.mjs expand --deps --flavor docusaurus .* -` exited with status 2:\nerror: unexpected argument/,
  );
});

test("expand explains a missing binary", async () => {
  await assert.rejects(
    expand({ binary: path.join(fixtures, "no-such-binary"), filePath: page, fileContent: "x\n" }),
    /cannot run `.*no-such-binary`: not found\. Install it .* MDBOOK_IAM_BIN/,
  );
});

test("expand passes warnings on with the text on exit 0", async () => {
  const { text, warnings } = await expand({ binary: fake, catalog, filePath: page, fileContent: "WARN\n" });
  assert.equal(text, "WARN\n");
  assert.match(warnings, /page\.mdx:1:1: warning\[test-warning\]/);
});

test("expandSync gives the same answers, for synchronous hooks", () => {
  const content = "```iam-policy a\n\n```\n";
  assert.equal(
    expandSync({ binary: fake, catalog, filePath: page, fileContent: content }).text,
    '```json title="a.json"\n{}\n```\n',
  );
  assert.throws(
    () => expandSync({ binary: fake, catalog, filePath: page, fileContent: "no-such-policy\n" }),
    /page\.mdx:1:15: error\[unknown-policy\]/,
  );
});

test("MDBOOK_IAM_BIN names the binary when the option does not", async () => {
  process.env.MDBOOK_IAM_BIN = fake;
  try {
    assert.equal((await expand({ catalog, filePath: page, fileContent: "y\n" })).text, "y\n");
  } finally {
    delete process.env.MDBOOK_IAM_BIN;
  }
});

test("expand hands on the files the binary says it read, also with its errors", async () => {
  const { dependencies } = await expand({ binary: fake, catalog, filePath: page, fileContent: "x\n" });
  assert.deepEqual(dependencies, [catalog]);
  await assert.rejects(
    expand({ binary: fake, catalog, filePath: page, fileContent: "no-such-policy\n" }),
    (error) => {
      assert.deepEqual(error.dependencies, [catalog]);
      return true;
    },
  );
});

function runLoader(content, options, resourcePath = page) {
  const dependencies = [];
  return new Promise((resolve, reject) => {
    loader.call(
      {
        resourcePath,
        getOptions: () => options,
        addDependency: (file) => dependencies.push(file),
        async: () => (error, text) => (error ? reject(error) : resolve({ text, dependencies })),
      },
      content,
    );
  });
}

test("the loader makes the catalog and watched files dependencies of the page", async () => {
  const extra = path.join(site, "docs", "guide", "page.mdx");
  const { text, dependencies } = await runLoader("plain\n", { binary: fake, catalog, watch: [extra] });
  assert.equal(text, "plain\n");
  assert.deepEqual(dependencies, [catalog, extra]);
});

test("the loader makes what the binary read dependencies when no catalog is configured", async () => {
  const included = path.join(site, "docs", "guide", "page.mdx");
  process.env.FAKE_DEPS = `${catalog},${included}`;
  try {
    const { dependencies } = await runLoader(`plain ${Date.now()}\n`, { binary: fake });
    assert.deepEqual(dependencies, [catalog, included]);
  } finally {
    delete process.env.FAKE_DEPS;
  }
});

test("the loader keeps the dependencies of a page that fails, so a catalog fix re-expands it", async () => {
  const dependencies = [];
  await assert.rejects(
    new Promise((resolve, reject) => {
      loader.call(
        {
          resourcePath: page,
          getOptions: () => ({ binary: fake, catalog }),
          addDependency: (file) => dependencies.push(file),
          async: () => (error, text) => (error ? reject(error) : resolve(text)),
        },
        `no-such-policy ${Date.now()}\n`,
      );
    }),
    /error\[unknown-policy\]/,
  );
  assert.deepEqual(dependencies, [catalog]);
});

test("the loader runs the binary once for the client and server bundles", async () => {
  const log = logFile();
  const calls = () => log().filter((args) => args[0] === "expand");
  const content = `same page ${Date.now()}\n`;
  await Promise.all([
    runLoader(content, { binary: fake, catalog }),
    runLoader(content, { binary: fake, catalog }),
  ]);
  assert.equal(calls().length, 1);
  await runLoader(`${content}edited\n`, { binary: fake, catalog });
  assert.equal(calls().length, 2);
});

test("the loader prints warnings once and fails the module on errors", async () => {
  const printed = [];
  const warn = console.warn;
  console.warn = (text) => printed.push(text);
  try {
    const content = `WARN ${Date.now()}\n`;
    await Promise.all([
      runLoader(content, { binary: fake, catalog }),
      runLoader(content, { binary: fake, catalog }),
    ]);
  } finally {
    console.warn = warn;
  }
  assert.equal(printed.length, 1);
  assert.match(printed[0], /page\.mdx:1:1: warning\[test-warning\]/);
  await assert.rejects(runLoader("no-such-policy\n", { binary: fake, catalog }), /page\.mdx:1:15: error/);
});

/** A catalog of its own (the whole-catalog check is kept per catalog file), holding `text`. */
function tempCatalog(text) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mdbook-iam-catalog-")), "iam-catalog.toml");
  fs.writeFileSync(file, text);
  return file;
}

test("the loader checks the whole catalog once, and again when it changes", async () => {
  const log = logFile();
  const checks = () => log().filter((args) => args[0] === "check");
  const own = tempCatalog("# fine\n");
  const stamp = Date.now();
  await runLoader(`one ${stamp}\n`, { binary: fake, catalog: own });
  await runLoader(`two ${stamp}\n`, { binary: fake, catalog: own });
  assert.equal(checks().length, 1);
  assert.deepEqual(
    checks().map((args) => path.resolve(args[1])),
    [own],
  );
  fs.writeFileSync(own, "# fine, and longer\n");
  await runLoader(`three ${stamp}\n`, { binary: fake, catalog: own });
  assert.equal(checks().length, 2);
});

test("a catalog that fails its check fails the page that asked first, with the check's diagnostics", async () => {
  const own = tempCatalog("FAIL-CATALOG\n");
  const stamp = Date.now();
  await assert.rejects(runLoader(`first ${stamp}\n`, { binary: fake, catalog: own }), /error\[false-claim\]/);
  // Another page builds: the build has failed already, and says so once.
  const { text } = await runLoader(`second ${stamp}\n`, { binary: fake, catalog: own }, other);
  assert.equal(text, `second ${stamp}\n`);
});

test("the catalog check's warnings are printed once", async () => {
  const own = tempCatalog("WARN-CATALOG\n");
  const printed = [];
  const warn = console.warn;
  console.warn = (text) => printed.push(text);
  try {
    const stamp = Date.now();
    await runLoader(`a ${stamp}\n`, { binary: fake, catalog: own });
    await runLoader(`b ${stamp}\n`, { binary: fake, catalog: own }, other);
  } finally {
    console.warn = warn;
  }
  assert.equal(printed.length, 1);
  assert.match(printed[0], /warning\[test-warning\]: a catalog warning/);
});

test("the plugin adds a pre-loader for Markdown and MDX outside node_modules", () => {
  const instance = plugin({ siteDir: site }, { catalog: "iam-catalog.toml", binary: fake, id: "default" });
  assert.equal(instance.name, "docusaurus-plugin-mdbook-iam");
  const [rule] = instance.configureWebpack().module.rules;
  assert.equal(rule.enforce, "pre");
  assert.equal(typeof rule.test, "function"); // see index.js: keeps Docusaurus's MDX fallback intact
  assert.ok(rule.test("/site/docs/a.mdx") && rule.test("/site/docs/b.md") && !rule.test("/site/src/c.js"));
  assert.ok(rule.exclude.test("/site/node_modules/pkg/README.md"));
  assert.deepEqual(rule.use[0].options, { catalog, binary: fake, watch: [] });
  assert.equal(rule.use[0].loader, require.resolve("../loader.js"));
});

test("the plugin's include option limits the pages it expands", () => {
  const instance = plugin({ siteDir: site }, { catalog: "iam-catalog.toml", include: ["docs"] });
  const [rule] = instance.configureWebpack().module.rules;
  assert.deepEqual(rule.include, [path.join(site, "docs")]);
  assert.equal(rule.exclude, undefined);
});

test("the plugin rejects a missing catalog and unknown options", () => {
  assert.throws(
    () => plugin({ siteDir: site }, { catalog: "nope.toml" }),
    /catalog .*nope\.toml does not exist/,
  );
  assert.throws(() => plugin({ siteDir: site }, { catalogue: "x" }), /unknown option\(s\) catalogue/);
  assert.throws(() => plugin({ siteDir: site }, { watch: "x" }), /option `watch` must be a list/);
});

const { findBinary, versionOf } = require("../binary.js");

test("the binary is the option's, else MDBOOK_IAM_BIN's, else the npm package's, else PATH's", () => {
  const launcher = {
    locate: () => ({ path: "/pkg/bin/mdbook-iam", source: "the npm package @mdbook-iam/linux-x64" }),
    notFoundMessage: () => "nothing here",
  };
  const env = { MDBOOK_IAM_BIN: "/env/mdbook-iam", PATH: "" };
  assert.deepEqual(findBinary({ binary: "/opt/mdbook-iam", env, launcher }), {
    path: "/opt/mdbook-iam",
    source: "the plugin's `binary` option",
  });
  assert.deepEqual(findBinary({ env, launcher }), { path: "/env/mdbook-iam", source: "MDBOOK_IAM_BIN" });
  assert.equal(findBinary({ env: { PATH: "" }, launcher }).path, "/pkg/bin/mdbook-iam");
});

test("with no binary anywhere, the plugin says what to install", () => {
  const launcher = { locate: () => undefined, notFoundMessage: () => "mdbook-iam: cannot find it; npm install mdbook-iam" };
  assert.throws(() => findBinary({ env: { PATH: "" }, launcher }), (error) => {
    assert.match(error.message, /^docusaurus-plugin-mdbook-iam: mdbook-iam: cannot find it; npm install mdbook-iam/);
    assert.match(error.message, /`binary` option or MDBOOK_IAM_BIN/);
    return true;
  });
  // Without the launcher package either.
  assert.throws(
    () => findBinary({ env: { PATH: "" }, launcher: undefined }),
    /the `mdbook-iam` npm package is not installed and there is no `mdbook-iam` on PATH\.\nInstall it with `npm install mdbook-iam`/,
  );
});

test("the plugin names the binary it runs with its --version, once, and fails early on one that cannot run", () => {
  const printed = [];
  const log = console.log;
  console.log = (text) => printed.push(text);
  try {
    const instance = plugin({ siteDir: site }, { catalog: "iam-catalog.toml", binary: fake });
    instance.loadContent();
    plugin({ siteDir: site }, { catalog: "iam-catalog.toml", binary: fake }).loadContent();
  } finally {
    console.log = log;
  }
  assert.deepEqual(printed, [`[mdbook-iam] using mdbook-iam 0.0.0-fake at ${fake} (from the plugin's \`binary\` option)`]);
  const missing = plugin({ siteDir: site }, { binary: path.join(fixtures, "no-such-binary") });
  assert.throws(
    () => missing.loadContent(),
    /cannot run .*no-such-binary \(from the plugin's `binary` option\): not found\. .*npm install mdbook-iam/,
  );
  assert.equal(versionOf({ path: fake, source: "test" }), "mdbook-iam 0.0.0-fake");
});
