"""One order through the whole chain in the browser, with four people, ending on the contract's history."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.commissioning.models import ApprovalPackage, Contract, Proposal
from tests.commissioning.factories import make_world, open_round
from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread, so Django's async-safety check
    # would refuse the test database set-up and the ORM calls the test makes between page steps.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


def _as(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)


def _act(page: Any, action: str) -> None:
    page.click(f"form[data-action='{action}'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
def test_one_order_through_the_whole_chain(live_server: Any, page: Any, transactional_db: Any) -> None:
    w = make_world()
    r = open_round(w)
    base = live_server.url

    # The agency editor proposes and submits.
    _as(page, live_server, "editor_a")
    page.goto(f"{base}/dat-hang/dot/{r.pk}/")
    page.fill("#id_create-title", "Tuyến bài kinh tế 2024")
    page.click("form[action$='/create/'] button[type=submit]")
    page.wait_for_url("**/de-xuat/*/")
    proposal = Proposal.objects.get(title="Tuyến bài kinh tế 2024")
    page.select_option("#id_add-area", str(w.area.pk))
    page.select_option("#id_add-topic", str(w.topic.pk))
    page.select_option("#id_add-product_type", "article")
    page.select_option("#id_add-outlet", str(w.outlets["a"].pk))
    page.fill("#id_add-quantity", "5")
    page.fill("#id_add-unit_price", "4000000")
    page.fill("#id_add-window_start", "2024-04-01")
    page.fill("#id_add-window_end", "2024-06-30")
    page.click("#add-item button[type=submit]")
    page.wait_for_load_state()
    assert "20.000.000 đ" in page.content()
    _act(page, "submit")
    assert page.inner_text("#proposal-status") == "Đã gửi"

    # The appraiser judges the line, endorses, and selects the agency.
    _as(page, live_server, "appraiser")
    page.goto(f"{base}/dat-hang/de-xuat/{proposal.pk}/")
    page.click("form.appraise-form button[type=submit]")
    page.wait_for_load_state()
    _act(page, "endorse")
    assert page.inner_text("#proposal-status") == "Đã thẩm định đạt"
    page.goto(f"{base}/dat-hang/dot/{r.pk}/")
    page.check(f"input[name='select-agencies'][value='{w.orgs['a'].pk}']")
    _act(page, "select")

    # The commissioning officer compiles the package and submits it.
    _as(page, live_server, "officer")
    page.goto(f"{base}/dat-hang/dot/{r.pk}/")
    page.fill("#id_compile-title", "Hồ sơ đợt 1")
    item = proposal.items.get()
    page.check(f"input[name='compile-items'][value='{item.pk}']")
    _act(page, "compile")
    page.wait_for_url("**/ho-so/*/")
    package = ApprovalPackage.objects.get(title="Hồ sơ đợt 1")
    assert page.inner_text("#package-total") == "20.000.000 đ"
    _act(page, "submit")
    assert page.inner_text("#package-status") == "Đã trình"

    # The chairman approves with a decision number and date.
    _as(page, live_server, "approver")
    page.goto(f"{base}/dat-hang/ho-so/{package.pk}/")
    page.fill("#id_approve-decision_number", "825/QĐ-UBND")
    page.fill("#id_approve-decision_date", "2024-03-15")
    _act(page, "approve")
    assert page.inner_text("#package-status") == "Đã phê duyệt"

    # The officer drafts the contract from the approved line and signs it.
    _as(page, live_server, "officer")
    page.goto(f"{base}/dat-hang/ho-so/{package.pk}/")
    page.select_option("#id_contract-agency", str(w.orgs["a"].pk))
    page.fill("#id_contract-number", "01/2024/HĐĐH")
    page.check(f"input[name='contract-items'][value='{item.pk}']")
    page.fill("#id_contract-period_start", "2024-03-20")
    page.fill("#id_contract-period_end", "2024-12-31")
    page.click("#contract-draft button[type=submit]")
    page.wait_for_url("**/hop-dong/*/")
    page.fill("#id_sign-signed_on", "2024-03-20")
    _act(page, "sign")
    assert page.inner_text("#contract-status") == "Đã ký"
    assert page.inner_text("#contract-value") == "20.000.000 đ"

    contract = Contract.objects.get(number="01/2024/HĐĐH")
    assert contract.status == Contract.Status.SIGNED
    history = page.locator("#history .history-row")
    assert [history.nth(i).get_attribute("data-action") for i in range(history.count())] == [
        "contract_draft",
        "contract_sign",
    ]
    sign_row = page.inner_text("#history .history-row[data-action='contract_sign']")
    assert str(w.users["officer"]) in sign_row and "draft → signed" in sign_row
