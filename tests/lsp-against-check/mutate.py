"""Copies book-example, docusaurus-example and the guide to OUT and writes, beside every page,
variants that stress positions and findings: non-ASCII prose (French, Japanese, emoji), CRLF,
a BOM, lone CRs, misspelt names and pasted retired/deprecated actions.

usage: mutate.py REPO OUT
"""

import os
import random
import shutil
import sys

RETIRED = """
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Évé🙂", "Effect": "Allow", "Action": ["qapps:ImportDocumentToQApp", "aws-mcp:InvokeMcp"], "Resource": "*"}
  ]
}
```
"""

PROSE = ["Café crème — é à ç ", "日本語のテキスト ", "🙂🚀 emoji 👩‍👩‍👧 ", "naïve ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 "]


def variants(text, rnd):
    lines = text.split("\n")
    # Non-ASCII at the start of prose lines, and inside directive lines before the directive.
    out = []
    for ln in lines:
        r = rnd.random()
        if r < 0.3 and ln.strip() and not ln.lstrip().startswith(("```", "~~~", "#", "<<#", "{/*", "|", ">", "-", "*", "import", "export")):
            ln = rnd.choice(PROSE) + ln
        elif r < 0.4 and ("<<#" in ln or "{/*" in ln):
            ln = rnd.choice(PROSE) + ln
        out.append(ln)
    uni = "\n".join(out)
    uni = uni.replace("s3-readonly", "s3-readnly", 1).replace("mcp-scoped", "mcp-scopd", 1)
    uni = uni + "\n" + rnd.choice(PROSE) + "\n" + RETIRED
    # Clean variants (expand succeeds): non-ASCII only on prose lines, no injected errors.
    nice = "\n".join(
        (rnd.choice(PROSE) + ln) if ln.strip() and ln[0].isalpha() and "<<#" not in ln and "{/*" not in ln else ln
        for ln in lines
    )
    return {
        "nice": nice,
        "nicecrlf": nice.replace("\n", "\r\n"),
        "nicebom": "\ufeff" + nice,
        "uni": uni,
        "crlf": uni.replace("\n", "\r\n"),
        "bom": "\ufeff" + uni,
        "bomcrlf": "\ufeff" + uni.replace("\n", "\r\n"),
        "lonecr": uni.replace("\n\n", "\n\r\n", 3).replace("é", "é\r", 2),
    }


def main():
    repo, out = sys.argv[1], sys.argv[2]
    rnd = random.Random(int(os.environ.get("SEED", "7")))
    for sub in ["book-example", "docusaurus-example", "guide"]:
        src = os.path.join(repo, sub)
        dst = os.path.join(out, sub)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("node_modules", "book", "build", ".docusaurus"), dirs_exist_ok=True)
        for root, _, files in os.walk(dst):
            for f in files:
                if not f.endswith((".md", ".mdx")) or "__" in f:
                    continue
                p = os.path.join(root, f)
                with open(p, encoding="utf-8", newline="") as fh:
                    text = fh.read()
                stem, ext = os.path.splitext(f)
                for name, v in variants(text, rnd).items():
                    with open(os.path.join(root, f"{stem}__{name}{ext}"), "w", encoding="utf-8", newline="") as fh:
                        fh.write(v)


if __name__ == "__main__":
    main()
