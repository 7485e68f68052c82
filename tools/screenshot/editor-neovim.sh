#!/usr/bin/env bash
# Makes guide/src/images/editor-neovim.png: Neovim, in xterm under Xvfb, with `mdbook-iam lsp`
# attached (tools/screenshot/editor-neovim.lua sets up what shows). A one-time production step for
# the guide, not part of scripts/test or CI; rerun it when the server's answers change.
#
# Needs, from Debian: neovim xvfb xterm x11-utils imagemagick fonts-dejavu-core. Builds the debug
# binary unless MDBOOK_IAM_BIN names one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
for tool in nvim Xvfb xterm xwininfo import; do
  command -v "$tool" > /dev/null || {
    echo "$0: $tool is missing (Debian: apt-get install neovim xvfb xterm x11-utils imagemagick fonts-dejavu-core)" >&2
    exit 1
  }
done
if [ -z "${MDBOOK_IAM_BIN:-}" ]; then
  cargo build --quiet --locked
  MDBOOK_IAM_BIN="$ROOT/target/debug/mdbook-iam"
fi
out="${1:-$ROOT/guide/src/images/editor-neovim.png}"
work="$(mktemp -d)"
display=":$((90 + RANDOM % 100))"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x1200x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
pids+=($!)
sleep 1
DISPLAY="$display" MDBOOK_IAM_BIN="$MDBOOK_IAM_BIN" MDBOOK_IAM_BOOK="$ROOT/book-example" \
  MDBOOK_IAM_SHOT_READY="$work/ready" \
  xterm -geometry 92x54+0+0 -bw 0 -fa 'DejaVu Sans Mono' -fs 10 -bg white -fg '#1f2328' \
  -title 'mdbook-iam lsp in Neovim' \
  -e nvim -u "$ROOT/tools/screenshot/editor-neovim.lua" -i NONE -n --noplugin 2> "$work/xterm.log" &
pids+=($!)
for _ in $(seq 300); do
  [ -e "$work/ready" ] && break
  sleep 0.1
done
[ -e "$work/ready" ] || {
  echo "$0: Neovim did not get ready in 30 s" >&2
  exit 1
}
sleep 0.5
# The xterm window only, in 32 colours without dithering: small, and the text stays sharp.
window="$(DISPLAY="$display" xwininfo -root -tree | awk '/mdbook-iam lsp in Neovim/ {print $1; exit}')"
DISPLAY="$display" import -window "$window" +dither -colors 32 -depth 8 -strip \
  -define png:compression-level=9 "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
