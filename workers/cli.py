"""`newsflow`: one entry point with subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workers import __version__
from workers.logs import configure_logging
from workers.settings import Settings

# Each module registers its own subcommand; add a line here to add a command.
COMMAND_MODULES = ("workers.commands.process",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsflow",
        description="Clean and enrich raw news articles between Kafka topics. "
        "Configuration comes from environment variables (see README).",
    )
    parser.add_argument("--version", action="version", version=f"newsflow {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return int(args.handler(args, settings))


if __name__ == "__main__":
    sys.exit(main())
