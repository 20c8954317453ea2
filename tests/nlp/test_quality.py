"""CI quality gate: F1 on the labelled set must not fall below pinned floors.

Marked `corpus` but not excluded: it skips (with the reason) where ../shared/corpus is absent.
Floors sit a little below the figures measured when the model was trained (see the README lines
in the NLP report / benchmarks/analysis_eval.py); raise them when quality improves.
"""

from __future__ import annotations

import pytest

from pressdesk.nlp.corpus import corpus_path

pytestmark = pytest.mark.corpus

# Measured with models nlp-2026.11-ce3e657b (benchmarks/analysis_eval.py; 1,038 labelled articles,
# 220 of them added in 2026-11 from the corpus's remaining Thanh Hóa mentions; every article not
# about the province also carries the area of its subject, "topic_area": dev for training, held-out
# for the subject-area figure; plus 2,766 corpus articles with their subject's area in
# area_labels.jsonl, training only), about / negative / false-info / area macro-F1 / subject-area
# macro-F1, default analyser (with the e5 sentence encoder): dev (training fit for tone,
# about-province and area) 0.958 / 1.000 / 0.800 / 0.788 / 0.972; held-out 0.943 / 0.888 / 0.667 /
# 0.585 / 0.756. The area macro-F1 moves by up to 0.25 when one article of an area with one or two
# labels flips (held-out: area 3 has one article about the province, area 2 none), so its floors
# leave more room; the subject-area figure (337 held-out articles) is the steadier gate.
# Honest dev figures are cross-validated (analysis_eval.py cv).
FLOORS = {
    "dev": {"about": 0.93, "negative": 0.95, "false_info": 0.78, "area": 0.72, "subject_area": 0.93},
    "heldout": {"about": 0.91, "negative": 0.83, "false_info": 0.60, "area": 0.55, "subject_area": 0.72},
}


@pytest.fixture(scope="module")
def scores(analyser):
    if not corpus_path().exists():
        pytest.skip(f"benchmark corpus not present at {corpus_path()}")
    from pressdesk.nlp.evaluation import evaluate

    return evaluate(analyser)


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_f1_floors(scores, split):
    s = scores[split]
    floors = FLOORS[split]
    measured = {
        "about": s.about.f1,
        "negative": s.negative.f1,
        "false_info": s.false_info.f1,
        "area": s.area_macro_f1,
        "subject_area": s.subject_area_macro_f1,
    }
    low = {k: round(v, 3) for k, v in measured.items() if v < floors[k]}
    assert not low, f"{split}: F1 below the pinned floors {floors}: {low}\n{s.report()}"


def test_written_cases_all_right(analyser):
    from pressdesk.nlp.corpus import CASES_PATH, load_jsonl

    wrong = []
    for case in load_jsonl(CASES_PATH):
        out = analyser.analyse(case["id"], case["title"], case["text"], published=case.get("published"))
        if out["about_province"] != case["about_province"] or out["false_info"] != case["false_info"]:
            wrong.append((case["id"], case["note"], out["about_province"], out["false_info"]))
    assert not wrong


def test_labelled_set_is_consistent():
    """Every label row is complete, ids are unique, plan areas only where they can apply."""
    from pressdesk.nlp.corpus import load_labels

    rows = load_labels()
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["split"] in ("dev", "heldout"), row
        assert row["tone"] in ("negative", "neutral", "positive"), row
        # the plan area of an article about the province; else none
        assert row["area"] is None or (row["about_province"] and row["area"] in range(1, 6)), row
        # the area of the subject of an article not about the province (dev: training; held-out:
        # the classifier's subject-area figure, never trained on)
        if "topic_area" in row:
            assert not row["about_province"], row
            assert row["topic_area"] in range(6), row
    # every article not about the province carries it
    assert all("topic_area" in row for row in rows if not row["about_province"])


def test_area_labels_are_consistent():
    """area_labels.jsonl: unique ids outside labels.jsonl, an area 0-5, a note (may be empty)."""
    from pressdesk.nlp.corpus import load_area_labels, load_labels

    labelled = {row["id"] for row in load_labels()}
    rows = load_area_labels()
    assert len(rows) >= 1000
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"id", "area", "note"}, row
        assert row["id"] not in labelled, row
        assert row["area"] in range(6), row


def test_area_labels_are_no_heldout_story(analyser):
    """No area-labelled training article tells the story of a held-out article (TF-IDF cosine)."""
    if not corpus_path().exists():
        pytest.skip(f"benchmark corpus not present at {corpus_path()}")
    import numpy as np

    from pressdesk.nlp.corpus import load_area_labels, load_labels, texts_for
    from pressdesk.nlp.evaluation import STORY_SIMILARITY
    from pressdesk.nlp.features import prepare

    heldout = [row["id"] for row in load_labels() if row["split"] == "heldout"]
    extra = [row["id"] for row in load_area_labels()]
    texts = texts_for([*heldout, *extra])
    vec = analyser.vectorizer

    def matrix(ids):
        return vec.transform(
            [prepare(texts[i]["title"], texts[i]["lead"], texts[i]["body"]).clf_text for i in ids]
        )

    closest = np.asarray((matrix(extra) @ matrix(heldout).T).max(axis=1).todense()).ravel()
    assert len(texts) == len(heldout) + len(extra)
    assert float(closest.max()) < STORY_SIMILARITY
