"""Every request at every position: for each page given, hover, completion, definition,
references and code actions at every UTF-16 position of every line (only lines with non-ASCII
text or a directive when SWEEP_ALL is unset); any error response, timeout or crash is reported.

usage: sweep.py BINARY FILE...
"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, lsp_line_starts, u16, uri_of  # noqa: E402

METHODS = ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/references"]


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    c = Client(binary, cwd="/")
    bad = total = 0
    seen = set()
    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        uri = uri_of(path)
        lang = "toml" if path.endswith(".toml") else ("mdx" if path.endswith(".mdx") else "markdown")
        c.open(uri, text, lang)
        starts = lsp_line_starts(text)
        for n, s in enumerate(starts):
            e = starts[n + 1] if n + 1 < len(starts) else len(text)
            line = text[s:e].rstrip("\r\n")
            if not os.environ.get("SWEEP_ALL") and line.isascii() and "<<#" not in line and "{/*" not in line:
                continue
            for ch in range(u16(line) + 2):
                for m in METHODS + ["textDocument/codeAction"]:
                    total += 1
                    if m == "textDocument/codeAction":
                        p = {"textDocument": {"uri": uri}, "range": {"start": {"line": n, "character": ch}, "end": {"line": n, "character": ch}}, "context": {"diagnostics": []}}
                    else:
                        p = {"textDocument": {"uri": uri}, "position": {"line": n, "character": ch}}
                        if m.endswith("references"):
                            p["context"] = {"includeDeclaration": True}
                    r = c.request(m, p, raw=True, timeout=20)
                    if "error" in r:
                        bad += 1
                        key = (m, r["error"]["message"][:60])
                        if key not in seen or os.environ.get("SWEEP_VERBOSE"):
                            seen.add(key)
                            print(f"ERROR {m} {path}:{n}:{ch} line={line!r}: {r['error']}")
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    c.stop()
    print(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
