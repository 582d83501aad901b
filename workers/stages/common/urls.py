"""URL canonicalisation and domains, for deterministic ids and clean related links."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the click; removing them makes one article one URL.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "ref_src", "cmpid", "ocid", "_ga"}
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "_hs")
# A URL that canonicalisation would return unchanged: lower-case http(s), a lower-case host name without port,
# user or trailing dot, a path, and no query or fragment. Most envelope URLs are like this, and taking them apart
# and putting them together again was 3 % of a worker's time.
_ALREADY_CANONICAL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*/[^?#\s]*")
# A lower-case http(s) URL whose authority is a plain host name (no user, port or trailing dot).
_PLAIN_HOST = re.compile(r"https?://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?=[/?#]|\Z)")


def _is_tracking(param: str) -> bool:
    lowered = param.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonicalize_url(url: str | None, base: str | None = None) -> str | None:
    """Absolute http(s) URL with lower-case host, no fragment, no default port and no tracking parameters."""
    if not url:
        return None
    url = url.strip()
    if not base and _ALREADY_CANONICAL.fullmatch(url):
        return url
    return _canonicalize_parsed(url, base)


def _canonicalize_parsed(url: str, base: str | None) -> str | None:
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    if not host:
        return None  # "https://./a": a host of dots names no host
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal is written in brackets, or its colons read as a port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    # White space before a fragment ("/a #top") would be stripped from the canonical URL's end next time.
    path = parts.path.rstrip() or "/"
    return urlunsplit((scheme, host, path, query, ""))


def domain_of(url: str | None) -> str | None:
    """The host of a URL without a leading www."""
    if not url:
        return None
    plain = _PLAIN_HOST.match(url)
    if plain is None:
        return _domain_by_urlsplit(url)
    host = plain.group(1)  # what urlsplit would find, without taking the whole URL apart
    return host[4:] if host.startswith("www.") else host


def _domain_by_urlsplit(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host
