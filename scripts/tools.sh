# Sourced by the scripts in this folder: installs, once, the pinned tools that building and
# testing drive. Everything goes inside the repository (.tools/, node_modules/), nothing global.

MDBOOK_VERSION=0.5.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# mdBook, pinned, in .tools/bin.
ensure_mdbook() {
  if ! "$ROOT/.tools/bin/mdbook" --version 2>/dev/null | grep -q "v$MDBOOK_VERSION\$"; then
    echo "==> installing mdBook $MDBOOK_VERSION into .tools/ (about 2 minutes, once)"
    cargo install mdbook --locked --version "$MDBOOK_VERSION" --root "$ROOT/.tools" --quiet
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
