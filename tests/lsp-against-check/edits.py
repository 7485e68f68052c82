"""Random edit sequences applied both to a local copy and through incremental didChange; the
server's diagnostics for the final version must equal `check` on the final text written to a
file in the same folder (so the same catalog is found).

usage: edits.py BINARY PAGE... (env SEED, ROUNDS, EDITS)
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, apply_change, check, from_server, lsp_line_starts, u16, uri_of  # noqa: E402

SNIPPETS = [
    "<<#iam-policy s3-readonly>>", "<<#iam-policy s3-readnly>>", "<<#iam-policy ", ">>", "<<#",
    "{/* iam-policy s3-readonly */}", "{/* iam-", "*/}", "\n\n", "\n", "\r\n", "é", "日本", "🙂", "👩‍👩‍👧",
    "\n```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"qapps:ImportDocumentToQApp\", \"Resource\": \"*\"}]}\n```\n",
    "\"aws-mcp:InvokeMcp\"", "```", "`", "> ", "- ", "<<#iam-claim s3-readonly allows s3:GetObject>>",
    "<<#iam-callout not-authorized action=s3:GetObject>>", "mcp-scoped", " ", "\t", "{", "}", "\"",
]


def random_pos(text, rnd):
    starts = lsp_line_starts(text)
    line = rnd.randrange(len(starts))
    s = starts[line]
    e = starts[line + 1] if line + 1 < len(starts) else len(text)
    body = text[s:e].rstrip("\r\n")
    # A character boundary, in UTF-16 units.
    k = rnd.randrange(len(body) + 1)
    return {"line": line, "character": u16(body[:k])}


def order(a, b):
    return (a, b) if (a["line"], a["character"]) <= (b["line"], b["character"]) else (b, a)


def one_change(text, rnd):
    a, b = order(random_pos(text, rnd), random_pos(text, rnd))
    r = rnd.random()
    if r < 0.5:
        b = a
        new = rnd.choice(SNIPPETS)
    elif r < 0.8:
        new = ""
        if b["line"] - a["line"] > 3:
            b = a
    else:
        new = rnd.choice(SNIPPETS)
    return {"range": {"start": a, "end": b}, "text": new}


def main():
    binary, pages = sys.argv[1], sys.argv[2:]
    seed = int(os.environ.get("SEED", "1"))
    rounds = int(os.environ.get("ROUNDS", "3"))
    edits = int(os.environ.get("EDITS", "40"))
    rnd = random.Random(seed)
    c = Client(binary, cwd="/")
    bad = total = 0
    for page in pages:
        with open(page, encoding="utf-8", newline="") as f:
            original = f.read()
        folder, name = os.path.split(page)
        stem, ext = os.path.splitext(name)
        for rd in range(rounds):
            tmp = os.path.join(folder, f"zz-edit-{seed}-{rd}-{stem}{ext}")
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(original)
            uri = uri_of(tmp)
            text = original
            c.open(uri, text, "mdx" if ext == ".mdx" else "markdown")
            c.diagnostics(uri, version=1)
            version = 1
            log = []
            for _ in range(edits):
                changes = [one_change(text, rnd)]
                for _ in range(rnd.randrange(3)):
                    # Several changes in one notification: each against the text after the ones before.
                    t2 = text
                    for ch in changes:
                        t2 = apply_change(t2, ch)
                    changes.append(one_change(t2, rnd))
                for ch in changes:
                    text = apply_change(text, ch)
                version += 1
                log.append(changes)
                c.change(uri, version, changes)
            served = from_server(c.diagnostics(uri, version=version))
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            want, _ = check(binary, tmp)
            total += 1
            if served != want:
                bad += 1
                keep = tmp + ".differs"
                os.rename(tmp, keep)
                print(f"DIFFER {page} round {rd}: final text in {keep}")
                for x in sorted(want - served, key=str):
                    print(f"  only check:  {x}")
                for x in sorted(served - want, key=str):
                    print(f"  only server: {x}")
            else:
                os.remove(tmp)
            c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            c.diagnostics(uri)
    c.stop()
    print(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
