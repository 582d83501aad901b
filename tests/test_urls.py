"""URL canonicalisation: what it removes and keeps, and that its shortcut for canonical URLs changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.stages import urls
from workers.stages.urls import canonicalize_url, domain_of


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://news.example.com/world/1", "https://news.example.com/world/1"),
        ("HTTPS://News.Example.COM/world/1#top", "https://news.example.com/world/1"),
        ("https://news.example.com", "https://news.example.com/"),
        ("http://news.example.com:80/a", "http://news.example.com/a"),
        ("https://news.example.com:8443/a", "https://news.example.com:8443/a"),
        ("https://news.example.com./a", "https://news.example.com/a"),
        ("https://news.example.com/a?utm_source=x&id=7&fbclid=y", "https://news.example.com/a?id=7"),
        ("  https://news.example.com/a  ", "https://news.example.com/a"),
        ("ftp://news.example.com/a", None),
        ("javascript:alert(1)", None),
        ("https://news.example.com:99999/a", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_form(url: str | None, canonical: str | None) -> None:
    assert canonicalize_url(url) == canonical


def test_relative_url_is_resolved_against_the_base() -> None:
    assert canonicalize_url("../b?utm_medium=feed", "https://news.example.com/x/y/z") == "https://news.example.com/x/b"


def test_domain_drops_www() -> None:
    assert domain_of("https://WWW.Example.com/a") == "example.com"
    assert domain_of("not a url") is None


_URL_PARTS = st.tuples(
    st.sampled_from(["http", "https", "HTTP", "ftp", "https:", ""]),
    st.sampled_from(["://", ":/", "//", ":///"]),
    st.sampled_from(
        ["news.example.com", "News.Example.com", "a-b.c", "example.com.", "x", "[::1]", "user@host.com", ""]
    ),
    st.sampled_from(["", ":80", ":443", ":8080", ":x"]),
    st.text(alphabet="/ab.%~-_é?#=&\t\n \x00\\", max_size=20),
)


@given(_URL_PARTS)
def test_shortcut_gives_what_taking_the_url_apart_gives(parts: tuple[str, str, str, str, str]) -> None:
    url = "".join(parts)
    assert canonicalize_url(url) == urls._canonicalize_parsed(url.strip(), None)


@given(st.text(max_size=40))
def test_shortcut_agrees_on_arbitrary_text_after_a_canonical_prefix(tail: str) -> None:
    url = "https://news.example.com/" + tail
    assert canonicalize_url(url) == urls._canonicalize_parsed(url.strip(), None)


@given(_URL_PARTS)
def test_domain_shortcut_gives_what_urlsplit_gives(parts: tuple[str, str, str, str, str]) -> None:
    url = "".join(parts)
    assert domain_of(url) == (urls._domain_by_urlsplit(url) if url else None)
    assert domain_of("https://www." + url[8:]) == urls._domain_by_urlsplit("https://www." + url[8:])
