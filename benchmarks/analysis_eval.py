"""Quality of pressdesk.nlp on the labelled set: dev split (tuned on) and held-out split (never tuned on).

    .venv/bin/python benchmarks/analysis_eval.py [dev] [cv] [heldout] [e5|plain]    (default: the three splits)

e5       area labels with the e5 sentence embeddings too (PRESSDESK_NLP_EMBEDDINGS=1, the default)
plain    area labels without them (PRESSDESK_NLP_EMBEDDINGS=0)

dev      the shipped model on the dev split. Tone and area are TRAINED on these labels: their dev
         figures are a training fit, not a quality estimate.
cv       the honest dev figures: 5-fold cross-validation on the dev split, folds grouped by story,
         each fold analysed by models retrained (pressdesk.nlp.train.fit_models) without it
         (~5-8 min on 2 cores; e5 vectors of the training sample are cached, see nlp/embedding.py).
heldout  the shipped model on the held-out split: evaluate it only to report, never to tune.

Each split reports the decisions on its articles, the area on those labelled about the province,
and the area classifier alone on every article whose subject's area is labelled (the province
articles' area, the others' topic_area): 337 held-out articles against 35 province articles with
an area, so a steadier figure of the classifier itself.

Labels: tests/nlp/data/labels.jsonl (ids of ../shared/corpus/baomoi-2017.jsonl.xz, labelled by reading);
tests/nlp/data/area_labels.jsonl (2,766 more corpus articles with their subject's area, training
only; rubric: tests/nlp/data/AREA-RUBRIC.md); written cases: tests/nlp/data/cases.jsonl (texts included).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pressdesk.nlp.analyser import Analyser  # noqa: E402
from pressdesk.nlp.corpus import CASES_PATH, corpus_path, load_jsonl  # noqa: E402
from pressdesk.nlp.evaluation import cross_validate, evaluate, prf  # noqa: E402


def main() -> int:
    if not corpus_path().exists():
        print(f"corpus not found at {corpus_path()}; set PRESSDESK_CORPUS")
        return 2
    started = time.time()
    if "e5" in sys.argv[1:]:
        os.environ["PRESSDESK_NLP_EMBEDDINGS"] = "1"
    if "plain" in sys.argv[1:]:
        os.environ["PRESSDESK_NLP_EMBEDDINGS"] = "0"
    analyser = Analyser()
    print(f"model_version {analyser.model_version}")
    wanted = [a for a in sys.argv[1:] if a in ("dev", "cv", "heldout")] or ["dev", "cv", "heldout"]
    if "dev" in wanted:
        print("(dev: training fit for tone and area; see the cross-validated figures)")
        print(evaluate(analyser, splits=("dev",))["dev"].report())
        print()
    if "cv" in wanted:
        print(cross_validate(log=True).report())
        print()
    if "heldout" in wanted:
        print(evaluate(analyser, splits=("heldout",))["heldout"].report())
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
