"""Exact figures of plan_coverage on the crafted world (see tests/reports/factories.add_articles)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pressdesk.reports.periods import parse_period
from pressdesk.reports.selectors import delivery_suggestions, plan_coverage
from pressdesk.reports.tables import build_tables, table_csv
from tests.reports.factories import RWorld, article, at

D = dt.date
LATER = D(2024, 12, 1)


@pytest.fixture
def may(world: RWorld):
    return plan_coverage(plan=world.plan, period=parse_period("2024-05"), today=LATER)


def test_totals_by_level_and_tone(may) -> None:
    assert may.levels == {"central": 3, "provincial": 2, "other": 2}
    assert may.total == 7
    assert may.tones == {"positive": 3, "neutral": 2, "negative": 1, "": 1}
    assert may.false_info == 1
    assert may.outlets == [
        ("Báo A điện tử", "central", 3),
        ("Báo B điện tử", "provincial", 2),
        ("Tạp chí C", "other", 1),
    ]


def test_areas(may) -> None:
    a1, a2 = may.areas
    assert (a1.label, a1.levels, a1.total) == ("1. Kinh tế", {"central": 2, "provincial": 1, "other": 0}, 3)
    assert (a2.levels, a2.total) == ({"central": 1, "provincial": 1, "other": 1}, 3)
    assert a1.tones == {"positive": 2, "negative": 1}
    assert a1.outlets == {"Báo A điện tử": 2, "Báo B điện tử": 1}
    # Contract lines overlapping May: econ 4 (area 1), culture 2 (area 2); deliveries in May, not rejected.
    assert (a1.contracted, a1.delivered, a1.target) == (4, 1, 2)
    assert (a2.contracted, a2.delivered, a2.target) == (2, 1, 1)


def test_topics_targets_prorated(may) -> None:
    t11, t12, t21 = may.topics
    assert (t11.total, t11.levels["central"], t11.levels["provincial"]) == (2, 1, 1)
    assert (t12.total, t12.target, t12.contracted) == (1, None, 0)
    assert (t21.total, t21.levels["other"]) == (2, 1)
    # 24 a year × 31/366 = 2.03 → 2; 12 × 31/366 = 1.02 → 1
    assert (t11.target, t21.target) == (2, 1)


def test_gaps_list_under_covered_topics(may) -> None:
    assert [(g.label, g.covered, g.expected, g.shortfall) for g in may.gaps] == [
        ("1.1 Khu kinh tế Nghi Sơn", 2, 4, 2)
    ]
    assert may.gaps[0].reason == "Đạt 2/4 tin, bài đã đặt hàng"


def test_topic_with_no_article_is_a_gap(world: RWorld) -> None:
    cov = plan_coverage(plan=world.plan, period=parse_period("2024-03"), today=LATER)
    assert {g.label for g in cov.gaps} == {t.label for t in cov.topics}
    assert cov.total == 0


def test_event_before_on_after_and_weeks(may) -> None:
    (e,) = may.events
    assert (e.before, e.on_day, e.after, e.total) == (1, 1, 1, 3)
    assert e.levels == {"central": 1, "provincial": 1, "other": 1}
    assert e.weeks == {-1: 1, 0: 2}


def test_event_window_outside_period_is_left_out(world: RWorld) -> None:
    cov = plan_coverage(plan=world.plan, period=parse_period("2024-08"), today=LATER)
    assert cov.events == []


def test_weeks_by_level_use_local_time(may) -> None:
    w = [D(2024, 4, 29), D(2024, 5, 6), D(2024, 5, 13), D(2024, 5, 20), D(2024, 5, 27)]
    assert may.weeks == w
    assert may.level_weeks["central"] == {w[0]: 2, w[3]: 1}
    assert may.level_weeks["provincial"] == {w[1]: 1, w[3]: 1}
    assert may.level_weeks["other"] == {w[1]: 1, w[4]: 1}
    area1 = may.areas[0].key.pk
    assert may.area_weeks[area1] == {w[0]: 1, w[3]: 2}


def test_contract_progress_as_of_period_end(may) -> None:
    (a,) = may.agencies
    assert (a.contracts, a.ordered, a.delivered, a.delivered_accepted, a.accepted) == (1, 6, 3, 2, 2)
    assert a.value == Decimal(22_000_000)
    assert a.accepted_value == Decimal(5_500_000)
    assert a.paid == Decimal(6_000_000)  # the June payment is after the period
    assert may.progress_total.paid == Decimal(6_000_000)
    (late,) = may.late
    assert (late.ordered, late.delivered, late.missing, late.days_late) == (4, 2, 2, 16)
    assert late.window_end == D(2024, 5, 15)


def test_progress_is_capped_at_today(world: RWorld) -> None:
    cov = plan_coverage(plan=world.plan, period=parse_period("2024"), today=D(2024, 5, 10))
    assert cov.as_of == D(2024, 5, 10)
    assert cov.late == []  # the econ line's window is still open on 10 May


def test_quarter_counts_june_article(world: RWorld) -> None:
    cov = plan_coverage(plan=world.plan, period=parse_period("2024-Q2"), today=LATER)
    assert cov.total == 9  # 7 in May + 30 April 23:00 + 1 June 00:00
    assert cov.progress_total.paid == Decimal(7_000_000)


def test_tables_and_csv_carry_the_same_figures(may) -> None:
    tables = build_tables(may)
    assert tables["levels"].rows[0] == ["Báo chí Trung ương", 3, 0.4286]
    assert tables["levels"].total == ["Tổng cộng", 7, 1.0]
    csv_text = table_csv(tables["contracts"])
    assert csv_text.splitlines()[1].split(",")[:9] == [
        "Báo Trung ương A",
        "1",
        "6",
        "3",
        "2",
        "0.5",
        "22000000",
        "5500000",
        "6000000",
    ]


def test_suggestions_propose_matching_unrecorded_articles(world: RWorld) -> None:
    # Article in the econ window, same outlet, area 1 + topic 1.1: proposed; a recorded URL is not.
    found = article(world, "a", at(2024, 5, 12), area="1", topics=("1.1",))
    article(world, "a", at(2024, 5, 13), area="1", topics=("1.1",), url="https://baoa.vn/hd-1.html")
    article(world, "b", at(2024, 5, 12), area="1", topics=("1.1",))  # other outlet
    suggestions = delivery_suggestions(plan=world.plan)
    pairs = {(s.item.pk, s.article.pk) for s in suggestions}
    assert (world.items["econ"].pk, found.pk) in pairs
    assert all(s.article.outlet_id == world.outlets["a"].pk for s in suggestions)
    assert all(s.article.url != "https://baoa.vn/hd-1.html" for s in suggestions)
    # The 2 May article (area 1, topics 1.1+1.2) also matches the econ line.
    assert (world.items["econ"].pk, world.articles[0].pk) in pairs
