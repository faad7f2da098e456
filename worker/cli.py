"""The `nianbao` command: extraction commands here, service commands from worker.service_cli."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    try:
        from worker import service_cli
    except ImportError:  # the service extras are not installed
        service_cli = None  # type: ignore[assignment]
    if service_cli is not None:
        service_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
