"""Character classes shared by the enrichment modules (Python's re has no \\p{Lu})."""

from __future__ import annotations

from collections.abc import Callable

# Latin, Greek, Cyrillic and Armenian all lie below U+2000; scripts beyond it have no letter case.
_CASED_SCRIPTS_END = 0x2000


def class_ranges(predicate: Callable[[str], bool], end: int = _CASED_SCRIPTS_END) -> str:
    """The body of a regex character class holding the code points below `end` that satisfy `predicate`."""
    parts: list[str] = []
    start = -1
    for code in range(end + 1):
        inside = code < end and predicate(chr(code))
        if inside and start < 0:
            start = code
        elif not inside and start >= 0:
            last = code - 1
            parts.append(f"\\u{start:04x}" if start == last else f"\\u{start:04x}-\\u{last:04x}")
            start = -1
    return "".join(parts)


def is_capital(char: str) -> bool:
    """Upper- and title-case letters: everything a capitalised name can start with."""
    return char.isupper() or char.istitle()


UPPER = class_ranges(is_capital)
