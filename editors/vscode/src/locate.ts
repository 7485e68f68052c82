// Which `mdbook-iam` the extension runs as `mdbook-iam lsp`, and the message when there is none. Plain Node, no
// `vscode` import: test/locate.test.js drives it with `node --test`, with a fake file system and environment.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Everything the search reads, so that a test can give its own. */
export interface Search {
  /** The `mdbookIam.path` setting ("" when unset). */
  setting: string;
  /** The environment: `MDBOOK_IAM_BIN`, `PATH` (`Path` on Windows), `PATHEXT`. */
  env: NodeJS.ProcessEnv;
  /**
   * The folders whose `node_modules` may hold the npm package, in order: the workspace folders, then the
   * folders holding an `iam-catalog.toml` (a Docusaurus site in `website/` has its `node_modules` there).
   * Empty in an untrusted workspace: nothing the workspace installed is run.
   */
  projectDirs: string[];
  /** Where a relative `mdbookIam.path` is read from: the first workspace folder, if any. */
  baseDir?: string;
  platform: NodeJS.Platform;
  arch: string;
  /** Whether a path is an existing file; `fs.statSync` by default. */
  isFile?: (file: string) => boolean;
  /** Whether a file may be executed (always true on Windows); `fs.accessSync(X_OK)` by default. */
  isExecutable?: (file: string) => boolean;
}

/** The binary to run, where it was found, and whether it needs a shell (a `.cmd` shim on Windows). */
export interface Found {
  path: string;
  source: string;
  shell: boolean;
}

/** Where the search looked, for the message when nothing was found or a setting names a missing file. */
export interface NotFound {
  error: string;
}

export const INSTALL_HELP =
  "Install it with `npm install --save-dev mdbook-iam` in the project (the extension finds it in node_modules), " +
  "or `cargo binstall mdbook-iam` (puts it on PATH), or set `mdbookIam.path`; " +
  "see https://github.com/mdbook-iam/mdbook-iam#install";

function defaultIsFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function defaultIsExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `~/x` as the home folder's `x`; a relative path read from `baseDir`. */
function expand(p: string, baseDir: string | undefined, pathApi: typeof path.posix): string {
  let out = p;
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) out = pathApi.join(os.homedir(), out.slice(1));
  if (!pathApi.isAbsolute(out) && baseDir) out = pathApi.join(baseDir, out);
  return out;
}

/**
 * The `mdbook-iam` to run: the `mdbookIam.path` setting, else `$MDBOOK_IAM_BIN`, else the npm package in a
 * project folder's `node_modules` (this platform's binary package `@mdbook-iam/PLATFORM-ARCH`, run directly,
 * else the launcher `node_modules/.bin/mdbook-iam`), else `mdbook-iam` on PATH. A setting or variable naming a
 * file that is not there is an error, not a reason to run some other binary.
 */
export function locate(s: Search): Found | NotFound {
  const win = s.platform === "win32";
  const p = win ? path.win32 : path.posix;
  const isFile = s.isFile ?? defaultIsFile;
  const isExecutable = win ? () => true : (s.isExecutable ?? defaultIsExecutable);
  const runnable = (file: string) => isFile(file) && isExecutable(file);
  const exe = win ? "mdbook-iam.exe" : "mdbook-iam";

  const setting = s.setting.trim();
  if (setting) {
    const file = expand(setting, s.baseDir, p);
    if (!runnable(file)) {
      return { error: `The setting mdbookIam.path is "${setting}", and ${file} is not an executable file. ${INSTALL_HELP}.` };
    }
    return { path: file, source: "the setting mdbookIam.path", shell: win && /\.(cmd|bat)$/i.test(file) };
  }

  const fromEnv = (s.env.MDBOOK_IAM_BIN ?? "").trim();
  if (fromEnv) {
    const file = expand(fromEnv, s.baseDir, p);
    if (!runnable(file)) {
      return { error: `MDBOOK_IAM_BIN is "${fromEnv}", and ${file} is not an executable file. ${INSTALL_HELP}.` };
    }
    return { path: file, source: "MDBOOK_IAM_BIN", shell: win && /\.(cmd|bat)$/i.test(file) };
  }

  for (const dir of s.projectDirs) {
    const modules = p.join(dir, "node_modules");
    const binary = p.join(modules, "@mdbook-iam", `${s.platform}-${s.arch}`, "bin", exe);
    if (runnable(binary)) return { path: binary, source: `the npm package @mdbook-iam/${s.platform}-${s.arch}`, shell: false };
    const launcher = p.join(modules, ".bin", win ? "mdbook-iam.cmd" : "mdbook-iam");
    if (runnable(launcher)) return { path: launcher, source: "the npm package mdbook-iam", shell: win };
  }

  const names = win
    ? (s.env.PATHEXT || ".EXE;.CMD;.BAT")
        .split(";")
        .filter((ext) => ext)
        .map((ext) => `mdbook-iam${ext.toLowerCase()}`)
    : ["mdbook-iam"];
  for (const dir of (s.env.PATH ?? s.env.Path ?? "").split(win ? ";" : ":")) {
    if (!dir) continue;
    for (const name of names) {
      const file = p.join(dir, name);
      if (runnable(file)) return { path: file, source: "PATH", shell: win && /\.(cmd|bat)$/i.test(file) };
    }
  }

  const looked = s.projectDirs.length
    ? `node_modules in ${s.projectDirs.join(", ")}, and PATH`
    : "PATH (the workspace's node_modules are not searched: none is open, or it is not trusted)";
  return { error: `The mdbook-iam command was not found (looked in ${looked}). ${INSTALL_HELP}.` };
}

/** The arguments of `mdbook-iam lsp`: `--aws-data DIR` when the setting names a folder. */
export function serverArgs(awsData: string, baseDir: string | undefined, platform: NodeJS.Platform): string[] {
  const dir = awsData.trim();
  if (!dir) return ["lsp"];
  return ["lsp", "--aws-data", expand(dir, baseDir, platform === "win32" ? path.win32 : path.posix)];
}
