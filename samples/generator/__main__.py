"""Command line: `python -m samples.generator committed|corpus ...` (see samples/README.md)."""

from __future__ import annotations

import sys

from samples.generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
