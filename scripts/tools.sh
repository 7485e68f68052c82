# Sourced by the scripts in this folder: installs, once, the pinned tools that building and
# testing drive. Everything goes inside the repository (.tools/, node_modules/), nothing global.

MDBOOK_VERSION=0.5.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# mdBook, pinned, in .tools/bin.
ensure_mdbook() {
  if ! "$ROOT/.tools/bin/mdbook" --version 2>/dev/null | grep -q "v$MDBOOK_VERSION\$"; then
    # Not quiet: cargo's progress (a bar on a terminal, a line per crate elsewhere) shows it is working.
    echo "==> installing mdBook $MDBOOK_VERSION into .tools/ (compiles about 200 crates: 2 to 4 minutes, once)"
    cargo install mdbook --locked --version "$MDBOOK_VERSION" --root "$ROOT/.tools"
  fi
  export MDBOOK="$ROOT/.tools/bin/mdbook"
}

# Node packages of one folder, from its committed lockfile; skipped when already installed
# from the same lockfile.
ensure_npm() {
  local dir="$ROOT/$1" stamp sum
  stamp="$dir/node_modules/.installed-from-lock"
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    echo "==> npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" > "$stamp"
  fi
}

# pre-commit, pinned with its dependencies (tools/pre-commit/requirements.txt), in a venv under
# .tools/; skipped when already installed from the same file.
ensure_precommit() {
  local venv="$ROOT/.tools/pre-commit" req="$ROOT/tools/pre-commit/requirements.txt" sum
  sum="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ "$(cat "$venv/.installed-from" 2>/dev/null)" != "$sum" ]; then
    echo "==> installing pre-commit into .tools/pre-commit"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r "$req"
    echo "$sum" > "$venv/.installed-from"
  fi
  export PRE_COMMIT="$venv/bin/pre-commit"
}

# actionlint, pinned (tools/actionlint/requirements.txt: why this package), in a venv under .tools/; skipped when already
# installed from the same file.
ensure_actionlint() {
  local venv="$ROOT/.tools/actionlint" req="$ROOT/tools/actionlint/requirements.txt" sum
  sum="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ "$(cat "$venv/.installed-from" 2>/dev/null)" != "$sum" ]; then
    echo "==> installing actionlint into .tools/actionlint"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r "$req"
    echo "$sum" > "$venv/.installed-from"
  fi
  export ACTIONLINT="$venv/bin/actionlint"
}

# What the tests need from the system and cannot install inside the repository: Chromium for the
# browser checks, Neovim for the language server under a real client (tests/nvim.rs; Debian
# bookworm's is 0.7, which tests/nvim/lsp-check.lua is written for), and Python's venv module
# for pre-commit. As root with apt-get they are
# installed; otherwise this says so and names the one command to run, and the caller stops
# before running anything else.
ensure_system() {
  local missing=() node_major
  local tool
  for tool in cargo node npm python3 git; do
    if ! command -v "$tool" > /dev/null 2>&1; then
      echo "scripts/test: \`$tool\` is not on PATH. The tests need the Rust toolchain (rustup), Node 20 or" >&2
      echo "newer with npm, Python 3 and git; on Debian: sudo apt-get install git python3 python3-venv nodejs npm" >&2
      echo "(Node from Debian must be 20 or newer). Nothing was run." >&2
      return 1
    fi
  done
  node_major="$(node --version | sed 's/^v\([0-9]*\).*/\1/')"
  if [ "$node_major" -lt 20 ]; then
    echo "scripts/test: Node $(node --version) is too old; the tests need Node 20 or newer. Nothing was run." >&2
    return 1
  fi
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v nvim > /dev/null 2>&1 || missing+=(neovim)
  python3 -c 'import venv, ensurepip' 2> /dev/null || missing+=(python3-venv)
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
    echo "==> installing ${missing[*]} with apt-get (once)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" > /dev/null
    return 0
  fi
  echo "scripts/test: the tests need ${missing[*]}, which only root can install; run" >&2
  echo "" >&2
  echo "    sudo apt-get install ${missing[*]}" >&2
  echo "" >&2
  echo "then scripts/test again. (Nothing was run.)" >&2
  return 1
}

# The crate's version, from Cargo.toml's [package] table.
crate_version() {
  sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n 1
}

# The release build (fat LTO, one codegen unit: about two and a half minutes from scratch on two cores),
# once: later calls find it fresh and take a second. Cargo's own progress bar shows on a terminal; elsewhere
# (CI logs) a line says what is happening, since the final link prints nothing for minutes.
# Sets RELEASE_DIR to the folder holding the binary. Arguments go to cargo (such as --target).
build_release() {
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}" triple=""
  local args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" = --target ] && triple="${args[$((i + 1))]}"
  done
  echo "==> cargo build --release ${args[*]} (fat LTO: about 2.5 minutes the first time, seconds when fresh)"
  local started=$SECONDS
  cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" "${args[@]}"
  echo "    release build ready in $((SECONDS - started)) s"
  RELEASE_DIR="$target_dir${triple:+/$triple}/release"
  export RELEASE_DIR
}
