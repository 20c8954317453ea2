"""Throughput and memory of pressdesk.nlp over the whole corpus (35,440 articles).

    .venv/bin/python benchmarks/analysis_speed.py [--workers 2] [--limit N]

Prints articles/s for the analysis itself (reading and decompressing the corpus excluded, model
loading reported apart) and the peak resident memory of this process and its workers.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pressdesk.nlp.analyser import Analyser  # noqa: E402
from pressdesk.nlp.corpus import corpus_path, iter_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument(
        "--embeddings",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="area with the e5 encoder too (default: $PRESSDESK_NLP_EMBEDDINGS, on)",
    )
    args = parser.parse_args()
    if not corpus_path().exists():
        print(f"corpus not found at {corpus_path()}; set PRESSDESK_CORPUS")
        return 2
    t0 = time.perf_counter()
    items = []
    for article in iter_corpus():
        items.append(
            {"id": article["id"], "title": article["title"], "lead": article["lead"], "text": article["body"]}
        )
        if args.limit and len(items) >= args.limit:
            break
    t1 = time.perf_counter()
    analyser = Analyser(embeddings=args.embeddings)
    print(f"model_version {analyser.model_version}")
    t2 = time.perf_counter()
    about = 0
    count = 0
    for result in analyser.analyse_batch(items, workers=args.workers):
        count += 1
        about += result["about_province"]
    t3 = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"corpus read: {len(items)} articles in {t1 - t0:.1f}s; model load {t2 - t1:.1f}s")
    print(
        f"analysed {count} articles in {t3 - t2:.1f}s with {args.workers} worker(s): {count / (t3 - t2):.0f} articles/s"
    )
    print(f"about the province: {about} ({about / max(count, 1):.1%})")
    print(f"peak RSS: main {own:.0f} MiB, largest worker {children:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
