#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/seeds/<target>/ (gitignored), from the
repository's examples and, when present, ../shared/corpus. Run by scripts/fuzz before each
campaign; the seeds are made anew each time and never committed.

usage: seeds.py REPO_ROOT [RECORDED_MDBOOK_REQUEST]"""

import hashlib
import json
import pathlib
import re
import shutil
import sys

root = pathlib.Path(sys.argv[1]).resolve()
recorded = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
out = root / "fuzz" / "seeds"
shutil.rmtree(out, ignore_errors=True)
shared = root.parent / "shared" / "corpus"
counts = {}
if not shared.is_dir():
    print(f"seeds: {shared} not found; seeding from the repository only")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    # Named by content, so the same seed from two sources is kept once.
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)
    counts[target] = counts.get(target, 0) + 1


def files(base, *patterns):
    for p in patterns:
        yield from sorted(base.glob(p))


def fenced(text, lang):
    """The bodies of ```LANG blocks (the README's examples)."""
    return re.findall(r"^```" + lang + r"[^\n]*\n(.*?)^```$", text, re.S | re.M)


readme = (root / "README.md").read_text()

pages = list(files(root, "book-example/src/*.md", "docusaurus-example/docs/*.mdx", "tests/fixtures/*.md"))
page_texts = [p.read_text() for p in pages] + [readme] + fenced(readme, "markdown")
if shared.is_dir():
    page_texts += [p.read_text(errors="replace") for p in files(shared, "**/*.md")]
for t in page_texts:
    put("page", t)

# The mutating target decodes its input into edits of built-in pages: a few short byte strings
# start it on every page and a spread of edits.
for i in range(32):
    put("page_mutate", bytes([i * 8 % 256, i, 255 - i, i * 3 % 256]) * (1 + i % 4))

# The language server target decodes its input into a session (fuzz/src/lsp.rs): each of the
# ways to open documents, then short runs of edits and requests.
for i in range(48):
    put("lsp_edits", bytes([i * 5 % 256]) + bytes([(i * 37 + j * 11) % 256 for j in range(8 + i % 5 * 8)]))

for p in files(root, "book-example/*.toml", "docusaurus-example/*.toml", "tests/fixtures/*.toml"):
    if p.name != "book.toml":
        put("catalog", p.read_text())
for t in fenced(readme, "toml"):
    put("catalog", t)

for t in fenced(readme, "json"):
    put("policy", t)
if shared.is_dir():
    for p in files(shared, "**/*.json", "**/*.txt"):
        put("policy", p.read_bytes())

if recorded and recorded.is_file():
    req = json.loads(recorded.read_text())
    ctx, book = req
    # The recorder's own command line is no part of a real request.
    ctx["config"].get("preprocessor", {}).get("iam", {}).pop("command", None)

    def chapters(items):
        for it in items:
            if isinstance(it, dict) and "Chapter" in it:
                yield it["Chapter"]
                yield from chapters(it["Chapter"].get("sub_items", []))

    put("mdbook", json.dumps(req))
    # The same request with each example page as the first chapter, and in each flavor.
    for t in page_texts:
        for ch in chapters(book.get("items", [])):
            saved = ch["content"]
            ch["content"] = t
            put("mdbook", json.dumps(req))
            ch["content"] = saved
            break
    for flavor in ["mdbook", "docusaurus", "gfm"]:
        ctx["config"].setdefault("preprocessor", {}).setdefault("iam", {})["flavor"] = flavor
        put("mdbook", json.dumps(req))

for target, n in sorted(counts.items()):
    print(f"seeds: {target}: {n}")
