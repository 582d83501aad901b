"""Garbage-collector settings for long runs (the worker, `newsflow process`, the benchmarks)."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Move everything built at start-up into the GC's permanent generation.

    Modules, compiled patterns, gazetteers and the faust app live for the whole run; without this, every
    full collection walks them again. Measured on the text path: about 6% more articles per second.
    """
    gc.collect()
    gc.freeze()
