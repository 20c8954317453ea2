"""Quality of pressdesk.nlp on the labelled set: dev split (tuned on) and held-out split (never tuned on).

    .venv/bin/python benchmarks/analysis_eval.py

Labels: tests/nlp/data/labels.jsonl (ids of ../shared/corpus/baomoi-2017.jsonl.xz, labelled by reading);
written cases: tests/nlp/data/cases.jsonl (texts included).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pressdesk.nlp.analyser import Analyser  # noqa: E402
from pressdesk.nlp.corpus import CASES_PATH, corpus_path, load_jsonl  # noqa: E402
from pressdesk.nlp.evaluation import evaluate, prf  # noqa: E402


def main() -> int:
    if not corpus_path().exists():
        print(f"corpus not found at {corpus_path()}; set PRESSDESK_CORPUS")
        return 2
    started = time.time()
    analyser = Analyser()
    print(f"model_version {analyser.model_version}")
    splits = tuple(a for a in sys.argv[1:] if a in ("dev", "heldout")) or ("dev", "heldout")
    scores = evaluate(analyser, splits=splits)
    for split in scores:
        print(scores[split].report())
        print()
    cases = load_jsonl(CASES_PATH)
    results = [
        analyser.analyse_full(c["id"], c["title"], c["text"], published=c.get("published")) for c in cases
    ]
    print(f"== written cases: {len(cases)}")
    print(
        prf([c["about_province"] for c in cases], [r.about_province for r in results]).line("about_province")
    )
    print(prf([c["false_info"] for c in cases], [r.false_info for r in results]).line("false_info"))
    wrong = [
        (c["id"], c["note"])
        for c, r in zip(cases, results, strict=True)
        if c["about_province"] != r.about_province
    ]
    for case_id, note in wrong:
        print(f"  wrong about_province: {case_id} ({note})")
    print(f"\n{time.time() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
