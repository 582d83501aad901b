"""The pure parts of replay: offset search, window bounds, argument parsing, headers, progress lines."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kafka.consumer.fetcher import ConsumerRecord

from workers.broker import headers as h
from workers.commands.replay import window_from_args
from workers.settings import Settings, TopicNames
from workers.tools import replay
from workers.tools.offset_lookup import first_offset_at_or_after, format_time_ms, parse_time_ms
from workers.tools.progress import Progress, format_duration, render
from workers.tools.ranges import Window, parse_partition_offsets, parse_partitions


def _record_at(timestamps: dict[int, int], end: int) -> Callable[[int], tuple[int, int] | None]:
    def record_at(offset: int) -> tuple[int, int] | None:
        following = [o for o in sorted(timestamps) if o >= offset and o < end]
        return (following[0], timestamps[following[0]]) if following else None

    return record_at


@given(st.lists(st.integers(0, 50), max_size=60), st.integers(-5, 60))
def test_binary_search_finds_the_first_offset_at_or_after_a_time(steps: list[int], target: int) -> None:
    times: list[int] = []
    for step in steps:
        times.append((times[-1] if times else 0) + step)
    timestamps = dict(enumerate(times))
    found = first_offset_at_or_after(_record_at(timestamps, len(times)), 0, len(times), target)
    expected = next((offset for offset, ts in enumerate(times) if ts >= target), len(times))
    assert found == expected


def test_binary_search_steps_over_gaps_left_by_compaction() -> None:
    timestamps = {0: 10, 1: 20, 5: 30, 6: 40, 9: 50}
    assert first_offset_at_or_after(_record_at(timestamps, 10), 0, 10, 25) in (2, 3, 4, 5)
    assert first_offset_at_or_after(_record_at(timestamps, 10), 0, 10, 41) in (7, 8, 9)
    assert first_offset_at_or_after(_record_at(timestamps, 10), 0, 10, 99) == 10


def test_times_parse_as_rfc3339_or_a_bare_date_and_print_back() -> None:
    assert parse_time_ms("2026-09-21") == parse_time_ms("2026-09-21T00:00:00Z")
    assert parse_time_ms("2026-09-21T14:13:20+02:00") == 1_789_992_800_000
    assert format_time_ms(1_789_992_800_123) == "2026-09-21T12:13:20.123Z"
    with pytest.raises(ValueError):
        parse_time_ms("2026-09-21T14:13:20")  # no zone: ambiguous


def test_partition_offsets_and_partition_lists_parse_and_reject_nonsense() -> None:
    assert parse_partition_offsets(["0:120", "1:98,3:0"]) == {0: 120, 1: 98, 3: 0}
    assert parse_partitions("3,0, 2") == [0, 2, 3]
    for bad in (["0"], ["a:1"], ["0:-1"]):
        with pytest.raises(ValueError):
            parse_partition_offsets(bad)
    with pytest.raises(ValueError):
        parse_partitions("0,x")


def test_window_admits_only_times_inside_its_bounds() -> None:
    window = Window(from_ms=100, to_ms=200)
    assert [window.admits(t) for t in (99, 100, 199, 200)] == [False, True, True, False]
    assert Window().admits(0)


def test_window_from_args_refuses_an_end_before_the_start() -> None:
    class Args:
        from_time = "2026-09-21T10:00:00Z"
        to_time = "2026-09-21T09:00:00Z"
        from_offset = None
        to_offset = None
        partitions = None

    with pytest.raises(ValueError, match="later"):
        window_from_args(Args())  # type: ignore[arg-type]


def _consumer_record(headers: list[tuple[str, bytes]]) -> ConsumerRecord:
    return ConsumerRecord(
        topic="news.articles.raw",
        partition=2,
        leader_epoch=0,
        offset=41,
        timestamp=1_789_992_800_123,
        timestamp_type=0,
        key=b"k",
        value=b"v",
        headers=headers,
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=1,
        serialized_header_size=-1,
    )


def test_republished_headers_keep_the_record_headers_and_add_its_time_and_origin() -> None:
    headers = replay.republished_headers(_consumer_record([("trace", b"abc")]))
    assert headers == [
        ("trace", b"abc"),
        (h.ORIGINAL_TIMESTAMP, b"2026-09-21T12:13:20Z"),
        (replay.REPLAY_OF, b"news.articles.raw:2:41"),
    ]
    # A copy replayed again keeps the first original time and names its latest origin only.
    again = replay.republished_headers(
        _consumer_record([(h.ORIGINAL_TIMESTAMP, b"2020-01-01T00:00:00Z"), (replay.REPLAY_OF, b"x:0:1")])
    )
    assert again == [(h.ORIGINAL_TIMESTAMP, b"2020-01-01T00:00:00Z"), (replay.REPLAY_OF, b"news.articles.raw:2:41")]
    assert replay.source_record(_consumer_record([(h.ORIGINAL_TIMESTAMP, b"2020-01-01T00:00:00Z")])).timestamp == (
        "2020-01-01T00:00:00Z"
    )
    assert replay.source_record(_consumer_record([])).timestamp == "2026-09-21T12:13:20Z"


def test_shadow_topics_are_versioned_and_never_live() -> None:
    settings = Settings()
    shadow = replay.shadow_settings(settings, "v2", "2.0.0")
    assert shadow.pipeline.pipeline_version == "2.0.0"
    assert replay.shadow_output_topics(settings, shadow, "raw") == [
        "news.articles.cleaned.v2",
        "news.articles.deadletter.v2",
        "news.articles.normalized.v2",
        "news.links.related.v2",
    ]
    assert "news.articles.cleaned.v2" not in replay.shadow_output_topics(settings, shadow, "cleaned")
    with pytest.raises(ValueError):
        replay.shadow_settings(settings, "../v2", None)
    # Versioned names that happen to be live names are refused.
    clashing = Settings(topics=TopicNames(cleaned="news.c", articles="news.c.v2"))
    with pytest.raises(ValueError, match="live"):
        replay.shadow_output_topics(clashing, replay.shadow_settings(clashing, "v2", None), "raw")


def test_replay_role_comes_from_the_topic() -> None:
    settings = Settings()
    assert replay.role_of_topic("news.articles.cleaned", settings) == "cleaned"
    assert replay.role_of_topic("news.articles.raw", settings) == "raw"
    assert replay.role_of_topic("archive.raw.2026", settings) == "raw"


def test_progress_lines_show_rate_and_eta() -> None:
    assert format_duration(3725) == "1:02:05" and format_duration(7) == "0:07"
    assert render("replay", 500, 1000, 0.5) == (
        "replay [##############--------------] 500/1000  50.0% 1,000 rec/s ETA 0:01"
    )
    assert render("diff", 10, None, 2.0) == "diff 10 5 rec/s elapsed 0:02"


def test_progress_draws_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with Progress("x", 10, stream=terminal) as progress:
        progress.advance(10)
    assert terminal.getvalue().startswith("\r") and terminal.getvalue().endswith("\n")
    pipe = io.StringIO()
    with Progress("x", 10, stream=pipe) as progress:
        progress.advance(10)
    assert pipe.getvalue() == ""


def test_reference_time_is_the_original_time_of_a_replayed_record_else_the_records_own() -> None:
    from workers.broker.headers import ORIGINAL_TIMESTAMP, reference_time

    replayed = (("other", b"x"), (ORIGINAL_TIMESTAMP, b"2026-09-21T14:13:40Z"))
    assert reference_time(replayed, "2026-11-27T10:00:00Z") == "2026-09-21T14:13:40Z"
    assert reference_time((("other", b"x"),), "2026-11-27T10:00:00Z") == "2026-11-27T10:00:00Z"
    assert reference_time(((ORIGINAL_TIMESTAMP, b""),), None) is None
