#!/usr/bin/env python3
"""An mdBook preprocessor that saves the request it is given (to $RECORD_TO) and hands the book
back unchanged. scripts/fuzz builds a copy of book-example with it, to seed the mdbook target with
the exact request mdBook sends."""

import json
import os
import sys

if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0)
data = sys.stdin.read()
with open(os.environ["RECORD_TO"], "w") as f:
    f.write(data)
print(json.dumps(json.loads(data)[1]))
