"""Writes on plans: import from the document, edit topics, events and areas, issue orientation notes.

Every edit locks its row, checks the plan-editor role, records a transition so the history shows who
changed what, and changes nothing when refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from pressdesk.accounts.models import Membership, Organisation, OrgKind, Role
from pressdesk.accounts.permissions import active_memberships, require_role
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.nlp.text import fold_diacritics
from pressdesk.plans.importer import ParsedPlan, parse_plan
from pressdesk.plans.models import ContentArea, KeyEvent, Orientation, Plan, Responsibility, Topic

MAX_KEYWORDS = 50
MAX_KEYWORD_LENGTH = 100
MAX_WINDOW_DAYS = 366

# Words in a body's name that say what kind of body it is (folded, lower-case). Only kinds, never names.
_KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("ban tuyen giao", OrgKind.PROPAGANDA),
    ("so thong tin", OrgKind.INFORMATION),
    ("van phong dai dien", OrgKind.REPRESENTATIVE_OFFICE),
    ("phong vien thuong tru", OrgKind.REPRESENTATIVE_OFFICE),
    ("co quan bao chi cua tinh", OrgKind.PROVINCIAL_PRESS),
    ("bao chi cua tinh", OrgKind.PROVINCIAL_PRESS),
    ("uy ban nhan dan", OrgKind.PEOPLES_COMMITTEE),
    ("ubnd", OrgKind.PEOPLES_COMMITTEE),
    ("so, ban, nganh", OrgKind.DEPARTMENT),
    ("dia phuong", OrgKind.LOCALITY),
)


def body_kind_guess(body: str) -> str:
    """The organisation kind a body's name denotes ("" when the words say nothing)."""
    folded = fold_diacritics(body)
    for words, kind in _KIND_KEYWORDS:
        if words in folded:
            return str(kind)
    return ""


def _reference_day(plan: Plan) -> dt.date:
    # Bodies are those in office when the plan was issued; without an issue date, mid-year.
    return plan.issue_date or dt.date(plan.year, 7, 1)


def _organisation_of_kind(kind: str, day: dt.date) -> Organisation | None:
    if not kind:
        return None
    candidates = list(
        Organisation.objects.filter(kind=kind)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))[:2]
    )
    # Several bodies of one kind (departments, localities): no single organisation is meant.
    return candidates[0] if len(candidates) == 1 else None


# --- import ---------------------------------------------------------------------------------------------


def _sha256(document: bytes | str) -> str:
    data = document.encode("utf-8") if isinstance(document, str) else document
    return hashlib.sha256(data).hexdigest()


def _replace_blockers(plan: Plan) -> list[str]:
    """What outside the plan's own rows would be deleted or changed if its contents were replaced."""
    own = {ContentArea, Topic, KeyEvent, Responsibility}
    groups: list[list[models.Model]] = [
        list(plan.areas.all()),
        list(plan.events.all()),
        list(plan.responsibilities.all()),
    ]
    collector = Collector(using=router.db_for_write(Plan), origin=plan)
    try:
        for group in groups:
            if group:
                collector.collect(group)  # one model per call
    except (ProtectedError, RestrictedError) as exc:
        protected = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        found = Counter(str(obj._meta.verbose_name) for obj in protected)
        return [f"{name} ({n})" for name, n in sorted(found.items())]
    counts: Counter[str] = Counter()
    for model, instances in collector.data.items():
        if model not in own and instances:
            counts[str(model._meta.verbose_name)] += len(instances)
    for qs in collector.fast_deletes:
        if qs.model not in own:
            n = qs.count()
            if n:
                counts[str(_label(qs.model))] += n
    for (fld, _value), targets in collector.field_updates.items():
        model = fld.model
        if model in own:
            continue
        n = sum(t.count() if hasattr(t, "count") and not isinstance(t, models.Model) else 1 for t in targets)
        if n:
            counts[str(_label(model))] += n
    return [f"{name} ({n})" for name, n in sorted(counts.items())]


def _label(model: type[models.Model]) -> str:
    if model._meta.auto_created:
        # An M2M link table: name it after the model that owns the relation.
        for f in model._meta.fields:
            if f.is_relation and f.related_model is not None and f.related_model not in (Topic, ContentArea):
                return str(f.related_model._meta.verbose_name)
    return str(model._meta.verbose_name)


@transaction.atomic
def plan_import(*, document: bytes | str, filename: str, actor: Any = None, replace: bool = False) -> Plan:
    """Import a plan document. The same document again changes nothing; another document for a year
    already stored is refused unless `replace`, and then only while nothing refers to its contents.

    `actor=None` is the command line (an operator on the server); any other actor must be a plan editor.
    """
    membership = require_role(actor, Role.PLAN_EDITOR) if actor is not None else None
    sha = _sha256(document)
    parsed = parse_plan(document, filename=filename)
    plan = Plan.objects.select_for_update().filter(year=parsed.year).first()
    if plan is not None and plan.source_sha256 == sha:
        return plan
    if plan is not None and not replace:
        raise TransitionError(
            "plan.exists",
            f"Đã có kế hoạch năm {parsed.year} (từ tệp “{plan.source_name or 'khác'}”); "
            "muốn thay bằng văn bản này thì chọn thay thế (--replace).",
            year=parsed.year,
        )
    if plan is not None:
        blockers = _replace_blockers(plan)
        if blockers:
            raise TransitionError(
                "plan.referenced",
                f"Không thể thay kế hoạch năm {parsed.year}: nội dung của kế hoạch đang được dùng bởi "
                + ", ".join(blockers)
                + ".",
                year=parsed.year,
            )
        old_counts = _counts(plan)
        plan.areas.all().delete()
        plan.events.all().delete()
        plan.responsibilities.all().delete()
        action = "plan_replace"
    else:
        plan = Plan(year=parsed.year)
        old_counts = {}
        action = "plan_import"
    try:
        _store(plan, parsed, filename=filename, sha=sha)
    except IntegrityError as exc:
        # Another import of the same year committed first; the atomic block discards this one whole.
        raise TransitionError(
            "plan.concurrent", f"Kế hoạch năm {parsed.year} vừa được nhập bởi người khác; hãy tải lại trang."
        ) from exc
    transition_record(
        subject=plan,
        actor=actor,
        action=action,
        new=plan.status,
        role=membership.role if membership else "",
        organisation=membership.organisation if membership else None,
        document_number=plan.number,
        note=plan.source_name,
        data={"sha256": sha, "before": old_counts, "after": _counts(plan)},
    )
    return plan


def _counts(plan: Plan) -> dict[str, int]:
    return {
        "areas": plan.areas.count(),
        "topics": Topic.objects.filter(area__plan=plan).count(),
        "events": plan.events.count(),
        "responsibilities": plan.responsibilities.count(),
    }


def _store(plan: Plan, parsed: ParsedPlan, *, filename: str, sha: str) -> None:
    plan.title = parsed.title[:500]
    plan.number = parsed.number[:100]
    plan.issue_date = parsed.issue_date
    plan.status = Plan.Status.ISSUED
    plan.preamble = parsed.preamble
    plan.legal_basis = list(parsed.legal_basis)
    plan.purposes = list(parsed.purposes)
    plan.signers = [{"name": s.name, "title": s.title, "body": s.body} for s in parsed.signers]
    plan.recipients = list(parsed.recipients)
    plan.source_name = os.path.basename(filename)[:255]
    plan.source_sha256 = sha
    day = _reference_day(plan)
    bodies = [_organisation_of_kind(body_kind_guess(s.body), day) for s in parsed.signers]
    issuing = [b for b in bodies if b is not None]
    if plan.owner_id is None:
        plan.owner = next(
            (b for b in issuing if b.kind == OrgKind.PROPAGANDA), issuing[0] if issuing else None
        )
    plan.save()
    if issuing:
        plan.issuing_bodies.add(*issuing)

    topics: dict[tuple[int, int], Topic] = {}
    areas: dict[int, ContentArea] = {}
    for pa in parsed.areas:
        area = ContentArea.objects.create(plan=plan, number=pa.number, title=pa.title[:500])
        areas[pa.number] = area
        for pt in pa.topics:
            topics[(pa.number, pt.order)] = Topic.objects.create(area=area, order=pt.order, text=pt.text)
    for order, pe in enumerate(parsed.events, start=1):
        KeyEvent.objects.create(
            plan=plan,
            area=areas.get(pe.area_number),
            topic=topics.get((pe.area_number, pe.topic_order)),
            order=order,
            title=pe.title[:500],
            date=pe.date,
            year=pe.year,
            since_year=pe.since_year,
            since_date=pe.since_date,
        )
    for pr in parsed.responsibilities:
        kind = body_kind_guess(pr.body)
        Responsibility.objects.create(
            plan=plan,
            order=pr.order,
            body=pr.body[:500],
            body_kind=kind,
            organisation=_organisation_of_kind(kind, day),
            tasks=list(pr.tasks),
        )


# --- edits ----------------------------------------------------------------------------------------------


def _require_editor(actor: Any, plan: Plan | None = None) -> Membership:
    """A plan editor; for a plan with an owner, one of the owning body or of its successors (the 2024
    plan's propaganda department became the propaganda and mass mobilisation department in 2025)."""
    if plan is None or plan.owner_id is None:
        return require_role(actor, Role.PLAN_EDITOR)
    bodies, body, seen = [], plan.owner, set()
    while body is not None and body.pk not in seen:
        seen.add(body.pk)
        bodies.append(body.pk)
        body = body.successor
    membership = (
        active_memberships(actor)
        .filter(role=Role.PLAN_EDITOR, organisation_id__in=bodies)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise PermissionDenied("plan_owner_required")
    return membership


def clean_keywords(keywords: Iterable[str] | str) -> list[str]:
    """Keywords from a list or a comma-separated string: trimmed, de-duplicated, in order."""
    items = keywords.split(",") if isinstance(keywords, str) else list(keywords)
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValidationFailed("keywords.type", "Từ khóa phải là chữ.")
        word = " ".join(item.split())
        if not word:
            continue
        if len(word) > MAX_KEYWORD_LENGTH:
            raise ValidationFailed(
                "keywords.too_long", f"Từ khóa “{word[:30]}…” dài quá {MAX_KEYWORD_LENGTH} ký tự."
            )
        key = word.casefold()
        if key not in seen:
            seen.add(key)
            out.append(word)
    if len(out) > MAX_KEYWORDS:
        raise ValidationFailed("keywords.too_many", f"Tối đa {MAX_KEYWORDS} từ khóa.")
    return out


def _record_edit(
    *, subject: models.Model, actor: Any, membership: Membership, action: str, changes: dict
) -> None:
    transition_record(
        subject=subject,
        actor=actor,
        action=action,
        role=membership.role,
        organisation=membership.organisation,
        note="; ".join(sorted(changes)),
        data={"changes": changes},
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _apply(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(obj, name, value)
    return changes


@transaction.atomic
def topic_update(
    *,
    topic_id: int,
    actor: Any,
    text: str,
    keywords: Sequence[str] | str,
    target_count: int | None,
) -> Topic:
    topic = Topic.objects.select_for_update().select_related("area__plan").get(pk=topic_id)
    membership = _require_editor(actor, topic.area.plan)
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed("topic.text_required", "Nội dung tuyên truyền không được để trống.")
    if target_count is not None and not 0 <= target_count <= 100000:
        raise ValidationFailed("topic.target_range", "Chỉ tiêu số tin, bài phải từ 0 đến 100.000.")
    changes = _apply(
        topic, {"text": text, "keywords": clean_keywords(keywords), "target_count": target_count}
    )
    if changes:
        topic.save()
        _record_edit(
            subject=topic, actor=actor, membership=membership, action="topic_update", changes=changes
        )
    return topic


@transaction.atomic
def event_update(
    *,
    event_id: int,
    actor: Any,
    title: str,
    date: dt.date | None,
    window_before_days: int,
    window_after_days: int,
    keywords: Sequence[str] | str,
) -> KeyEvent:
    event = KeyEvent.objects.select_for_update().select_related("plan").get(pk=event_id)
    membership = _require_editor(actor, event.plan)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed("event.title_required", "Tên sự kiện không được để trống.")
    if len(title) > 500:
        raise ValidationFailed("event.title_too_long", "Tên sự kiện dài quá 500 ký tự.")
    for days in (window_before_days, window_after_days):
        if not 0 <= days <= MAX_WINDOW_DAYS:
            raise ValidationFailed("event.window_range", f"Số ngày theo dõi phải từ 0 đến {MAX_WINDOW_DAYS}.")
    values: dict[str, Any] = {
        "title": title,
        "date": date,
        "window_before_days": window_before_days,
        "window_after_days": window_after_days,
        "keywords": clean_keywords(keywords),
    }
    if date is not None:
        values["year"] = date.year
    changes = _apply(event, values)
    if changes:
        event.save()
        _record_edit(
            subject=event, actor=actor, membership=membership, action="event_update", changes=changes
        )
    return event


@transaction.atomic
def area_update(*, area_id: int, actor: Any, keywords: Sequence[str] | str) -> ContentArea:
    area = ContentArea.objects.select_for_update().select_related("plan").get(pk=area_id)
    membership = _require_editor(actor, area.plan)
    changes = _apply(area, {"keywords": clean_keywords(keywords)})
    if changes:
        area.save()
        _record_edit(subject=area, actor=actor, membership=membership, action="area_update", changes=changes)
    return area


@transaction.atomic
def orientation_issue(
    *,
    plan: Plan,
    actor: Any,
    title: str,
    body: str,
    topics: Iterable[Topic | int],
    valid_from: dt.date,
    valid_to: dt.date | None,
    number: str = "",
) -> Orientation:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    membership = _require_editor(actor, plan)
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not title:
        raise ValidationFailed("orientation.title_required", "Tiêu đề định hướng không được để trống.")
    if not body:
        raise ValidationFailed("orientation.body_required", "Nội dung định hướng không được để trống.")
    if valid_from is None:
        raise ValidationFailed("orientation.valid_from_required", "Cần ngày bắt đầu hiệu lực.")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("orientation.valid_range", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
    ids = {t.pk if isinstance(t, Topic) else int(t) for t in topics}
    chosen = list(Topic.objects.filter(pk__in=ids, area__plan=plan))
    if len(chosen) != len(ids):
        raise ValidationFailed("orientation.topic_not_in_plan", "Có nội dung không thuộc kế hoạch này.")
    orientation = Orientation.objects.create(
        plan=plan,
        number=(number or "").strip()[:100],
        title=title[:500],
        body=body,
        valid_from=valid_from,
        valid_to=valid_to,
        issued_by=membership.organisation,
        author=actor,
    )
    orientation.topics.set(chosen)
    transition_record(
        subject=orientation,
        actor=actor,
        action="orientation_issue",
        new="issued",
        role=membership.role,
        organisation=membership.organisation,
        document_number=orientation.number,
        data={"topics": sorted(ids)},
    )
    return orientation
