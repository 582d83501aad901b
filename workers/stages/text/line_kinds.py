"""What a line of a dump is, as its marker phrases say (dump_cleaning decides; the body model weighs it)."""

from __future__ import annotations

from enum import Enum


class LineKind(Enum):
    BODY = "body"
    BLANK = "blank"
    BOILERPLATE = "boilerplate"
    TEASER = "teaser"
    RELATED_BLOCK = "related_block"
    TAIL = "tail"
