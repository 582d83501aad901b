"""The optional C module of hot text-path loops (workers/stages/common/_speedups.c), or None where it is not built.

pyproject.toml builds it when a C compiler is at hand and installs without it otherwise; each caller then runs
the Python code the function replaces, which gives the same result (tests/test_speedups.py compares them).
"""

from __future__ import annotations

from types import ModuleType

compiled: ModuleType | None
try:
    from workers.stages.common import _speedups as compiled
except ImportError:
    compiled = None
