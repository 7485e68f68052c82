"""The editor and the build must never disagree: for every page under the folders given, the set
of (code, line, character, severity) the server publishes on opening the page equals the one
`mdbook-iam check --format json PAGE` reports, with check's 1-based line/character columns
converted to the protocol's UTF-16 positions.

usage: differential.py BINARY FOLDER...   (exit 1 and a list of pages when they differ)
"""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, check, from_server, uri_of  # noqa: E402


def pages(folders):
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in ("node_modules", "book", "build", ".docusaurus")]
            for f in sorted(files):
                if f.endswith((".md", ".mdx")):
                    yield os.path.join(root, f)


def main():
    binary, folders = sys.argv[1], sys.argv[2:]
    todo = []
    for p in pages(folders):
        try:
            with open(p, encoding="utf-8", newline="") as f:
                f.read()
            todo.append(p)
        except UnicodeDecodeError:
            print(f"skipped (not UTF-8, an editor would not send it as is): {p}")
    with ThreadPoolExecutor(2) as pool:
        built = dict(zip(todo, pool.map(lambda p: check(binary, p)[0], todo)))
    c = Client(binary, cwd="/")
    bad = 0
    for p in todo:
        with open(p, encoding="utf-8", newline="") as f:
            text = f.read()
        uri = uri_of(p)
        lang = "mdx" if p.endswith(".mdx") else "markdown"
        c.open(uri, text, lang)
        served = from_server(c.diagnostics(uri, version=1))
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        c.diagnostics(uri)
        want = built[p]
        if served != want:
            bad += 1
            print(f"DIFFER {p}")
            for x in sorted(want - served, key=str):
                print(f"  only check:  {x}")
            for x in sorted(served - want, key=str):
                print(f"  only server: {x}")
    c.stop()
    print(f"{len(todo) - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
