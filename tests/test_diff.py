"""The diff's pure core: records compared by key, JSON field by field, with counts and concrete samples."""

from __future__ import annotations

import orjson

from workers.tools.diff import WHOLE_VALUE, changed_paths, compare, describe, record_key


def changed_paths_absent() -> object:
    """The marker changed_paths yields for a member one side lacks."""
    return next(changed_paths({"x": 1}, {}))[3]


def _j(value: object) -> bytes:
    return orjson.dumps(value)


def test_changed_paths_walk_nested_objects_and_lists() -> None:
    a = {"source": {"domain": "a.com", "url": "u"}, "people": [{"name": "X"}, {"name": "Y"}], "n": 1}
    b = {"source": {"domain": "b.com", "url": "u"}, "people": [{"name": "X"}, {"name": "Z"}], "n": 1, "new": True}
    assert list(changed_paths(a, b)) == [
        ("new", "new", changed_paths_absent(), True),
        ("people[].name", "people[1].name", "Y", "Z"),
        ("source.domain", "source.domain", "a.com", "b.com"),
    ]


def test_a_list_that_changed_length_is_one_difference_and_types_matter() -> None:
    assert [(g, c) for g, c, _, _ in changed_paths({"q": [1]}, {"q": [1, 2]})] == [("q", "q")]
    assert [g for g, _, _, _ in changed_paths({"n": 1}, {"n": True})] == ["n"]
    assert [g for g, _, _, _ in changed_paths("text", "other")] == [WHOLE_VALUE]


def test_compare_counts_added_removed_unchanged_changed_and_fields() -> None:
    a = {
        "k1": _j({"v": "1.0.0", "body": "same"}),
        "k2": _j({"v": "1.0.0", "body": "old"}),
        "k3": _j({"v": "1.0.0"}),
        "gone": _j({"v": "1.0.0"}),
    }
    b = {
        "k1": _j({"v": "2.0.0", "body": "same"}),
        "k2": _j({"v": "2.0.0", "body": "new"}),
        "k3": b'{ "v" : "1.0.0" }',  # the same JSON in other bytes is not a change
        "born": _j({"v": "2.0.0"}),
    }
    report = compare(a, b, "A", "B", sample_size=3)
    assert (report.added, report.removed, report.unchanged, report.changed) == (1, 1, 1, 2)
    assert dict(report.field_changes) == {"v": 2, "body": 1}
    assert report.samples == [
        {"key": "born", "status": "added"},
        {"key": "gone", "status": "removed"},
        {"key": "k1", "status": "changed", "path": "v", "a": "1.0.0", "b": "2.0.0"},
    ]
    assert not report.identical
    text = "\n".join(describe(report))
    assert "added 1, removed 1, unchanged 1, changed 2" in text and 'v: "1.0.0" → "2.0.0"' in text
    assert report.to_json()["field_changes"] == {"v": 2, "body": 1}


def test_compare_of_identical_topics_reports_no_change() -> None:
    values = {"k": _j({"a": [1, 2], "b": {"c": None}})}
    report = compare(values, dict(values))
    assert report.identical and report.unchanged == 1 and not report.field_changes and not report.samples


def test_a_missing_field_shows_as_absent_in_the_sample() -> None:
    report = compare({"k": _j({"a": 1})}, {"k": _j({})})
    assert report.samples == [{"key": "k", "status": "changed", "path": "a", "a": 1}]
    assert "a: 1 → (absent)" in "\n".join(describe(report))


def test_records_can_be_keyed_by_a_field_of_their_value() -> None:
    assert record_key(b"article-1", _j({"link_id": "L7"}), None) == "article-1"
    assert record_key(b"article-1", _j({"link_id": "L7"}), "link_id") == "L7"
    assert record_key(b"article-1", b"not json", "link_id") is None
    assert record_key(None, b"{}", None) is None
