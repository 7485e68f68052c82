"""Hover on a directive shows what `mdbook-iam expand PAGE` renders for it: for every directive
in the pages given (`<<#...>>`, `{/* iam-... */}`, a fenced ```iam-KIND```), the hover's
rendering, with the directive's line prefix (list indentation, `> `) put before each of its
lines, is found in expand's output; a claim's hover says "Proven by the build".

usage: hover_expand.py BINARY PAGE...
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, index_to_lsp, lsp_line_starts, uri_of  # noqa: E402

OPEN = re.compile(r"<<#(iam-[a-z-]+)|\{/\*\s*(iam-[a-z-]+)|^([ >]*)(```+|~~~+)\s*(iam-[a-z-]+)", re.M)


def directives(text):
    """(index, kind, line prefix) of each directive outside code and not escaped."""
    out = []
    fence = None
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.lstrip(" >")
        m = re.match(r"(```+|~~~+)(.*)", body)
        if fence is None and m:
            info = m.group(2).strip()
            if info.startswith("iam-"):
                out.append((pos + len(line) - len(body), info.split()[0], line[: len(line) - len(body)]))
            fence = m.group(1)
        elif fence is not None and body.strip().startswith(fence[0] * len(fence)) and not body.strip().strip(fence[0]):
            fence = None
        elif fence is None:
            for d in re.finditer(r"<<#(iam-[a-z-]+)|\{/\*\s*(iam-[a-z-]+)", line):
                i = d.start()
                if i > 0 and line[i - 1] == "\\":
                    continue
                if line[:i].count("`") % 2 == 1:
                    continue
                prefix = line[:i] if not line[:i].strip(" >") else None
                out.append((pos + i, d.group(1) or d.group(2), prefix))
        pos += len(line)
    return out


def main():
    binary, pages = sys.argv[1], sys.argv[2:]
    c = Client(binary, cwd="/")
    bad = total = 0
    for page in pages:
        with open(page, encoding="utf-8", newline="") as f:
            text = f.read()
        expanded = subprocess.run([binary, "expand", os.path.basename(page)], cwd=os.path.dirname(page), capture_output=True)
        if expanded.returncode != 0:
            print(f"SKIP {page}: expand failed: {expanded.stderr.decode()[:200]}")
            continue
        out = expanded.stdout.decode().replace("\r\n", "\n")
        uri = uri_of(page)
        c.open(uri, text, "mdx" if page.endswith(".mdx") else "markdown")
        c.diagnostics(uri, 1)
        starts = lsp_line_starts(text)
        for idx, kind, prefix in directives(text):
            total += 1
            line, ch = index_to_lsp(text, starts, idx)
            h = c.at("textDocument/hover", uri, line, ch + 1)
            where = f"{page}:{line + 1}:{ch + 1} {kind}"
            if not h:
                bad += 1
                print(f"NO HOVER {where}")
                continue
            v = h["contents"]["value"].replace("\r\n", "\n")
            if kind == "iam-claim":
                if "Proven by the build" not in v:
                    bad += 1
                    print(f"CLAIM {where}: {v[:200]!r}")
                continue
            m = re.match(r"\*\*iam-[a-z-]+\*\* renders \([a-z]+ flavor\):\n\n", v)
            if not m:
                bad += 1
                print(f"NOT RENDERED {where}: {v[:300]!r}")
                continue
            rendered = v[m.end():]
            if prefix:
                p = prefix
                rendered = "\n".join(p + l if l else p.rstrip() for l in rendered.split("\n"))
                alt = "\n".join(p + l for l in v[m.end():].split("\n"))
            else:
                alt = rendered
            if rendered not in out and alt not in out:
                bad += 1
                print(f"DIFFERS {where}:\n--- hover\n{rendered}\n---")
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    c.stop()
    print(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
