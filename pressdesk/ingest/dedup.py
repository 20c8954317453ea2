"""Near-duplicate detection: MinHash over syllable shingles, LSH bands for candidate lookup.

Vietnamese words are space-separated syllables, so shingles are runs of 3 syllables of the folded,
lower-cased text. Signatures serialise to bytes (Article.minhash). Band hashes are stable 63-bit
integers so that the database can index them (ClusterBand) and any worker finds the same candidates;
`StoryIndex` is the in-memory equivalent (datasketch MinHashLSH) for single-process use.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pressdesk.nlp.text import fold_diacritics

NUM_PERM = 128
BANDS = 21
ROWS = 6  # 21 bands × 6 rows: candidate threshold ≈ (1/21)^(1/6) ≈ 0.60 Jaccard
SEED = 1
# Shingle hash: syllable CRC-32s mixed per 3-syllable window (see shingle_hashes). Part of the stored
# format: changing it makes old signatures incomparable.
SCHEME = "affine32"  # datasketch 2 default permutation scheme, pinned so stored signatures stay comparable
SHINGLE = 3
THRESHOLD = 0.5  # estimated Jaccard a candidate must reach to join a cluster
_WORD = re.compile(r"[^\W_]+")


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x1F00):
        ch = chr(code)
        folded = fold_diacritics(ch)
        if folded != ch:
            table[code] = folded
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """fold_diacritics as one str.translate (the per-character version costs ms per article)."""
    return text.translate(_FOLD).lower()


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(fold(text))
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77))
_MASK32 = np.uint64(0xFFFFFFFF)


def shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the syllable shingles, combined from per-syllable CRC-32s with numpy
    (hashing each joined shingle string cost more than the MinHash itself)."""
    words = _WORD.findall(fold(text))
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    if len(h) < size:
        return np.array([int(h.sum() & _MASK32)], dtype=np.uint64)
    combined = (h[:-2] * _MIX[0] + h[1:-1] * _MIX[1] + h[2:]) & _MASK32
    return np.unique(combined)


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)  # permutations made once


def signature(text: str) -> LeanMinHash:
    mh = _TEMPLATE.copy()
    hashes = shingle_hashes(text)
    if len(hashes):
        mh.update_batch(hashes.tolist())
    return LeanMinHash(mh)


def to_bytes(sig: LeanMinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(bytes(data), dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def jaccard(a: LeanMinHash, b: LeanMinHash) -> float:
    return float(a.jaccard(b))


def band_hashes(sig: LeanMinHash) -> list[int]:
    """One signed 63-bit hash per band (fits a BigIntegerField), stable across processes and machines."""
    values = np.asarray(sig.hashvalues, dtype="<u8")
    out = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=struct.pack("<Q", band)).digest()
        out.append(struct.unpack("<q", digest)[0] >> 1)
    return out


class StoryIndex:
    """In-memory LSH index of recent signatures (one process): key → cluster."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        self.signatures: dict[str, LeanMinHash] = {}

    def add(self, key: str, sig: LeanMinHash) -> None:
        if key not in self.signatures:
            self.lsh.insert(key, sig)
            self.signatures[key] = sig

    def similar(self, sig: LeanMinHash) -> list[tuple[str, float]]:
        """Stored keys whose estimated Jaccard with `sig` reaches the threshold, best first."""
        found = [(key, jaccard(sig, self.signatures[key])) for key in self.lsh.query(sig)]
        return sorted((item for item in found if item[1] >= self.threshold), key=lambda item: -item[1])
