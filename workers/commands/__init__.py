"""Subcommands of the `newsflow` CLI, one module each; every module exposes `register(subparsers)`."""
