"""URL canonicalisation: what it removes and keeps, for any URL, stated against the standard library's parse."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.stages.common.urls import canonicalize_url, domain_of


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://news.example.com/world/1", "https://news.example.com/world/1"),
        ("HTTPS://News.Example.COM/world/1#top", "https://news.example.com/world/1"),
        ("https://News.example.com/world/1", "https://news.example.com/world/1"),
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
        [
            "news.example.com",
            "News.Example.com",
            "News.example.com",
            "www.a-b.c",
            "WWW.x",
            "example.com.",
            "x",
            "[::1]",
            "user@host.com",
            "",
        ]
    ),
    st.sampled_from(["", ":80", ":443", ":8080", ":x"]),
    st.text(alphabet="/ab.%~-_é?#=&\t\n \x00\\", max_size=20),
)


def _parsed(url: str) -> SplitResult | None:
    """The URL taken apart by the standard library, or None where it cannot be (a bad port, a bad IPv6 host)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises for a port out of range or not a number
    except ValueError:
        return None
    return parts


def _tracking(name: str) -> bool:
    """A query parameter that only tracks the click (the ones canonicalize_url promises to drop)."""
    lowered = name.lower()
    return lowered in {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "ref_src", "cmpid",
                       "ocid", "_ga"} or lowered.startswith(("utm_", "pk_", "mtm_", "at_", "_hs"))  # fmt: skip


def _check_canonical_form(url: str) -> None:
    """What canonicalize_url promises, stated against the standard library's reading of the input."""
    canonical = canonicalize_url(url)
    parts = _parsed(url.strip())
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        assert canonical is None
        return
    if not parts.hostname.strip("."):
        assert canonical is None  # a host of dots names no host
        return
    assert canonical is not None
    result = urlsplit(canonical)
    scheme = parts.scheme.lower()
    default_port = {"http": 80, "https": 443}[scheme]
    port = None if parts.port in (None, default_port) else parts.port
    assert result.scheme == scheme
    host = parts.hostname.lower().rstrip(".")
    assert result.netloc == (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    assert result.path == (parts.path.rstrip() or "/")  # white space at a path's end is not kept
    assert result.fragment == "" and result.username is None
    kept = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(name)]
    assert parse_qsl(result.query, keep_blank_values=True) == kept
    assert canonicalize_url(canonical) == canonical  # canonical URLs are a fixed point


def test_an_ipv6_literal_keeps_its_brackets() -> None:
    assert canonicalize_url("http://[::1]:8080/a") == "http://[::1]:8080/a"


def test_a_host_of_dots_is_not_a_url() -> None:
    assert canonicalize_url("https://./a") is None


def test_a_path_ending_in_white_space_canonicalises_to_a_fixed_point() -> None:
    canonical = canonicalize_url("https://news.example.com/a #top")
    assert canonical is not None and canonicalize_url(canonical) == canonical


@given(_URL_PARTS)
def test_any_url_canonicalises_to_the_same_resource_in_canonical_form(parts: tuple[str, str, str, str, str]) -> None:
    _check_canonical_form("".join(parts))


@given(
    st.sampled_from(["news.example.com", "News.example.com", "www.example.com", "WWW.example.com"]),
    st.text(max_size=40),
    st.sampled_from(["", "?utm_source=x&id=7", "?ID=1&fbclid=y#top", "#frag"]),
)
def test_any_path_under_a_host_name_canonicalises_in_canonical_form(host: str, path: str, tail: str) -> None:
    _check_canonical_form(f"https://{host}/{path}{tail}")


@given(_URL_PARTS)
def test_domain_is_the_url_s_host_name_without_www(parts: tuple[str, str, str, str, str]) -> None:
    for url in ("".join(parts), "https://www." + "".join(parts)[8:]):
        try:
            host = urlsplit(url).hostname  # a port that is not a number does not matter here
        except ValueError:
            host = None
        assert domain_of(url) == (host.removeprefix("www.") if host else None)
