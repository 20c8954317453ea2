"""Reading the benchmark corpus and the labelled set (framework-free; used by training, benchmarks, tests).

The corpus is benchmark data and never ships with the product: it is looked up at
$PRESSDESK_CORPUS, else ../shared/corpus/baomoi-2017.jsonl.xz next to the repository.
"""

from __future__ import annotations

import json
import lzma
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
LABELS_PATH = REPO_ROOT / "tests" / "nlp" / "data" / "labels.jsonl"
CASES_PATH = REPO_ROOT / "tests" / "nlp" / "data" / "cases.jsonl"
# More training for the area models: corpus articles outside labels.jsonl with the plan area of their
# subject ({"id", "area": 0-5, "note"}; 0 = none), labelled by reading. None is a near-duplicate of a
# held-out article (TF-IDF cosine < 0.35 to every one).
AREA_LABELS_PATH = REPO_ROOT / "tests" / "nlp" / "data" / "area_labels.jsonl"


def corpus_path() -> Path:
    env = os.environ.get("PRESSDESK_CORPUS")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "corpus" / "baomoi-2017.jsonl.xz"


def iter_corpus(path: Path | None = None) -> Iterator[dict[str, Any]]:
    """Articles as {"id","title","lead","body"}."""
    path = path or corpus_path()
    opener = lzma.open if str(path).endswith(".xz") else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_labels(path: Path | None = None) -> list[dict[str, Any]]:
    return load_jsonl(path or LABELS_PATH)


def load_area_labels(path: Path | None = None) -> list[dict[str, Any]]:
    return load_jsonl(path or AREA_LABELS_PATH)


def texts_for(ids: Iterable[str], path: Path | None = None) -> dict[str, dict[str, Any]]:
    wanted = set(ids)
    found: dict[str, dict[str, Any]] = {}
    for article in iter_corpus(path):
        if article["id"] in wanted:
            found[article["id"]] = article
            if len(found) == len(wanted):
                break
    return found
