"""Writes of the monitoring workspace: alert evaluation, routing, answers, escalation, rules, searches."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation, OrgKind, Role, User
from pressdesk.accounts.permissions import active_memberships, has_role, require_role
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import NotFound, TransitionError, ValidationFailed
from pressdesk.monitoring.models import Article, ArticlePlace, MentionTopic
from pressdesk.watch.models import (
    Alert,
    AlertArticle,
    AlertRule,
    EvaluatedArticle,
    Notification,
    Response,
    RoutingRule,
    SavedSearch,
)
from pressdesk.watch.places import with_parents
from pressdesk.watch.search import Filters, fold, parse_query

ANSWER_ROLES = (Role.BODY_OFFICER, Role.SPOKESPERSON, Role.BODY_HEAD)
OPEN_STATES = (Alert.Status.OPEN, Alert.Status.ASSIGNED, Alert.Status.ESCALATED)
SPIKE_BASELINE_DAYS = 28


# ---------------------------------------------------------------------------------------------
# Notifications: one row per (alert, user, kind); the mail leaves only after the commit.


def _users_of(organisation: Organisation | None, roles: Sequence[str]) -> list[User]:
    day = timezone.localdate()
    qs = User.objects.filter(
        is_active=True,
        memberships__role__in=list(roles),
    ).filter(
        Q(memberships__valid_from__isnull=True) | Q(memberships__valid_from__lte=day),
        Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=day),
    )
    if organisation is not None:
        qs = qs.filter(memberships__organisation=organisation)
    return list(qs.distinct().order_by("pk"))


def _mail(user_email: str, subject: str, body: str) -> None:
    if user_email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user_email], fail_silently=True)


def _mailer(email: str, subject: str, body: str) -> Any:
    return lambda: _mail(email, subject, body)


def _notify(alert: Alert, users: Iterable[User], kind: str) -> int:
    sent = 0
    subjects: dict[str, str] = {
        Notification.Kind.NEW: _("[PressDesk] Cảnh báo mới: %(t)s"),
        Notification.Kind.ESCALATED: _("[PressDesk] Cảnh báo quá hạn: %(t)s"),
        Notification.Kind.ANSWERED: _("[PressDesk] Cảnh báo đã được trả lời: %(t)s"),
    }
    for user in users:
        try:
            with transaction.atomic():
                _n, created = Notification.objects.get_or_create(alert=alert, user=user, kind=kind)
        except IntegrityError:  # a concurrent evaluation wrote it first: still once
            created = False
        if not created:
            continue
        sent += 1
        subject = subjects[kind] % {"t": alert.title[:120]}
        body = _("Cảnh báo #%(id)s (%(sev)s), hạn trả lời %(deadline)s.\nXem: /canh-bao/canh-bao/%(id)s/") % {
            "id": alert.pk,
            "sev": alert.get_severity_display(),
            "deadline": timezone.localtime(alert.deadline).strftime("%H:%M %d/%m/%Y"),
        }
        transaction.on_commit(_mailer(user.email, subject, body))
    return sent


# ---------------------------------------------------------------------------------------------
# Routing


def place_codes(codes: Any) -> list[str]:
    """Gazetteer codes of the places an article names ("dist:382", "xa:14755", "xa2025:14758") and the bare
    administrative codes that organisations and routing rules carry ("382", "14755"), most named first."""
    out: list[str] = []
    for code in codes:
        prefix, _, bare = code.partition(":")
        for variant in (code, bare if prefix in ("dist", "xa", "xa2025") and bare.isdigit() else code):
            if variant not in out:
                out.append(variant)
    return out


def _route_target(alert: Alert) -> Organisation | None:
    """The body that must answer: by place (locality, following 2025 successors), else by topic/area."""
    day = timezone.localdate()
    codes = place_codes(
        with_parents(
            list(
                ArticlePlace.objects.filter(article__in=alert.articles.all())
                .exclude(level="province")
                .order_by("-count", "code")
                .values_list("code", flat=True)
            )
        )
    )
    if codes:  # the most named place first; an explicit routing rule before the locality itself
        rules = {
            r.place_code: r
            for r in RoutingRule.objects.filter(place_code__in=codes)
            .select_related("body")
            .order_by("priority", "-id")  # the highest priority wins below
        }
        localities = {
            o.admin_unit_code: o
            for o in Organisation.objects.filter(kind=OrgKind.LOCALITY, admin_unit_code__in=codes).order_by(
                "-pk"
            )
        }
        for code in codes:
            if code in rules:
                return rules[code].body.current(day)
        for code in codes:
            if code in localities:
                return localities[code].current(day)
    mentions = MentionTopic.objects.filter(mention__article__in=alert.articles.all())
    topic_ids = list(mentions.values_list("topic_id", flat=True))
    area_ids = list(
        Article.objects.filter(pk__in=alert.articles.all(), mentions__area__isnull=False).values_list(
            "mentions__area_id", flat=True
        )
    )
    rule = (
        RoutingRule.objects.filter(Q(topic_id__in=topic_ids) | Q(topic__isnull=True, area_id__in=area_ids))
        .select_related("body")
        .order_by("-priority", "topic_id", "id")
        .first()
    )
    if rule is None and alert.rule.topic_id:
        rule = RoutingRule.objects.filter(topic_id=alert.rule.topic_id).select_related("body").first()
    if rule is None and alert.rule.place_code:
        rule = RoutingRule.objects.filter(place_code=alert.rule.place_code).select_related("body").first()
    return rule.body.current(day) if rule is not None else None


def _assign(alert: Alert, body: Organisation | None, actor: Any, note: str = "") -> None:
    old = alert.status
    alert.body = body
    if body is not None and alert.status == Alert.Status.OPEN:
        alert.status = Alert.Status.ASSIGNED
    alert.save(update_fields=["body", "status"])
    transition_record(
        subject=alert, actor=actor, action="route", old=old, new=alert.status, organisation=body, note=note
    )
    answerers = _users_of(body, ANSWER_ROLES) if body is not None else []
    if answerers:
        _notify(alert, answerers, Notification.Kind.NEW)
    else:
        # Nobody to route to, or a body with nobody on PressDesk to answer: the monitors must act.
        _notify(alert, _users_of(None, [Role.MONITOR]), Notification.Kind.NEW)


def alert_route(*, alert_id: int, body_id: int, actor: Any) -> Alert:
    """MONITOR routes (or re-routes) an alert to a body by hand."""
    require_role(actor, Role.MONITOR)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise NotFound("alert.not_found", _("Không tìm thấy cảnh báo."))
        if alert.status not in OPEN_STATES:
            raise TransitionError("alert.closed", _("Cảnh báo đã được trả lời hoặc đã đóng."))
        body = Organisation.objects.filter(pk=body_id).first()
        if body is None:
            raise ValidationFailed("alert.body", _("Không tìm thấy cơ quan trả lời."))
        _assign(alert, body.current(), actor, note=_("Phân công thủ công"))
    return alert


# ---------------------------------------------------------------------------------------------
# Evaluation


def _matches_keywords(rule: AlertRule, folded: str) -> bool:
    padded = f" {folded} "
    return any(f" {fold(k)} " in padded for k in rule.keywords if fold(k))


def _spike(rule: AlertRule, article: Article, now: dt.datetime) -> bool:
    """Coverage of the rule's place/topic in the last 24 h above mean + k·sd of the 28 days before."""
    if rule.place_code:
        if not article.places.filter(code=rule.place_code).exists():
            return False
        qs = Article.objects.filter(places__code=rule.place_code)
    elif rule.topic_id:
        if not MentionTopic.objects.filter(mention__article=article, topic_id=rule.topic_id).exists():
            return False
        qs = Article.objects.filter(mentions__topics__pk=rule.topic_id)
    else:
        return False
    qs = qs.distinct()
    recent = qs.filter(published_at__gt=now - dt.timedelta(hours=24), published_at__lte=now).count()
    if recent < rule.spike_min_count:
        return False
    days = []
    for back in range(1, SPIKE_BASELINE_DAYS + 1):
        end = now - dt.timedelta(hours=24 * back)
        days.append(qs.filter(published_at__gt=end - dt.timedelta(hours=24), published_at__lte=end).count())
    mean = statistics.fmean(days)
    sd = statistics.pstdev(days)
    return recent > mean + rule.spike_k * sd


def _rule_fires(rule: AlertRule, article: Article, folded: str, now: dt.datetime) -> bool:
    about = article.about_province or article.relevance_decision in (
        Article.Relevance.SUBJECT,
        Article.Relevance.SUBSTANTIAL,
    )
    if rule.kind == AlertRule.Kind.NEGATIVE_TONE:
        return bool(about) and article.tone == Article.Tone.NEGATIVE
    if rule.kind == AlertRule.Kind.FALSE_INFO:
        return article.false_info
    if rule.kind == AlertRule.Kind.KEYWORDS:
        return _matches_keywords(rule, folded)
    if rule.kind == AlertRule.Kind.SPIKE:
        return _spike(rule, article, now)
    return False


def _key(rule: AlertRule, article: Article, now: dt.datetime) -> str:
    if rule.kind == AlertRule.Kind.SPIKE:
        return f"spike:{timezone.localdate(now).isoformat()}"
    # One alert per story: every copy of the cluster joins the same alert.
    return f"cluster:{article.cluster_id}" if article.cluster_id else f"article:{article.pk}"


def _story_title(article: Article) -> str:
    first = article.cluster.first_article if article.cluster is not None else None
    return (first.title if first is not None else article.title)[:1000]


def alerts_evaluate(article_ids: Sequence[int], *, now: dt.datetime | None = None) -> list[Alert]:
    """Run the enabled rules on these (analysed) articles. Idempotent: same story → same alert."""
    now = now or timezone.now()
    rules = list(AlertRule.objects.filter(enabled=True))
    touched: dict[int, Alert] = {}
    articles = Article.objects.filter(pk__in=list(article_ids)).select_related("cluster").order_by("pk")
    for article in articles:
        folded = fold(f"{article.title} {article.lead} {article.text}")
        for rule in rules:
            if not _rule_fires(rule, article, folded, now):
                continue
            with transaction.atomic():
                key = _key(rule, article, now)
                alert = Alert.objects.select_for_update().filter(rule=rule, key=key).first()
                created = False
                if alert is None:
                    try:
                        with transaction.atomic():
                            alert = Alert.objects.create(
                                rule=rule,
                                key=key,
                                cluster=article.cluster,
                                article=article if not article.cluster_id else None,
                                title=_story_title(article),
                                severity=rule.severity,
                                deadline=now + dt.timedelta(hours=rule.deadline_hours),
                            )
                            created = True
                    except IntegrityError:
                        alert = Alert.objects.select_for_update().get(rule=rule, key=key)
                AlertArticle.objects.get_or_create(alert=alert, article=article)
                if created:
                    transition_record(
                        subject=alert, actor=None, action="create", new=alert.status, note=rule.name
                    )
                    _assign(alert, _route_target(alert), None)
                touched[alert.pk] = alert
        EvaluatedArticle.objects.get_or_create(article=article)
    return list(touched.values())


def alerts_evaluate_pending(*, limit: int = 500) -> list[Alert]:
    """Scheduled: analysed articles the rules have not seen yet."""
    ids = list(
        Article.objects.filter(analysed_at__isnull=False)
        .exclude(pk__in=EvaluatedArticle.objects.values("article_id"))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return alerts_evaluate(ids) if ids else []


# ---------------------------------------------------------------------------------------------
# Answer, close, escalate


def _answering_membership(actor: Any, alert: Alert) -> Any:
    if alert.body_id is None or not has_role(actor, ANSWER_ROLES, organisation=alert.body):
        # Another body's officer must not learn the alert exists.
        raise NotFound("alert.not_found", _("Không tìm thấy cảnh báo."))
    return require_role(actor, ANSWER_ROLES, organisation=alert.body)


def alert_answer(
    *,
    alert_id: int,
    actor: Any,
    kind: str,
    text: str,
    link_url: str = "",
    press_release_id: int | None = None,
) -> Response:
    """The assigned body records its answer; the alert becomes "answered"."""
    text = (text or "").strip()
    if kind not in Response.Kind.values:
        raise ValidationFailed("response.kind", _("Hình thức trả lời không hợp lệ: %(v)s") % {"v": kind})
    if not text:
        message = (
            _("Hãy nêu lý do không cần xử lý.")
            if kind == Response.Kind.NO_ACTION
            else _("Hãy nhập nội dung trả lời.")
        )
        raise ValidationFailed("response.text", message)
    if link_url and not link_url.startswith(("http://", "https://")):
        raise ValidationFailed(
            "response.link", _("Liên kết bài trả lời phải bắt đầu bằng http:// hoặc https://.")
        )
    release = None
    if press_release_id is not None:
        from pressdesk.infohub.models import PressRelease

        release = PressRelease.objects.filter(pk=press_release_id).first()
        if release is None:
            raise ValidationFailed(
                "response.release", _("Không tìm thấy thông cáo báo chí #%(id)s.") % {"id": press_release_id}
            )
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise NotFound("alert.not_found", _("Không tìm thấy cảnh báo."))
        membership = _answering_membership(actor, alert)
        if alert.status not in OPEN_STATES:
            raise TransitionError("alert.not_open", _("Cảnh báo này đã được trả lời hoặc đã đóng."))
        assert alert.body is not None  # _answering_membership checked it
        if release is not None and (release.body_id != alert.body_id or release.status != "published"):
            raise ValidationFailed(
                "response.release",
                _("Chỉ liên kết thông cáo báo chí đã công bố của chính cơ quan trả lời (%(body)s).")
                % {"body": alert.body},
            )
        response = Response.objects.create(
            alert=alert,
            body=alert.body,
            kind=kind,
            text=text,
            link_url=link_url,
            press_release=release,
            responder=actor,
        )
        old = alert.status
        alert.status = Alert.Status.ANSWERED
        alert.save(update_fields=["status"])
        transition_record(
            subject=alert,
            actor=actor,
            action="answer",
            old=old,
            new=alert.status,
            role=membership.role,
            organisation=alert.body,
            note=response.get_kind_display(),
        )
        _notify(alert, _users_of(None, [Role.MONITOR]), Notification.Kind.ANSWERED)
    return response


def alert_close(*, alert_id: int, actor: Any, note: str = "") -> Alert:
    """The answering body (or a monitor) closes an answered alert."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise NotFound("alert.not_found", _("Không tìm thấy cảnh báo."))
        role = Role.MONITOR if has_role(actor, Role.MONITOR) else _answering_membership(actor, alert).role
        if alert.status != Alert.Status.ANSWERED:
            raise TransitionError("alert.not_answered", _("Chỉ đóng được cảnh báo đã có trả lời."))
        old = alert.status
        alert.status = Alert.Status.CLOSED
        alert.closed_at = timezone.now()
        alert.save(update_fields=["status", "closed_at"])
        transition_record(
            subject=alert, actor=actor, action="close", old=old, new=alert.status, role=role, note=note
        )
    return alert


def alerts_escalate_overdue(*, now: dt.datetime | None = None) -> list[Alert]:
    """Scheduled: past their deadline and still unanswered → escalated, monitors notified."""
    now = now or timezone.now()
    escalated = []
    with transaction.atomic():
        overdue = Alert.objects.select_for_update().filter(
            status__in=[Alert.Status.OPEN, Alert.Status.ASSIGNED], deadline__lt=now
        )
        monitors = _users_of(None, [Role.MONITOR])
        for alert in overdue:
            old = alert.status
            alert.status = Alert.Status.ESCALATED
            alert.save(update_fields=["status"])
            transition_record(subject=alert, actor=None, action="escalate", old=old, new=alert.status)
            _notify(alert, monitors, Notification.Kind.ESCALATED)
            escalated.append(alert)
    return escalated


# ---------------------------------------------------------------------------------------------
# Rules, routing table, saved searches


def _require_monitor(actor: Any) -> None:
    require_role(actor, [Role.MONITOR, Role.ADMINISTRATOR])


def alert_rule_save(*, actor: Any, rule_id: int | None = None, **fields: Any) -> AlertRule:
    _require_monitor(actor)
    kind = fields.get("kind")
    if kind not in AlertRule.Kind.values:
        raise ValidationFailed("rule.kind", _("Loại quy tắc không hợp lệ: %(v)s") % {"v": kind})
    if kind == AlertRule.Kind.KEYWORDS and not [k for k in fields.get("keywords", []) if fold(k)]:
        raise ValidationFailed("rule.keywords", _("Quy tắc từ khóa cần ít nhất một từ khóa."))
    if kind == AlertRule.Kind.SPIKE and not (fields.get("place_code") or fields.get("topic")):
        raise ValidationFailed("rule.spike", _("Quy tắc đột biến cần mã địa bàn hoặc nhiệm vụ."))
    with transaction.atomic():
        rule = AlertRule.objects.select_for_update().get(pk=rule_id) if rule_id else AlertRule()
        old = ("on" if rule.enabled else "off") if rule_id else ""
        for key, value in fields.items():
            setattr(rule, key, value)
        rule.full_clean()
        rule.save()
        # the state columns are short: on/off there, the kind in the note
        new = "on" if rule.enabled else "off"
        transition_record(subject=rule, actor=actor, action="save", old=old, new=new, note=rule.kind)
    return rule


def routing_rule_save(
    *,
    actor: Any,
    body_id: int,
    place_code: str = "",
    area_id: int | None = None,
    topic_id: int | None = None,
    priority: int = 0,
    rule_id: int | None = None,
) -> RoutingRule:
    _require_monitor(actor)
    place_code = place_code.strip()
    if not (place_code or area_id or topic_id):
        raise ValidationFailed("routing.empty", _("Nhập mã địa bàn, lĩnh vực hoặc nhiệm vụ."))
    if not Organisation.objects.filter(pk=body_id).exists():
        raise ValidationFailed("routing.body", _("Không tìm thấy cơ quan trả lời."))
    with transaction.atomic():
        rule = RoutingRule.objects.select_for_update().get(pk=rule_id) if rule_id else RoutingRule()
        rule.place_code, rule.area_id, rule.topic_id, rule.body_id, rule.priority = (
            place_code,
            area_id,
            topic_id,
            body_id,
            priority,
        )
        rule.save()
        # The rule's description is a note, not a state: it is longer than a state's 32 characters.
        transition_record(subject=rule, actor=actor, action="save", note=str(rule))
    return rule


def saved_search_save(*, actor: Any, name: str, query: str, filters: Filters) -> SavedSearch:
    if not active_memberships(actor).exists():
        raise ValidationFailed("search.role", _("Bạn cần một vai trò để lưu tìm kiếm."))
    name = name.strip()
    if not name:
        raise ValidationFailed("search.name", _("Hãy đặt tên cho tìm kiếm."))
    parse_query(query)  # rejects an over-long query before storing it
    saved, _created = SavedSearch.objects.update_or_create(
        owner=actor,
        name=name[:200],
        defaults={"query": query.strip()[:500], "filters": filters.as_json(), "last_seen_at": timezone.now()},
    )
    return saved


def saved_search_seen(*, actor: Any, saved_id: int) -> SavedSearch:
    saved = SavedSearch.objects.filter(pk=saved_id, owner=actor).first()
    if saved is None:
        raise NotFound("search.not_found", _("Không tìm thấy tìm kiếm đã lưu."))
    saved.last_seen_at = timezone.now()
    saved.save(update_fields=["last_seen_at"])
    return saved
