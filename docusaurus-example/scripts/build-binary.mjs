// `npm run build` and `npm start` run this first. In a checkout of the repository with cargo on PATH it builds
// the binary the site's configuration then uses (../target/release/mdbook-iam); anywhere else (a copy of the
// site with the npm packages installed, a machine without Rust) there is nothing to build, and the plugin runs
// the binary the `mdbook-iam` npm package brought, or MDBOOK_IAM_BIN's.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const manifest = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../Cargo.toml");
const cargo = spawnSync("cargo", ["--version"], { stdio: "ignore" });
if (process.env.MDBOOK_IAM_BIN || !existsSync(manifest) || cargo.error) process.exit(0);
console.log("[mdbook-iam] cargo build --release (the repository's binary; minutes the first time)");
const build = spawnSync("cargo", ["build", "--release", "--quiet", "--manifest-path", manifest], { stdio: "inherit" });
process.exit(build.status ?? 1);
