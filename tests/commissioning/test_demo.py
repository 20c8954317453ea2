"""The demonstration data: made through the services, every state present, idempotent."""

from __future__ import annotations

import pytest
from django.core import mail

from pressdesk.accounts import demo as accounts_demo
from pressdesk.commissioning import demo, selectors
from pressdesk.commissioning.models import ApprovalPackage, Contract, Delivery, OrderRound, Proposal
from pressdesk.core.audit import history_for
from pressdesk.core.demo import DemoContext
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic


@pytest.fixture
def ctx(db, settings) -> DemoContext:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = DemoContext()
    accounts_demo.load(context)
    plans_demo = pytest.importorskip("pressdesk.plans.demo") if _has_plans_demo() else None
    if plans_demo is not None:
        plans_demo.load(context)
    if not Plan.objects.filter(year=2024).exists():
        plan = Plan.objects.create(year=2024, title="Kế hoạch tuyên truyền 2024")
        for n, title in enumerate(["Chính trị", "Kinh tế", "Văn hóa - xã hội"], start=1):
            area = ContentArea.objects.create(plan=plan, number=n, title=title)
            topic = Topic.objects.create(area=area, order=1, text=f"Chủ đề {title}")
        KeyEvent.objects.create(
            plan=plan, area=area, topic=topic, title="Kỷ niệm", year=2024, date="2024-05-19"
        )
    return context


def _has_plans_demo() -> bool:
    import importlib.util

    return importlib.util.find_spec("pressdesk.plans.demo") is not None


def test_demo_shows_every_state_through_real_history(ctx, django_capture_on_commit_callbacks) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demo.load(ctx)
    assert callbacks == []  # no e-mail queued: demonstration data is not news
    r = OrderRound.objects.get(title=demo.ROUND_TITLE)
    states = set(r.proposals.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "endorsed", "rejected"} <= states
    assert ApprovalPackage.objects.get(round=r).status == ApprovalPackage.Status.APPROVED
    running = ctx.extra["contracts"]["in_progress"]
    settled = ctx.extra["contracts"]["settled"]
    assert running.status == Contract.Status.IN_PROGRESS and settled.status == Contract.Status.SETTLED
    deliveries = Delivery.objects.filter(contract_item__contract=running)
    assert deliveries.count() >= 3
    assert all(d.url.startswith("https://nhandan.vn/") and d.published_on.year == 2024 for d in deliveries)
    progress = selectors.contract_progress(settled)
    assert progress.paid == progress.accepted_value > 0
    assert history_for(settled).filter(actor__username="dathang", action="contract_settle").count() == 1
    p = Proposal.objects.filter(round=r, status="endorsed").first()
    assert history_for(p).filter(actor__username="thamdinh", action="proposal_endorse").exists()
    assert mail.outbox == []


def test_demo_is_idempotent(ctx) -> None:
    demo.load(ctx)
    counts = (Proposal.objects.count(), Contract.objects.count(), Delivery.objects.count())
    demo.load(ctx)
    assert (Proposal.objects.count(), Contract.objects.count(), Delivery.objects.count()) == counts
    assert ctx.extra["contracts"]["settled"] is not None
