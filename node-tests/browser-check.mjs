#!/usr/bin/env node
// Opens one page of a built site (mdBook's book/ or Docusaurus's build/) in headless Chromium, the way a reader
// would: serves the directory on 127.0.0.1, clicks a <details> summary, checks the callout opened and names the
// expected action, and checks that every JSON code block on the page parses. Uses Debian's /usr/bin/chromium
// through playwright-core; it never downloads a browser.
//
// Usage:
//   node browser-check.mjs --site DIR --page PATH --summary TEXT --action NAME [--action NAME...]
//                          [--min-json N] [--bounded] [--chromium PATH] [--timeout MS] [--screenshot FILE]
import { createServer } from "node:http";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const USAGE = `usage: browser-check.mjs --site DIR --page PATH --summary TEXT --action NAME [--action NAME...]
       [--min-json N] [--chromium PATH] [--timeout MS] [--screenshot FILE]

  --site DIR        built site to serve (for example book/ or build/)
  --page PATH       page to open, relative to the site root (for example docs/tutorial/ or tutorial.html)
  --summary TEXT    click the first <details> summary whose text contains TEXT
  --action NAME     text the opened <details> body must show (repeatable), for example s3:ListBucket
  --min-json N      at least N JSON code blocks must be on the page (default 1)
  --bounded         the opened <details> must be a visible box: a border or a background that
                    differs from the page's, and its bottom edge above the next element's top
  --chromium PATH   browser executable (default /usr/bin/chromium, or $CHROMIUM)
  --timeout MS      how long to wait for the page and the callout (default 15000)
  --screenshot FILE save a full-page PNG after the checks, pass or fail`;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

class CheckFailure extends Error {}
class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      site: { type: "string" },
      page: { type: "string" },
      summary: { type: "string" },
      action: { type: "string", multiple: true },
      "min-json": { type: "string", default: "1" },
      bounded: { type: "boolean", default: false },
      chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
      timeout: { type: "string", default: "15000" },
      screenshot: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const missing = ["site", "page", "summary", "action"].filter((name) => values[name] === undefined);
  const minJson = Number(values["min-json"]);
  const timeout = Number(values.timeout);
  if (missing.length > 0 || !Number.isInteger(minJson) || minJson < 0 || !(timeout > 0)) {
    const what = missing.length > 0 ? `missing --${missing.join(", --")}` : "bad --min-json or --timeout";
    throw new UsageError(`${what}\n${USAGE}`);
  }
  return { ...values, minJson, timeout };
}

// A static file server for one directory, with the lookups static hosts make: DIR/index.html for a directory,
// PATH.html for an extensionless path (Docusaurus with trailingSlash false), and the site's 404.html otherwise.
function serve(root) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    let relative;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = path.join(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    const candidates = [file, path.join(file, "index.html"), `${file}.html`];
    for (const candidate of candidates) {
      const info = await stat(candidate).catch(() => null);
      if (info?.isFile()) {
        const type = CONTENT_TYPES[path.extname(candidate).toLowerCase()] ?? "application/octet-stream";
        response.writeHead(200, { "content-type": type });
        response.end(await readFile(candidate));
        return;
      }
    }
    if (relative === "/favicon.ico") {
      response.writeHead(204).end(); // browsers ask for it; a site without one is not a failure
      return;
    }
    const notFound = await readFile(path.join(root, "404.html")).catch(() => "not found");
    response.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(notFound);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function check(page, opts) {
  // The <details> whose summary names the error; its parent must be the <details> itself, so a nested
  // callout's summary is not mistaken for its container's.
  const summary = page.locator("details > summary").filter({ hasText: opts.summary }).first();
  if ((await summary.count()) === 0) {
    const found = await page.locator("details > summary").allInnerTexts();
    throw new CheckFailure(
      `no <details> summary contains ${JSON.stringify(opts.summary)}; summaries on the page: ` +
        (found.length ? found.map((s) => JSON.stringify(s.trim())).join(", ") : "none"),
    );
  }
  const details = summary.locator("xpath=..");
  if (await details.evaluate((el) => el.open)) {
    throw new CheckFailure(
      `the <details> for ${JSON.stringify(opts.summary)} is already open before the click`,
    );
  }
  await summary.click();
  try {
    await page.waitForFunction((el) => el.open, await details.elementHandle(), { timeout: opts.timeout });
  } catch {
    throw new CheckFailure(`clicking the summary ${JSON.stringify(opts.summary)} did not open its <details>`);
  }
  // innerText only counts rendered text, so a body that stays collapsed (height 0, display none) fails here.
  const deadline = Date.now() + opts.timeout;
  let body = "";
  for (;;) {
    body = await details.evaluate((el) => {
      const summaryText = el.querySelector(":scope > summary")?.innerText ?? "";
      return el.innerText.slice(summaryText.length);
    });
    const missing = opts.action.filter((name) => !body.includes(name));
    if (missing.length === 0) break;
    if (Date.now() > deadline) {
      throw new CheckFailure(
        `the opened <details> ${JSON.stringify(opts.summary)} does not show ${missing.join(", ")}; ` +
          `its visible body is: ${JSON.stringify(body.trim().slice(0, 400))}`,
      );
    }
    await page.waitForTimeout(100);
  }
  console.log(`ok: <details> ${JSON.stringify(opts.summary)} opens and shows ${opts.action.join(", ")}`);
  if (opts.bounded) await checkBounded(details, opts);

  // mdBook puts language-json on <code>; Docusaurus puts it on the <pre> (and its container) around <code>.
  const blocks = await page.evaluate(() =>
    [...document.querySelectorAll("code")]
      .filter((code) => code.classList.contains("language-json") || code.closest("pre.language-json"))
      .map((code) => {
        const title = code
          .closest(".theme-code-block")
          ?.querySelector("[class*='codeBlockTitle']")?.textContent;
        return { text: code.textContent, title: title ?? null };
      }),
  );
  const bad = [];
  blocks.forEach(({ text, title }, index) => {
    try {
      JSON.parse(text);
    } catch (error) {
      const name = title ? ` (${title})` : "";
      bad.push(`JSON block ${index + 1}${name} does not parse: ${error.message}\n${text.slice(0, 300)}`);
    }
  });
  if (bad.length > 0) throw new CheckFailure(bad.join("\n"));
  if (blocks.length < opts.minJson) {
    throw new CheckFailure(`expected at least ${opts.minJson} JSON code block(s), found ${blocks.length}`);
  }
  console.log(`ok: ${blocks.length} JSON code block(s) parse`);
}

// An opened callout a reader can see the end of: a border or a background of its own, and its
// bottom edge above whatever follows it on the page.
async function checkBounded(details, opts) {
  const box = await details.evaluate((el) => {
    const transparent = (c) => c === "transparent" || /^rgba\(.*,\s*0\)$/.test(c);
    let pageBackground = "rgb(255, 255, 255)";
    for (let up = el.parentElement; up; up = up.parentElement) {
      const c = getComputedStyle(up).backgroundColor;
      if (!transparent(c)) {
        pageBackground = c;
        break;
      }
    }
    const style = getComputedStyle(el);
    const borders = ["Top", "Right", "Bottom", "Left"].filter(
      (side) =>
        parseFloat(style[`border${side}Width`]) > 0 &&
        style[`border${side}Style`] !== "none" &&
        !transparent(style[`border${side}Color`]) &&
        style[`border${side}Color`] !== pageBackground,
    );
    const background = transparent(style.backgroundColor) || style.backgroundColor === pageBackground
      ? null
      : style.backgroundColor;
    let next = el.nextElementSibling;
    while (next && next.getBoundingClientRect().height === 0) next = next.nextElementSibling;
    return {
      borders,
      background,
      pageBackground,
      bottom: el.getBoundingClientRect().bottom,
      next: next ? { tag: next.tagName.toLowerCase(), top: next.getBoundingClientRect().top } : null,
    };
  });
  if (box.borders.length === 0 && box.background === null) {
    throw new CheckFailure(
      `the opened <details> ${JSON.stringify(opts.summary)} has no border and no background of its own ` +
        `(the page's is ${box.pageBackground}): a reader cannot see where it ends`,
    );
  }
  if (box.next === null) {
    throw new CheckFailure(`nothing follows the <details> ${JSON.stringify(opts.summary)} to compare its bottom edge with`);
  }
  if (!(box.bottom <= box.next.top)) {
    throw new CheckFailure(
      `the opened <details> ends at y=${box.bottom}, below the top of the next <${box.next.tag}> (y=${box.next.top})`,
    );
  }
  console.log(
    `ok: the opened <details> is a visible box (border: ${box.borders.join(", ") || "none"}; ` +
      `background: ${box.background ?? "the page's"}), ending at y=${Math.round(box.bottom)} above the next ` +
      `<${box.next.tag}> at y=${Math.round(box.next.top)}`,
  );
}

async function main() {
  const opts = options();
  const root = path.resolve(opts.site);
  if (!(await stat(root).catch(() => null))?.isDirectory())
    throw new UsageError(`--site ${root} is not a directory`);
  const server = await serve(root);
  const { port } = server.address();
  const url = new URL(opts.page.replace(/^\/*/, "/"), `http://127.0.0.1:${port}`).href;
  const profile = await mkdtemp(path.join(tmpdir(), "browser-check-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opts.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") console.error(`browser console error: ${message.text()}`);
    });
    const response = await page.goto(url, { waitUntil: "load", timeout: opts.timeout });
    if (!response || response.status() !== 200) {
      throw new CheckFailure(`${url} answered ${response ? response.status() : "nothing"}`);
    }
    // Let client-side scripts (Docusaurus hydration) settle before clicking.
    await page.waitForLoadState("networkidle", { timeout: opts.timeout }).catch(() => {});
    try {
      await check(page, opts);
      if (pageErrors.length > 0)
        throw new CheckFailure(`uncaught errors in the page:\n${pageErrors.join("\n")}`);
    } finally {
      if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
    }
    console.log(`browser-check: ${url} passed`);
  } finally {
    await context?.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof CheckFailure) {
    console.error(`browser-check: FAILED: ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof UsageError || error.code?.startsWith?.("ERR_PARSE_ARGS")) {
    console.error(`browser-check: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`browser-check: error: ${error.stack ?? error}`);
    process.exitCode = 2;
  }
}
