"""An independent Language Server Protocol client for `mdbook-iam lsp` (Python 3 stdlib only).

Frames messages with Content-Length over the server's stdin/stdout, keeps notifications, and
converts between `check`'s 1-based line/character columns and the protocol's UTF-16 positions.
"""

import json
import os
import queue
import subprocess
import threading
import time
import urllib.parse


def uri_of(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


class Client:
    def __init__(self, binary, cwd=None, init=True):
        self.p = subprocess.Popen(
            [binary, "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.q = queue.Queue()
        self.next_id = 0
        self.notes = []
        self.responses = {}
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._err, daemon=True).start()
        if init:
            self.init = self.request(
                "initialize",
                {"processId": None, "rootUri": None, "capabilities": {}},
            )
            self.notify("initialized", {})

    def _err(self):
        for line in self.p.stderr:
            self.stderr += line

    def _read(self):
        f = self.p.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    self.q.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.partition(b":")
                if k.lower() == b"content-length":
                    length = int(v)
            body = f.read(length)
            self.q.put(json.loads(body))

    def send(self, msg):
        body = json.dumps(msg).encode()
        try:
            self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.p.stdin.flush()
        except BrokenPipeError:
            pass

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _pump(self, timeout):
        try:
            m = self.q.get(timeout=timeout)
        except queue.Empty:
            return False
        if m is None:
            raise EOFError("server closed its output")
        if "id" in m and "method" not in m:
            self.responses[m["id"]] = m
        else:
            self.notes.append(m)
        return True

    def request(self, method, params, timeout=30, raw=False):
        self.next_id += 1
        i = self.next_id
        msg = {"jsonrpc": "2.0", "id": i, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        deadline = time.time() + timeout
        while i not in self.responses:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no answer to {method}")
            self._pump(left)
        r = self.responses.pop(i)
        if raw:
            return r
        if "error" in r:
            raise RuntimeError(f"{method}: {r['error']}")
        return r.get("result")

    def open(self, uri, text, lang="markdown", version=1):
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": lang, "version": version, "text": text}},
        )

    def change(self, uri, version, changes):
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
        )

    def diagnostics(self, uri, version=None, timeout=30):
        """The first publishDiagnostics for uri (with that version, if given) not yet taken."""
        deadline = time.time() + timeout
        while True:
            for n, m in enumerate(self.notes):
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                    if version is None or m["params"].get("version") == version:
                        del self.notes[n]
                        return m["params"]["diagnostics"]
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri} v{version}")
            self._pump(left)

    def drain(self, seconds):
        """Reads what the server sends for `seconds`; returns the notifications kept."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._pump(max(0.0, deadline - time.time()))
        return self.notes

    def at(self, method, uri, line, character, **extra):
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
        params.update(extra)
        return self.request(method, params)

    def stop(self, timeout=10):
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            raise

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


# Positions ------------------------------------------------------------------------------------


def lsp_line_starts(text):
    """Line starts (indexes into the str) as the protocol counts lines: \\n, \\r\\n, lone \\r."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(i + 1)
        elif c == "\r" and (i + 1 >= n or text[i + 1] != "\n"):
            starts.append(i + 1)
        i += 1
    return starts


def u16(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def index_to_lsp(text, starts, idx):
    import bisect

    line = bisect.bisect_right(starts, idx) - 1
    return line, u16(text[starts[line]:idx])


def lsp_to_index(text, starts, line, character):
    if line >= len(starts):
        return len(text)
    s = starts[line]
    e = starts[line + 1] if line + 1 < len(starts) else len(text)
    while e > s and text[e - 1] in "\r\n":
        e -= 1
    units = 0
    for i in range(s, e):
        w = 2 if ord(text[i]) > 0xFFFF else 1
        if units + w > character:
            return i
        units += w
    return e


def check_to_index(text, line1, col1):
    """check's 1-based line (by \\n) and column (in characters) to an index into the str."""
    start = 0
    for _ in range(line1 - 1):
        start = text.index("\n", start) + 1
    return start + col1 - 1


def apply_change(text, change):
    if "range" not in change or change["range"] is None:
        return change["text"]
    starts = lsp_line_starts(text)
    r = change["range"]
    a = lsp_to_index(text, starts, r["start"]["line"], r["start"]["character"])
    b = max(a, lsp_to_index(text, starts, r["end"]["line"], r["end"]["character"]))
    return text[:a] + change["text"] + text[b:]


def check(binary, path, cwd=None):
    """`mdbook-iam check --format json PATH` findings placed in PATH, as (code, line, character,
    severity) in the protocol's terms."""
    path = os.path.abspath(path)
    cwd = cwd or os.path.dirname(path)
    out = subprocess.run(
        [binary, "check", "--format", "json", os.path.relpath(path, cwd)],
        cwd=cwd,
        capture_output=True,
    )
    findings = json.loads(out.stdout.decode() or "[]")
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    starts = lsp_line_starts(text)
    rel = os.path.relpath(path, cwd)
    got = set()
    for f in findings:
        if f.get("file") != rel or "line" not in f:
            continue
        idx = check_to_index(text, f["line"], f["column"])
        line, ch = index_to_lsp(text, starts, idx)
        got.add((f["code"], line, ch, f["severity"]))
    return got, findings


SEV = {1: "error", 2: "warning", 3: "info", 4: "hint"}


def from_server(diags):
    return {
        (d.get("code"), d["range"]["start"]["line"], d["range"]["start"]["character"], SEV.get(d.get("severity")))
        for d in diags
    }
