"""`newsflow`: one entry point with subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workers import __version__
from workers.settings import PIPELINE_VERSION

# Subcommand → (module that registers and runs it, one-line summary for `newsflow --help`).
# Only the chosen command's module is imported: the Kafka clients and faust take about a second to import,
# which `newsflow process` over a few files should not pay.
COMMANDS: dict[str, tuple[str, str]] = {
    "process": ("workers.commands.process", "run the pipeline offline over files and print output events"),
    "worker": ("workers.commands.worker", "run pipeline stages as a stream worker on Kafka"),
    "dev": ("workers.commands.dev", "local broker + topics + workers fed with the samples; prints normalized events"),
    "broker": ("workers.commands.broker", "run the embedded local Kafka-protocol broker in the foreground"),
    "replay": ("workers.commands.replay", "replay a bounded range of a topic into the input or a shadow pipeline"),
    "offsets": ("workers.commands.offsets", "reset a worker group's committed offsets (dry run unless --execute)"),
    "diff": ("workers.commands.diff", "compare two output topics by key and report which fields changed"),
    "redrive": ("workers.commands.redrive", "send dead letters back to the input of the stage that failed"),
    "eval-extraction": ("workers.commands.eval_extraction", "score HTML main-text extraction on a benchmark corpus"),
}


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; the `selected` command gets its full arguments, the others a summary line."""
    parser = argparse.ArgumentParser(
        prog="newsflow",
        description="Clean and enrich raw news articles between Kafka topics. "
        "Configuration comes from environment variables (see README).",
    )
    parser.add_argument("--version", action="version", version=f"newsflow {__version__} (pipeline {PIPELINE_VERSION})")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, summary) in COMMANDS.items():
        if name == selected:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=summary, description=summary)
    return parser


def _selected_command(argv: Sequence[str]) -> str | None:
    return next((argument for argument in argv if argument in COMMANDS), None)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_selected_command(arguments))
    args = parser.parse_args(arguments)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    from workers.environment import ConfigurationError
    from workers.logs import configure_logging
    from workers.settings import Settings

    try:
        settings = Settings.from_env()  # checks every variable, the streaming shell's too, before anything connects
    except ConfigurationError as error:
        print(f"newsflow: refusing to start: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    return int(args.handler(args, settings))


if __name__ == "__main__":
    sys.exit(main())
