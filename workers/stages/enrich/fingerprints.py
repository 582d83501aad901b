"""Near-duplicate fingerprints: a 64-bit b-bit one-permutation MinHash over word 3-shingles, as 16 hex digits.

How a fingerprint is made (Li, Owen & Zhang 2012, "One permutation hashing"; Li & König 2010, "b-bit minwise
hashing"):
1. the words are the \\w+ tokens of the body, lower-cased; the shingles are its overlapping 3-word windows (a body
   of 1 or 2 words is one shingle; an empty body is all zeros);
2. every shingle gets a 30-bit hash: the CRC-32 of each of its words, each position passed through its own
   fixed byte permutation, XORed together, top two bits dropped (CPython compares one-digit ints much faster);
3. the top 4 bits of a hash pick one of 16 buckets; each bucket keeps its smallest hash;
4. hex digit k of the fingerprint is the low 4 bits of bucket k's smallest hash (0 for an empty bucket).
Two bodies sharing a fraction J of their shingles (Jaccard similarity) agree on a bucket with probability about
J, so the expected Hamming distance of their fingerprints is about 32 × (1 − J): near-identical bodies differ in
a few bits, unrelated ones in about 32. Short bodies (under about 50 words) leave buckets empty and are
fingerprinted coarsely.

Why not SimHash: its 64 per-bit majority counts cost about 100 µs per 3 KB article in CPython, a third of the
stage's budget; this costs one sort and 16 binary searches. Every step is a fixed function of the words, so a
fingerprint is the same on every machine and Python build.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Sequence

from workers.stages.common import speedups

_BUCKET_BITS = 4
_BUCKETS = 1 << _BUCKET_BITS
_HASH_BITS = 30
_BUCKET_SHIFT = _HASH_BITS - _BUCKET_BITS
_DIGIT_BITS = 64 // _BUCKETS
_DIGIT_MASK = (1 << _DIGIT_BITS) - 1
_SHINGLE_WORDS = 3
_EMPTY = "0" * _BUCKETS
_LANE_MASK = ((1 << _HASH_BITS) - 1).to_bytes(4, "little")


def _byte_permutation(salt: bytes) -> bytes:
    """A fixed, non-linear permutation of the 256 byte values (ordered by their BLAKE2b digests)."""
    return bytes(sorted(range(256), key=lambda value: hashlib.blake2b(bytes([value]), salt=salt).digest()))


# One permutation per shingle position after the first, so that "a b c" and "c b a" hash differently.
_SECOND_WORD = _byte_permutation(b"second")
_THIRD_WORD = _byte_permutation(b"third")


def fingerprint(words: Sequence[str]) -> str:
    """The 16-hex-digit near-duplicate fingerprint of a body given as its \\w+ words (case does not matter)."""
    if not words:
        return _EMPTY
    if speedups.compiled is not None:  # the same steps in C: no sort, one pass keeps each bucket's smallest hash
        return speedups.compiled.fingerprint(words, _SECOND_WORD, _THIRD_WORD)
    return pure_python_fingerprint(words)


def pure_python_fingerprint(words: Sequence[str]) -> str:
    """fingerprint without the C module, for a non-empty list of words."""
    hashes = sorted(shingle_hashes(words))
    value = 0
    for bucket in range(_BUCKETS):
        index = bisect_left(hashes, bucket << _BUCKET_SHIFT)
        smallest = hashes[index] if index < len(hashes) and hashes[index] >> _BUCKET_SHIFT == bucket else 0
        value = (value << _DIGIT_BITS) | (smallest & _DIGIT_MASK)
    return f"{value:0{_BUCKETS}x}"


def shingle_hashes(words: Sequence[str]) -> array[int]:
    """The 30-bit hash of every 3-word window of the lower-cased words (one window when there are fewer words)."""
    # One lower() over the joined words is much cheaper than one per word; NUL separates them (no \w+ holds it).
    encoded = "\x00".join(words).lower().encode("utf-8", "surrogatepass").split(b"\x00")
    encoded += [b""] * (_SHINGLE_WORDS - len(encoded))
    word_hashes = array("I", map(zlib.crc32, encoded))
    if sys.byteorder == "big":
        word_hashes.byteswap()
    packed = word_hashes.tobytes()
    count = len(encoded) - _SHINGLE_WORDS + 1
    size = 4 * count
    combined = (
        int.from_bytes(packed[:size], "little")
        ^ int.from_bytes(packed[4 : 4 + size].translate(_SECOND_WORD), "little")
        ^ int.from_bytes(packed[8 : 8 + size].translate(_THIRD_WORD), "little")
    ) & int.from_bytes(_LANE_MASK * count, "little")
    hashes = array("I")
    hashes.frombytes(combined.to_bytes(size, "little"))
    if sys.byteorder == "big":
        hashes.byteswap()
    return hashes


def hamming_distance(first: str, second: str) -> int:
    """The number of differing bits between two fingerprints."""
    return (int(first, 16) ^ int(second, 16)).bit_count()
