"""Garbage-collector settings of long runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from workers.heap import YOUNG_GENERATION_THRESHOLD, collect_less_often


@pytest.fixture
def restored_thresholds() -> Iterator[tuple[int, ...]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_collect_less_often_raises_only_the_young_generation_threshold(restored_thresholds: tuple[int, ...]) -> None:
    collect_less_often()
    assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *restored_thresholds[1:])
    assert restored_thresholds[0] < YOUNG_GENERATION_THRESHOLD
