"""The Analyser's output shape, plans (shipped, new, broken) and the plan labels."""

from __future__ import annotations

import copy

import pytest

from pressdesk.nlp.analyser import OUTPUT_KEYS
from pressdesk.nlp.plan import PlanError, derive_event_keywords, load_default_plan, normalise_plan

ABOUT = {
    "id": "t1",
    "title": "Thanh Hóa: Khánh thành nhà máy điện mặt trời 4.000 tỷ đồng ở huyện Như Thanh",
    "text": "UBND tỉnh Thanh Hóa khánh thành dự án nhà máy điện mặt trời, thu hút đầu tư lớn vào khu công nghiệp.\n"
    "Dự án góp phần tăng trưởng kinh tế của tỉnh.",
}
NOT_ABOUT = {
    "id": "t2",
    "title": "Chị Thanh Hòa mở tiệm bánh",
    "text": "Chị Thanh Hòa ở quận Cầu Giấy, Hà Nội.",
}


def test_output_shape(analyser):
    out = analyser.analyse(**ABOUT)
    assert tuple(out) == OUTPUT_KEYS
    assert out["id"] == "t1"
    assert out["about_province"] is True
    assert 0.0 < out["relevance"] < 1.0
    # the second "Thanh Hóa" belongs to the body "UBND tỉnh Thanh Hóa"
    assert {"code": "38", "name": "Thanh Hóa", "level": "province", "count": 1} in out["places"]
    assert {"code": "org:ubnd-tinh", "name": "UBND tỉnh Thanh Hóa", "level": "body", "count": 1} in out[
        "places"
    ]
    assert all(set(p) == {"code", "name", "level", "count"} for p in out["places"])
    assert out["area"] == 1
    assert out["topics"] and all(
        set(t) == {"area", "order", "score"} and t["area"] == 1 for t in out["topics"]
    )
    assert isinstance(out["events"], list)
    assert out["tone"] in ("negative", "neutral", "positive")
    assert out["false_info"] is False
    assert out["model_version"].startswith("nlp-2026.11-")


def test_not_about_the_province_has_no_plan_labels(analyser):
    out = analyser.analyse(**NOT_ABOUT)
    assert out["about_province"] is False
    assert out["places"] == [] and out["area"] is None and out["topics"] == [] and out["events"] == []


def test_batch_matches_single(analyser):
    batch = list(analyser.analyse_batch([ABOUT, NOT_ABOUT]))
    assert batch == [analyser.analyse(**ABOUT), analyser.analyse(**NOT_ABOUT)]


def test_key_event_by_name_and_date(analyser):
    out = analyser.analyse(
        "e1",
        "Thanh Hóa kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        "Tỉnh ủy, UBND tỉnh Thanh Hóa tổ chức lễ kỷ niệm 70 năm Chiến thắng Điện Biên Phủ, tri ân dân công xứ Thanh.",
        published="2024-05-06",
    )
    assert out["about_province"] is True
    assert out["events"][0]["title"].startswith("Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ")
    far = analyser.analyse(
        "e2",
        "Thanh Hóa kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        "Tỉnh ủy, UBND tỉnh Thanh Hóa tổ chức lễ kỷ niệm 70 năm Chiến thắng Điện Biên Phủ, tri ân dân công xứ Thanh.",
        published="2021-01-10",
    )
    assert far["events"] == [] or far["events"][0]["score"] < out["events"][0]["score"]


def test_false_info_flag(analyser):
    out = analyser.analyse(
        "f1",
        "Thanh Hóa: Xử phạt người đăng tin sai sự thật về dịch bệnh",
        "Công an tỉnh Thanh Hóa xử phạt một người ở huyện Hoằng Hóa vì đăng tin sai sự thật trên Facebook.",
    )
    assert out["false_info"] is True and out["about_province"] is True


def test_a_new_plan_works_without_code_changes():
    from pressdesk.nlp.analyser import Analyser

    plan = {
        "year": 2027,
        "areas": [
            {
                "number": 1,
                "title": "Du lịch và văn hóa",
                "topics": [{"order": 1, "text": "Quảng bá du lịch biển Sầm Sơn"}],
            },
            {
                "number": 2,
                "title": "Nông nghiệp công nghệ cao",
                "topics": [{"order": 1, "text": "Nông nghiệp sạch"}],
            },
        ],
        "events": [{"title": "Lễ hội du lịch biển Sầm Sơn 2027", "date": "2027-04-30", "year": 2027}],
    }
    out = Analyser(plan).analyse(
        "n1",
        "Lễ hội du lịch biển Sầm Sơn 2027 khai mạc",
        "Tối 30/4, TP Sầm Sơn (Thanh Hóa) khai mạc Lễ hội du lịch biển Sầm Sơn 2027, du khách đông kỷ lục.",
        published="2027-04-30",
    )
    assert out["about_province"] is True
    assert out["area"] == 1
    assert out["events"] and out["events"][0]["title"] == "Lễ hội du lịch biển Sầm Sơn 2027"
    assert out["model_version"].split("-p")[-1] != ""


def test_derived_event_keywords():
    assert "Điện Biên Phủ" in derive_event_keywords(
        "Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ (07/5/1954 - 07/5/2024)"
    )
    assert "Văn hóa Đông Sơn" in derive_event_keywords(
        "Kỷ niệm 100 năm phát hiện và nghiên cứu Văn hóa Đông Sơn (1924 - 2024) trên địa bàn tỉnh Thanh Hóa"
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.pop("areas"), "thiếu danh sách lĩnh vực"),
        (lambda p: p["areas"][0].pop("number"), "thiếu số thứ tự"),
        (lambda p: p["areas"][0]["topics"][0].pop("text"), "thiếu văn bản"),
        (lambda p: p["events"][0].update(date="07/05/2024"), "ngày không hợp lệ"),
    ],
)
def test_broken_plans_are_refused(mutate, message):
    plan = copy.deepcopy(load_default_plan())
    mutate(plan)
    with pytest.raises(PlanError, match=message):
        normalise_plan(plan)


def test_shipped_plan_has_five_areas_and_events():
    plan = normalise_plan(load_default_plan())
    assert [a.number for a in plan.areas] == [1, 2, 3, 4, 5]
    assert len(plan.topics) == 19
    assert plan.events[0].date is not None and plan.events[0].date.isoformat() == "2024-05-07"


def test_other_provinces_are_counted_but_not_longer_names():
    from pressdesk.nlp.relevance import count_other_provinces

    text = "Đoàn từ Hà Nội và Nghệ An dự lễ kỷ niệm Chiến thắng Điện Biên Phủ cùng CLB Hà Nội FC"
    assert count_other_provinces(text) == 2
    assert count_other_provinces("Thanh Hóa khánh thành cầu") == 0


def test_learned_decision_needs_a_counted_mention():
    from pressdesk.nlp.gazetteer import PlaceMention
    from pressdesk.nlp.relevance import Relevance, learned

    origin = PlaceMention("38", "Thanh Hóa", "province", "body", 40, 49, "origin", "Thanh Hóa")
    place = PlaceMention("38", "Thanh Hóa", "province", "title", 0, 9, "place", "Thanh Hóa")
    rel = Relevance(0.0, 0.0, "passing")
    assert learned(rel, [origin], 0.99).decision == "passing"
    assert learned(rel, [place], 0.99).decision == "subject"
    assert learned(rel, [place], 0.2).about_province is False


def test_sentence_embeddings_are_on_by_default_and_switchable(monkeypatch):
    from pressdesk.nlp.analyser import Analyser

    monkeypatch.setenv("PRESSDESK_NLP_EMBEDDINGS", "off")
    plain = Analyser()
    out = plain.analyse(**ABOUT)
    assert plain.embedder._model is None  # the encoder was never loaded
    assert "-e5-" not in out["model_version"]
    assert out["area"] == 1  # a solar plant and investment: the plan's economic area

    monkeypatch.delenv("PRESSDESK_NLP_EMBEDDINGS", raising=False)
    encoded = Analyser()
    out = encoded.analyse(**ABOUT)
    assert encoded.embedder._model is not None
    assert "-e5-" in out["model_version"]  # labels say that the encoder took part
    assert out["about_province"] is True and out["area"] == 1
    # Not about the province: nothing to label, nothing encoded.
    assert Analyser(embeddings=True).analyse(**NOT_ABOUT)["area"] is None
