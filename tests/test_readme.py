"""The README's promises that code can check: its two commands, and a configuration table naming every variable."""

from __future__ import annotations

import re
from pathlib import Path

from workers.environment import NAMES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _configuration_table() -> str:
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("| `"))


def test_the_configuration_table_names_every_variable_newsflow_reads() -> None:
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", _configuration_table()))
    assert set(NAMES) - listed == set(), "variables missing from the README's configuration table"


def test_the_configuration_table_names_no_variable_newsflow_does_not_read() -> None:
    listed = set(re.findall(r"`((?:KAFKA|NEWSFLOW)_[A-Z0-9_]+)`", _configuration_table()))
    assert listed - set(NAMES) == set(), "the README's configuration table names variables the code does not read"


def test_the_two_commands_are_make_targets_and_ci_runs_the_test_command() -> None:
    commands = re.findall(r"^    (make \w+)$", README.split("\n## Two commands\n", 1)[1].split("\n## ", 1)[0], re.M)
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("exec make test")
