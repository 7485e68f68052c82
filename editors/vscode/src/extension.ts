// The VS Code side of `mdbook-iam lsp`: finds the binary (src/locate.ts), starts it over stdio for Markdown,
// MDX and the catalog, and restarts it when its settings change, a catalog appears or the workspace is trusted.
// Everything the pages and the catalog get (diagnostics, completion, hover, definition, references, quick
// fixes) comes from the server; nothing here reads IAM.

import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { locate, serverArgs } from "./locate";

const INSTALL_URL = "https://github.com/mdbook-iam/mdbook-iam#install";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let hasCatalog = false;
/** The last error shown, so that a restart that fails the same way does not show it again. */
let lastError = "";

/** The folders whose node_modules may hold the npm package: workspace folders, then catalogs' folders. */
async function projectDirs(): Promise<string[]> {
  if (!vscode.workspace.isTrusted) return [];
  const dirs = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  for (const uri of await catalogs()) {
    const dir = path.dirname(uri.fsPath);
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

async function catalogs(): Promise<vscode.Uri[]> {
  return vscode.workspace.findFiles("**/iam-catalog.toml", "**/node_modules/**", 20);
}

/**
 * Markdown and MDX pages, by language id and, for MDX, by name too (VS Code knows no `mdx` language without an
 * MDX extension); `iam-catalog.toml` by name, whatever extension (if any) gives TOML a language. Other TOML
 * files only when the workspace has a catalog: the files a catalog includes can have any name, and without a
 * catalog no TOML file is the server's business.
 */
function selector(): DocumentSelector {
  const out: DocumentSelector = [
    { scheme: "file", language: "markdown" },
    { scheme: "file", language: "mdx" },
    { scheme: "file", pattern: "**/*.mdx" },
    { scheme: "file", pattern: "**/iam-catalog.toml" },
  ];
  if (hasCatalog) out.push({ scheme: "file", pattern: "**/*.toml" });
  return out;
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration("mdbookIam");
  const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const found = locate({
    setting: config.get<string>("path", ""),
    env: process.env,
    projectDirs: await projectDirs(),
    baseDir,
    platform: process.platform,
    arch: process.arch,
  });
  output ??= vscode.window.createOutputChannel("mdbook-iam", { log: true });
  if ("error" in found) {
    output.error(found.error);
    if (found.error !== lastError) {
      lastError = found.error;
      const choice = await vscode.window.showErrorMessage(found.error, "Open settings", "How to install");
      if (choice === "Open settings") {
        await vscode.commands.executeCommand("workbench.action.openSettings", "mdbookIam.path");
      } else if (choice === "How to install") {
        await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
      }
    }
    return;
  }
  lastError = "";
  const args = serverArgs(config.get<string>("awsData", ""), baseDir, process.platform);
  output.info(`Starting ${found.path} ${args.join(" ")} (from ${found.source})`);
  const serverOptions: ServerOptions = {
    command: found.path,
    args,
    options: { shell: found.shell, cwd: baseDir },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector(),
    outputChannel: output,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{iam-catalog.toml,*.md,*.mdx}"),
    },
  };
  // The id `mdbookIam` makes the client read the setting `mdbookIam.trace.server`.
  client = new LanguageClient("mdbookIam", "mdbook-iam", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    const message = `mdbook-iam: ${found.path} ${args.join(" ")} did not start: ${e instanceof Error ? e.message : e}`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that already exited has nothing to stop.
    }
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  hasCatalog = (await catalogs()).length > 0;
  const catalogWatcher = vscode.workspace.createFileSystemWatcher("**/iam-catalog.toml");
  const recount = async () => {
    const now = (await catalogs()).length > 0;
    if (now !== hasCatalog) {
      hasCatalog = now;
      await restart();
    }
  };
  context.subscriptions.push(
    catalogWatcher,
    catalogWatcher.onDidCreate(recount),
    catalogWatcher.onDidDelete(recount),
    vscode.commands.registerCommand("mdbookIam.restart", () => restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("mdbookIam.path") || e.affectsConfiguration("mdbookIam.awsData")) {
        void restart();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart()),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
